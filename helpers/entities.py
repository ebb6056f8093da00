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
ENTITY_COLUMNS = ["doc_id", "surface", "normal", "type", "start", "end"]

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


def _compute_entities(ids: Sequence[Any], texts: Sequence[str], id_dtype: Any, lemma_of: dict[str, str]) -> pd.DataFrame:
    mentions = []
    known: set[str] = set()
    for doc_id, text in progress(list(zip(ids, texts)), desc="finding entities", unit="docs"):
        if not text or not text.strip():
            continue
        doc = natasha_doc(text)
        known |= _nominative_words(doc)
        for span in doc.spans:
            mentions.append((doc_id, span, span_tokens(span)))
    rows = [(d, s.text, _normalize(s.text, s.type, t, known), s.type, s.start, s.stop) for d, s, t in mentions]
    surfaces = {r[1] for r in rows}
    normals = _agree_by_paradigm(rows, lemma_of, surfaces) if lemma_of else [r[2] for r in rows]
    table = pd.DataFrame([(r[0], r[1], n, r[3], r[4], r[5]) for r, n in zip(rows, normals)], columns=ENTITY_COLUMNS)
    table["doc_id"] = pd.Series([r[0] for r in rows], dtype=id_dtype)
    table["start"] = table["start"].astype("int64")
    table["end"] = table["end"].astype("int64")
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
        Read and write the result in the Parquet cache (default True); see :mod:`helpers.cache`.
    cache_dir : str or Path, optional
        Cache folder.
    sample : int, optional
        Only the first ``sample`` documents (in ``doc_id`` order): NER is the slow step.

    Returns
    -------
    DataFrame
        One row per mention, sorted by ``doc_id`` and ``start``: ``doc_id``, ``surface`` (the
        mention as written), ``normal`` (its nominative base form), ``type`` (``PER``, ``ORG`` or
        ``LOC``), ``start``, ``end``. ``result.attrs["skipped"]`` lists the documents left out
        for their language.
    """
    from helpers.corpus import Corpus

    lemma_of: dict[str, str] = {}
    if isinstance(docs, Corpus):
        lex = docs.lexicon
        lemma_of = dict(zip(lex.loc[lex["lang"] == "ru", "form"], lex.loc[lex["lang"] == "ru", "lemma"]))
        table = docs.docs
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
    if sample is not None:
        rows = rows.sort_values("doc_id", kind="stable").head(sample)
    ids = list(rows["doc_id"])
    texts = ["" if pd.isna(t) else str(t) for t in rows["text"]]
    pairs = sorted(zip((repr(i) for i in ids), texts))
    settings = {"table": "entities", "code": code_fingerprint(*_CODE), "paradigms": bool(lemma_of), **package_versions(*_VERSIONED)}
    key = content_key((part for pair in pairs for part in pair), settings)
    id_dtype = table["doc_id"].dtype
    out = cached_table("entities", key, lambda: _compute_entities(ids, texts, id_dtype, lemma_of), cache=cache, cache_dir=cache_dir)
    out.attrs["skipped"] = skipped.astype({"doc_id": str}).to_dict("records")
    return out


def suggest_actors(*args, **kwargs):
    """Moved to :func:`helpers.actors.suggest_actors` (where actors live); kept for one release."""
    import warnings

    from helpers import actors

    warnings.warn("helpers.entities.suggest_actors moved to helpers.actors.suggest_actors.", DeprecationWarning, stacklevel=2)
    return actors.suggest_actors(*args, **kwargs)
