"""Card numbers: found however they are typed, and masked to their last four digits, as PCI DSS
asks of a merchant that has no need to keep them."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate

from posdesk.privacy.controls import _BIDI_CONTROLS

MASK = "****"  # what stands for a card number's hidden digits
# Joined by these, digits stay one number: how people group a card number on paper, on a phone,
# in a word processor or on a Chinese keyboard in full-width mode. Every Unicode space (category
# Zs: no-break, ogham, en quad to hair space — thin, en, em, figure… —, narrow no-break, math,
# ideographic); - . / _; the dashes autocorrect puts in (hyphen, non-breaking hyphen, figure, en
# and em dash, horizontal bar, small em dash, small hyphen-minus) and the minus sign; full-width
# － ． ／ ＿; and a tab or a line break, for a number pasted from a spreadsheet or typed a group a
# line into a multi-line note.
_SEPARATORS = ("\t\n \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
               "\u202f\u205f\u3000-./_\u2010\u2011\u2012\u2013\u2014\u2015\ufe58\ufe63\u2212"
               "\uff0d\uff0e\uff0f\uff3f")
# Invisible characters a paste or a phone may leave between any two digits: zero-width ones, the
# soft hyphen, the invisible operators (U+2061–U+2064), the Mongolian vowel separator, the bidi
# marks, and the bidi controls (an iPhone puts U+202D … U+202C around a number it copies), which
# clean() has removed already but mask_card_numbers alone must see through.
_INVISIBLE = ("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
              "\ufeff" + _BIDI_CONTROLS)
# What may stand between two digits of one number: invisible characters, and up to three
# separators among them ("  ", " - "): more would join numbers a sentence apart. Possessive, and
# no two parts can take the same character, so a run of invisible characters is read once, never
# split between parts, and a failed join gives back at most its own few characters: linear.
_JOIN = rf"[{_INVISIBLE}]*+(?:[{re.escape(_SEPARATORS)}][{_INVISIBLE}]*+){{0,3}}+"
# \d is any Unicode decimal digit: ASCII, full-width ０–９, Arabic-Indic, … A card number is
# looked for in each run of digits so joined. \d++ takes a group's digits at once.
_DIGIT_RUN = re.compile(rf"\d++(?:{_JOIN}\d++)*+")
_TO_SPACE = str.maketrans(dict.fromkeys(_SEPARATORS, " "))


class _AsciiDigits(dict):
    """A str.translate table: every decimal digit to its ASCII digit, invisible characters
    dropped. Filled as digits are met, so no table of all of Unicode is built up front."""

    def __missing__(self, code: int) -> int:
        self[code] = value = ord("0") + unicodedata.decimal(chr(code))
        return value


_ASCII_DIGITS = _AsciiDigits(dict.fromkeys(map(ord, _INVISIBLE)))
# Luhn doubles every second digit from the right; doubling a digit and adding up its digits:
_DOUBLED = bytes.maketrans(b"0123456789", bytes([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]))
_PLAIN = bytes.maketrans(b"0123456789", bytes(range(10)))
_PLUS_TEN = bytes.maketrans(bytes(range(10)), bytes(range(10, 20)))


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn check (anything else does not)."""
    if not (digits.isascii() and digits.isdigit()):
        return False
    raw = digits[::-1].encode()
    return (sum(raw[0::2].translate(_PLAIN)) + sum(raw[1::2].translate(_DOUBLED))) % 10 == 0


def is_card_number(digits: str) -> bool:
    """Whether a string of ASCII digits is a card number: 13–19 digits, led by 2–9, passing Luhn.

    0 and 1 lead no payment card (they are not card-industry identifiers); leaving them out keeps
    a bank acquirer's 15-digit merchant number (商户号, led by 1) from being taken for one.
    """
    return 13 <= len(digits) <= 19 and digits[0] >= "2" and luhn_valid(digits)


def mask_card_numbers(text: str) -> tuple[str, int]:
    """Each card number becomes "****" and its last four digits; returns the text and the count.

    A card number (see `is_card_number`) is found however it is typed: in any script's decimal
    digits (full-width ０–９ from a Chinese keyboard, mixed with ASCII), in groups joined by up to
    three separators (any Unicode space, - . / _, dashes and the minus sign, the full-width
    － ． ／ ＿: "4111 1111", "4111  1111", "4111 – 1111"), with invisible characters (zero-width
    ones, bidi marks and controls) between any two digits. It has no digit directly before or
    after it, with one exception: a slip of the finger, one stray digit straight in front of its
    first group or after its last ("54111 1111 1111 1111", "94111111111111111"), is masked with
    it. A group of one digit is not a stray but a number of its own. Unbroken groups longer
    than a card and a stray digit (order numbers, 28-digit WeChat and Alipay transaction ids)
    are never split into cards.

    Inside a run of groups the earliest group that starts a card number wins, with the card
    number from there that reaches furthest, a stray digit included (whole groups first, then a
    stray in front, then one after, when two reach as far): "4111 1111 1111 1111 2024" becomes
    "****1111 2024". The last four digits are written in ASCII.
    """
    pieces: list[str] = []
    masked = 0
    done = 0  # text[:done] is already in pieces
    for run in _DIGIT_RUN.finditer(text):
        if run.end() - run.start() < 13:  # cannot hold 13 digits: the common case, made cheap
            continue
        # What stands between separators as typed (invisible characters and all), then as ASCII
        # digits alone. Two separators in a row leave an empty piece, or one of invisible
        # characters alone: not a group.
        written = run.group().translate(_TO_SPACE).split(" ")
        groups = written if run.group().isascii() else [g.translate(_ASCII_DIGITS) for g in written]
        kept = None  # which pieces are groups, when not all are
        if "" in groups:
            kept = [k for k, group in enumerate(groups) if group]
            groups = [groups[k] for k in kept]
        skip = 0
        if len(groups[0]) == 4 and text.endswith(MASK, 0, run.start()):
            # "****1234" is a number masked already (ours, or copied from a receipt). Its four
            # digits must not join the groups after them into a new "card": clean() would then
            # not be idempotent.
            skip = 1
        found = _cards(groups, skip)
        if not found:
            continue
        # Piece k starts at offset starts[k] of the run: pieces are parted by one separator.
        starts = list(accumulate((len(piece) + 1 for piece in written), initial=run.start()))
        for first, last, last_four in found:
            if kept is not None:
                first, last = kept[first], kept[last]
            start = starts[first] + _leading_invisible(written[first])
            end = starts[last + 1] - 1 - _trailing_invisible(written[last])
            pieces += (text[done:start], MASK, last_four)
            done = end
            masked += 1
    if not masked:
        return text, 0
    pieces.append(text[done:])
    return "".join(pieces), masked


def _leading_invisible(group: str) -> int:
    return len(group) - len(group.lstrip(_INVISIBLE))


def _trailing_invisible(group: str) -> int:
    return len(group) - len(group.rstrip(_INVISIBLE))


def _cards(groups: list[str], skip: int) -> list[tuple[int, int, str]]:
    """(first group, last group, last four digits) of each card number in a run of groups.

    `groups` are the run's groups as ASCII digits; `skip` groups at the start may not be part of
    a card number.
    """
    digits = "".join(groups)
    if len(digits) < 13:
        return []
    # bounds[k]: offset in `digits` where group k starts (bounds[-1] == len(digits)), so a
    # candidate made of groups i..k-1 is digits[bounds[i]:bounds[k]].
    bounds = list(accumulate(map(len, groups), initial=0))
    # Where a card number may end: where a group ends, or a digit before (a stray after it).
    # ends[2k + 1] == bounds[k] and ends[2k] == bounds[k] - 1, in order; where group k - 1 is a
    # single digit, ends[2k] == ends[2k - 1] and only the card without that digit counts.
    ends = [0] * (2 * len(bounds))
    ends[1::2] = bounds
    ends[0::2] = [end - 1 for end in bounds]
    last_card = _card_search(digits, ends, bounds)
    found = []
    i = skip
    while i < len(groups):
        a, b = bounds[i], bounds[i + 1]
        best = -1  # in ends, where the card number from this group reaching furthest ends
        if digits[a] >= "2":  # whole groups, or a stray digit after the last of them
            lo = bisect_left(ends, a + 13, 2 * i + 2)
            best = last_card(a, ends, lo, bisect_right(ends, a + 19, lo) - 1)
        if b - a >= 2 and digits[a + 1] >= "2":  # a stray digit in front (not a group of its own)
            # Only a card reaching further counts, or as far when the best has a stray after.
            lo = bisect_left(bounds, a + 14, max(i + 1, (best + 1) >> 1))
            k = last_card(a + 1, bounds, lo, bisect_right(bounds, a + 20, lo) - 1)
            if k >= 0:
                best = 2 * k + 1
        if best < 0:
            i += 1
            continue
        end, last = ends[best], (best >> 1) - 1
        found.append((i, last, digits[end - 4:end]))
        i = last + 1
    return found


def _card_search(digits: str, ends: list[int], bounds: list[int]) -> Callable[
        [int, list[int], int, int], int]:
    """A search of a run's digits: for `positions` (`ends` or `bounds`), the largest index in
    lo..hi for which digits[start:positions[index]] passes Luhn, or -1 (its first digit, 2–9,
    and its length are the caller's to check). A position equal to the one before it is the
    same card as that one, and is not counted twice."""
    if len(digits) <= 64:  # a card number or two, written out: checked one by one

        def last_card(start: int, positions: list[int], lo: int, hi: int) -> int:
            for index in range(hi, lo - 1, -1):
                end = positions[index]
                if end != positions[index - 1] and luhn_valid(digits[start:end]):
                    return index
            return -1

        return last_card
    # A run may hold a million single-digit groups, each starting candidates that end at up to
    # seven places, whole or with a stray digit, so the Luhn sum of any slice comes from prefix
    # sums in O(1) instead of being recomputed.
    # The rightmost digit of a slice is never doubled: in sums[1] digits at even offsets are
    # plain, in sums[0] those at odd offsets; digits[start:end] passes Luhn when
    # sums[end & 1][end] and sums[end & 1][start] are equal modulo 10.
    raw = digits.encode()
    plain, doubled = raw.translate(_PLAIN), raw.translate(_DOUBLED)
    plain_even, plain_odd = bytearray(plain), bytearray(doubled)
    plain_even[1::2], plain_odd[1::2] = doubled[1::2], plain[1::2]
    sums = [[total % 10 for total in accumulate(weighted, initial=0)]
            for weighted in (plain_odd, plain_even)]
    # What a slice ending at each offset needs to pass: sums[0] modulo 10 for an even end,
    # 10 + sums[1] modulo 10 for an odd one; then the same at each position a card may end
    # (ends[0] is -1, never searched). The last candidate that passes is then found by two
    # searches of a few bytes, in C.
    needs = bytearray(sums[0])
    needs[1::2] = bytes(sums[1][1::2]).translate(_PLUS_TEN)
    at_ends = bytes(map(needs.__getitem__, ends))
    at_bounds = bytes(map(needs.__getitem__, bounds))

    def last_card(start: int, positions: list[int], lo: int, hi: int) -> int:
        table = at_ends if positions is ends else at_bounds
        index = max(table.rfind(sums[0][start], lo, hi + 1),
                    table.rfind(10 + sums[1][start], lo, hi + 1))
        if index > 0 and positions[index] == positions[index - 1]:
            index -= 1  # the same digits as the card ending at the position before
        return index

    return last_card
