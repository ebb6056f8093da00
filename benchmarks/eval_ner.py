"""Entity normal forms on factRuEval-2016: ours (helpers.entities) against natasha's ``normalize``.

Usage::

    python benchmarks/eval_ner.py --eval PATH/TO/shared/eval [--split dev|test|both] [--errors N]

``--eval`` is the folder that holds ``factRuEval-2016/`` (or that folder itself). The data set is
not part of the kit and is never copied into it; this script only reads it and prints figures.

Both systems see the same mentions: natasha's NER spans (``NewsNERTagger``), which
:func:`helpers.entities.discover_entities` uses unchanged. They differ only in the normal form:

- **natasha**: ``span.normalize(morph_vocab)`` after ``doc.parse_syntax`` (the pipeline natasha's
  README documents; ORG spans use the syntax tree there);
- **ours**: ``discover_entities(corpus)`` on a :class:`helpers.corpus.Corpus` of the split's
  texts (so names' forms agree per paradigm, as a user runs it), column ``entity``: the base
  form of the mention (``normal``), or, for a person named in part, the fullest name of that
  person in the same document (``Лужкова`` → ``Юрий Лужков`` after «Юрия Лужкова»).
  ``--mention`` scores the per-mention ``normal`` column instead.

Matching rule (the headline figure)
-----------------------------------
Per document, each system yields a **set of (type, normal form) pairs**; the gold gives a set of
**entities**, each with a type and one or more normal forms. Letter case is ignored, ``ё`` is
read as ``е`` and runs of white space as one space.

- A gold entity is a ``.coref`` chain of the document whose objects are ``Person`` (PER),
  ``Org`` (ORG), ``Location`` or ``LocOrg`` (LOC), and that has at least one gold mention under
  natasha's own protocol (below); ``Project``/``Facility`` chains are out.
- Its normal forms: for ORG and LOC every ``name`` value of the chain (``Россия`` and ``РФ``);
  for PER the full name built from the chain's slots: given names (``firstname``,
  ``firstname1``, ``firstname2``), ``patronymic``, surname (``lastname``, with ``lastname1``
  joined by a hyphen or a space), in the order given-patronymic-surname, or surname first
  (``Ким Чен Ир``, ``Лужков Юрий Михайлович``), with or without the patronymic; a person
  known only by a first name, a surname or a ``nickname`` has that as normal form, and a
  nickname is always one more form.
- A predicted pair is **correct** when a gold entity of the same type and document has that
  normal form; precision = correct pairs / predicted pairs. A gold entity is **found** when at
  least one of its normal forms is predicted with its type; recall = found / gold entities.
  Counts are summed over the documents of a split (micro average), per type and overall;
  F1 = 2PR / (P + R).

So a surname alone («Лужков») where the document names «Юрий Лужков» is a wrong pair: the
entity's normal form is the full name.

Gold mentions (for the entity filter and the span scores)
--------------------------------------------------------
As in natasha's evaluation (``naeval.ner.adapt.adapt_factru``): ``Person`` → PER, ``Org`` → ORG,
``Location``/``LocOrg`` → LOC; a Person mention runs from its first span's start to its last
span's end; an Org mention is each ``org_name`` span and a Location/LocOrg mention each
``loc_name`` span (descriptors such as «мэрия», «площадь» are not part of the name); mentions
nested in an earlier, longer one are dropped. naeval also drops gold spans that do not align with
its tokenizer; this script keeps them. The span scores (exact, overlap, token-level as in naeval,
which gave natasha's published PER 0.959 / LOC 0.915 / ORG 0.825) are printed for reference;
they are the same for both normalisers.

Splits
------
The rules of :mod:`helpers.names` and :mod:`helpers.entities` were tuned on ``devset``;
``testset`` was held out and run once at the end. Print them separately (``--split both``, the
default, prints each on its own).
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

from helpers.corpus import build_corpus  # noqa: E402
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
    chains: list[tuple[str, list[str], dict[str, list[str]]]] = field(default_factory=list)  # (chain id, object ids, slots)


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


def read_chains(path: Path) -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """The ``.coref`` chains of a text: (chain id, object ids, slot -> values)."""
    chains = []
    lines = _lines(path) + [""]
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        head = lines[i].split()
        slots: dict[str, list[str]] = defaultdict(list)
        i += 1
        while i < len(lines) and lines[i].strip():
            parts = lines[i].split(None, 1)
            if len(parts) == 2:
                slots[parts[0]].append(parts[1].strip())
            i += 1
        chains.append((head[0], head[1:], dict(slots)))
    return chains


def read_coref(path: Path) -> dict[str, dict[str, list[str]]]:
    """Object id -> the slots of its chain."""
    return {oid: slots for _, oids, slots in read_chains(path) for oid in oids}


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
        raise SystemExit(f"{folder} not found: pass --eval the folder that holds factRuEval-2016/.")
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
                read_chains(base.with_suffix(".coref")),
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


# --------------------------------------------------------------------------------------------
# Entities and their normal forms
# --------------------------------------------------------------------------------------------

GIVEN_SLOTS = ("firstname", "firstname1", "firstname2")


def person_forms(slots: dict[str, list[str]]) -> set[str]:
    """Normal forms of a gold person from its ``.coref`` slots (see the module notes)."""
    given = " ".join(slots[s][0] for s in GIVEN_SLOTS if slots.get(s) and slots[s][0].strip())
    patronymic = (slots.get("patronymic") or [""])[0].strip()
    last = (slots.get("lastname") or [""])[0].strip()
    extra = (slots.get("lastname1") or [""])[0].strip()
    surnames = [f"{last}-{extra}", f"{last} {extra}"] if last and extra else [last] if last else [""]
    forms = set()
    for surname in surnames:
        for patr in {patronymic, ""}:
            head = " ".join(x for x in (given, patr) if x)
            if head and surname:
                forms.add(f"{head} {surname}")
                forms.add(f"{surname} {head}")
            elif head or surname:
                forms.add(head or surname)
    forms |= {n.strip() for n in slots.get("nickname", []) if n.strip()}
    return {fold(f) for f in forms if f.strip()}


@dataclass
class Entity:
    doc: str
    type: str
    chain: str
    forms: set[str]


def gold_entities(book: Book, mentions: list[Mention]) -> tuple[list[Entity], int]:
    """The gold entities of a text, and how many chains with a mention had no normal form."""
    with_mention = {(m.object_id, m.type) for m in mentions}
    object_type = {oid: TYPE_MAP[t] for oid, t, _ in book.objects if t in TYPE_MAP}
    out, formless = [], 0
    for chain, oids, slots in book.chains:
        types = sorted({object_type[o] for o in oids if (o, object_type.get(o)) in with_mention})
        for etype in types:
            if etype == "PER":
                forms = person_forms(slots)
            else:
                forms = {fold(v) for v in slots.get("name", []) if v.strip()}
            if not forms:
                formless += 1
                continue
            out.append(Entity(book.doc, etype, chain, forms))
    return out, formless


def predicted_pairs(pred: pd.DataFrame, column: str) -> dict[str, set[tuple[str, str]]]:
    """Per document, the set of (type, folded normal form) pairs of a prediction table."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for doc, etype, normal in zip(pred["doc_id"], pred["type"], pred[column]):
        if isinstance(normal, str) and normal.strip():
            out[doc].add((etype, fold(normal)))
    return out


def entity_scores(pairs: dict[str, set[tuple[str, str]]], entities: list[Entity], docs: list[str]) -> tuple[pd.DataFrame, dict]:
    """Per-document set matching (module notes); returns the scores and the errors."""
    by_doc: dict[str, list[Entity]] = defaultdict(list)
    for e in entities:
        by_doc[e.doc].append(e)
    counts = {t: Counter() for t in TYPES}
    errors = {"wrong": [], "missed": []}
    for doc in docs:
        gold = by_doc.get(doc, [])
        known = {(e.type, f) for e in gold for f in e.forms}
        predicted = pairs.get(doc, set())
        for etype, form in sorted(predicted):
            counts[etype]["pred"] += 1
            if (etype, form) in known:
                counts[etype]["correct"] += 1
            else:
                errors["wrong"].append((doc, etype, form))
        for e in gold:
            counts[e.type]["gold"] += 1
            if any((e.type, f) in predicted for f in e.forms):
                counts[e.type]["found"] += 1
            else:
                errors["missed"].append((doc, e.type, " | ".join(sorted(e.forms))))
    rows = []
    for etype in (*TYPES, "all"):
        c = sum((counts[t] for t in TYPES), Counter()) if etype == "all" else counts[etype]
        p, r, f = prf(c["correct"], c["pred"], c["found"], c["gold"])
        rows.append({"type": etype, "gold": c["gold"], "pred": c["pred"], "P": p, "R": r, "F1": f})
    return pd.DataFrame(rows).set_index("type"), errors


def mention_report(books: list[Book], gold: list[Mention], ours: pd.DataFrame, natasha: pd.DataFrame, top: int) -> None:
    """Mention by mention: normal forms where ours and natasha's differ, with the gold's.

    The gold form of a mention is built from its chain's slots for the parts written
    (:func:`gold_normal`); mentions whose span is not a gold span are left out.
    """
    book_by = {b.doc: b for b in books}
    gold_at = {(m.doc, m.start, m.end): m for m in gold}
    theirs = {(d, a, b): n for d, a, b, n in zip(natasha.doc_id, natasha.start, natasha.end, natasha.normal)}
    rows = []
    for r in ours.itertuples():
        m = gold_at.get((r.doc_id, r.start, r.end))
        expected = gold_normal(book_by[r.doc_id], m) if m is not None else None
        if expected is None:
            continue
        n = theirs.get((r.doc_id, r.start, r.end), "")
        rows.append((r.type, r.surface, fold(r.normal), fold(n), fold(expected)))
    frame = pd.DataFrame(rows, columns=["type", "surface", "ours", "natasha", "gold"])
    frame["ours_ok"], frame["natasha_ok"] = frame.ours == frame.gold, frame.natasha == frame.gold
    print(f"\nmention normal forms (column 'normal') on {len(frame)} gold-aligned mentions:")
    print(frame.groupby("type")[["ours_ok", "natasha_ok"]].mean().to_string(float_format=lambda x: f"{x:.3f}"))
    differ = frame[(frame.ours != frame.natasha) | ~frame.ours_ok]
    differ = differ.groupby(["type", "surface", "ours", "natasha", "gold"]).size().rename("n").reset_index()
    print(f"mentions where ours is wrong or differs from natasha ({len(differ)} distinct), the first {top}:")
    print(differ.sort_values(["type", "surface"]).head(top).to_string(index=False))


def natasha_table(books: list[Book]) -> pd.DataFrame:
    """natasha's mentions with its own ``span.normalize`` (after the syntax parse)."""
    from natasha import NewsEmbedding, NewsSyntaxParser

    parser = NewsSyntaxParser(NewsEmbedding())
    vocab = morph_vocab()
    rows = []
    for book in books:
        doc = natasha_doc(book.text)
        doc.parse_syntax(parser)
        for span in doc.spans:
            span.normalize(vocab)
            rows.append((book.doc, span.text, span.normal, span.type, span.start, span.stop))
    return pd.DataFrame(rows, columns=["doc_id", "surface", "normal", "type", "start", "end"])


def ours_table(books: list[Book], *, corpus: bool = True) -> tuple[pd.DataFrame, float]:
    """Our mentions and normal forms, from a Corpus of the texts (or a plain table)."""
    docs = pd.DataFrame({"doc_id": [b.doc for b in books], "text": [b.text for b in books], "lang": "ru"})
    t0 = time.perf_counter()
    if corpus:
        built = build_corpus(docs, lang=None, drop_copies=False, boilerplate=False, cache=False)
        changed = [d for d, t in zip(built.docs["doc_id"], built.docs["text"]) if t != dict(zip(docs.doc_id, docs.text))[d]]
        if changed:
            print(f"note: the corpus changed the text of {len(changed)} documents; offsets refer to its text")
        pred = discover_entities(built, cache=False)
    else:
        pred = discover_entities(docs, cache=False)
    pred = pred.assign(doc_id=pred["doc_id"].astype(str))
    return pred, time.perf_counter() - t0


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def factru_root(path: Path) -> Path:
    for candidate in (path / "factRuEval-2016", path):
        if (candidate / "devset").is_dir():
            return candidate
    raise SystemExit(f"{path}: no factRuEval-2016/devset under it; pass --eval the shared/eval folder.")


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=lambda x: f"{x:.3f}")


def evaluate(root: Path, split: str, args: argparse.Namespace) -> pd.DataFrame:
    books, bad, total = load_split(root, split)
    print(f"== {split}: {len(books)} texts, {total} spans ({bad} whose text differs from their '# text')")
    gold = [m for b in books for m in gold_mentions(b)]
    entities, formless = [], 0
    for b in books:
        found, n = gold_entities(b, [m for m in gold if m.doc == b.doc])
        entities.extend(found)
        formless += n
    print(f"gold: {len(gold)} mentions, {len(entities)} entities with a normal form ({formless} chains without one left out)")

    ours, seconds = ours_table(books, corpus=not args.no_corpus)
    print(f"discover_entities: {len(ours)} mentions in {seconds:.1f} s")
    natasha = natasha_table(books)
    same = set(zip(ours.doc_id, ours.start, ours.end, ours.type)) == set(zip(natasha.doc_id, natasha.start, natasha.end, natasha.type))
    print(f"natasha's spans and ours are {'the same' if same else 'NOT the same'}")
    texts = {b.doc: b.text for b in books}
    if args.spans:
        print("\nEntity spans (both systems):")
        print(_table(span_scores(ours, gold, texts)))

    docs = [b.doc for b in books]
    column = "normal" if args.mention else "entity"
    theirs, their_errors = entity_scores(predicted_pairs(natasha, "normal"), entities, docs)
    mine, my_errors = entity_scores(predicted_pairs(ours, column), entities, docs)
    both = pd.concat({"natasha": theirs, "ours": mine}, axis=1)
    both[("diff", "F1")] = both[("ours", "F1")] - both[("natasha", "F1")]
    print(f"\nPer-document normalised-entity scores, {split} (ours: column {column!r}):")
    print(_table(both))
    if args.errors:
        natasha_pairs = predicted_pairs(natasha, "normal")
        wrong = my_errors["wrong"]
        print(f"\nour wrong pairs: {len(wrong)} (natasha's: {len(their_errors['wrong'])}); the first {args.errors}:")
        for d, t, f in wrong[: args.errors]:
            print(f"  {d} {t} {f!r}{'' if (t, f) in natasha_pairs.get(d, set()) else '   (not natasha’s)'}")
        lost = sorted(set(my_errors["missed"]) - set(their_errors["missed"]))
        print(f"entities natasha finds and we miss: {len(lost)}")
        for d, t, f in lost[: args.errors]:
            print(f"  {d} {t} {f}")
        mention_report(books, gold, ours, natasha, args.errors)
    return both


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, required=True, help="the shared/eval folder (holding factRuEval-2016/)")
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--mention", action="store_true", help="score the per-mention 'normal' column instead of 'entity'")
    ap.add_argument("--no-corpus", action="store_true", help="run discover_entities on a plain table (no paradigm lemmas)")
    ap.add_argument("--spans", action="store_true", help="also print the span scores (exact, overlap, token)")
    ap.add_argument("--errors", type=int, default=0, help="list this many of our wrong pairs and lost entities")
    args = ap.parse_args(argv)
    pd.set_option("display.width", 200)
    root = factru_root(args.eval)
    splits = {"dev": ["devset"], "test": ["testset"], "both": ["devset", "testset"]}[args.split]
    for split in splits:
        evaluate(root, split, args)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
