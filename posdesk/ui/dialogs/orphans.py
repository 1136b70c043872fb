"""The shop's notes and flags left on guidance that a newer knowledge base no longer has: all
kept, each listed with what it said, where it was, who and when; a note can be attached to
another topic or step, or left as it is."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import GuidanceNote, SearchHit, StepFlag
from posdesk.ui.changes import READ_FAILED, run_change
from posdesk.ui.dialogs.dialog import ChoiceDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import close_only, dialog_buttons
from posdesk.ui.widgets.safe_fields import SafeInput
from posdesk.wording import flag_reason_text, short_time


def note_entry(note: GuidanceNote, lang: str) -> Text:
    text = Text(t("orphans.note", lang, id=note.id, on=note.on, who=note.who or "—",
                  at=short_time(note.at)), style="bold")
    text.append(f"\n{note.text}")  # as typed, plain text
    return text


def flag_entry(flag: StepFlag, lang: str) -> Text:
    text = Text(t("orphans.flag", lang, id=flag.id, on=flag.step_id,
                  reason=flag_reason_text(flag.reason, lang), who=flag.who or "—",
                  at=short_time(flag.at)), style="bold")
    if flag.why:
        text.append(f"\n{flag.why}")
    return text


class Orphans(ChoiceDialog[bool]):
    """Dismisses with True when a note was attached elsewhere (the guidance shown changed)."""

    CANCELLED = False

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.moved = False
        self.notes, self.flags = desk.orphaned_notes(), desk.orphaned_flags()

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog wide tall"):
            yield Static(Text(t("orphans.title", lang)), classes="dialog-title")
            yield Static(Text(t("orphans.hint", lang)), classes="hint")
            yield OptionList(id="orphans-list")
            yield Static(Text(""), id="orphans-message", classes="message")
            yield dialog_buttons(lang, ("orphans-move", "key.move_note", "enter"),
                                 ("orphans-close", "key.close", "esc"))
        yield KeyBar()

    def on_mount(self) -> None:
        self._list()

    def _list(self) -> None:
        lang = self.app.lang
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(note_entry(note, lang), id=note.id) for note in self.notes])
        options.add_options([Option(flag_entry(flag, lang), id=flag.id, disabled=True)
                             for flag in self.flags])
        if not (self.notes or self.flags):
            self.query_one("#orphans-message", Static).update(Text(t("orphans.none", lang)))
        self.query_one("#orphans-move").display = bool(self.notes)
        if self.notes:
            options.highlighted = 0
        options.focus()

    def action_cancel(self) -> None:
        self.dismiss(self.moved)

    def action_close(self) -> None:
        self.dismiss(self.moved)

    def action_move_note(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            options.action_select()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        note_id = event.option.id
        if not any(note.id == note_id for note in self.notes):
            return  # a flag stays where it is: it is counted, and said, as it was

        def placed(on: str | None) -> None:
            if on is None:
                return
            lang = self.app.lang
            moved = run_change(self, lambda: self.desk.move_guidance_note(note_id, on), lang,
                               say=self._say)
            if moved is None:
                return
            found = self.desk.kb.step(on) or self.desk.kb.topic(on)
            self.notify(t("orphans.moved", lang, id=note_id,
                          title=found.title(lang) if found else on))
            self.moved = True
            listed = run_change(self, lambda: (self.desk.orphaned_notes(),
                                               self.desk.orphaned_flags()),
                                lang, failed=READ_FAILED)
            if listed is not None:
                self.notes, self.flags = listed
            self._list()

        self.app.push_screen(NotePlace(self.desk, note_id), placed)

    def _say(self, line: str) -> None:
        self.query_one("#orphans-message", Static).update(Text(line))


class NotePlace(ChoiceDialog[str | None]):
    """Where a note goes: every topic with its steps, or those the words typed find.
    Dismisses with the topic or step id chosen."""

    def __init__(self, desk: Desk, note_id: str) -> None:
        super().__init__()
        self.desk = desk
        self.note_id = note_id

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog wide tall"):
            yield Static(Text(t("orphans.place_title", lang, id=self.note_id)),
                         classes="dialog-title")
            yield SafeInput(placeholder=t("orphans.place_search", lang), id="place-search",
                            compact=True)
            yield OptionList(id="place-list")
            yield close_only(lang, "place")
        yield KeyBar()

    def on_mount(self) -> None:
        self._list("")

    @on(Input.Changed, "#place-search")
    def _filter(self, event: Input.Changed) -> None:
        self._list(event.value)

    @on(Input.Submitted, "#place-search")
    def _to_list(self) -> None:
        self.query_one(OptionList).focus()

    def _list(self, words: str) -> None:
        lang = self.app.lang

        def options() -> list[Option]:
            if words.strip():
                hits: dict[str, SearchHit] = {}
                for hit in self.desk.search(words):  # best first; a topic found twice once
                    hits.setdefault(hit.id, hit)
                return [Option(Text(f"{hit.topic.title(lang)} › {hit.step.title(lang)}"
                                    if hit.step else hit.topic.title(lang)), id=hit.id)
                        for hit in hits.values()]
            found = []
            for topic in self.desk.topics():
                found.append(Option(Text(topic.title(lang), style="bold"), id=topic.id))
                found += [Option(Text(f"  {step.order}. {step.title(lang)}"), id=step.id)
                          for step in topic.steps]
            return found

        made = run_change(self, options, lang, failed=READ_FAILED)
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(made or [])
        if made:
            listing.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
