"""Key descriptions follow the language: the Footer and the cheat sheet read them from here."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from posdesk.i18n import STRINGS, t


def description_key(binding: Binding) -> str | None:
    """The i18n key of a binding's description, `key.<action>`; None for Textual's own keys."""
    action = binding.action.split("(")[0].removeprefix("app.")
    name = f"key.{action}"
    return name if name in STRINGS else None


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give each of `node`'s bindings the description for its action in `lang`.

    BINDINGS in the code only name actions; every word people read comes from i18n.
    """
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        bindings[key] = [
            replace(binding, description=t(name, lang))
            if (name := description_key(binding)) else binding
            for binding in group
        ]
