"""What the keys for the shop's notes and flags do, on the guidance tabs and in the flow:
each opens its dialog, and `done` runs once something was saved, so the screen shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from posdesk.i18n import t
from posdesk.models import GuidanceNote, StepFlag, Topic
from posdesk.ui.changes import READ_FAILED, run_change
from posdesk.wording import flag_reason_text, short_time

if TYPE_CHECKING:
    from textual.screen import Screen

    from posdesk.desk import Desk

Done = Callable[[], None]


def add_note(screen: Screen, desk: Desk, topic: Topic, done: Done, on: str | None = None) -> None:
    """A note of the shop's on the topic or one of its steps (on `on` when given)."""
    from posdesk.ui.dialogs.guidance_note import NoteForm

    screen.app.push_screen(NoteForm(desk, topic, on=on), lambda note: note and done())


def flag_step(screen: Screen, desk: Desk, topic: Topic, done: Done, step_id: str | None = None,
              incident_id: str | None = None) -> None:
    from posdesk.ui.dialogs.flag_step import FlagForm

    screen.app.push_screen(FlagForm(desk, topic, step_id=step_id, incident_id=incident_id),
                           lambda flag: flag and done())


def _item_ids(topic: Topic) -> set[str]:
    return {topic.id, *(step.id for step in topic.steps)}


def _shop_notes(desk: Desk, topic: Topic) -> list[GuidanceNote]:
    """The shop's notes on the topic and its steps, removed ones too (the chain's are the head
    office's to change)."""
    ids = _item_ids(topic)
    return [note for note in desk.guidance_notes(removed=True)
            if note.origin == "shop" and note.on in ids]


def manage_notes(screen: Screen, desk: Desk, topic: Topic, done: Done) -> None:
    """The shop's notes on the topic: one chosen is changed or removed, or, removed, restored."""
    from posdesk.ui.dialogs.guidance_note import NoteForm, place_label
    from posdesk.ui.dialogs.pick import Pick

    lang = screen.app.lang
    notes = run_change(screen, lambda: _shop_notes(desk, topic), lang, failed=READ_FAILED)
    if notes is None:
        return
    if not notes:
        screen.notify(t("notes.none", lang))
        return
    by_id = {note.id: note for note in notes}

    def label(note: GuidanceNote) -> Text:
        text = Text(f"{place_label(topic, note.on, lang)} · {note.who} · {short_time(note.at)}"
                    + (t("notes.removed_mark", lang) if note.removed else "") + "\n",
                    style="dim" if note.removed else "bold")
        text.append(note.text)
        return text

    def chosen(note_id: str | None) -> None:
        note = by_id.get(note_id) if note_id else None
        if note is None:
            return
        if note.removed:
            _restore(screen, desk, note, done)
        else:
            screen.app.push_screen(NoteForm(desk, topic, note=note),
                                   lambda changed: changed and done())

    screen.app.push_screen(Pick(t("notes.title", lang), t("notes.hint", lang),
                                [(note.id, label(note)) for note in notes]), chosen)


def restore_note(screen: Screen, desk: Desk, topic: Topic, done: Done) -> None:
    """Undo: the note of the shop's on this topic removed last comes back."""
    lang = screen.app.lang
    notes = run_change(screen, lambda: _shop_notes(desk, topic), lang, failed=READ_FAILED)
    if notes is None:
        return
    removed = [note for note in notes if note.removed]
    if not removed:
        screen.notify(t("note.none_removed", lang))
        return
    _restore(screen, desk, max(removed, key=lambda note: note.removed_at or ""), done)


def _restore(screen: Screen, desk: Desk, note: GuidanceNote, done: Done) -> None:
    if run_change(screen, lambda: desk.restore_guidance_note(note.id), screen.app.lang):
        screen.notify(t("note.restored", screen.app.lang))
        done()


def withdraw_flag(screen: Screen, desk: Desk, topic: Topic, done: Done) -> None:
    """One of the flags on the topic's steps, chosen, is withdrawn."""
    from posdesk.ui.dialogs.guidance_note import place_label
    from posdesk.ui.dialogs.pick import Pick

    lang = screen.app.lang
    ids = _item_ids(topic)
    flags = run_change(screen, lambda: [flag for flag in desk.step_flags()
                                        if flag.step_id in ids], lang, failed=READ_FAILED)
    if flags is None:
        return
    if not flags:
        screen.notify(t("flags.none", lang))
        return

    def label(flag: StepFlag) -> Text:
        text = Text(f"{place_label(topic, flag.step_id, lang)} · "
                    f"{flag_reason_text(flag.reason, lang)} · {flag.who or '—'} · "
                    f"{short_time(flag.at)}", style="bold")
        if flag.why:
            text.append("\n")
            text.append(flag.why)
        return text

    def chosen(flag_id: str | None) -> None:
        if flag_id and run_change(screen, lambda: desk.withdraw_flag(flag_id), lang):
            screen.notify(t("flags.withdrawn", lang))
            done()

    screen.app.push_screen(Pick(t("flags.title", lang), t("flags.hint", lang),
                                [(flag.id, label(flag)) for flag in flags]), chosen)
