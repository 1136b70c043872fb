"""Hostile text: whatever a person types, pastes or scans into a note, posdesk neither crashes nor
lets it drive the terminal.

Notes full of Rich markup, ANSI and OSC escape sequences, C0/C1 control characters, Chinese, emoji
and a megabyte of all of it go through the desk and through the TUI. What is stored is exactly
what `privacy.clean` makes of the typed text (card numbers masked, control sequences removed,
nothing else touched), it survives a fresh Desk reading it back from disk, and the screens show it
literally: "[bold]" is shown as "[bold]", "[@click=app.quit]" is words, not a button.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual import events
from textual.widgets import Input, Static, TextArea

from posdesk import privacy
from posdesk.desk import Desk, EmptyText
from posdesk.kb import KnowledgeBase
from posdesk.models import Incident
from posdesk.privacy import luhn_valid, strip_control
from pilot_helpers import (open_incidents_tab, past_today, ready, screen_text, settle, start_flow,
                           until, until_main, until_marked, until_screen)
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.screens.incident import IncidentScreen
from posdesk.ui.dialogs.text_prompt import TextPrompt
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from posdesk.wording import own_words
from posdesk.ui.widgets.incident_table import IncidentTable
from kb_steps import checks

SIZE = (100, 30)
TOPIC = "fault.network"

# --- what hostile text is made of ---------------------------------------------------------------

MARKUP = (
    "[bold]", "[/]", "[/bold]", "[@click=app.quit]", "[link=http://x]", "[red", "]", "\\[",
    "[b]x[/i]", "[bold red]ALARM[/bold red]", "[@click=app.bell]ring[/]", "[/link]",
)
# Complete sequences: each ends where a terminal would stop reading it.
CSI = ("\x1b[31m", "\x1b[2J", "\x1b[?1049h", "\x1b[0m", "\x1b[1;31;42m", "\x1b[H", "\x9b2J")
OSC = (
    "\x1b]52;c;aGk=\x07",  # set the clipboard
    "\x1b]8;;http://x\x1b\\",  # start a hyperlink
    "\x1b]0;pwned\x9c",  # set the window title, 8-bit ST
    "\x9d0;pwned\x07",  # 8-bit OSC
    "\x1bP+q544e\x1b\\",  # DCS: ask the terminal something
)
SEQUENCES = CSI + OSC
C0_C1 = tuple(map(chr, (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))))
# Controls that, standing alone, cannot swallow the characters after them the way a bare ESC,
# CSI or string introducer does (ESC "[" is the start of a sequence: eating the "[" is right).
INTRODUCERS = "\x1b\x9b\x90\x98\x9d\x9e\x9f"
LONE_CONTROLS = tuple(c for c in C0_C1 if c not in INTRODUCERS and c not in "\t\n\r")
CHINESE = ("打印机没反应，顾客在等", "刷卡显示“交易失败”，请重试", "网络灯一直闪", "【急】")
EMOJI = ("🙂🧾💳", "👩🏽‍💻", "🇨🇳", "❤️", "🏳️‍🌈")
WORDS = ("paper", "jam", "customer waiting", "lights ok", "POS-2", "{note}", "{0}", "%s")
SPACES = (" ", "\n", "\t", "\r\n", "\r", "\u3000", "\u2028")
CARDS = ("4111 1111 1111 1111", "5500-0000-0000-0004", "4012888888881881", "378282246310005")

hostile_fragment = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(SEQUENCES),
    st.sampled_from(C0_C1),
    st.sampled_from(CHINESE),
    st.sampled_from(EMOJI),
    st.sampled_from(WORDS + SPACES),
    st.text("0123456789 -", max_size=24),
    st.sampled_from(CARDS),
    st.text(),
)
hostile_text = st.lists(hostile_fragment, max_size=16).map("".join)

# Text that nothing in privacy.clean touches: no controls, no whitespace at either end, no digits.
kept_fragment = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(CHINESE),
    st.sampled_from(EMOJI),
    st.sampled_from(tuple(w for w in WORDS if not any(c.isdigit() for c in w))),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Nd", "Zs", "Zl", "Zp")), min_size=1),
)
removed_fragment = st.sampled_from(SEQUENCES + LONE_CONTROLS)


@st.composite
def markup_between_escape_codes(draw) -> tuple[str, str]:
    """(as typed, what must be stored): kept fragments with escape codes all around them."""
    kept = draw(st.lists(kept_fragment, min_size=1, max_size=8))
    typed = []
    for piece in kept:
        typed += draw(st.lists(removed_fragment, max_size=2))
        typed.append(piece)
    typed += draw(st.lists(removed_fragment, max_size=2))
    return "".join(typed), "".join(kept)


@st.composite
def card_numbers(draw) -> tuple[str, str]:
    """(as typed, its digits): a card number (13–19 digits led by 2–9, passing Luhn), grouped or
    not, with escape codes and controls slipped in between its characters, as a scanner or a
    paste might."""
    length = draw(st.integers(13, 19))
    body = draw(st.sampled_from("23456789")) + draw(
        st.text("0123456789", min_size=length - 2, max_size=length - 2))
    digits = body + next(d for d in "0123456789" if luhn_valid(body + d))
    separator = draw(st.sampled_from(("", " ", "-")))
    pieces = list(separator.join(digits[i:i + 4] for i in range(0, length, 4)))
    for _ in range(draw(st.integers(0, 3))):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(removed_fragment))
    return "".join(pieces), digits


# --- helpers ------------------------------------------------------------------------------------

DESK_SETTINGS = settings(max_examples=50, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def fresh_desk(kb: KnowledgeBase) -> Iterator[Desk]:
    """A desk on its own empty data folder: one per hypothesis example."""
    with tempfile.TemporaryDirectory(prefix="posdesk-hostile-") as folder:
        yield Desk(Path(folder) / "home", kb=kb)


def reread(desk: Desk, incident_id: str) -> Incident:
    """The incident as a new Desk reads it from disk, not as any cache remembers it."""
    return Desk(desk.home, kb=desk.kb).incident(incident_id)


def cleaned(typed: str) -> str:
    return privacy.clean(typed.strip()).text


def bad_controls(text: str) -> list[str]:
    return [c for c in text if c in C0_C1 and c not in "\n\t"]


def assert_stored_clean(stored: str, typed: str) -> None:
    assert stored == cleaned(typed)
    assert "\x1b" not in stored
    assert not bad_controls(stored)


def saves(change: Callable[[], object], typed: str, blank_is_refused: bool = True) -> bool:
    """Run a desk change made with `typed`; whether it saved. Only EmptyText may stop it, and only
    when nothing is left of the text once cleaned."""
    try:
        change()
    except EmptyText:
        assert not cleaned(typed).strip(), f"refused as empty: {typed!r}"
        return False
    if blank_is_refused:
        assert cleaned(typed).strip(), f"saved although blank once cleaned: {typed!r}"
    return True


# --- the desk -----------------------------------------------------------------------------------


@DESK_SETTINGS
@given(note=hostile_text)
@example(note="[bold]x[/] \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 打印机没反应 🙂🧾💳")
@example(note="\x1b[2J\x1b[?1049h\x07\x00")  # nothing left once cleaned: refused
@example(note="\x1b[0m   spaces after an escape code  \x1b[0m")
def test_a_follow_up_note_of_hostile_text_is_stored_exactly_as_cleaned(kb, note):
    with fresh_desk(kb) as desk:
        incident = desk.start_incident(TOPIC)
        if saves(lambda: desk.add_note(incident.id, note), note):
            (stored,) = reread(desk, incident.id).notes
            assert_stored_clean(stored.get("text"), note)
        else:
            assert reread(desk, incident.id).notes == []


@DESK_SETTINGS
@given(note=hostile_text)
@example(note="lights ok [bold]\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\")
@example(note="\x9b31m\x85\x9f")
def test_a_hostile_note_typed_with_a_mark_is_stored_exactly_as_cleaned(kb, note):
    with fresh_desk(kb) as desk:
        incident = desk.start_incident(TOPIC)
        step = checks(desk.topic(TOPIC))[0]
        # A mark needs no note: a blank one is kept as "", never refused.
        assert saves(lambda: desk.record_attempt(incident.id, step.id, "not_fixed", note), note,
                     blank_is_refused=False)
        (attempt,) = reread(desk, incident.id).attempts
        assert_stored_clean(attempt.note, note)
        assert attempt.outcome == "not_fixed"


@DESK_SETTINGS
@given(note=hostile_text, reference=hostile_text)
@example(note="客户在等 [@click=app.quit]", reference="\x1b[31mCCB-2026-7788\x1b[0m")
def test_a_hostile_note_for_the_bank_is_stored_exactly_as_cleaned(kb, note, reference):
    with fresh_desk(kb) as desk:
        incident = desk.start_incident(TOPIC)
        if saves(lambda: desk.escalate(incident.id, note, reference), note):
            escalation = reread(desk, incident.id).escalation
            assert_stored_clean(escalation.note, note)
            assert escalation.reference == (cleaned(reference).strip() or None)
            assert not bad_controls(escalation.reference or "")
        else:
            assert reread(desk, incident.id).status == "open"


@DESK_SETTINGS
@given(opened=hostile_text, bank=hostile_text, why=hostile_text)
def test_hostile_words_when_opening_closing_and_reopening_are_stored_as_cleaned(
        kb, opened, bank, why):
    with fresh_desk(kb) as desk:
        incident = desk.start_incident(TOPIC, note=opened)
        assert reread(desk, incident.id).events[0].get("note", "") == cleaned(opened)
        desk.escalate(incident.id, "called the bank")
        if saves(lambda: desk.close_by_bank(incident.id, bank), bank):
            closed = reread(desk, incident.id)
            assert closed.status == "resolved"
            assert_stored_clean(closed.events[-1].get("note"), bank)
            desk.reopen(incident.id, why)  # a reason is welcome, not required
            assert_stored_clean(reread(desk, incident.id).events[-1].get("note"), why)


@DESK_SETTINGS
@given(typed_and_kept=markup_between_escape_codes())
@example(typed_and_kept=("\x1b[31m[bold]\x1b[0m打印机没反应\x07[@click=app.quit]\x9d0;t\x07🙂",
                         "[bold]打印机没反应[@click=app.quit]🙂"))
def test_markup_chinese_and_emoji_between_escape_codes_are_kept_verbatim(kb, typed_and_kept):
    typed, kept = typed_and_kept
    with fresh_desk(kb) as desk:
        incident = desk.start_incident(TOPIC)
        desk.record_attempt(incident.id, checks(desk.topic(TOPIC))[0].id, "skipped", typed)
        desk.add_note(incident.id, typed)
        stored = reread(desk, incident.id)
        assert stored.attempts[0].note == kept
        assert stored.notes[0].get("text") == kept


@DESK_SETTINGS
@given(before=hostile_text, card=card_numbers(), after=hostile_text)
@example(before="", card=("4111\x1b[0m 1111 \x1b]0;x\x071111 1111", "4111111111111111"), after="")
@example(before="", card=("2000000000008", "2000000000008"), after="00000000000000000000")
def test_a_card_number_among_hostile_text_is_masked_even_with_escape_codes_inside_it(
        kb, before, card, after):
    typed_card, digits = card
    note = f"{before}\n卡号 {typed_card} 。\n{after}"
    with fresh_desk(kb) as desk:
        incident = desk.start_incident(TOPIC)
        saved = desk.add_note(incident.id, note)
        stored = reread(desk, incident.id).notes[0].get("text")
        assert_stored_clean(stored, note)
        assert saved.masked >= 1
        # The card's own line: nothing of it is left but its last four digits.
        assert f"\n卡号 ****{digits[-4:]} 。\n" in f"\n{stored}\n"


def test_a_note_with_a_lone_surrogate_is_cleaned_or_refused_not_a_crash(desk):
    """Python strings can hold a lone surrogate ("\\udcff" is how surrogateescape spells an
    undecodable byte from argv, a file or the environment): the desk must clean it away or
    refuse it with a desk error, never fail with a Unicode error."""
    incident = desk.start_incident(TOPIC)
    try:
        desk.add_note(incident.id, "bad byte \udcff here")
    except EmptyText:
        pass
    for note in reread(desk, incident.id).notes:
        note.get("text").encode("utf-8")


def megabyte_of_hostile_text() -> tuple[str, str]:
    """(the note, the card number hidden in its middle): at least 1 MiB once UTF-8 encoded."""
    pieces = (
        "[bold]打印机没反应，顾客在等[/] ", "\x1b[31m红灯\x1b[0m ", "\x1b]52;c;aGk=\x07", "🙂🧾💳 ",
        "[@click=app.quit]退出[/] ", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ ", "\x00\x07\x9b2J",
        "[link=http://x]x[/link] \\[ ", "[red ", "] ", "line\r\n", "\ttab ", "{note} ", "\u2028",
    )
    card = "4111 1111 1111 1111"
    block = "".join(pieces)
    half = block * ((1 << 19) // len(block.encode()) + 1)
    return f"{half}\n卡号 {card} 。\n{half}", card


def test_a_one_megabyte_note_of_hostile_text_is_stored_exactly_as_cleaned(desk):
    note, card = megabyte_of_hostile_text()
    assert len(note.encode("utf-8")) >= 1 << 20
    incident = desk.start_incident(TOPIC)
    saved = desk.add_note(incident.id, note)
    stored = reread(desk, incident.id).notes[0].get("text")
    assert_stored_clean(stored, note)
    assert saved.masked == 1
    assert card not in stored and "卡号 ****1111 。" in stored
    assert stored.count("[@click=app.quit]退出[/]") == note.count("[@click=app.quit]退出[/]")


# --- the TUI ------------------------------------------------------------------------------------


def actions_and_links(widget: Static) -> list[object]:
    """Styles in what a Static shows that would make a click do something."""
    found = []
    for span in widget.render().spans:
        style = span.style
        if isinstance(style, str):
            if "@" in style or "link" in style:
                found.append(style)
        elif getattr(style, "link", None) or getattr(style, "meta", None):
            found.append(style)
    return found


async def open_incident_page(pilot) -> IncidentScreen:
    """Incidents tab, then the newest incident's page."""
    await open_incidents_tab(pilot)
    await pilot.press("enter")
    await until_screen(pilot, IncidentScreen)
    assert isinstance(pilot.app.screen, IncidentScreen)
    return pilot.app.screen


async def flow_back_at_the_marked_step(pilot) -> TroubleshootScreen:
    """From the incident page into the guided flow, then back to the step store_everywhere
    marked (the first check) and its marks."""
    flow = await start_flow(pilot)  # s on the incident page picks the flow up again
    marked = checks(flow.topic)[0].order
    while flow.order > marked:
        await pilot.press("left")
    assert flow.order == marked
    return flow


def assert_on_timeline(page: IncidentScreen, stored: str) -> None:
    """Each line people wrote is on the timeline, literally, after its "↳"."""
    shown = str(page.query_one("#incident-timeline", Static).render())
    assert "".join(f"  ↳ {line}\n" for line in stored.splitlines()) in shown
    assert "\x1b" not in screen_text(page.app)


def store_everywhere(desk: Desk, note: str) -> tuple[str, dict[str, str]]:
    """An incident with `note` as its opening words, a mark's note, a follow-up and the note for
    the bank; returns its id and what was stored for each."""
    incident = desk.start_incident(TOPIC, note=note)
    step = checks(desk.topic(TOPIC))[0]
    desk.record_attempt(incident.id, step.id, "not_fixed", note)
    stored = {"opened": cleaned(note), "attempt": cleaned(note)}
    if cleaned(note).strip():
        desk.add_note(incident.id, note)
        desk.escalate(incident.id, note)
        stored |= {"note": cleaned(note), "escalated": cleaned(note)}
    return incident.id, stored


NASTY_CARD = "card 4111 1111 1111 1111, [bold]paid[/]"
NASTY = [
    "[bold]x[/] [@click=app.quit]quit[/] [@click=app.bell]ring[/]",  # click actions
    "[link=http://x]click me[/link] \\[not markup] [red unclosed [b]x[/i]",  # links, bad markup
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[?1049h screen cleared? \x1b[H",  # ANSI CSI
    "\x1b]52;c;aGk=\x07clipboard \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ "  # OSC: clipboard,
    "\x1b]0;title\x9c \x9d0;t\x07",  # hyperlink, window title, 8-bit
    "bell\x07 back\x08space nul\x00 del\x7f next\x85line c1\x9b31m end\x1b",  # C0 and C1
    "打印机没反应，顾客在等 [bold]急[/] 【重要】",
    "🙂🧾💳 👩🏽‍💻 🏳️‍🌈 🇨🇳 [@click=app.quit]🔔[/]",
    "line one\r\nline two\rline three\n\tindented [/]\n\n  last  ",  # line ends, tabs
    NASTY_CARD,
    "{note} {0} %s %(x)s [/] ]]] [[[ \\ \u202eevil\u202c zero\u200bwidth",  # format, invisible
]


async def test_nasty_notes_are_shown_literally_on_the_incident_page_and_in_the_flow(desk):
    stored_for = {note: store_everywhere(desk, note) for note in NASTY}  # newest is listed first
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        for note, (incident_id, stored) in stored_for.items():
            table = app.query_one("#incidents-table", IncidentTable)
            rows = [table.get_row_at(row)[0] for row in range(table.row_count)]
            table.cursor_row = rows.index(incident_id)
            await pilot.press("enter")
            await until_screen(pilot, IncidentScreen)
            page = app.screen
            assert isinstance(page, IncidentScreen) and page.incident.id == incident_id, note
            for text in stored.values():
                assert_on_timeline(page, text)
            assert actions_and_links(page.query_one("#incident-timeline", Static)) == [], note

            flow = await flow_back_at_the_marked_step(pilot)
            marks = str(flow.query_one("#flow-marks", Static).render())
            assert "Marked before on this step" in marks, note
            assert stored["attempt"] in marks, note
            assert actions_and_links(flow.query_one("#flow-marks", Static)) == [], note
            await pilot.press("escape")  # the flow, back to the page
            await until(pilot, lambda: app.screen is page and ready(app), what="back on the page")
            assert app.screen is page and app.is_running, note
            await pilot.press("escape")  # the page, back to the list
            await settle(pilot)
        card = stored_for[NASTY_CARD][1]["note"]
        assert "4111 1111 1111 1111" not in card and "card ****1111, [bold]paid[/]" == card


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=hostile_text)
def test_any_hostile_note_is_shown_literally_without_crashing_the_app(kb, note):
    async def scenario(desk: Desk) -> None:
        incident_id, stored = store_everywhere(desk, note)
        app = PosdeskApp(desk, "en")
        async with app.run_test(size=SIZE) as pilot:
            page = await open_incident_page(pilot)
            assert page.incident.id == incident_id
            for text in stored.values():
                assert_on_timeline(page, text)
            flow = await flow_back_at_the_marked_step(pilot)
            if stored["attempt"]:
                assert stored["attempt"] in str(flow.query_one("#flow-marks", Static).render())
            assert app.is_running

    with fresh_desk(kb) as desk:
        asyncio.run(scenario(desk))


async def test_clicking_on_a_note_that_looks_like_a_click_action_does_nothing(desk):
    incident = desk.start_incident(TOPIC)
    desk.add_note(incident.id, "[@click=app.quit]QUIT[/] [link=http://x]LINK[/link]")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        page = await open_incident_page(pilot)
        timeline = page.query_one("#incident-timeline", Static)
        lines = str(timeline.render()).splitlines()
        y = next((n for n, line in enumerate(lines) if "[@click=app.quit]" in line), None)
        assert y is not None, f"the note is not shown as typed: {lines}"
        inset = timeline.content_region.offset - timeline.region.offset
        for word in ("QUIT", "LINK"):
            x = cell_len(lines[y][:lines[y].index(word)])
            await pilot.click(timeline, offset=(inset.x + x + 1, inset.y + y))
            await pilot.pause()  # nothing to wait for: a live link would act meanwhile
            assert app.is_running and app.screen is page
        assert "[@click=app.quit]QUIT[/] [link=http://x]LINK[/link]" in lines[y]


PASTED = ("[bold]x[/] \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 打印机没反应 🙂🧾💳 \x00\x07 "
          "4111 1111 1111 1111 [@click=app.quit]q[/] \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\")


def paste(pilot, text: str) -> None:
    """As the terminal delivers a paste: to the app, which hands it to the focused widget."""
    pilot.app.post_message(events.Paste(text))


async def test_a_note_pasted_into_the_guided_flow_is_saved_clean_and_shown_literally(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        paste(pilot, PASTED + "\nsecond line is dropped by the one-line field")
        await until(pilot, lambda: app.focused.value, what="the paste to arrive")
        assert app.focused.value == strip_control(PASTED)  # cleaned as it arrives
        await pilot.press("escape", "d")
        await until_marked(pilot, flow, 1)
        stored = desk.incident(flow.incident.id).attempts[0].note
        assert_stored_clean(stored, PASTED)
        assert "****1111" in stored and "4111 1111" not in stored
        await pilot.press("left")
        await until(pilot, lambda: flow.order == 1, what="back on step 1")
        assert stored in str(flow.query_one("#flow-marks", Static).render())
        assert app.is_running


async def test_a_follow_up_pasted_on_the_incident_page_is_saved_clean_and_shown_literally(desk):
    incident = desk.start_incident(TOPIC)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        page = await open_incident_page(pilot)
        await pilot.press("a")
        await until_screen(pilot, TextPrompt)
        assert isinstance(app.screen, TextPrompt)
        paste(pilot, PASTED)
        await until(pilot, lambda: app.screen.query_one(Input).value, what="the paste to arrive")
        assert app.screen.query_one(Input).value == strip_control(PASTED)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is page and ready(app), what="back on the page")
        assert app.screen is page
        stored = desk.incident(incident.id).notes[0].get("text")
        assert_stored_clean(stored, PASTED)
        assert_on_timeline(page, stored)
        assert app.is_running


async def test_an_escalation_note_pasted_with_escape_codes_is_saved_clean_and_shown_literally(
        desk):
    pasted = "\n" + PASTED.replace(" 打印机", "\r\n打印机") + "\n\t\x1b[?1049h[/]end"
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        assert isinstance(app.screen, EscalationDialog)
        paste(pilot, pasted)
        note = app.screen.query_one(TextArea)
        await until(pilot, lambda: note.text.endswith(strip_control(pasted)),
                    what="the paste to arrive")
        written = app.screen.query_one(TextArea).text
        assert written.endswith(strip_control(pasted))  # cleaned as it arrives
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is flow and ready(app), what="back in the flow")
        assert app.screen is flow and app.is_running
        stored = desk.incident(flow.incident.id).escalation.note
        assert_stored_clean(stored, written)
        assert stored.endswith("[@click=app.quit]q[/] link\n\t[/]end")
        await pilot.press("escape")  # the flow, back to the tabs
        await until_main(pilot)
        page = await open_incident_page(pilot)
        # The timeline shows what the person added to the note, not the record it repeats.
        assert_on_timeline(page, own_words(stored))
        assert own_words(stored).endswith("[@click=app.quit]q[/] link\n\t[/]end")


def terminal_text(widget) -> str:
    """The characters a widget hands to the terminal for its visible lines."""
    return "".join(segment.text for y in range(widget.size.height)
                   for segment in widget.render_line(y))


@pytest.mark.parametrize("where", ["flow note field", "bank note"])
async def test_escape_codes_pasted_into_a_field_never_reach_the_terminal(desk, where):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await start_flow(pilot)
        await pilot.press("tab" if where == "flow note field" else "e")
        await until(pilot, lambda: ready(app) and isinstance(app.focused, (Input, TextArea)),
                    what=f"the {where} to take keys")
        field = app.focused
        if not isinstance(field, Input if where == "flow note field" else TextArea):
            pytest.fail(f"the {where} is not focused: {field!r}")  # not the expected failure
        paste(pilot, "note \x1b]0;PWNED\x1b\\ \x1b[2J end")
        await until(pilot, lambda: "end" in getattr(field, "value", getattr(field, "text", "")),
                    what="the paste to arrive")
        shown = terminal_text(field)
        assert "note" in shown and "end" in shown  # the words arrived…
        assert "\x1b" not in shown and "PWNED" not in shown  # …the sequences did not


async def test_a_one_megabyte_note_opens_on_the_incident_page_without_crashing(desk):
    note, card = megabyte_of_hostile_text()
    incident = desk.start_incident(TOPIC)
    stored = cleaned(note)
    desk.add_note(incident.id, note)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        started = time.perf_counter()
        await pilot.press("enter")
        await until_screen(pilot, IncidentScreen)
        opened_in = time.perf_counter() - started
        page = app.screen
        assert isinstance(page, IncidentScreen) and page.incident.id == incident.id
        assert_on_timeline(page, stored)
        shown = str(page.query_one("#incident-timeline", Static).render())
        assert card not in shown and "卡号 ****1111 。" in shown
        await pilot.press("end", "pageup", "home")
        assert app.is_running and app.screen is page
    if opened_in > 20:  # about 2–3 s on a 2-core machine: slower is a performance finding
        warnings.warn(f"the incident page took {opened_in:.1f} s to show a 1 MB note")
