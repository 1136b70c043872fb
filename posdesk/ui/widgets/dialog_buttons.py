"""The row of buttons at the foot of a dialog, each showing the key that does the same."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Button

from posdesk.i18n import t


class ButtonRow(Horizontal):
    """Buttons side by side, each as wide as its label."""

    DEFAULT_CSS = """
    ButtonRow {
        height: auto;
        margin-top: 1;
    }
    ButtonRow Button {
        width: auto;
        min-width: 0;
        margin-right: 1;
        padding: 0 1;
    }
    """


def dialog_buttons(lang: str, *buttons: tuple[str, str, str]) -> ButtonRow:
    """A row of (id, i18n key, key shown) buttons; the first is the primary one. A button
    runs the dialog's action its key names, as the key bar does (posdesk.ui.keys): "key.save"
    runs the dialog's action_save."""
    return ButtonRow(
        *(Button(f"{t(name, lang)} {key}", id=button_id, compact=True,
                 action=f"screen.{name.removeprefix('key.')}",
                 variant="primary" if n == 0 else "default")
          for n, (button_id, name, key) in enumerate(buttons))
    )


def save_and_cancel(lang: str, prefix: str) -> ButtonRow:
    return dialog_buttons(lang, (f"{prefix}-save", "key.save", "^s"),
                          (f"{prefix}-cancel", "key.cancel", "esc"))


def cancel_only(lang: str, prefix: str) -> ButtonRow:
    return dialog_buttons(lang, (f"{prefix}-cancel", "key.cancel", "esc"))


def close_only(lang: str, prefix: str) -> ButtonRow:
    return dialog_buttons(lang, (f"{prefix}-close", "key.close", "esc"))
