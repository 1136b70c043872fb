"""What every note passes before storage: card numbers masked, control sequences removed,
everything else kept exactly as typed."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posdesk.privacy import clean, luhn_valid, mask_card_numbers, strip_control

VISA_16 = "4111111111111111"
UNIONPAY_19 = "6212345678901234569"
AMEX_15 = "378282246310005"
CARD_13 = "4222222222222"
NOT_LUHN_16 = "4111111111111112"
ORDER_16 = "2026112500001235"  # looks like a card, fails Luhn


def test_fixtures_are_what_they_claim():
    assert all(map(luhn_valid, (VISA_16, UNIONPAY_19, AMEX_15, CARD_13)))
    assert not luhn_valid(NOT_LUHN_16) and not luhn_valid(ORDER_16)


@pytest.mark.parametrize("card", [CARD_13, AMEX_15, VISA_16, UNIONPAY_19])
def test_valid_card_numbers_of_13_to_19_digits_keep_their_last_four(card):
    assert mask_card_numbers(f"card {card} declined") == (f"card ****{card[-4:]} declined", 1)


@pytest.mark.parametrize(
    "written",
    ["4111 1111 1111 1111", "4111-1111-1111-1111", "6212 3456 7890 1234 569", "3782-822463-10005"],
)
def test_spaced_and_dashed_numbers_are_masked(written):
    digits = written.replace(" ", "").replace("-", "")
    assert luhn_valid(digits)
    assert mask_card_numbers(f"x {written} y") == (f"x ****{digits[-4:]} y", 1)


def test_numbers_inside_chinese_text():
    text = f"顾客的卡号{UNIONPAY_19}刷不了，换了{VISA_16}也不行"
    assert mask_card_numbers(text) == ("顾客的卡号****4569刷不了，换了****1111也不行", 2)


def test_card_followed_by_a_year_masks_only_the_card():
    assert mask_card_numbers("4111 1111 1111 1111 2024") == ("****1111 2024", 1)


@pytest.mark.parametrize(
    "text",
    [
        "客户电话 13800138000",
        "call 138 0013 8000",
        "tel 138-0013-8000",
        f"order {ORDER_16}",
        f"card {NOT_LUHN_16}",
        "order 202611250000123456789012",  # 26 digits: longer than any card
        f"ref {VISA_16}9",  # 17 digits that are not a card, though a card hides inside
        "date 2026-11-25, time 14:03, amount 1,000.00",
        "batch 000123 trace 004567",
    ],
)
def test_phone_numbers_order_numbers_dates_and_amounts_are_left_alone(text):
    assert mask_card_numbers(text) == (text, 0)


def test_ansi_osc_and_c1_sequences_are_removed():
    text = ("\x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07clip \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
            " bell\x07 back\x08 nul\x00 c1\x9b2J del\x7f end")
    assert strip_control(text) == "red clip link bell back nul c1 del end"


def test_line_endings_are_normalised_and_tabs_kept():
    assert strip_control("a\r\nb\rc\td\n") == "a\nb\nc\td\n"


@pytest.mark.parametrize("markup", ["[bold]x[/]", "[/bold]", "[@click=app.quit]go[/]", "[red"])
def test_rich_markup_is_kept_verbatim(markup):
    assert clean(markup) == clean(markup).__class__(markup, 0, False)


def test_an_escape_sequence_cannot_hide_a_card_number():
    result = clean("4111 1111\x1b[0m 1111 1111")
    assert result.text == "****1111" and result.masked == 1 and result.stripped


def test_flags_say_what_happened():
    assert clean("plain 你好 🙂") == clean("plain 你好 🙂").__class__("plain 你好 🙂", 0, False)
    assert clean("a\x1b[1mb").stripped
    assert not clean("a\r\nb").stripped


def test_a_megabyte_of_text_is_handled_quickly():
    digits = ("1234 " * 210_000)[:1_048_576]
    mixed = ("卡号 4111 1111 1111 1111 [b]x[/b] \x1b[0m 13800138000 " * 20_000)[:1_048_576]
    started = time.perf_counter()
    assert len(clean(digits).text) > 500_000
    masked = clean(mixed)
    assert masked.masked > 10_000
    assert time.perf_counter() - started < 10  # a guard against runaway backtracking, not a benchmark


@given(st.text())
def test_cleaning_twice_changes_nothing_more(text):
    once = clean(text).text
    assert clean(once).text == once


@given(st.text())
def test_no_control_character_survives(text):
    cleaned = clean(text).text
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in cleaned)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Nd", "Cs"))))
def test_text_without_digits_or_controls_is_kept_exactly(text):
    assert clean(text).text == text
