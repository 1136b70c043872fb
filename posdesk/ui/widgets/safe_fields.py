"""Text fields that never show a pasted escape sequence: the terminal would act on it while the
person is still typing, long before privacy cleans the text for storage."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from posdesk.privacy import strip_control


class SafeInput(Input):
    """An Input whose every insertion, typed or pasted, has control sequences removed."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(strip_control(text), start, end)

    def insert(self, text: str, index: int) -> None:
        super().insert(strip_control(text), index)


class SafeTextArea(TextArea):
    """A TextArea that cleans what is pasted into it (typing cannot produce escape codes)."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # TextArea's own handler would insert the raw text
        if self.read_only:
            return
        if result := self._replace_via_keyboard(strip_control(event.text), *self.selection):
            self.move_cursor(result.end_location)
            self.focus()
