"""A box to tick whose state is in its characters, not only in its colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A Checkbox drawn "[x]" when ticked and "[ ]" when not: Textual's own draws "▐X▌" both
    ways and tells them apart by colour alone, which a monochrome terminal or a glance loses."""

    @property
    def _button(self) -> Content:
        if self.value:  # a space after it, so the box never runs into its words
            return Content.styled("[x]", "bold") + Content(" ")
        return Content("[ ] ")
