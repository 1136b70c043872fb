"""What every typed text passes before storage: card numbers masked, control sequences removed,
everything else kept exactly as typed."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from posdesk.privacy import Cleaned, clean, luhn_valid, mask_card_numbers, strip_control

CARD_13 = "4222222222222"
AMEX_15 = "378282246310005"
VISA_16 = "4111111111111111"
MASTERCARD_16 = "5500005555555559"
UNIONPAY_16 = "6250946000000016"
UNIONPAY_19 = "6212345678901234569"
VALID = (CARD_13, AMEX_15, VISA_16, MASTERCARD_16, UNIONPAY_16, UNIONPAY_19)

NOT_LUHN_16 = "4111111111111112"
ORDER_16 = "2026112500001235"  # sixteen digits, looks like a card, fails Luhn
NOT_LUHN_19 = "6222021234567890123"
INVALID = (NOT_LUHN_16, ORDER_16, NOT_LUHN_19)


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def test_fixtures_are_what_they_claim():
    assert [len(card) for card in VALID] == [13, 15, 16, 16, 16, 19]
    assert all(luhn_valid(card) for card in VALID)
    assert not any(luhn_valid(number) for number in INVALID)


def test_luhn_accepts_only_ascii_digits():
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert not luhn_valid("") and not luhn_valid("4111 1111 1111 1111")
    assert not luhn_valid("４１１１１１１１１１１１１１１１")  # full-width: not ASCII digits
    assert not luhn_valid("-4111111111111111")


# --- card numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("card", VALID)
def test_valid_card_numbers_of_13_to_19_digits_keep_their_last_four(card):
    assert mask_card_numbers(f"card {card} declined") == (f"card ****{card[-4:]} declined", 1)
    assert mask_card_numbers(card) == (f"****{card[-4:]}", 1)


@pytest.mark.parametrize("number", INVALID)
def test_numbers_failing_luhn_are_left_alone(number):
    assert mask_card_numbers(f"card {number} declined") == (f"card {number} declined", 0)


@pytest.mark.parametrize(
    "written",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "6212 3456 7890 1234 569",  # 19 digits; the last group is shorter than four
        "3782-822463-10005",  # Amex 4-6-5
        "5500 0055-5555 5559",  # mixed separators
        "4 2 2 2 2 2 2 2 2 2 2 2 2",  # one digit at a time
    ],
)
def test_spaced_and_dashed_numbers_are_masked(written):
    digits = digits_of(written)
    assert luhn_valid(digits)
    assert mask_card_numbers(f"x {written} y") == (f"x ****{digits[-4:]} y", 1)


def test_numbers_inside_chinese_text():
    text = f"卡号{UNIONPAY_19}顾客说刷不了，换了{VISA_16}也不行"
    assert mask_card_numbers(text) == ("卡号****4569顾客说刷不了，换了****1111也不行", 2)


def test_several_card_numbers_in_one_text_are_all_counted():
    text = f"{VISA_16}, {MASTERCARD_16}; 6250-9460-0000-0016 / {AMEX_15}\n{CARD_13}"
    cleaned = clean(text)
    assert cleaned.text == "****1111, ****5559; ****0016 / ****0005\n****2222"
    assert cleaned.masked == 5 and not cleaned.stripped


def test_card_followed_by_a_year_masks_only_the_card():
    # "1111 1111 1111 2024" is itself Luhn-valid: the earliest start must win.
    assert luhn_valid("1111111111112024")
    assert mask_card_numbers("4111 1111 1111 1111 2024") == ("****1111 2024", 1)
    assert mask_card_numbers("exp 4111-1111-1111-1111 12-28") == ("exp ****1111 12-28", 1)


def test_a_card_number_inside_a_longer_unbroken_run_is_not_one():
    for text in (f"9{VISA_16}", f"{VISA_16}0", f"order 20{UNIONPAY_16}77"):
        assert mask_card_numbers(text) == (text, 0)


@pytest.mark.parametrize(
    "text",
    [
        "客户电话13800138000",
        "call 138 0013 8000",
        "tel 138-0013-8000",
        "order 202611250000123456789012",  # 24 digits: longer than any card
        f"order {ORDER_16}",
        f"ref {VISA_16}9",  # 17 digits that are not a card, though a card hides inside
        "date 2026-11-25, 2026/11/25, time 14:03:59",
        "amount 1,000.00 and 12,345,678,901,234.56",
        "batch 000123 trace 004567 terminal 12345678",
        "",
    ],
)
def test_phone_numbers_order_numbers_dates_and_amounts_are_left_alone(text):
    assert not luhn_valid("202611250000123456789012") and not luhn_valid(f"{VISA_16}9")
    assert mask_card_numbers(text) == (text, 0)


def test_an_already_masked_number_does_not_join_the_digits_after_it():
    # Without care, a second pass would see "1111 1234 5678 9012 2", which passes Luhn.
    assert luhn_valid("11111234567890122")
    once = clean("4111 1111 1111 1111 1234 5678 9012 2")
    assert once == Cleaned("****1111 1234 5678 9012 2", 1, False)
    assert clean(once.text) == Cleaned(once.text, 0, False)
    assert mask_card_numbers("卡尾号****1111 1234 5678 9012 2") == ("卡尾号****1111 1234 5678 9012 2", 0)


# --- control characters -----------------------------------------------------------------------


def test_ansi_colour_codes_are_removed():
    assert strip_control("\x1b[31mred\x1b[0m \x1b[1;38;5;196mbold\x1b[m") == "red bold"


def test_osc_52_clipboard_and_osc_8_hyperlink_are_removed():
    assert strip_control("a\x1b]52;c;aGVsbG8=\x07b") == "ab"
    assert strip_control("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\") == "click"
    assert strip_control("\x9d0;title\x9cok") == "ok"  # 8-bit OSC ended by 8-bit ST


def test_an_unterminated_osc_loses_its_introducer_not_the_rest_of_the_note():
    assert strip_control("a\x1b]0;title and the rest") == "a0;title and the rest"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("bell\x07", "bell"),
        ("back\x08\x08space", "backspace"),
        ("nul\x00", "nul"),
        ("del\x7f", "del"),
        ("c1 csi \x9b2Jclear", "c1 csi clear"),
        ("c1 nel\x85 and \x80\x9f", "c1 nel and "),
        ("vt\x0bff\x0cesc\x1b", "vtffesc"),
        ("charset \x1b(Bok, reset \x1bcok", "charset ok, reset ok"),
        ("tmux \x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\", "tmux tmux;"),
        ("cut short \x1b[12", "cut short "),
    ],
)
def test_control_characters_and_escape_sequences_are_removed(raw, kept):
    assert strip_control(raw) == kept
    assert clean(raw) == Cleaned(kept, 0, True)


def test_line_endings_are_normalised_and_tabs_and_newlines_kept():
    assert strip_control("a\r\nb\rc\td\n\n\te\r\x1b[0m\n") == "a\nb\nc\td\n\n\te\n"


@pytest.mark.parametrize(
    "markup",
    ["[bold]x[/]", "[/bold]", "[@click=app.quit]go[/]", "[red", "\\[escaped]", "[link=http://x]y"],
)
def test_rich_markup_is_kept_verbatim(markup):
    assert clean(markup) == Cleaned(markup, 0, False)


def test_everything_else_is_kept_exactly():
    text = "  顾客说 POS 机显示「请插卡」🙂  \t\n"
    assert clean(text) == Cleaned(text, 0, False)


def test_an_escape_sequence_cannot_hide_a_card_number():
    assert clean("4111 1111\x1b[0m 1111 1111") == Cleaned("****1111", 1, True)
    assert clean("41111111\x1b]8;;x\x07\x0011111111") == Cleaned("****1111", 1, True)


def test_flags_say_what_happened():
    assert clean("plain 你好 🙂") == Cleaned("plain 你好 🙂", 0, False)
    assert clean("a\x1b[1mb") == Cleaned("ab", 0, True)
    assert clean("a\r\nb\rc") == Cleaned("a\nb\nc", 0, False)  # line ends are not stripping
    assert clean(f"\x07{VISA_16} {AMEX_15}") == Cleaned("****1111 ****0005", 2, True)


# --- size --------------------------------------------------------------------------------------


MEGABYTE = 1_048_576


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (("1234 " * 210_000)[:MEGABYTE], MEGABYTE),  # no four groups of "1234" pass Luhn
        ("1 " * (MEGABYTE // 2), MEGABYTE),
        ("1-" * (MEGABYTE // 2), MEGABYTE),
        ("\x1b[" + "1" * MEGABYTE, 0),  # one never-ending CSI
        ("\x1b]" + "a" * MEGABYTE, MEGABYTE),  # one never-ending OSC
        ("\x9d" * MEGABYTE, 0),
        ("\x1b]\x9d" * (MEGABYTE // 2), 0),
    ],
    ids=["groups", "single-digits", "dashes", "open-csi", "open-osc", "c1-osc", "osc-mix"],
)
def test_a_megabyte_of_text_is_handled_quickly(text, kept):
    assert not luhn_valid("1234" * 4)
    started = time.perf_counter()
    assert len(clean(text).text) == kept
    # Typically 0.01–0.8 s; the bound guards against runaway backtracking on a busy machine.
    assert time.perf_counter() - started < 5


def test_a_megabyte_of_mixed_text_masks_every_card():
    text = ("卡号 4111 1111 1111 1111 [b]x[/b] \x1b[0m 13800138000 " * 20_000)[:MEGABYTE]
    started = time.perf_counter()
    cleaned = clean(text)
    assert time.perf_counter() - started < 5
    assert cleaned.masked == text.count("4111 1111 1111 1111") and cleaned.stripped
    assert "4111 1111" not in cleaned.text and "[b]x[/b]" in cleaned.text


# --- properties ---------------------------------------------------------------------------------

CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
# Mostly digits, separators, stars and escape-sequence material, so that masking really happens.
busy_text = st.text(alphabet=st.sampled_from("0123456789  --**[]\x1b\x07\x9b\r\n\t;a卡"))
any_text = st.one_of(st.text(), busy_text)


@given(any_text)
@example("4111 1111 1111 1111 1234 5678 9012 2")
@example("****4111111111111111 1234 5678 9012 2")
def test_cleaning_twice_changes_nothing_more(text):
    once = clean(text).text
    assert clean(once) == Cleaned(once, 0, False)


@given(any_text)
def test_no_removed_control_character_survives(text):
    cleaned = clean(text).text
    assert not any(c in CONTROLS and c not in "\n\t" for c in cleaned)
    assert "\x1b" not in strip_control(text) and "\r" not in strip_control(text)


@given(any_text)
def test_no_bare_card_number_survives(text):
    for run in re.findall(r"(?<![0-9])[0-9]{13,19}(?![0-9])", clean(text).text):
        assert not luhn_valid(run)


@given(st.text(), st.sampled_from(VALID), st.text())
def test_a_card_between_words_never_survives(before, card, after):
    cleaned = clean(f"{before}卡号{card}。{after}")
    assert card not in cleaned.text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Nd"))))
def test_text_without_digits_or_controls_is_kept_exactly(text):
    assert clean(text) == Cleaned(text, 0, False)
