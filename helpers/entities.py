"""Named entities: find persons, organisations and places with natasha, in their base form.

:func:`discover_entities` runs natasha's NER (Segmenter, NewsEmbedding, NewsNERTagger,
NewsMorphTagger; the models ship inside the natasha package, so nothing is downloaded) over the
documents of a corpus whose language is Russian — natasha's models are Russian only, so the
Ukrainian and English documents of a :class:`helpers.corpus.Corpus` are not sent to them, and
``result.attrs["skipped"]`` says which were left out. Each mention gets its nominative base form
by the rules of :mod:`helpers.names` (which replace natasha's ``span.normalize``: it inflects every
word of a name on its own and so fails on foreign surnames, plurals and multi-word names).

Base forms agree across the corpus: mentions whose words have the same lemmas in the corpus
(:mod:`helpers.lemmas` chose them per paradigm, so «Шольц», «Шольца» and «Шольцем» share one)
share one base form — the one most of them were given, preferring a form the corpus attests as
written.

Each mention also gets the **entity** it names in its document (:func:`entity_forms`), so
that counting entities per document counts each once under one name:

- a person named in part takes the fullest name of the same person in the document
  (:func:`resolve_names`: «Лужкова» → «Юрий Лужков» after «Юрия Лужкова»; an ambiguous
  «Клинтон» beside «Билл Клинтон» and «Хиллари Клинтон» stays as it is);
- an organisation followed by the place it belongs to, in the genitive, takes that place as
  written (natasha tags «МИД России» as ORG «МИД» + LOC «России»: the entity is «МИД России»,
  and «России» remains a LOC mention of its own);
- an alias or transliteration in brackets is dropped (:func:`strip_alias`).

On factRuEval-2016 (``benchmarks/eval_ner.py``, which documents the matching rule), the
per-document normalised-entity F1 on the same natasha mentions is 0.844 against 0.777 for
natasha's own ``normalize`` on the devset the rules were tuned on, and 0.817 against 0.756 on
the held-out testset (PER 0.842 / 0.720, ORG 0.756 / 0.709, LOC 0.869 / 0.856).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from helpers.cache import cached_table, code_fingerprint, content_key, package_versions
from helpers.names import ENTITY_TYPES, MorphToken, _normalize, normalize_entity, span_tokens  # noqa: F401  (re-exported)
from helpers.progress import progress

if TYPE_CHECKING:  # pragma: no cover
    from natasha import Doc

#: Columns of :func:`discover_entities`.
ENTITY_COLUMNS = ["doc_id", "surface", "normal", "entity", "type", "start", "end"]

#: Libraries whose versions enter the cache key of :func:`discover_entities`.
_VERSIONED = ("natasha", "slovnet", "navec", "razdel", "pymorphy3", "pymorphy3-dicts-ru")
_CODE = [Path(__file__), Path(__file__).parent / "names.py", Path(__file__).parent / "lemmas.py", Path(__file__).parent / "segment.py"]
_CYRILLIC = re.compile(r"[а-яё]", re.I)

_MODELS: dict[str, Any] = {}


def _models() -> dict[str, Any]:
    """Load natasha's segmenter and taggers once per process (about a second)."""
    if not _MODELS:
        try:
            from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
        except ImportError as exc:  # pragma: no cover - natasha is a pinned dependency
            raise ImportError("helpers.entities needs natasha; run `make setup` (or `pip install -e .`) first.") from exc
        embedding = NewsEmbedding()
        _MODELS.update(segmenter=Segmenter(), morph_tagger=NewsMorphTagger(embedding), ner_tagger=NewsNERTagger(embedding))
    return _MODELS


def morph_vocab() -> Any:
    """natasha's ``MorphVocab``, loaded once: only to compare with natasha's own ``span.normalize``."""
    if "morph_vocab" not in _MODELS:
        from natasha import MorphVocab

        _models()
        _MODELS["morph_vocab"] = MorphVocab()
    return _MODELS["morph_vocab"]


def natasha_doc(text: str) -> Doc:
    """A natasha ``Doc`` of ``text``, segmented, morph-tagged and NER-tagged.

    ``doc.spans`` are the entity mentions (offsets into ``text``), ``doc.tokens`` carry ``pos``
    and ``feats`` (Universal Dependencies tags).
    """
    from natasha import Doc

    models = _models()
    doc = Doc(text)
    doc.segment(models["segmenter"])
    doc.tag_morph(models["morph_tagger"])
    doc.tag_ner(models["ner_tagger"])
    return doc


def tag_phrase(phrase: str) -> list[MorphToken]:
    """Morph-tag a phrase on its own with natasha (no sentence context)."""
    from natasha import Doc

    models = _models()
    doc = Doc(phrase)
    doc.segment(models["segmenter"])
    doc.tag_morph(models["morph_tagger"])
    return [MorphToken(t.text, t.start, t.stop, t.pos or "X", dict(t.feats or {})) for t in doc.tokens]


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def _nominative_words(doc: Any) -> set[str]:
    """Proper names the tagger read as nominative in a document (ё-folded, lower case)."""
    return {_fold(t.text) for t in doc.tokens if t.pos == "PROPN" and (t.feats or {}).get("Case") == "Nom" and _CYRILLIC.search(t.text)}


def _paradigm_key(surface: str, lemma_of: dict[str, str]) -> tuple[str, ...] | None:
    """The lemma sequence of a mention from the corpus' lemmas of its words (None if a word is unknown)."""
    words = re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", surface)
    key = []
    for w in words:
        lemma = lemma_of.get(w)
        if lemma is None:
            return None
        key.append(lemma)
    return tuple(key) if key else None


def _agree_by_paradigm(rows: list[tuple], lemma_of: dict[str, str], surfaces: set[str]) -> list[str]:
    """One base form per (type, paradigm key): the most frequent one, attested forms first."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, surface, normal, etype, _, _) in enumerate(rows):
        key = _paradigm_key(surface, lemma_of)
        if key is not None:
            groups[(etype, key)].append(i)
    normals = [r[2] for r in rows]
    for members in groups.values():
        if len(members) < 2:
            continue
        counts = Counter(rows[i][2] for i in members)
        best = max(counts.items(), key=lambda kv: (kv[0] in surfaces, kv[1], -len(kv[0]), kv[0]))[0]
        for i in members:
            normals[i] = best
    return normals


_PARENTHESIS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]?\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?|\d+")


def strip_alias(normal: str) -> str:
    """A name without the alias or transliteration in brackets after it.

    ``Комитет защиты журналистов (КЗЖ)`` → ``Комитет защиты журналистов``, ``Джошуа Вольф
    (Joshua Wolf)`` → ``Джошуа Вольф``; a name that is all brackets stays as it is.
    """
    stripped = _PARENTHESIS.sub("", normal).strip()
    return stripped if _WORD.search(stripped) else normal.strip()


def _words(name: str) -> list[str]:
    return [_fold(w) for w in _WORD.findall(name)]


def _is_initial(word: str) -> bool:
    return word.endswith(".") and len(word) <= 3


def _covers(short: list[str], long: list[str]) -> bool:
    """Whether every word of ``short`` matches its own word of ``long`` (an initial ``в.`` matches ``владимир``)."""
    free = list(long)
    for w in short:
        match = next((i for i, v in enumerate(free) if v == w), None)
        if match is None and _is_initial(w):
            match = next((i for i, v in enumerate(free) if not _is_initial(v) and v.startswith(w[:-1])), None)
        if match is None:
            return False
        free.pop(match)
    return True


def _fullness(words: list[str]) -> tuple[int, int]:
    return sum(not _is_initial(w) for w in words), len(words)


def resolve_names(names: Sequence[str]) -> list[str]:
    """The fullest name of the same person for each name of one document.

    A person is often named in full once and by surname (or first name, or initials and surname)
    after: «Юрий Лужков … Лужков … Ю. Лужков». Each name whose words all occur in a fuller name
    of the same document (an initial matching a word that starts with it) is replaced by that
    fuller name, when it is the only one: with «Билл Клинтон» and «Хиллари Клинтон» in one
    document, «Клинтон» stays as it is. Names are compared in lower case, ``ё`` read as ``е``.

    Parameters
    ----------
    names : sequence of str
        Normal forms of the person mentions of one document, in text order.

    Returns
    -------
    list of str
        One name per input: the fullest name it stands for, or itself. Among spellings of the
        fullest name, the most frequent wins, then the first in text order.

    Examples
    --------
    >>> resolve_names(["Юрий Лужков", "Лужков", "Ю. Лужков", "Громов"])
    ['Юрий Лужков', 'Юрий Лужков', 'Юрий Лужков', 'Громов']
    >>> resolve_names(["Билл Клинтон", "Хиллари Клинтон", "Клинтон"])
    ['Билл Клинтон', 'Хиллари Клинтон', 'Клинтон']
    """
    words = [_words(n) for n in names]
    # one spelling per set of words: the most frequent, then the first in text order
    spellings: dict[frozenset, Counter] = defaultdict(Counter)
    first: dict[str, int] = {}
    for i, (name, w) in enumerate(zip(names, words)):
        spellings[frozenset(w)][name] += 1
        first.setdefault(name, i)
    spelling = {key: max(c.items(), key=lambda kv: (kv[1], -first[kv[0]]))[0] for key, c in spellings.items()}
    distinct = {key: sorted(key) for key in spellings}
    out = []
    for name, w in zip(names, words):
        if not w:
            out.append(name)
            continue
        mine = _fullness(w)
        fuller = [key for key, kw in distinct.items() if _fullness(kw) > mine and _covers(w, kw)]
        tops = [key for key in fuller if not any(other != key and _fullness(distinct[other]) > _fullness(distinct[key]) and _covers(distinct[key], distinct[other]) for other in fuller)]
        if not fuller:
            tops = [frozenset(w)]  # the fullest name itself, in its usual spelling
        out.append(spelling[tops[0]] if len(tops) == 1 else name)
    return out


def _genitive_dependent(text: str, span: Any, following: Any | None) -> str:
    """The place named right after an organisation in the genitive («МИД» «России»), as written."""
    if following is None or span.type != "ORG" or following.type != "LOC":
        return ""
    gap = text[span.stop : following.start]
    if not gap or gap.strip() or "\n" in gap:
        return ""
    cases = [(t.feats or {}).get("Case") for t in following.tokens if _CYRILLIC.search(t.text)]
    return following.text if cases and all(c == "Gen" for c in cases) else ""


def entity_forms(mentions: pd.DataFrame) -> pd.Series:
    """The entity each mention stands for in its document: its fullest name there.

    Parameters
    ----------
    mentions : DataFrame
        ``doc_id``, ``type``, ``start``, ``normal`` (the mention's base form) and optionally
        ``dependent`` (a place in the genitive written right after an organisation).

    Returns
    -------
    Series
        Indexed like ``mentions``: the base form without an alias in brackets
        (:func:`strip_alias`); an organisation followed by the place it belongs to takes it
        (``МИД`` + «России» → ``МИД России``, ``Верховный суд`` + «Бангладеша»); a person's
        name becomes the fullest name of the same person in the document
        (:func:`resolve_names`).
    """
    base = [strip_alias(str(n)) if isinstance(n, str) else n for n in mentions["normal"]]
    if "dependent" in mentions.columns:
        base = [f"{b} {d}" if isinstance(b, str) and d else b for b, d in zip(base, mentions["dependent"])]
    out = pd.Series(base, index=mentions.index, dtype="object")
    person = (mentions["type"] == "PER").to_numpy() & out.notna().to_numpy()
    if person.any():
        people = mentions.loc[person, ["doc_id", "start"]].assign(_name=out[person])
        people = people.sort_values(["doc_id", "start"], kind="stable")
        for _, group in people.groupby("doc_id", sort=False, observed=True):
            out.loc[group.index] = resolve_names(list(group["_name"]))
    return out


def _compute_entities(ids: Sequence[Any], texts: Sequence[str], id_dtype: Any, lemma_of: dict[str, str]) -> pd.DataFrame:
    mentions = []
    known: set[str] = set()
    for doc_id, text in progress(list(zip(ids, texts)), desc="finding entities", unit="docs"):
        if not text or not text.strip():
            continue
        doc = natasha_doc(text)
        known |= _nominative_words(doc)
        spans = sorted(doc.spans, key=lambda s: (s.start, s.stop))
        for k, span in enumerate(spans):
            following = spans[k + 1] if k + 1 < len(spans) else None
            mentions.append((doc_id, span, span_tokens(span), _genitive_dependent(text, span, following)))
    rows = [(d, s.text, _normalize(s.text, s.type, t, known), s.type, s.start, s.stop) for d, s, t, _ in mentions]
    surfaces = {r[1] for r in rows}
    normals = _agree_by_paradigm(rows, lemma_of, surfaces) if lemma_of else [r[2] for r in rows]
    table = pd.DataFrame(
        {
            "doc_id": pd.Series([r[0] for r in rows], dtype=id_dtype),
            "surface": pd.Series([r[1] for r in rows], dtype="str"),
            "normal": pd.Series(normals, dtype="str"),
            "type": pd.Series([r[3] for r in rows], dtype="str"),
            "start": pd.Series([r[4] for r in rows], dtype="int64"),
            "end": pd.Series([r[5] for r in rows], dtype="int64"),
            "dependent": pd.Series([m[3] for m in mentions], dtype="object"),
        }
    )
    table["entity"] = entity_forms(table).astype("str")
    table = table[ENTITY_COLUMNS]
    return table.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)


def discover_entities(docs: Any, *, cache: bool = True, cache_dir: str | Path | None = None, sample: int | None = None) -> pd.DataFrame:
    """Find the persons, organisations and places mentioned in each document.

    Parameters
    ----------
    docs : Corpus or DataFrame
        A :class:`helpers.corpus.Corpus` (its languages are decided: only Russian documents are
        processed, and its lemmas make base forms agree), or a table with ``doc_id``, ``text``
        and optionally ``lang`` (rows whose ``lang`` is not ``ru`` are skipped).
    cache : bool
        Read and write the result in the cache (default True); see :mod:`helpers.cache`.
    cache_dir : str or Path, optional
        Cache folder.
    sample : int, optional
        Only the first ``sample`` documents (in ``doc_id`` order): NER is the slow step.

    Returns
    -------
    DataFrame
        One row per mention, sorted by ``doc_id`` and ``start``: ``doc_id``, ``surface`` (the
        mention as written), ``normal`` (its nominative base form), ``entity`` (the entity it
        names in its document: the fullest name of a person, an organisation with the place it
        belongs to; see :func:`entity_forms`), ``type`` (``PER``, ``ORG`` or ``LOC``),
        ``start``, ``end``. ``result.attrs["skipped"]`` lists the documents left out for their
        language: ``doc_id``, ``reason`` (``"language"``) and ``lang``.
    """
    from helpers.corpus import Corpus

    lemma_of: dict[str, str] = {}
    left_out = pd.DataFrame(columns=["doc_id", "reason", "lang"])
    if isinstance(docs, Corpus):
        lex = docs.lexicon
        lemma_of = dict(zip(lex.loc[lex["lang"] == "ru", "form"], lex.loc[lex["lang"] == "ru", "lemma"]))
        table = docs.docs
        # documents build_corpus already set aside for their language are not in docs.docs
        gone = docs.left_out[docs.left_out["reason"] == "language"]
        left_out = pd.DataFrame({"doc_id": gone["doc_id"].astype(str), "reason": "language", "lang": gone["detail"].astype(str)})
    else:
        if not isinstance(docs, pd.DataFrame):
            raise TypeError(f"docs must be a Corpus or a DataFrame with doc_id and text columns, got {type(docs).__name__}.")
        missing = [c for c in ("doc_id", "text") if c not in docs.columns]
        if missing:
            raise ValueError(f"docs lacks column(s) {missing}; pass a Corpus, or a table with doc_id and text (and optionally lang).")
        table = docs
    if "lang" in table.columns:
        lang = table["lang"].astype("object").where(table["lang"].notna(), "ru").astype(str).str.lower()
        russian = (lang == "ru").to_numpy()
    else:
        russian = np.ones(len(table), dtype=bool)
    rows = table[russian]
    skipped = table.loc[~russian, ["doc_id"]].assign(reason="language", lang=lang[~russian].to_numpy() if "lang" in table.columns else "")
    skipped = pd.concat([left_out, skipped.astype({"doc_id": str})], ignore_index=True) if len(left_out) else skipped
    if sample is not None:
        rows = rows.sort_values("doc_id", kind="stable").head(sample)
    ids = list(rows["doc_id"])
    texts = ["" if pd.isna(t) else str(t) for t in rows["text"]]
    pairs = sorted(zip((repr(i) for i in ids), texts))
    lemmas = content_key((f"{f}\x00{lemma}" for f, lemma in sorted(lemma_of.items())), {}) if lemma_of else ""
    settings = {"table": "entities", "code": code_fingerprint(*_CODE), "paradigms": lemmas, **package_versions(*_VERSIONED)}
    key = content_key((part for pair in pairs for part in pair), settings)
    id_dtype = table["doc_id"].dtype
    out = cached_table("entities", key, lambda: _compute_entities(ids, texts, id_dtype, lemma_of), cache=cache, cache_dir=cache_dir)
    skipped = skipped.astype({"doc_id": str}).sort_values("doc_id", kind="stable")
    out.attrs["skipped"] = skipped[["doc_id", "reason", "lang"]].to_dict("records")
    return out


def suggest_actors(*args, **kwargs):
    """Moved to :func:`helpers.actors.suggest_actors` (where actors live); kept for one release."""
    import warnings

    from helpers import actors

    warnings.warn("helpers.entities.suggest_actors moved to helpers.actors.suggest_actors.", DeprecationWarning, stacklevel=2)
    return actors.suggest_actors(*args, **kwargs)
