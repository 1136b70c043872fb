"""What every dialog shares: a frame in the middle of the screen over the one underneath, a
title, a muted hint, and a line for what went wrong."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class Dialog(ModalScreen[Result]):
    """A ModalScreen framed the posdesk way: its parts go in a container of class "dialog"
    ("wide" and "tall" make it larger); the screen underneath and its keys stay quiet."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog .dialog {
        width: 64;
        max-width: 96%;
        height: auto;
        max-height: 96%;
        padding: 0 1;
        border: round $accent;
        background: $surface;
    }
    Dialog .dialog.wide {
        width: 100;
    }
    Dialog .dialog.tall {
        height: 96%;
    }
    Dialog .dialog-title {
        text-style: bold;
        color: $accent;
        margin-bottom: 1;
    }
    Dialog .dialog .hint {
        color: $text-muted;
    }
    Dialog .dialog .lead {
        color: $warning;
    }
    Dialog .message {
        color: $warning;
        text-style: bold;
    }
    Dialog .label {
        margin-top: 1;
    }
    """
