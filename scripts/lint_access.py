"""Lint rule: pages and API handlers reach records only through access helpers and selectors.

In views and API modules it refuses `Model.objects`, `Model._default_manager` and Django's `get_object_or_404` /
`get_list_or_404`, which would fetch a record without asking whether this user may see it.
Run: python scripts/lint_access.py [paths...]; exits 1 and lists each offence as path:line: message.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED_NAMES = ("views.py", "api.py")
CHECKED_FOLDERS = ("views", "api")
BANNED_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
BANNED_CALLS = {"get_object_or_404", "get_list_or_404"}


def modules_to_check(root: Path) -> Iterator[Path]:
    for path in sorted((root / "amends").rglob("*.py")):
        if path.name in CHECKED_NAMES or any(part in CHECKED_FOLDERS for part in path.relative_to(root).parts[:-1]):
            yield path


def offences(source: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRIBUTES:
            yield node.lineno, f"direct query through .{node.attr}: fetch through an access helper or a selector"
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in BANNED_CALLS:
                yield (
                    node.lineno,
                    f"{name} skips the access check: use an access helper (a forbidden record is 404 too)",
                )


def main(arguments: list[str]) -> int:
    paths = [Path(argument) for argument in arguments] or list(modules_to_check(ROOT))
    found = 0
    for path in paths:
        for line, message in offences(path.read_text(encoding="utf-8")):
            shown = path.relative_to(ROOT) if path.is_absolute() and path.is_relative_to(ROOT) else path
            print(f"{shown}:{line}: {message}")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
