"""The row of buttons at the foot of a dialog, each showing the key that does the same."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Button

from posdesk.i18n import t


def dialog_buttons(lang: str, *buttons: tuple[str, str, str]) -> Horizontal:
    """A row of (id, i18n key, key shown) buttons; the first is the primary one."""
    return Horizontal(
        *(Button(f"{t(name, lang)} {key}", id=button_id, compact=True,
                 variant="primary" if n == 0 else "default")
          for n, (button_id, name, key) in enumerate(buttons)),
        classes="buttons",
    )


def save_and_cancel(lang: str, prefix: str) -> Horizontal:
    return dialog_buttons(lang, (f"{prefix}-save", "key.save", "^s"),
                          (f"{prefix}-cancel", "key.cancel", "esc"))
