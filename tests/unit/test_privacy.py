"""What every typed text passes before storage: card numbers masked, control sequences removed,
everything else kept exactly as typed."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from posdesk.cli import main
from posdesk.export import incidents_csv, incidents_json
from posdesk.models import Event, Incident, Text
from posdesk.privacy import (
    Cleaned,
    clean,
    clean_stored,
    csv_cell,
    is_card_number,
    json_text,
    luhn_valid,
    mask_card_numbers,
    strip_control,
)

CARD_13 = "4222222222222"
AMEX_15 = "378282246310005"
VISA_16 = "4111111111111111"
MASTERCARD_16 = "5500005555555559"
UNIONPAY_16 = "6250946000000016"
UNIONPAY_19 = "6212345678901234569"
VALID = (CARD_13, AMEX_15, VISA_16, MASTERCARD_16, UNIONPAY_16, UNIONPAY_19)

NOT_LUHN_16 = "4111111111111112"
ORDER_16 = "2026112500001235"  # sixteen digits, looks like a card, fails Luhn
NOT_LUHN_19 = "6222021234567890131"
INVALID = (NOT_LUHN_16, ORDER_16, NOT_LUHN_19)

# Luhn-valid, but led by 1 or 0, which no payment card is: a bank acquirer's merchant number
# (商户号, 15 digits, 102 = ICBC) and others that only look like cards.
MERCHANT_15 = "102100000123450"
ONE_LED_16 = "1111222233334444"
ZERO_LED_16 = "0000000000000000"
NOT_CARDS = (MERCHANT_15, ONE_LED_16, ZERO_LED_16)
WECHAT_28 = "4200001234202611251234567890"  # a WeChat Pay transaction id: 28 digits

# How a person may join groups of digits, and what a paste or a phone may slip in between them.
SEPARATORS = (" ", "-", ".", "/", "_", "\u00a0", "\u2007", "\u202f", "\u3000",
              "\uff0d", "\uff0e", "\uff0f", "\uff3f",
              # Dashes from autocorrect and word processors (hyphen, non-breaking hyphen, figure,
              # en and em dash, horizontal bar), the minus sign, small em dash and hyphen-minus.
              "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58",
              "\ufe63",
              # The other Unicode spaces: ogham, en quad to hair space (thin, en, em…), math.
              "\u1680", *map(chr, range(0x2000, 0x200B)), "\u205f")
# Invisible between two digits: zero-width characters, the soft hyphen, the invisible operators,
# the Mongolian vowel separator, the bidi marks (left-to-right, right-to-left, Arabic letter mark)
# and the bidi embedding, override and isolate controls a phone puts around a number it copies.
BIDI_CONTROLS = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                 "\u2066", "\u2067", "\u2068", "\u2069")
BIDI_MARKS = ("\u200e", "\u200f", "\u061c")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
              "\u2061", "\u2062", "\u2063", "\u2064", "\u180e", *BIDI_MARKS, *BIDI_CONTROLS)
# Where each script's digit zero is: ASCII, full-width (a Chinese keyboard in full-width mode),
# Arabic-Indic, Devanagari, mathematical bold.
ZEROS = (0x30, 0xFF10, 0x660, 0x966, 0x1D7CE)


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def written_in(zero: int, digits: str) -> str:
    return "".join(chr(zero + int(digit)) for digit in digits)


def full_width(digits: str) -> str:
    return written_in(0xFF10, digits)


def luhn_completed(body: str) -> str:
    return body + next(d for d in "0123456789" if luhn_valid(body + d))


def test_fixtures_are_what_they_claim():
    assert [len(card) for card in VALID] == [13, 15, 16, 16, 16, 19]
    assert all(luhn_valid(card) for card in VALID)
    assert not any(luhn_valid(number) for number in INVALID)
    # Nor are they a card with a stray digit: without their first or last digit they fail too.
    assert not any(is_card_number(n[1:]) or is_card_number(n[:-1]) for n in INVALID)
    assert all(luhn_valid(number) for number in NOT_CARDS) and len(MERCHANT_15) == 15
    assert all(map(str.isdecimal, (written_in(zero, "0123456789") for zero in ZEROS)))


def test_a_card_number_is_13_to_19_ascii_digits_led_by_2_to_9_passing_luhn():
    assert all(is_card_number(card) for card in VALID)
    assert not any(is_card_number(number) for number in INVALID + NOT_CARDS)
    assert not is_card_number(full_width(VISA_16)) and not is_card_number("4111 1111 1111 1111")
    assert not is_card_number("42222222222") and not is_card_number(VISA_16 + "111")


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
    # "5559 1234 5678 9019" is a card number too: the earliest start must win.
    assert is_card_number("4002555912345678") and is_card_number("5559123456789019")
    assert mask_card_numbers("4002 5559 1234 5678 9019") == ("****5678 9019", 1)
    assert mask_card_numbers("4111 1111 1111 1111 2024") == ("****1111 2024", 1)
    assert mask_card_numbers("exp 4111-1111-1111-1111 12-28") == ("exp ****1111 12-28", 1)


def test_a_card_number_inside_a_longer_unbroken_run_is_not_one():
    for text in (f"order 20{UNIONPAY_16}77", f"order 123{VISA_16}", f"{MASTERCARD_16}0000"):
        assert mask_card_numbers(text) == (text, 0)


@pytest.mark.parametrize(
    "text",
    [
        "客户电话13800138000",
        "call 138 0013 8000",
        "tel 138-0013-8000",
        "order 202611250000123456789012",  # 24 digits: longer than any card
        f"order {ORDER_16}",
        f"ref 55{VISA_16}",  # two digits in front are not a slip of the finger
        "date 2026-11-25, 2026/11/25, time 14:03:59",
        "amount 1,000.00 and 12,345,678,901,234.56",
        "batch 000123 trace 004567 terminal 12345678",
        "",
    ],
)
def test_phone_numbers_order_numbers_dates_and_amounts_are_left_alone(text):
    assert not luhn_valid("202611250000123456789012") and not luhn_valid(f"55{VISA_16}")
    assert mask_card_numbers(text) == (text, 0)


def test_an_already_masked_number_does_not_join_the_digits_after_it():
    # Without care, a second pass would see "5559 1234 5678 9019", a card number.
    assert is_card_number("5559123456789019") and not is_card_number("123456789019")
    once = clean("5500 0055 5555 5559 1234 5678 9019")
    assert once == Cleaned("****5559 1234 5678 9019", 1, False)
    assert clean(once.text) == Cleaned(once.text, 0, False)
    assert mask_card_numbers("卡尾号****5559 1234 5678 9019") == ("卡尾号****5559 1234 5678 9019", 0)


# --- card numbers however they are typed ------------------------------------------------------


def test_full_width_digits_from_a_chinese_keyboard_are_masked():
    assert mask_card_numbers(f"卡号{full_width(VISA_16)}刷不了") == ("卡号****1111刷不了", 1)
    grouped = "\u3000".join(full_width(VISA_16[i:i + 4]) for i in range(0, 16, 4))
    assert mask_card_numbers(f"卡号：{grouped}。") == ("卡号：****1111。", 1)


def test_full_width_and_ascii_digits_mixed_are_masked_and_the_last_four_shown_in_ascii():
    mixed = "4111" + full_width("1111") + "1111" + full_width("1236")
    assert is_card_number("4111111111111236")
    assert mask_card_numbers(f"x {mixed} y") == ("x ****1236 y", 1)


@pytest.mark.parametrize("zero", ZEROS, ids=["ascii", "full-width", "arabic", "devanagari", "bold"])
def test_card_numbers_in_any_script_of_digits_are_masked(zero):
    assert mask_card_numbers(f"卡 {written_in(zero, UNIONPAY_19)} 。") == ("卡 ****4569 。", 1)


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(s):04X}" for s in SEPARATORS])
def test_groups_joined_by_any_separator_are_masked(separator):
    grouped = separator.join(VISA_16[i:i + 4] for i in range(0, 16, 4))
    assert mask_card_numbers(f"卡号 {grouped} 。") == ("卡号 ****1111 。", 1)
    amex = separator.join(("3782", "822463", "10005"))
    assert mask_card_numbers(f"({amex})") == ("(****0005)", 1)


def test_every_unicode_space_joins_groups():
    spaces = [c for c in map(chr, range(0x110000)) if unicodedata.category(c) == "Zs"]
    assert len(spaces) >= 17 and not set(spaces) - set(SEPARATORS)
    for space in spaces:
        grouped = space.join(VISA_16[i:i + 4] for i in range(0, 16, 4))
        assert mask_card_numbers(f"卡号{grouped}。") == ("卡号****1111。", 1), f"U+{ord(space):04X}"


@pytest.mark.parametrize(
    "written",
    [
        "4111  1111  1111  1111",  # two spaces between groups
        "4111 - 1111 - 1111 - 1111",  # spaced dashes
        "4111 \u2013 1111 \u2014 1111 \u2212 1111",  # spaced dashes from autocorrect
        "4111 / 1111 . 1111 _ 1111",
        "4111\u3000\u30001111\u3000\u30001111\u3000\u30001111",
        "4111---1111 -\u00a01111\u2009\u2013\u20091111",  # three characters, mixed
        "4111 \u200b-\u200e 1111  \u2060 1111\u202f\u202f1111",  # invisible marks among them
    ],
)
def test_groups_joined_by_up_to_three_separator_characters_are_masked(written):
    assert mask_card_numbers(f"卡号：{written}。") == ("卡号：****1111。", 1)


@pytest.mark.parametrize(
    "text",
    [
        "4111    1111    1111    1111",  # four spaces: not one number
        "4111 - - 1111 - - 1111 - - 1111",
        "ref 4111 1111 end.\nnext 1111 1111",  # words between lines keep numbers apart
        "订单 4111 1111，1111 1111。",
    ],
)
def test_groups_further_apart_are_not_joined(text):
    assert mask_card_numbers(text) == (text, 0)


@pytest.mark.parametrize(
    ("written", "last_four"),
    [
        ("54111 1111 1111 1111", "1111"),  # a stray digit in front
        ("93782 822463 10005", "0005"),
        ("５４１１１\u3000１１１１\u3000１１１１\u3000１１１１", "1111"),
        ("5\u200e4111-1111-1111-1111", "1111"),  # an invisible mark does not part the stray
        ("4111 1111 1111 11117", "1111"),  # a stray digit after
        ("6212 3456 7890 1234 5690", "4569"),  # 19 digits and a stray
        ("5500 0055 5555 55590", "5559"),
        ("4 2 2 2 2 2 2 2 2 2 2 2 27", "2222"),
        ("4111 - 1111 - 1111 - 11110", "1111"),
    ],
)
def test_a_stray_digit_typed_against_a_grouped_card_does_not_hide_it(written, last_four):
    assert mask_card_numbers(f"x {written} y") == (f"x ****{last_four} y", 1)
    assert mask_card_numbers(written) == (f"****{last_four}", 1)


def test_the_card_reaching_furthest_wins_even_with_a_stray_digit():
    # "54000 0007 0000" less nothing is a card (13 digits), and so is "4000 0007 0000 0005",
    # typed with a stray 5 in front: masking the first would show eight digits of the second.
    assert is_card_number("5400000070000") and is_card_number("4000000700000005")
    assert mask_card_numbers("54000 0007 0000 0005") == ("****0005", 1)
    # The same after: 4111 1111 1111 1111 is a card, and so is 4111…1111 128, typed with a 7.
    assert is_card_number("4111111111111111128")
    assert mask_card_numbers("4111 1111 1111 1111 1287") == ("****1128", 1)


def test_a_digit_apart_from_a_grouped_card_is_not_a_stray_and_stays():
    # Nor does "5" + the card's groups make a card, or "5" + all but the last digit.
    assert not is_card_number("5" + VISA_16) and not is_card_number("5" + VISA_16[:-1])
    assert not is_card_number("54111111111111111"[:13])
    assert mask_card_numbers("5 4111 1111 1111 1111") == ("5 ****1111", 1)
    assert mask_card_numbers("4111 1111 1111 1111 7") == ("****1111 7", 1)


def test_a_stray_digit_beside_a_grouped_card_inside_a_longer_run_is_found():
    assert mask_card_numbers("ref 12 54111 1111 1111 1111 / 12") == ("ref 12 ****1111 / 12", 1)


def test_a_grouped_merchant_number_with_a_stray_digit_is_left_alone():
    for text in ("商户号 91021 0000 0123 450", "商户号 1021 0000 0123 4508",
                 "商户号 1021 0000 0123 45089"):
        assert mask_card_numbers(text) == (text, 0)


@pytest.mark.parametrize("zero_width", ZERO_WIDTH, ids=[f"U+{ord(z):04X}" for z in ZERO_WIDTH])
def test_zero_width_characters_between_digits_do_not_hide_a_card(zero_width):
    between_every_digit = zero_width.join(VISA_16)
    assert mask_card_numbers(f"a {between_every_digit} b") == ("a ****1111 b", 1)
    around_a_separator = f"4111{zero_width} 1111 {zero_width}1111{zero_width}-{zero_width}1111"
    assert mask_card_numbers(around_a_separator) == ("****1111", 1)
    several = f"41{zero_width * 3}11 1111{zero_width}{zero_width} 1111 1111"
    assert mask_card_numbers(several) == ("****1111", 1)


def test_a_number_copied_on_a_phone_is_masked_and_its_bidi_controls_removed():
    # iOS puts LEFT-TO-RIGHT OVERRIDE … POP DIRECTIONAL FORMATTING around a number it copies.
    assert clean("\u202d4111 1111 1111 1111\u202c") == Cleaned("****1111", 1, True)
    assert clean("卡号\u202d4111\u202c 1111 1111 1111") == Cleaned("卡号****1111", 1, True)
    assert mask_card_numbers("\u202d4111\u202c 1111 1111 1111") == ("\u202d****1111", 1)


def test_left_to_right_marks_stay_as_text_but_do_not_hide_a_card():
    assert clean("4111\u200e1111\u200e1111\u200e1111") == Cleaned("****1111", 1, False)
    assert clean("\u200f4111\u200f1111\u061c1111 1111\u200e") == Cleaned(
        "\u200f****1111\u200e", 1, False)
    text = "עברית\u200e 95533 \u200fعربي\u061c 138-0013-8000"
    assert clean(text) == Cleaned(text, 0, False)


def test_zero_width_characters_outside_the_number_are_kept():
    text = f"\u200b{VISA_16}\u200b 还有 \u200b"
    assert mask_card_numbers(text) == ("\u200b****1111\u200b 还有 \u200b", 1)


@pytest.mark.parametrize("stray", ["9", "1", "0", "\uff19"])
def test_a_stray_digit_typed_in_front_of_a_card_does_not_hide_it(stray):
    assert not is_card_number(str(int(stray)) + VISA_16)
    assert mask_card_numbers(f"卡号{stray}{VISA_16}。") == ("卡号****1111。", 1)
    assert mask_card_numbers(f"卡号{stray}{full_width(MASTERCARD_16)}") == ("卡号****5559", 1)


@pytest.mark.parametrize("stray", ["0", "7", "\uff10"])
def test_a_stray_digit_typed_after_a_card_does_not_hide_it(stray):
    assert mask_card_numbers(f"card {VISA_16}{stray} declined") == ("card ****1111 declined", 1)
    assert mask_card_numbers(f"{UNIONPAY_19}{stray}") == ("****4569", 1)  # 20 digits
    assert mask_card_numbers(f"{CARD_13}\u200b{stray}") == ("****2222", 1)


def test_a_stray_digit_beside_a_card_inside_a_longer_run_of_groups_is_found():
    text = f"2026 9{VISA_16} 12/28"
    assert mask_card_numbers(text) == ("2026 ****1111 12/28", 1)


@pytest.mark.parametrize("number", NOT_CARDS)
def test_numbers_led_by_1_or_0_pass_luhn_but_are_not_cards(number):
    grouped = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    for written in (number, grouped, full_width(number)):
        assert mask_card_numbers(f"商户号 {written} 。") == (f"商户号 {written} 。", 0)


def test_a_merchant_number_with_a_digit_before_or_after_is_left_alone():
    for text in (f"9{MERCHANT_15}", f"{MERCHANT_15}8", f"9{ONE_LED_16}", f"{ONE_LED_16}0"):
        assert mask_card_numbers(text) == (text, 0)


def test_a_28_digit_transaction_id_is_not_split_into_cards():
    for written in (WECHAT_28, full_width(WECHAT_28), "\u200b".join(WECHAT_28)):
        assert mask_card_numbers(f"交易单号 {written} 。") == (f"交易单号 {written} 。", 0)
    # Runs longer than a card and a stray digit are order or transaction numbers, even when
    # a card number starts them.
    for length in range(21, 29):
        assert mask_card_numbers(VISA_16.ljust(length, "0")) == (VISA_16.ljust(length, "0"), 0)


def test_masked_card_numbers_are_counted_in_every_form():
    zero_width_between = "\u200b".join(UNIONPAY_16)
    text = (f"{full_width(VISA_16)}、{AMEX_15[:4]}.{AMEX_15[4:]}、9{MASTERCARD_16}、"
            f"{CARD_13}0、{zero_width_between}、{MERCHANT_15}")
    cleaned = clean(text)
    assert cleaned.text == f"****1111、****0005、****5559、****2222、****0016、{MERCHANT_15}"
    assert cleaned.masked == 5 and not cleaned.stripped


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
        # Bidi embedding, override and isolate controls ("Trojan source"): they reorder what a
        # terminal shows after them.
        ("ref \u202e1234-REF", "ref 1234-REF"),
        ("\u2066isolated\u2069 \u202aembedded\u202c \u202bRTL\u202c", "isolated embedded RTL"),
        ("\u2067\u2068x\u202d", "x"),
    ],
)
def test_control_characters_and_escape_sequences_are_removed(raw, kept):
    assert strip_control(raw) == kept
    assert clean(raw) == Cleaned(kept, 0, True)


def test_bidi_controls_in_text_read_back_are_removed():
    record = {"notes": [{"text": "ref \u202e1234-REF"}], "\u2067key": "\u200evalue"}
    assert clean_stored(record) == {"notes": [{"text": "ref 1234-REF"}], "key": "\u200evalue"}


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
        ("4321 " * 209_715, 1_048_575),  # led by 4: every group starts a candidate
        ("9 " * (MEGABYTE // 2), MEGABYTE),
        ("\uff19\u3000" * (MEGABYTE // 2), MEGABYTE),
        ("9\u200b" * (MEGABYTE // 2), MEGABYTE),
        ("9\u200b.\u200b" * (MEGABYTE // 4), MEGABYTE),
        ("9" + "\u200b" * MEGABYTE, MEGABYTE + 1),
        ("9." + "\u200b" * MEGABYTE, MEGABYTE + 2),
        ("\u200b9" * (MEGABYTE // 2), MEGABYTE),
        ("9" * MEGABYTE, MEGABYTE),
        ("98765432109876541 " * 58_255, 18 * 58_255),  # 17 digits: neither a card nor a slip
        (f"9{VISA_16} " * 58_255, 9 * 58_255),  # a card with a stray digit, over and over
        ("1 - " * 300_000, 1_200_000),  # three separator characters between every digit
        ("9 \u2013 " * 262_144, MEGABYTE),
        ("9\u2009\u200e" * 349_525, 1_048_575),
        ("9\u200e" * (MEGABYTE // 2), MEGABYTE),
        ("9\u202d" * (MEGABYTE // 2), MEGABYTE // 2),  # controls stripped: one run of nines
        ("9" + "\u202e" * MEGABYTE, 1),
        ("9" + " \u200e" * (MEGABYTE // 2), MEGABYTE + 1),  # a long tail that never joins
        ("98765 " * 174_762, 6 * 174_762),  # every group may start a card or hide a stray
        ("54111 1111 1111 1111\n" * 49_932, 9 * 49_932),  # a stray digit in front, over and over
    ],
    ids=["groups", "single-digits", "dashes", "open-csi", "open-osc", "c1-osc", "osc-mix",
         "groups-led-by-4", "nines", "full-width", "zero-width", "zero-width-dots",
         "zero-width-tail", "zero-width-dot-tail", "zero-width-first", "one-run", "17-digit-runs",
         "stray-digit-cards", "spaced-dashes", "en-dashes", "thin-spaces-and-marks", "marks",
         "overrides", "override-tail", "mark-tail", "five-digit-groups", "stray-grouped-cards"],
)
def test_a_megabyte_of_text_is_handled_quickly(text, kept):
    assert not luhn_valid("1234" * 4) and not luhn_valid("4321" * 4)
    assert not any(luhn_valid("9" * n) for n in range(13, 20))
    assert not any(is_card_number(d) for d in ("98765432109876541", "8765432109876541",
                                               "9876543210987654"))
    # Three groups of "98765" are no card, nor are two to four of them less a stray digit.
    fives = "98765" * 4
    assert not any(is_card_number(fives[start:end])
                   for start, end in ((0, 15), (1, 15), (0, 14), (1, 20), (0, 19)))
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

CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)])) + "".join(BIDI_CONTROLS)
# Mostly digits, separators, stars and escape-sequence material, so that masking really happens.
busy_text = st.text(alphabet=st.sampled_from(
    "0123456789  --**[]\x1b\x07\x9b\r\n\t;a卡"
    "45679０４５９\u0664./_\u00a0\u3000\uff0d\u200b\u00ad\ufeff"
    "\u2013\u2212\u2009\u205f\u200e\u200f\u061c\u202d\u202c\u202e\u2066\u2069"))
any_text = st.one_of(st.text(), busy_text)


@st.composite
def typed_cards(draw) -> tuple[str, str]:
    """(as typed, its ASCII digits): a card number in any of the forms a person may type one:
    digits of any script, grouped or not, with one to three separators between groups, invisible
    characters between any two digits and among the separators, and perhaps a stray digit
    straight in front of it or after it."""
    length = draw(st.integers(13, 19))
    body = draw(st.sampled_from("23456789")) + draw(st.text("0123456789", min_size=length - 2,
                                                             max_size=length - 2))
    digits = luhn_completed(body)
    written = [written_in(draw(st.sampled_from(ZEROS)), digit) for digit in digits]
    invisible = st.text(st.sampled_from(ZERO_WIDTH), max_size=2)
    for gap in range(1, length):  # written[gap] is what comes before the digit at `gap`
        joint = draw(invisible)
        for _ in range(draw(st.sampled_from((0, 0, 0, 0, 0, 1, 1, 2, 3)))):
            joint += draw(st.sampled_from(SEPARATORS)) + draw(invisible)
        written[gap] = joint + written[gap]
    stray = draw(st.sampled_from(("", "front", "after")))
    if stray:
        extra = written_in(draw(st.sampled_from(ZEROS)), draw(st.sampled_from("0123456789")))
        extra += draw(st.text(st.sampled_from(ZERO_WIDTH), max_size=1))
        written = [extra, *written] if stray == "front" else [*written, extra[::-1]]
    return "".join(written), digits


# Text around a card that cannot swallow it (an OSC string could run over it into the next BEL).
plain_text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")))


@given(typed_cards())
@example((f"9{VISA_16}", VISA_16))
@example((f"{VISA_16}0", VISA_16))
@example(("4\u200b\u00ad \ufeff111 1111 1111 1111", VISA_16))
def test_a_card_in_any_typed_form_keeps_only_its_last_four_digits(card):
    typed, digits = card
    cleaned = clean(typed)
    assert re.fullmatch(r"\*\*\*\*[0-9]{4}", cleaned.text) and cleaned.masked == 1
    assert digits not in digits_of(cleaned.text)


@given(plain_text, typed_cards(), plain_text)
def test_no_card_number_in_any_typed_form_survives_among_words(before, card, after):
    typed, digits = card
    masked = clean(typed).text
    assert re.fullmatch(r"\*\*\*\*[0-9]{4}", masked)
    assert f"卡号{masked}。" in clean(f"{before}卡号{typed}。{after}").text


@given(typed_cards(), st.integers(52, 300))
def test_a_card_after_a_long_run_of_digit_groups_is_masked_the_same(card, ones):
    # Past 64 digits a run is searched by prefix sums rather than one candidate at a time.
    typed, _ = card
    assert clean("1 " * ones + typed).text == "1 " * ones + clean(typed).text


@given(any_text, typed_cards(), any_text)
@example("4111 1111 1111 1111 1234 5678 9012 2", (VISA_16, VISA_16), "")
@example("****4111111111111111 1234 5678 9012 2", (VISA_16, VISA_16), "")
@example("5500 0055 5555 5559 1234 5678 9019", (VISA_16, VISA_16), "")
@example(f"2345 6789 0123 9{VISA_16}", (VISA_16, VISA_16), "")  # 2345678901239 is a card
@example(f"2345 6789 0123 {VISA_16}9", (VISA_16, VISA_16), "")
def test_cleaning_twice_changes_nothing_more(before, card, after):
    for text in (before, f"{before}{card[0]}{after}"):
        once = clean(text).text
        assert clean(once) == Cleaned(once, 0, False)


@given(any_text)
def test_no_removed_control_character_survives(text):
    cleaned = clean(text).text
    assert not any(c in CONTROLS and c not in "\n\t" for c in cleaned)
    assert "\x1b" not in strip_control(text) and "\r" not in strip_control(text)


@given(any_text)
def test_no_bare_card_number_survives(text):
    for run in re.findall(r"(?<!\d)\d{13,20}(?!\d)", clean(text).text):
        digits = "".join(str(int(d)) for d in run)
        assert not any(map(is_card_number, (digits, digits[1:], digits[:-1])))


@given(st.text(), st.sampled_from(VALID), st.text())
def test_a_card_between_words_never_survives(before, card, after):
    cleaned = clean(f"{before}卡号{card}。{after}")
    assert card not in cleaned.text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Nd"),
                                      blacklist_characters=BIDI_CONTROLS)))  # controls too
def test_text_without_digits_or_controls_is_kept_exactly(text):
    assert clean(text) == Cleaned(text, 0, False)


# --- text leaving posdesk ------------------------------------------------------------------------

# (A low surrogate first: a high one then a low one would read back as one character.)
RAW_IN_JSON = "\x7f\x80\x85\x9b\x9f\u2028\u2029\udcff\ud800"


def test_json_keeps_chinese_and_escapes_what_a_reader_could_trip_on():
    value = {"备注": f"打印机\x85卡纸\x9b2J{RAW_IN_JSON}", "\u2028key": ["\x7f", 1, None]}
    written = json_text(value)
    assert "打印机" in written and "备注" in written  # Chinese as Chinese
    assert not any(c in written for c in RAW_IN_JSON)
    assert "\\u0085" in written and "\\u2028" in written and "\\udcff" in written
    assert json.loads(written) == value
    written.encode("utf-8")  # no lone surrogate left to stop it being written


def test_json_text_is_what_json_dumps_writes_when_nothing_needs_escaping():
    value = [{"a": "顾客 🙂 \t\n\x1b", "b": 1.5}]
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)
    assert json_text(value, indent=None) == json.dumps(value, ensure_ascii=False)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_text_reads_back_exactly_and_never_holds_a_raw_control(value):
    written = json_text(value)
    assert json.loads(written) == value
    assert not any(c in written for c in RAW_IN_JSON) and not re.search("[\ud800-\udfff]", written)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=[f"U+{ord(s):04X}" for s in FORMULA_STARTS])
def test_a_csv_cell_that_could_run_as_a_formula_is_shown_as_text(start):
    cell = f"{start}HYPERLINK(\"http://evil.example\",\"点我\")"
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "95533", "顾客 = 老板", "'quoted", " =1+1", "a-b", "[b]"])
def test_other_csv_cells_are_kept_exactly(cell):
    assert csv_cell(cell) == cell


def hostile_incidents() -> list[Incident]:
    """Two incidents as a hand-edited file could hold them, with formula-like text wherever text
    from the record reaches a CSV column, and controls a JSON reader could trip on. Made
    directly: the desk would refuse the id and the first time (see test_hostile_records), but
    the exports must be safe whatever incident they are handed."""
    def record(number, title, terminal, events):
        return Incident(
            id=number, topic_id="fault.network", topic_title=Text(title, title), kb_version="1",
            step_count=3, terminal=terminal,
            events=tuple(Event(e.pop("kind"), e.pop("at"), e) for e in events))

    escalated = record("=1+2", "+SUM(A1:A9)", "-2+3", [
        {"kind": "opened", "at": "@SUM(1)"},  # not a time: shown as it is
        {"kind": "note", "at": "2026-11-25T14:04:00+08:00", "text": f"ok{RAW_IN_JSON}"},
        {"kind": "escalated", "at": "2026-11-25T14:05:00+08:00", "hotline": "95533",
         "note": "\x85", "reference": "\t=cmd|' /C calc'!A0"},
    ])
    resolved = record("＝1+2", "－1", "\r=1", [
        {"kind": "opened", "at": "2026-11-25T14:03:00+08:00"},
        {"kind": "escalated", "at": "2026-11-25T14:04:00+08:00", "hotline": "95533",
         "reference": "＠evil"},
        # Closed five minutes before it opened (a clock put back): no negative duration.
        {"kind": "resolved", "at": "2026-11-25T13:58:00+08:00", "resolution": "bank"},
    ])
    return [escalated, resolved]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_csv_export_neutralises_formula_like_text_in_every_column(lang):
    text = incidents_csv(hostile_incidents(), lang)
    heading, escalated, resolved = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    for row in (heading, escalated, resolved):
        assert len(row) == 12
        assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)]
    assert escalated[0:4] == ["'=1+2", "'@SUM(1)", "'+SUM(A1:A9)", "'-2+3"]
    assert escalated[10] == "'\t=cmd|' /C calc'!A0"
    assert resolved[0:4] == ["'＝1+2", "2026-11-25 14:03", "'－1", "'\r=1"]
    assert resolved[7].startswith("0 ") and resolved[8] == "0" and resolved[10] == "'＠evil"


def test_a_json_export_escapes_c1_controls_and_line_separators():
    incidents = hostile_incidents()
    written = incidents_json(incidents)
    assert not any(c in written for c in RAW_IN_JSON)
    assert written.endswith("]\n")
    data = json.loads(written)
    assert data == [incident.to_dict() for incident in incidents]
    assert data[0]["notes"][0]["text"] == f"ok{RAW_IN_JSON}"


def test_json_on_the_command_line_escapes_line_separators_and_keeps_chinese(desk, home, capsys):
    incident = desk.start_incident("fault.network")
    desk.add_note(incident.id, "第一行\u2028第二行\u2029完")
    assert main(["--home", str(home), "incidents", "show", incident.id, "--json"]) == 0
    out = capsys.readouterr().out
    assert "\u2028" not in out and "\u2029" not in out and "第一行\\u2028第二行" in out
    assert json.loads(out)["notes"][0]["text"] == "第一行\u2028第二行\u2029完"
