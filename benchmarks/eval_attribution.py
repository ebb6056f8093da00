"""Attribution on real news: is the speaker of each reporting cue the right one?

Usage::

    python benchmarks/eval_attribution.py PATH/TO/shared/eval [--split dev|test|all] [--show]

Gold: ``benchmarks/annotations/attribution_gold.csv`` (241 cues in 21 real news texts of
``shared/eval``: splits ``dev`` and ``test``, used while the rules were written) and
``attribution_holdout.csv`` (157 cues in 14 other texts, annotated afterwards and used only to
measure them); guidelines in ``README_attribution.md``; pointers only.
The texts are read exactly as the annotation defines them (ods-sample's lost newlines restored
one character for one, see :func:`read_text`). Actors come from the story itself, as
a researcher's run would make them: natasha's entities, turned into a provisional dictionary
(:func:`helpers.actors.suggest_actors`), so that pronouns can find persons.

A cue's speaker is **right** when the kit's row for that cue (its cue span overlapping the gold
cue)

- names no speaker, for a gold cue with none;
- has a speaker span overlapping the gold speaker span, or a referent overlapping the gold
  referent, or the same last-word lemma as the gold referent (the person named elsewhere);
- for a pronoun, resolves to the gold referent (or, when the gold has none, to nobody).

A gold cue the kit has no row for counts as wrong. Relays are scored apart: a gold relay is
found when a ``relayed_by`` row of the cue overlaps it. Nothing is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers import actors  # noqa: E402
from helpers.attribution import attribution  # noqa: E402
from helpers.corpus import build_corpus  # noqa: E402
from helpers.entities import discover_entities  # noqa: E402
from helpers.text import lemma_key  # noqa: E402

GOLD = ROOT / "benchmarks" / "annotations" / "attribution_gold.csv"
HOLDOUT = ROOT / "benchmarks" / "annotations" / "attribution_holdout.csv"


_LOST_NEWLINE = re.compile(r'(?<=[.!?»"…:)])n(?=[«"А-ЯЁA-Z])|(?<=«)n(?=[А-ЯЁA-Z])|(?<=[а-яёa-z])n(?=»)')


def read_text(eval_dir: Path, source: str) -> str:
    """A text exactly as the annotations define it, with ods-sample's lost newlines put back.

    ods-sample cells have a literal ``n`` where a newline was lost («…РИА Новости.nВосемнадцать»);
    each such ``n`` becomes ``\\n`` again, one character for one, so every offset stays valid.
    """
    if "#" in source:
        path, row = source.split("#")
        return _LOST_NEWLINE.sub("\n", str(pd.read_csv(eval_dir / path)["text"].iloc[int(row)]))
    with open(eval_dir / source, encoding="utf-8", newline="") as handle:
        return handle.read()


def _overlaps(a0, a1, b0, b1) -> bool:
    return pd.notna(a0) and pd.notna(b0) and int(a0) < int(b1) and int(b0) < int(a1)


def _last_lemma(text: str) -> str:
    key = lemma_key(text) if text.strip() else ()
    return key[-1] if key else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--split", default="holdout", choices=["dev", "test", "holdout", "all"],
                        help="dev and test were used to develop the rules; holdout (annotated afterwards) measures them")
    parser.add_argument("--show", action="store_true", help="print the wrong cues (offsets and rule only)")
    args = parser.parse_args()
    gold = pd.concat([pd.read_csv(GOLD), pd.read_csv(HOLDOUT)], ignore_index=True)
    if args.split != "all":
        gold = gold[gold["split"] == args.split]
    sources = sorted(gold["source"].unique())
    texts = {s: read_text(args.eval_dir, s) for s in sources}
    docs = pd.DataFrame({"doc_id": sources, "text": [texts[s] for s in sources], "lang": "ru", "date": pd.NaT})
    corpus = build_corpus(docs, drop_copies=False, boilerplate=False)
    entities = discover_entities(corpus.docs)
    dictionary = actors.dictionary_rows(actors.suggest_actors(entities, actors.load_actors(), corpus=corpus, min_count=1, top=None))
    mentions = actors.find_actors(corpus, pd.concat([actors.load_actors(), dictionary], ignore_index=True))
    cited = attribution(corpus, mentions)
    rows = []
    for g in gold.itertuples(index=False):
        mine = cited[(cited["doc_id"] == g.source) & (cited["cue_start"] < g.cue_end) & (g.cue_start < cited["cue_end"])]
        main_row = mine[mine["role"] != "relayed_by"]
        text = texts[g.source]
        right = False
        if len(main_row):
            r = main_row.iloc[0]
            if g.speaker_kind == "none":
                right = r["speaker_kind"] == "none"
            else:
                ref_text = text[int(g.referent_start): int(g.referent_end)] if pd.notna(g.referent_start) else ""
                span_ok = _overlaps(r["speaker_start"], r["speaker_end"], g.speaker_start, g.speaker_end)
                ref_ok = _overlaps(r["referent_start"], r["referent_end"], g.referent_start, g.referent_end)
                mine_text = text[int(r["referent_start"]): int(r["referent_end"])] if pd.notna(r["referent_start"]) else (
                    text[int(r["speaker_start"]): int(r["speaker_end"])] if pd.notna(r["speaker_start"]) else "")
                lemma_ok = bool(ref_text) and bool(mine_text) and mine_text[:1].isupper() and _last_lemma(mine_text) == _last_lemma(ref_text)
                if g.speaker_kind == "pronoun":
                    if pd.notna(g.referent_start):
                        right = ref_ok or lemma_ok or (pd.notna(r["speaker_start"]) and _overlaps(r["speaker_start"], r["speaker_end"], g.referent_start, g.referent_end))
                    else:
                        right = span_ok and pd.isna(r["referent_start"])
                else:
                    right = span_ok or ref_ok or lemma_ok
        relay_found = None
        if pd.notna(g.relay_start):
            relays = mine[mine["role"] == "relayed_by"]
            relay_found = any(_overlaps(x.speaker_start, x.speaker_end, g.relay_start, g.relay_end) for x in relays.itertuples())
        rows.append({"split": g.split, "kind": g.speaker_kind, "role": g.role, "quote_inside": g.quote_inside, "right": right,
                     "found": len(main_row) > 0, "relay": relay_found, "source": g.source, "cue_start": g.cue_start,
                     "rule": main_row.iloc[0]["rule"] if len(main_row) else "(no row)"})
    result = pd.DataFrame(rows)
    print(f"cues: {len(result)}; speaker right: {result['right'].mean():.3f} ({int(result['right'].sum())}/{len(result)}); cue found: {result['found'].mean():.3f}")
    print(result.groupby(["split"])["right"].agg(["mean", "size"]).round(3).to_string())
    print(result.groupby(["kind"])["right"].agg(["mean", "size"]).round(3).to_string())
    print(result.groupby(["role"])["right"].agg(["mean", "size"]).round(3).to_string())
    q = result[result["quote_inside"]]
    print(f"cues next to a quote with a name inside: {q['right'].mean():.3f} of {len(q)}")
    relays = result[result["relay"].notna()]
    if len(relays):
        print(f"relays found: {relays['relay'].astype(bool).mean():.3f} of {len(relays)}")
    if args.show:
        print(result[~result["right"]][["split", "source", "cue_start", "kind", "rule"]].to_string())


if __name__ == "__main__":
    main()
