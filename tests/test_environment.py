"""The conda/Binder environment and the pip pins must name the same packages and versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_pins() -> dict[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = {}
    for dep in deps:
        match = PIN.match(dep.strip())
        assert match, f"pyproject.toml dependency {dep!r} is not pinned with =="
        pins[_normalise(match.group(1))] = match.group(2)
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            entry = str(entry).strip()
            if entry in ("pip", "-e .", "-c constraints.txt") or entry.startswith("python="):
                continue
            match = PIN.match(entry) or re.match(r"^([A-Za-z0-9_.\-]+)=([^=\s]+)$", entry)
            assert match, f"environment.yml entry {entry!r} is not pinned to one version"
            pins[_normalise(match.group(1))] = match.group(2)
    return pins


def pin_differences(pip: dict[str, str], conda: dict[str, str]) -> list[str]:
    """Human-readable differences between two ``{package: version}`` maps."""
    problems = [f"{name} only in pyproject.toml" for name in sorted(set(pip) - set(conda))]
    problems += [f"{name} only in environment.yml" for name in sorted(set(conda) - set(pip))]
    problems += [
        f"{name}: pyproject.toml {pip[name]}, environment.yml {conda[name]}"
        for name in sorted(set(pip) & set(conda))
        if pip[name] != conda[name]
    ]
    return problems


def test_environment_yml_matches_pip_pins():
    assert pin_differences(pip_pins(), conda_pins()) == []


def test_pin_differences_catches_drift():
    pip = {"pandas": "3.1.1", "nltk": "3.10.4"}
    assert pin_differences(pip, {"pandas": "3.1.0", "nltk": "3.10.4"}) == ["pandas: pyproject.toml 3.1.1, environment.yml 3.1.0"]
    assert pin_differences(pip, {"pandas": "3.1.1"}) == ["nltk only in pyproject.toml"]
    assert pin_differences({}, {"scipy": "1"}) == ["scipy only in environment.yml"]


def test_environment_yml_installs_the_kit_and_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "conda-forge" in env["channels"]
    assert "python=3.11" in env["dependencies"]
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert "-e ." in pip_section


def test_constraints_agree_with_direct_pins():
    """constraints.txt pins the transitive rest; it must not contradict a direct pin."""
    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pinned[_normalise(match.group(1))] = match.group(2)
    for name, version in pip_pins().items():
        assert pinned.get(name) == version, f"constraints.txt has {name}=={pinned.get(name)}, pyproject {version}"


def test_binder_installs_under_the_constraints():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert pip[0] == "-c constraints.txt", "environment.yml must install with the same constraints as make setup"
    constraints = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            constraints[_normalise(match.group(1))] = match.group(2)
    for name, version in pip_pins().items():
        assert constraints.get(name) == version, f"constraints.txt pins {name} at {constraints.get(name)}, pyproject.toml at {version}"
