"""newsframes helpers: load a news corpus and study how outlets cover a story.

One module per concern:

- :mod:`helpers.corpus`     loading and validating article collections
- :mod:`helpers.text`       tokens, lemmas, sentences, stop words (cached)
- :mod:`helpers.frequency`  term frequency, TF-IDF, trends, KWIC, collocations
- :mod:`helpers.stats`      keyness, Fightin' Words, association measures, intervals
- :mod:`helpers.actors`     actor dictionary, mentions, co-occurrence, networks
- :mod:`helpers.framing`    frame dictionaries, scores, evidence, validation
- :mod:`helpers.plots`      figures (each takes ``ax=`` and returns it)
- :mod:`helpers.outputs`    notebook set-up and saving tables and figures
- :mod:`helpers.run`        ``make run``: execute the notebooks and build the report
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsframes")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__"]
