"""Key descriptions follow the language: the key bar and the cheat sheet read them from here."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from posdesk.i18n import STRINGS, t


def description_key(binding: Binding) -> str | None:
    """The i18n key of a binding's description; None for Textual's own keys.

    `mark('fixed')` is looked up as `key.mark_fixed`, then as `key.mark`.
    """
    action = binding.action.removeprefix("app.")
    name, _, argument = action.partition("(")
    argument = argument.rstrip(")").strip("'\"")
    for candidate in (f"key.{name}_{argument}", f"key.{name}"):
        if candidate in STRINGS:
            return candidate
    return None


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
