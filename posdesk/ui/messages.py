"""Messages that are no one widget's: sent by parts that must not import the screen that acts
on them (the command palette's search), so that no import runs in a circle."""

from __future__ import annotations

from textual.message import Message


class OpenGuidance(Message):
    """Show a topic on its tab, scrolled to one of its steps when `step_id` is given."""

    def __init__(self, topic_id: str, step_id: str | None = None) -> None:
        super().__init__()
        self.topic_id = topic_id
        self.step_id = step_id


class RecordsChanged(Message):
    """A change the person made was saved (posted by `changes.run_change`): the app may want
    to act on it, as chain mode's sync does, without every screen telling it."""
