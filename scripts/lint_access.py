"""Lint rule: pages and API handlers reach records only through access helpers and selectors, which audit reads.

In every module that handles a request it refuses `Model.objects`, `Model._default_manager` and Django's
`get_object_or_404` / `get_list_or_404`, which would fetch a record without asking whether this user may see it; and a
hand-written view event (a read action of the audit, or a call of the view-recording helpers), because the access
helper that returns a record for display records its view, in one place.

A module handles requests when its name says so (`views.py`, `api.py`, `*_views.py`, or a `views`/`api` package), or
when it defines a decorated function whose first parameter is `request` (a view or an API operation, whatever the
file is called). tests/test_lint_access.py checks that every view the URLs and the API route to is in that net.
Run: python scripts/lint_access.py [paths...]; exits 1 and lists each offence as path:line: message.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED_NAMES = ("views.py", "api.py")
CHECKED_SUFFIX = "_views.py"
CHECKED_FOLDERS = ("views", "api")
BANNED_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
BANNED_CALLS = {"get_object_or_404", "get_list_or_404"}
# The audit's read actions (amends.audit.models.READS that record a view) and the helpers that record them: only
# access helpers and selectors write these.
READ_ACTIONS = {"RECORD_VIEWED", "AUDIT_VIEWED", "PARTICIPANT_VIEWED", "LIST_VIEWED"}
READ_ACTION_VALUES = {name.lower() for name in READ_ACTIONS}
VIEW_RECORDERS = {"record_view", "record_list_view"}


def _handles_requests(tree: ast.Module) -> bool:
    """Whether the module defines a view or an API operation: a decorated function taking `request` first."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list:
            parameters = node.args.posonlyargs + node.args.args
            if parameters and parameters[0].arg == "request":
                return True
    return False


def is_request_module(path: Path, source: str | None = None) -> bool:
    if path.suffix != ".py":
        return False
    if path.name in CHECKED_NAMES or path.name.endswith(CHECKED_SUFFIX):
        return True
    inside = path.relative_to(ROOT) if path.is_absolute() and path.is_relative_to(ROOT) else path
    if any(part in CHECKED_FOLDERS for part in inside.parent.parts):
        return True
    text = path.read_text(encoding="utf-8") if source is None else source
    return _handles_requests(ast.parse(text))


def modules_to_check(root: Path) -> Iterator[Path]:
    for path in sorted((root / "amends").rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        if is_request_module(path):
            yield path


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    return getattr(node.func, "attr", "")


def offences(source: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRIBUTES:
            yield node.lineno, f"direct query through .{node.attr}: fetch through an access helper or a selector"
        elif isinstance(node, ast.Attribute) and node.attr in READ_ACTIONS:
            yield (
                node.lineno,
                f"hand-written view event ({node.attr}): fetch through the access helper that records the view",
            )
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in BANNED_CALLS:
                yield (
                    node.lineno,
                    f"{name} skips the access check: use an access helper (a forbidden record is 404 too)",
                )
            elif name in VIEW_RECORDERS:
                yield node.lineno, f"{name} in a view: the access helper that returns the record records its view"
            elif name == "record_event" and any(
                isinstance(argument, ast.Constant) and argument.value in READ_ACTION_VALUES
                for keyword in node.keywords
                for argument in ast.walk(keyword.value)
            ):
                yield node.lineno, "hand-written view event: fetch through the access helper that records the view"


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
