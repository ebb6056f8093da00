"""Score helpers.entities on factRuEval-2016: entity spans and normal forms.

Usage::

    python benchmarks/eval_ner.py PATH/TO/factRuEval-2016 [--split devset|testset|both]

The data set is not part of the kit (it lives outside the project and must not be copied into
it); this script only reads it and prints figures.

Gold mentions
-------------
The gold standard follows natasha's own evaluation (``naeval.ner.adapt.adapt_factru``, the
protocol behind natasha's published factRuEval figures):

- object types map ``Person`` → PER, ``Org`` → ORG, ``Location`` → LOC and ``LocOrg`` → LOC
  (naeval's ``FACTRU_TYPES``; a LocOrg is a place acting as an organisation, "Россия заявила");
  ``Project`` and ``Facility`` objects (24 in all) are dropped;
- a Person mention runs from the start of its first span to the end of its last span; an Org
  mention is each of its ``org_name`` spans and a Location/LocOrg mention each of its
  ``loc_name`` spans (descriptors such as "мэрия", "площадь" are not part of the name), so
  "МИД Грузии" is ORG "МИД" + LOC "Грузии", as natasha tags it;
- mentions nested in an earlier, longer one are dropped (naeval's ``filter_overlapping``).

naeval also drops gold spans that do not align with its tokenizer's token boundaries; this script
keeps them (a handful), which can only lower the figures.

Scores
------
- *exact*: a predicted mention is correct when a gold mention has the same start, end and type;
- *overlap*: a prediction is correct when it overlaps a gold mention of the same type, and a gold
  mention is found when a prediction of its type overlaps it;
- *token*: naeval's measure, which produced natasha's published PER 0.959 / LOC 0.915 /
  ORG 0.825: every token (razdel here, naeval's own tokenizer there) inside a span of a type is
  labelled with it, and precision and recall are counted over tokens. Partly found names earn
  partial credit, so it runs above the exact-span measure.

Normal forms
------------
The ``.coref`` files give, per object, normalised names (``name``, ``firstname``,
``lastname``, ``patronymic``, ``nickname``). For a predicted mention whose span equals a gold
mention, the gold normal form is built from them when comparable:

- persons: the value of the slot for each part (``name`` → ``firstname``, ``surname`` →
  ``lastname``, ...) in text order, choosing among several values the one closest to the written
  part (``Саша`` vs ``Александр``);
- places and organisations: a ``name`` value with as many words as the mention whose words start
  like the written ones (so "Москвы" is compared with "Москва", but "СССР" not with "Советы").

Comparison ignores letter case and folds ``ё`` to ``е``. natasha's plain normal form is
``span.normalize(morph_vocab)`` after ``doc.parse_syntax`` (the pipeline natasha documents; ORG
spans use the syntax tree there).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers.entities import discover_entities, morph_vocab, natasha_doc  # noqa: E402

TYPE_MAP = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
PERSON_SLOTS = {
    "name": ("firstname", "firstname1", "firstname2"),
    "surname": ("lastname", "lastname1"),
    "patronymic": ("patronymic",),
    "nickname": ("nickname",),
}
TYPES = ("PER", "ORG", "LOC")


@dataclass
class Span:
    id: str
    type: str
    start: int
    end: int
    comment: str


@dataclass
class Mention:
    doc: str
    start: int
    end: int
    type: str
    object_id: str
    parts: list[Span] = field(default_factory=list)


@dataclass
class Book:
    doc: str
    text: str
    spans: dict[str, Span]
    objects: list[tuple[str, str, list[str]]]
    corefs: dict[str, dict[str, list[str]]]  # object id -> slot -> values


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8-sig").splitlines()


def read_spans(path: Path) -> dict[str, Span]:
    spans = {}
    for line in _lines(path):
        if not line.strip():
            continue
        head, _, comment = line.partition("#")
        sid, stype, start, length, first_token, n_tokens = head.split()[:6]
        words = comment.split()[int(n_tokens) :]
        spans[sid] = Span(sid, stype, int(start), int(start) + int(length), " ".join(words))
    return spans


def read_objects(path: Path) -> list[tuple[str, str, list[str]]]:
    objects = []
    for line in _lines(path):
        if not line.strip():
            continue
        head = line.partition("#")[0].split()
        objects.append((head[0], head[1], head[2:]))
    return objects


def read_coref(path: Path) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    lines = _lines(path) + [""]
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        object_ids = lines[i].split()[1:]
        slots: dict[str, list[str]] = defaultdict(list)
        i += 1
        while i < len(lines) and lines[i].strip():
            parts = lines[i].split(None, 1)
            if len(parts) == 2:
                slots[parts[0]].append(parts[1].strip())
            i += 1
        for oid in object_ids:
            out[oid] = dict(slots)
    return out


def load_text(path: Path, spans: dict[str, Span]) -> tuple[str, int]:
    """Read a text, choosing raw or newline-normalised form by which aligns with the spans.

    Returns the text and the number of spans whose text does not match their ``# text``.
    """
    raw = path.read_bytes().decode("utf-8")
    candidates = [raw]
    if "\r" in raw:
        candidates.append(raw.replace("\r\n", "\n").replace("\r", "\n"))
    best, best_bad = raw, None
    for text in candidates:
        bad = sum(
            "".join(text[s.start : s.end].split()) != "".join(s.comment.split()) for s in spans.values()
        )
        if best_bad is None or bad < best_bad:
            best, best_bad = text, bad
    return best, best_bad or 0


def load_split(root: Path, split: str) -> tuple[list[Book], int, int]:
    folder = root / split
    if not folder.is_dir():
        raise SystemExit(f"{folder} not found: pass the folder that holds devset/ and testset/.")
    books, misaligned, total = [], 0, 0
    for txt in sorted(folder.glob("book_*.txt"), key=lambda p: int(p.stem.split("_")[1])):
        base = txt.with_suffix("")
        spans = read_spans(base.with_suffix(".spans"))
        text, bad = load_text(txt, spans)
        misaligned += bad
        total += len(spans)
        books.append(
            Book(
                f"{split}/{txt.stem}",
                text,
                spans,
                read_objects(base.with_suffix(".objects")),
                read_coref(base.with_suffix(".coref")),
            )
        )
    return books, misaligned, total


# --------------------------------------------------------------------------------------------
# Gold mentions (naeval protocol)
# --------------------------------------------------------------------------------------------


def _filter_overlapping(items: list[Mention]) -> list[Mention]:
    """naeval's filter_overlapping: drop a span that starts inside the previous kept one."""
    drop, previous = set(), None
    for m in sorted(items, key=lambda m: (m.start, -m.end)):
        if previous is not None and previous.end > m.start:
            drop.add(id(m))
            continue
        previous = m
    return [m for m in items if id(m) not in drop]


def gold_mentions(book: Book) -> list[Mention]:
    found = []
    for oid, otype, span_ids in book.objects:
        if otype not in TYPE_MAP:
            continue
        spans = [book.spans[s] for s in span_ids if s in book.spans]
        if not spans:
            continue
        etype = TYPE_MAP[otype]
        if otype == "Person":
            found.append(
                Mention(book.doc, min(s.start for s in spans), max(s.end for s in spans), etype, oid, sorted(spans, key=lambda s: s.start))
            )
        else:
            wanted = "org_name" if otype == "Org" else "loc_name"
            names = [Mention(book.doc, s.start, s.end, etype, oid, [s]) for s in spans if s.type == wanted]
            found.extend(_filter_overlapping(names))
    found = _filter_overlapping(found)
    unique: dict[tuple, Mention] = {}
    for m in found:
        unique.setdefault((m.start, m.end, m.type), m)
    return list(unique.values())


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def prf(correct_pred: int, n_pred: int, correct_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = correct_pred / n_pred if n_pred else 0.0
    r = correct_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def span_scores(pred: pd.DataFrame, gold: list[Mention], texts: dict[str, str]) -> pd.DataFrame:
    from razdel import tokenize

    rows = []
    gold_by = defaultdict(list)
    for m in gold:
        gold_by[m.doc, m.type].append((m.start, m.end))
    pred_by = defaultdict(list)
    for r in pred.itertuples():
        pred_by[r.doc_id, r.type].append((r.start, r.end))
    tokens = {doc: [(t.start, t.stop) for t in tokenize(text)] for doc, text in texts.items()}
    for etype in (*TYPES, "all"):
        types = TYPES if etype == "all" else (etype,)
        n_pred = n_gold = exact = over_p = over_g = 0
        tp = tpred = tgold = 0
        for doc in texts:
            for t in types:
                g, p = set(gold_by[doc, t]), set(pred_by[doc, t])
                n_pred += len(p)
                n_gold += len(g)
                exact += len(g & p)
                over_p += sum(any(ps < ge and gs < pe for gs, ge in g) for ps, pe in p)
                over_g += sum(any(ps < ge and gs < pe for ps, pe in p) for gs, ge in g)
                inside_g = {i for i, (a, b) in enumerate(tokens[doc]) if any(gs <= a and b <= ge for gs, ge in g)}
                inside_p = {i for i, (a, b) in enumerate(tokens[doc]) if any(ps <= a and b <= pe for ps, pe in p)}
                tp += len(inside_g & inside_p)
                tpred += len(inside_p)
                tgold += len(inside_g)
        ep, er, ef = prf(exact, n_pred, exact, n_gold)
        op, orr, of = prf(over_p, n_pred, over_g, n_gold)
        tp_, tr_, tf_ = prf(tp, tpred, tp, tgold)
        rows.append(
            {
                "type": etype, "gold": n_gold, "pred": n_pred,
                "exact_P": ep, "exact_R": er, "exact_F1": ef,
                "overlap_P": op, "overlap_R": orr, "overlap_F1": of,
                "token_P": tp_, "token_R": tr_, "token_F1": tf_,
            }
        )
    return pd.DataFrame(rows).set_index("type")


# --------------------------------------------------------------------------------------------
# Normal forms
# --------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def _lcp(a: str, b: str) -> int:
    n = 0
    for x, y in zip(fold(a), fold(b)):
        if x != y:
            break
        n += 1
    return n


def _closest(written: str, values: list[str]) -> str | None:
    if not values:
        return None
    best = max(values, key=lambda v: _lcp(written, v))
    return best if _lcp(written, best) >= 2 else None


def gold_normal(book: Book, mention: Mention) -> str | None:
    """Gold normal form of a mention from the .coref slots, or None when not comparable."""
    slots = book.corefs.get(mention.object_id)
    if not slots:
        return None
    if mention.type == "PER":
        parts = []
        for s in mention.parts:
            names = PERSON_SLOTS.get(s.type)
            if names is None:
                return None
            values = [v for n in names for v in slots.get(n, [])]
            written = book.text[s.start : s.end]
            value = _closest(written, values)
            if value is None or len(value.split()) != len(written.split()):
                return None
            parts.append(value)
        return " ".join(parts)
    written = book.text[mention.start : mention.end].split()
    best, best_score = None, -1
    for value in slots.get("name", []):
        words = value.split()
        if len(words) != len(written):
            continue
        scores = [_lcp(w, v) for w, v in zip(written, words)]
        if min(scores) < 2:
            continue
        if sum(scores) > best_score:
            best, best_score = value, sum(scores)
    return best


def natasha_normals(books: list[Book]) -> dict[tuple[str, int, int], str]:
    """natasha's own ``span.normalize`` for every predicted span (with the syntax parse)."""
    from natasha import NewsEmbedding, NewsSyntaxParser

    parser = NewsSyntaxParser(NewsEmbedding())
    vocab = morph_vocab()
    out = {}
    for book in books:
        doc = natasha_doc(book.text)
        doc.parse_syntax(parser)
        for span in doc.spans:
            span.normalize(vocab)
            out[book.doc, span.start, span.stop] = span.normal
    return out


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="folder of factRuEval-2016 (with devset/ and testset/)")
    ap.add_argument("--split", choices=["devset", "testset", "both"], default="both")
    ap.add_argument("--errors", type=int, default=30, help="how many wrong normal forms to list")
    args = ap.parse_args(argv)

    splits = ["devset", "testset"] if args.split == "both" else [args.split]
    books: list[Book] = []
    for split in splits:
        b, bad, total = load_split(args.path, split)
        print(f"{split}: {len(b)} texts, {total} spans, {bad} spans whose text differs from their '# text'")
        books.extend(b)
    object_types = Counter(t for b in books for _, t, _ in b.objects)
    print("object types:", ", ".join(f"{t} {n} -> {TYPE_MAP.get(t, 'dropped')}" for t, n in object_types.most_common()))

    gold = [m for b in books for m in gold_mentions(b)]
    texts = {b.doc: b.text for b in books}
    docs = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})

    t0 = time.perf_counter()
    pred = discover_entities(docs, cache=False)
    seconds = time.perf_counter() - t0
    print(f"discover_entities: {len(pred)} mentions in {seconds:.1f} s\n")

    pd.set_option("display.width", 160)
    pd.set_option("display.precision", 3)
    scores = span_scores(pred, gold, texts)
    print("Entity spans (exact, overlap, token-level as in naeval):")
    print(scores.to_string(float_format=lambda x: f"{x:.3f}"))
    print("natasha's published token-level F1 (naeval, factRuEval-2016): PER 0.959, LOC 0.915, ORG 0.825\n")

    # normal forms
    plain = natasha_normals(books)
    book_by = {b.doc: b for b in books}
    gold_at = {(m.doc, m.start, m.end): m for m in gold}
    rows = []
    for r in pred.itertuples():
        m = gold_at.get((r.doc_id, r.start, r.end))
        if m is None:
            continue
        expected = gold_normal(book_by[r.doc_id], m)
        if expected is None:
            continue
        natasha = plain.get((r.doc_id, r.start, r.end), "")
        rows.append(
            {
                "doc": r.doc_id, "type": r.type, "gold_type": m.type, "surface": r.surface, "gold": expected,
                "natasha": natasha, "ours": r.normal,
                "natasha_ok": fold(natasha) == fold(expected), "ours_ok": fold(r.normal) == fold(expected),
            }
        )
    norm = pd.DataFrame(rows)
    matched = sum((r.doc_id, r.start, r.end) in gold_at for r in pred.itertuples())
    print(f"Normal forms: {matched} predicted mentions match a gold span exactly, {len(norm)} of them have a comparable gold normal form")
    if norm.empty:
        return 0
    def accuracy(frame: pd.DataFrame) -> dict:
        return {
            "n": len(frame),
            "natasha_right": int(frame.natasha_ok.sum()), "natasha_acc": frame.natasha_ok.mean(),
            "ours_right": int(frame.ours_ok.sum()), "ours_acc": frame.ours_ok.mean(),
        }

    summary = pd.DataFrame.from_dict(
        {**{t: accuracy(g) for t, g in norm.groupby("type")}, "all": accuracy(norm)}, orient="index"
    )
    print("accuracy against gold (case-insensitive, ё→е):")
    print(summary.to_string(float_format=lambda x: f"{x:.3f}"))
    differs = (norm.natasha.map(fold) != norm.ours.map(fold)).sum()
    print(
        f"natasha and ours differ on {differs} mentions; ours right & natasha wrong: "
        f"{(norm.ours_ok & ~norm.natasha_ok).sum()}, natasha right & ours wrong: {(norm.natasha_ok & ~norm.ours_ok).sum()}\n"
    )
    wrong = norm[~norm.ours_ok]
    if len(wrong) and args.errors > 0:
        top = (
            wrong.groupby(["type", "surface", "ours", "gold", "natasha"]).size().rename("n").reset_index()
            .sort_values(["n", "surface"], ascending=[False, True]).head(args.errors)
        )
        print(f"normal forms we still get wrong (top {args.errors} of {len(wrong)} mentions):")
        print(top.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
