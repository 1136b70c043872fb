"""Key descriptions follow the language: the key bar and the cheat sheet word each key as they
draw it, from the catalogue, in the app's language at that moment."""

from __future__ import annotations

from textual.binding import Binding

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


def key_description(binding: Binding, lang: str) -> str | None:
    """What the key does, in `lang`; None for Textual's own keys, which posdesk does not word.

    BINDINGS in the code only name actions; every word people read comes from i18n.
    """
    name = description_key(binding)
    return t(name, lang) if name else None
