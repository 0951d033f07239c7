"""Driving a page with the keyboard alone: Tab to a control, type, Space and arrow keys to choose, Enter to go."""

import json
from typing import Any

MOST_TABS = 150


def tab_until(page: Any, condition: str, what: str) -> None:
    """Press Tab until the focused element `e` meets `condition` (JavaScript)."""
    for _press in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached {what}")


def tab_to_field(page: Any, name: str) -> None:
    tab_until(page, f"e.name === {json.dumps(name)}", f"the field {name}")


def tab_to_link(page: Any, text: str) -> None:
    tab_until(page, f"e.tagName === 'A' && e.textContent.includes({json.dumps(text)})", f"the link {text!r}")


def tab_to_submit(page: Any) -> None:
    tab_until(page, "e.tagName === 'BUTTON' && e.type === 'submit' && !!e.closest('main')", "the form's button")


def type_into(page: Any, name: str, text: str) -> None:
    tab_to_field(page, name)
    page.keyboard.type(text)


def choose(page: Any, name: str, value: str) -> None:
    """Tab into a group of radios and move through it with the arrow keys to `value`."""
    tab_to_field(page, name)
    for _press in range(40):
        if page.evaluate("document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name} has no choice {value}")
