"""docs/figures.md is the dictionary of amends/figures/definitions.py: one entry for each figure, named as in code."""

import re
from pathlib import Path

from amends.figures import dashboards, definitions

DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "figures.md"
ALL_FIGURES = (*definitions.FIGURES, dashboards.STOPS)


def _entries() -> list[str]:
    return re.findall(r"^### `([A-Z_]+)`", DICTIONARY.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_every_figure_has_one_entry_named_as_in_the_code() -> None:
    entries = _entries()
    assert sorted(entries) == sorted(figure.key.upper() for figure in ALL_FIGURES)
    for name in entries:
        module = definitions if hasattr(definitions, name) else dashboards
        assert getattr(module, name).key == name.lower()


def test_each_figure_is_defined_once() -> None:
    keys = [figure.key for figure in ALL_FIGURES]
    assert len(keys) == len(set(keys))
    assert {figure.key: figure for figure in definitions.FIGURES} == definitions.BY_KEY
