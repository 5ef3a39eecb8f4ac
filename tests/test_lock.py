"""The lock files pin every dependency pyproject.toml names, at a version it allows."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return {canonicalize_name(name): version for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)}


@pytest.mark.parametrize("lock, requirements", [
    ("requirements.lock", PROJECT["dependencies"]),
    ("requirements-test.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
])
def test_every_dependency_is_pinned_within_its_bounds(lock, requirements):
    pins = _pins(lock)
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"{lock} pins {requirement.name}=={pins[name]}, outside {requirement.specifier}: run `make lock`"


def test_every_dependency_has_an_upper_bound():
    for line in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]:
        specifier = Requirement(line).specifier
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in specifier), f"{line} has no upper bound"
