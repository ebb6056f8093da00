"""The house: helpers import one way (no cycles, no module importing a higher layer).

The layers are drawn in DEVELOPERS.md ("The house"); a module may import its own layer's
modules and lower ones, never a higher one. Lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

HELPERS = Path(__file__).resolve().parent.parent / "helpers"

LAYERS = [
    # 0. no helpers imports: constants, index arithmetic, files, the analyser, segmentation
    {"constants", "arrays", "progress", "engine", "decode", "dictionaries", "cache", "segment", "morph"},
    # 1. rules on words and spans
    {"names", "matching", "boilerplate", "duplicates", "loader", "lemmas"},
    # 2. the token table
    {"text"},
    # 3. the corpus object and the first version's calls
    {"corpus", "compat"},
    # 4. statistics and concordances on a corpus
    {"stats", "kwic"},
    # 5. counts
    {"frequency"},
    # 6. actors
    {"actors"},
    # 7. what builds on actors
    {"attribution", "framing", "entities"},
    # 8. validation, exploration, figures, notebooks and the runner
    {"validation", "explore", "plots", "outputs", "params", "run"},
]


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "helpers":
            found |= {a.name for a in node.names} if node.module == "helpers" else {node.module.split(".")[1]}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
    return found - {path.stem}


def test_every_module_has_a_layer():
    modules = {p.stem for p in HELPERS.glob("*.py")} - {"__init__"}
    placed = set().union(*LAYERS)
    assert modules == placed, f"not placed: {sorted(modules - placed)}; gone: {sorted(placed - modules)}"


def test_no_module_imports_a_higher_layer():
    layer = {m: i for i, group in enumerate(LAYERS) for m in group}
    upward = []
    for path in sorted(HELPERS.glob("*.py")):
        if path.stem == "__init__":
            continue
        for target in sorted(imports_of(path)):
            if target in layer and layer[target] > layer[path.stem]:
                upward.append(f"{path.stem} (layer {layer[path.stem]}) imports {target} (layer {layer[target]})")
    assert not upward, "\n".join(upward)


def test_no_import_cycles():
    graph = {p.stem: imports_of(p) for p in HELPERS.glob("*.py") if p.stem != "__init__"}

    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(graph.get(start, ()))
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(graph.get(m, ()))
        return seen

    assert [m for m in sorted(graph) if m in reaches(m)] == []
