"""One name, one lemma: do all inflected forms of a named entity get one lemma key?

Usage::

    python benchmarks/eval_lemmas.py PATH/TO/factRuEval-2016

Gold: factRuEval-2016 (dev + test, 255 news texts). Its ``.coref`` files group mentions into
entities; every mention is made of typed spans (``name``, ``surname``, ``patronymic``,
``nickname`` for persons, ``org_name``, ``loc_name``). Within an entity and span type, spans
that are inflections of one name form a **paradigm**: the same number of words, each pair of
words sharing its first letters up to the last three of the shorter (``Лужкова`` / ``Лужкову``,
``Турция`` / ``Турцией``; not ``КНР`` / ``Китая`` or ``Wolf`` / ``Вольфа``, which are other
names of the entity). Spans that do not align with token boundaries are skipped. A paradigm
seen in at least two distinct written forms (case-insensitive) is **consistent** when every
span gets the same lemma key (the lemmas of the tokens inside it). The share of consistent
paradigms is printed per type for:

- the kit (:func:`helpers.text.tokenize` on all texts at once: lemmas chosen per paradigm);
- plain pymorphy3 (the first reading of each word, lower-cased);

so that the two are measured on the same entities in the same run. Nothing is written; the data
set stays outside the project.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers.morph import analyzer  # noqa: E402
from helpers.text import tokenize  # noqa: E402

SPAN_TYPES = {"name": "PER", "surname": "PER", "patronymic": "PER", "nickname": "PER", "org_name": "ORG", "loc_name": "LOC"}
OBJECT_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}


def read_split(folder: Path) -> tuple[dict[str, str], list[tuple[str, str, str, list[tuple[int, int]]]]]:
    """Texts, and (doc, entity, span type, [(start, end), ...]) groups from one split."""
    texts, groups = {}, []
    for txt in sorted(p for p in folder.glob("*.txt") if (folder / f"{p.stem}.spans").exists()):
        doc = f"{folder.name}/{txt.stem}"
        texts[doc] = txt.read_text(encoding="utf-8")
        spans = {}
        for line in (folder / f"{txt.stem}.spans").read_text(encoding="utf-8").splitlines():
            head = line.split("#")[0].split()
            if len(head) >= 4:
                spans.setdefault(head[0], []).append((head[1], int(head[2]), int(head[2]) + int(head[3])))
        objects = {}
        for line in (folder / f"{txt.stem}.objects").read_text(encoding="utf-8").splitlines():
            head = line.split("#")[0].split()
            if len(head) >= 3:
                objects[head[0]] = (head[1], head[2:])
        coref = (folder / f"{txt.stem}.coref").read_text(encoding="utf-8").split("\n\n")
        for block in coref:
            lines = [x for x in block.strip().splitlines() if x.strip()]
            if not lines:
                continue
            ids = lines[0].split()
            entity = f"{doc}#{ids[0]}"
            members = [objects[o] for o in ids[1:] if o in objects]
            if not members:
                continue
            by_type = defaultdict(set)
            for _, span_ids in members:
                for sid in span_ids:
                    for stype, a, b in spans.get(sid, []):
                        if stype in SPAN_TYPES:
                            by_type[stype].add((a, b))
            for stype, places in by_type.items():
                groups.append((doc, entity, stype, sorted(places)))
    return texts, groups


def _same_name(x: str, y: str) -> bool:
    """Whether two spans may be inflections of one name (same words, endings aside)."""
    wx, wy = x.lower().replace("ё", "е").split(), y.lower().replace("ё", "е").split()
    if len(wx) != len(wy):
        return False
    for a, b in zip(wx, wy):
        k = max(3, min(len(a), len(b)) - 3)
        if len(a) < 3 or len(b) < 3:
            if a != b:
                return False
        elif a[:k] != b[:k]:
            return False
    return True


def paradigms(texts: dict[str, str], groups) -> list[tuple[str, str, str, list[tuple[int, int]]]]:
    """Split each (entity, span type) into groups of spans that inflect one name."""
    out = []
    for doc, entity, stype, places in groups:
        clusters: list[list[tuple[int, int]]] = []
        for a, b in places:
            for c in clusters:
                if _same_name(texts[doc][c[0][0]:c[0][1]], texts[doc][a:b]):
                    c.append((a, b))
                    break
            else:
                clusters.append([(a, b)])
        for k, c in enumerate(clusters):
            out.append((doc, f"{entity}.{stype}.{k}", stype, c))
    return out


def keys_of(tokens: pd.DataFrame, doc: str, spans: list[tuple[int, int]]) -> list[tuple[str, ...]]:
    sub = tokens[tokens["doc_id"] == doc]
    out = []
    for a, b in spans:
        inside = sub[(sub["start"] >= a) & (sub["end"] <= b)]
        aligned = len(inside) and inside["start"].min() == a and inside["end"].max() == b
        out.append(tuple(inside["lemma"].astype(str)) if aligned else None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factrueval", type=Path)
    args = parser.parse_args()
    texts, groups = {}, []
    for split in ("devset", "testset"):
        t, g = read_split(args.factrueval / split)
        texts.update(t)
        groups.extend(g)
    docs = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values()), "lang": "ru"})
    kit = tokenize(docs, cache=False, mwes=())
    morph = analyzer("ru")
    plain = kit.assign(lemma=[morph.parse(w.lower())[0].normal_form.replace("ё", "е") for w in kit["token"].astype(str)])
    rows = []
    for doc, entity, stype, places in paradigms(texts, groups):
        aligned = [(a, b) for (a, b), k in zip(places, keys_of(kit, doc, places)) if k is not None]
        if len({texts[doc][a:b].lower() for a, b in aligned}) < 2:
            continue
        for method, table in (("kit", kit), ("pymorphy3", plain)):
            keys = keys_of(table, doc, aligned)
            rows.append((doc.split("/")[0], SPAN_TYPES[stype], stype, entity, method, len(set(keys)) == 1))
    result = pd.DataFrame(rows, columns=["split", "type", "span", "entity", "method", "consistent"])
    table = result.pivot_table(index="type", columns="method", values="consistent", aggfunc="mean")
    table["paradigms"] = result[result["method"] == "kit"].groupby("type").size()
    overall = result.groupby("method")["consistent"].mean()
    print(f"Paradigms (an entity's name in two or more written forms): {int((result['method'] == 'kit').sum())}")
    print(table.round(3).to_string())
    print(f"all: kit {overall['kit']:.3f}, plain pymorphy3 {overall['pymorphy3']:.3f}")
    by_split = result.pivot_table(index=["split", "type"], columns="method", values="consistent", aggfunc="mean").round(3)
    print(by_split.to_string())
    by_span = result.pivot_table(index="span", columns="method", values="consistent", aggfunc="mean").round(3)
    print(by_span.to_string())


if __name__ == "__main__":
    main()
