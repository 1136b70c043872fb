"""Running a desk change from a screen: failures and masked card numbers are told the same way
everywhere, and what was typed stays on screen when a save fails."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from posdesk.desk import EmptyText, NotAllowed, Saved
from posdesk.i18n import t, told
from posdesk.store import StoreError


def run_change(node: DOMNode, change: Callable[[], Saved], lang: str) -> Saved | None:
    """The saved incident, or None after telling the person why nothing was saved."""
    try:
        saved = change()
    except (NotAllowed, EmptyText, StoreError) as error:
        node.notify(t("flow.save_failed", lang, error=told(error, lang)), severity="error")
        return None
    if saved.masked:
        node.notify(t("privacy.masked", lang), severity="warning", timeout=8)
    return saved
