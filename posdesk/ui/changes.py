"""The one way a screen runs a desk change: whatever goes wrong — a refused change, an empty
field, a busy or damaged database, a full or read-only disk — is told in one line in the person's
language, nothing on screen is cleared, and the app keeps running. Masked card numbers are told
the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from textual.dom import DOMNode

from posdesk import privacy
from posdesk.desk import EmptyText, NotAllowed, UnknownId
from posdesk.i18n import ToldError, t, told
from posdesk.models import BadRecord
from posdesk.store.errors import os_reason
from posdesk.ui.messages import RecordsChanged

Result = TypeVar("Result")

# What a change may run into. Anything else is a fault in posdesk itself and is not hidden.
PROBLEMS = (ToldError, UnknownId, OSError, BadRecord)

# The line a read that failed is told with: a call that gives it only reads.
READ_FAILED = "screen.read_failed"


def run_change(node: DOMNode, change: Callable[[], Result], lang: str,
               say: Callable[[str], None] | None = None,
               failed: str = "flow.save_failed", typed: Iterable[str] = ()) -> Result | None:
    """The change's result, or None after telling the person why nothing was saved: through
    `say` (a dialog's message line) when given, else as a notification. `failed` is the i18n
    key of the line that carries the reason when it is not the person's to put right. A card
    number masked in what was saved is told: counted by the desk for an incident's change
    (`Saved.masked`), found in `typed` — the texts the person gave the change — for others.
    A change that went through is told to the app (RecordsChanged); a read is not."""
    try:
        result = change()
    except PROBLEMS as error:
        if isinstance(error, (EmptyText, NotAllowed)):
            message = told(error, lang)  # the person's to put right: said as it is
        else:
            message = t(failed, lang, error=reason(error, lang).rstrip("。."))
        if say is not None:
            say(message)
        else:
            node.notify(message, severity="error")
        return None
    if failed != READ_FAILED:
        node.app.post_message(RecordsChanged())
    if getattr(result, "masked", 0) or any(privacy.clean(text).masked for text in typed):
        node.notify(t("privacy.masked", lang), severity="warning")
    return result


def reason(error: BaseException, lang: str) -> str:
    """Why something could not be done, in `lang`."""
    if isinstance(error, UnknownId):
        return t("refused.unknown_id", lang, id=error.args[0] if error.args else "")
    if isinstance(error, OSError):  # one the store did not word itself
        return os_reason(error).text(lang)
    return told(error, lang)
