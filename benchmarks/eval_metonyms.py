"""Metonyms by use on real news: does a capital count as its state only where it stands for it?

Usage::

    python benchmarks/eval_metonyms.py PATH/TO/shared/eval [--split dev|test|seed|all]

Gold: ``benchmarks/annotations/metonym_gold.csv`` (341 uses of 50 capitals and seats of
government in real news of ``shared/eval`` and in the seed article, each labelled ``state``,
``place`` or ``other``; guidelines in ``README_metonyms.md``; pointers only). The ``dev`` split
was used to write the rules of :func:`helpers.actors.metonym_roles`, then half of ``test``
(``test-a``, its documents by a CRC of their name); ``test-b`` and ``seed`` were kept out of
sight and measure them.

Every name is put in an actor dictionary as a metonym of its state, the texts are read as the
annotation defines them, and :func:`helpers.actors.find_actors` decides each use. "Counted as
the state" is ``role == "state"``; the gold's positives are its ``state`` labels. Precision,
recall and F1 are printed, with the first version's rule (every metonym counts) beside them.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval_attribution import read_text  # noqa: E402

from helpers import actors  # noqa: E402
from helpers.corpus import build_corpus  # noqa: E402

GOLD = ROOT / "benchmarks" / "annotations" / "metonym_gold.csv"
CAPITALS = {
    "russia": ["Москва", "Кремль"], "ukraine": ["Киев", "Банковая"], "usa": ["Вашингтон", "Белый дом"], "china": ["Пекин"],
    "uk": ["Лондон", "Даунинг-стрит"], "germany": ["Берлин"], "france": ["Париж", "Елисейский дворец"], "eu": ["Брюссель"],
    "belarus": ["Минск"], "georgia": ["Тбилиси"], "japan": ["Токио"], "turkey": ["Анкара"], "poland": ["Варшава"], "italy": ["Рим"],
    "iran": ["Тегеран"], "syria": ["Дамаск"], "austria": ["Вена"], "latvia": ["Рига"], "lithuania": ["Вильнюс"],
    "estonia": ["Таллин", "Таллинн"], "armenia": ["Ереван"], "azerbaijan": ["Баку"], "kazakhstan": ["Астана"], "moldova": ["Кишинёв"],
    "israel": ["Иерусалим"], "south_korea": ["Сеул"], "north_korea": ["Пхеньян"], "india": ["Дели", "Нью-Дели"], "egypt": ["Каир"],
    "canada": ["Оттава"], "uae": ["Абу-Даби"], "kyrgyzstan": ["Бишкек"], "tajikistan": ["Душанбе"], "uzbekistan": ["Ташкент"],
    "sweden": ["Стокгольм"], "finland": ["Хельсинки"], "norway": ["Осло"], "spain": ["Мадрид"], "czechia": ["Прага"],
    "hungary": ["Будапешт"], "romania": ["Бухарест"], "bulgaria": ["София"], "serbia": ["Белград"], "greece": ["Афины"],
}


def score(gold: pd.DataFrame, predicted_state: pd.Series) -> dict:
    positive = gold["label"] == "state"
    tp = int((positive & predicted_state).sum())
    fp = int((~positive & predicted_state).sum())
    fn = int((positive & ~predicted_state).sum())
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return {"uses": len(gold), "state (gold)": int(positive.sum()), "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--split", default="all", choices=["dev", "test", "test-a", "test-b", "seed", "all"],
                        help="test-a and test-b are the halves of test (by document); test-b was never looked at while writing the rules")
    args = parser.parse_args()
    gold = pd.read_csv(GOLD)
    half = gold["source"].map(lambda x: "test-a" if zlib.crc32(x.encode()) % 2 == 0 else "test-b")
    gold.loc[gold["split"] == "test", "split"] = half[gold["split"] == "test"]
    if args.split == "test":
        gold = gold[gold["split"].isin(["test-a", "test-b"])]
    elif args.split != "all":
        gold = gold[gold["split"] == args.split]
    seed_dir = args.eval_dir.parent
    sources = sorted(gold["source"].unique())
    texts = {s: read_text(seed_dir if s.startswith("seed/") else args.eval_dir, s) for s in sources}
    docs = pd.DataFrame({"doc_id": sources, "text": [texts[s] for s in sources], "lang": "ru", "date": pd.NaT})
    corpus = build_corpus(docs, drop_copies=False, boilerplate=False)
    rows = [(a, a.title(), "state", alias, True, "ru") for a, aliases in CAPITALS.items() for alias in aliases]
    dictionary = pd.DataFrame(rows, columns=["actor", "label", "type", "alias", "metonym", "lang"])
    mentions = actors.find_actors(corpus, dictionary)
    role, rule = [], []
    for g in gold.itertuples(index=False):
        m = mentions[(mentions["doc_id"] == g.source) & (mentions["start"] < g.end) & (g.start < mentions["end"])]
        role.append(m["role"].iloc[0] if len(m) else "(not found)")
        rule.append(m["rule"].iloc[0] if len(m) else "(not found)")
    gold = gold.assign(role=role, rule=rule)
    found = gold["role"] != "(not found)"
    table = pd.DataFrame({
        "by use (this kit)": score(gold, gold["role"] == "state"),
        "every metonym counts (first version)": score(gold, found),
    }).T
    print(f"uses: {len(gold)}, found by the matcher: {found.mean():.3f}")
    print(table.round(3).to_string())
    for split, part in gold.groupby("split"):
        sc = score(part, part["role"] == "state")
        print(f"{split}: precision {sc['precision']:.3f}, recall {sc['recall']:.3f}, f1 {sc['f1']:.3f} ({sc['uses']} uses, {sc['state (gold)']} state)")
    print(pd.crosstab(gold["rule"], gold["label"]).to_string())


if __name__ == "__main__":
    main()
