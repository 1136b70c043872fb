"""What every free text typed by a person passes before it is stored, and what text passes on its
way out of posdesk.

Two things go on the way in: terminal control sequences and bidi embedding, override and isolate
controls, so that stored text can never drive or reorder what a terminal, a report or the command
line later shows ("Trojan source"), and card numbers, which PCI DSS forbids a merchant to keep where
they are not needed (a help-desk note never needs one): a card number keeps only its last four
digits, however it was typed (see `mask_card_numbers`). Everything else — Chinese, emoji, Rich
markup such as "[bold]", leading and trailing spaces — is kept exactly as typed; the screens show
it as plain text.

On the way out, `json_text` writes JSON that no reader can trip on and `csv_cell` keeps a
spreadsheet from running a cell as a formula.

Stdlib only; every regular expression here runs in linear time, so a megabyte pasted into a note
cannot hang the desk.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

__all__ = [
    "Cleaned", "clean", "clean_stored", "csv_cell", "is_card_number", "json_text", "luhn_valid",
    "mask_card_numbers", "strip_control",
]


@dataclass(frozen=True)
class Cleaned:
    text: str  # the text to store
    masked: int  # how many card numbers were masked
    stripped: bool  # whether any control characters / escape sequences were removed


def clean(text: str) -> Cleaned:
    """The text as it may be stored.

    Controls go first, so that an escape sequence inside a card number cannot hide it.
    """
    if not _may_change(text):
        return Cleaned(text, 0, False)
    stripped, removed = _strip(text)
    masked_text, masked = mask_card_numbers(stripped)
    return Cleaned(masked_text, masked, removed)


def clean_stored(value: object, seen: dict[str, str] | None = None) -> object:
    """A record read back from a file, every text in it (keys too) cleaned as if just typed.

    What was typed into posdesk is clean already; a restored, hand-edited or synced file may not
    be, and nothing read from one may reach a terminal or a report as a control sequence or a
    full card number. Other values (numbers, booleans, None) are kept as they are.

    Many records read at once share `seen`, which remembers each distinct text cleaned: a
    history repeats the same keys, kinds, titles and empty notes thousands of times. An object
    or list in which nothing changed is given back as it is, not copied.
    """
    return _clean_value(value, {} if seen is None else seen)


def _clean_value(value: object, seen: dict[str, str]) -> object:
    if isinstance(value, str):
        return _clean_text(value, seen)
    if isinstance(value, dict):
        cleaned: dict | None = None  # made at the first change, with what came before it
        for key, item in value.items():
            # Texts straight in an object are most of a history: looked up here, not called.
            new_key = seen.get(key) if type(key) is str else None
            if new_key is None:
                new_key = _clean_value(key, seen)
            new_item = seen.get(item) if type(item) is str else None
            if new_item is None:
                new_item = _clean_value(item, seen)
            if cleaned is None:
                # Equal texts are not always the same object (json makes each value anew).
                if new_key == key and (new_item is item or type(item) is str and new_item == item):
                    continue
                cleaned = {}
                for earlier, kept in value.items():
                    if earlier is key:
                        break
                    cleaned[earlier] = kept
            cleaned[new_key] = new_item
        return value if cleaned is None else cleaned
    if isinstance(value, list):
        items = [_clean_value(item, seen) for item in value]
        return value if all(new is old for new, old in zip(items, value)) else items
    return value


def _clean_text(text: str, seen: dict[str, str]) -> str:
    known = seen.get(text)
    if known is None:
        known = seen[text] = clean(text).text if _may_change(text) else text
    return known


# ---------------------------------------------------------------------------------------------
# Control characters and terminal escape sequences

# One alternation, tried in this order at each position. No two quantified parts can match the
# same character, so a failed attempt backtracks at most over its own run: linear overall.
_CONTROL = re.compile(
    # CSI: ESC [ or 8-bit CSI, parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
    # The final is optional so that a sequence cut short does not leave its parameters behind.
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    # OSC, DCS, SOS, PM, APC (7- and 8-bit): a string of printable characters ended by BEL,
    # ESC \ or ST. The payload cannot contain a control, so every attempt stops at the next
    # control character. Without its terminator only the introducer goes (next branches) and
    # the rest of the note is kept as harmless text rather than silently dropped.
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)"
    # Any other escape: ESC, intermediates, final (ESC c, ESC 7, ESC ( B, or a lone ESC).
    r"|\x1b[ -/]*[0-~]?"
    # Every other C0 control but tab, newline and carriage return (normalised below), DEL, C1,
    # and the bidi embedding, override and isolate controls (see _BIDI_CONTROLS).
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
# Left-to-right and right-to-left embedding, pop, overrides (U+202A–U+202E) and isolates
# (U+2066–U+2069): each reorders everything after it up to the line's end, so "ref \u202e1234"
# can show digits or a command backwards. The bidi marks (U+200E, U+200F, U+061C) reorder
# nothing beyond themselves and stay, as text written in Hebrew or Arabic needs them.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def strip_control(text: str) -> str:
    """The text without control characters, bidi embedding, override and isolate controls, or
    escape sequences; line ends become "\\n"."""
    return _strip(text)[0]


# A lone surrogate cannot be written as UTF-8: it would stop the note from being saved at all.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _strip(text: str) -> tuple[str, bool]:
    text, removed = _CONTROL.subn("", text)
    text, surrogates = _SURROGATE.subn("\ufffd", text)
    removed += surrogates
    # After removal, so that "\r" + an escape sequence + "\n" is still one line end. Normalising
    # line ends does not count as stripping: text pasted from Windows is not suspicious.
    return text.replace("\r\n", "\n").replace("\r", "\n"), removed > 0


# ---------------------------------------------------------------------------------------------
# Card numbers

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

# clean_stored() cleans every text of every record it reads, and most need nothing done, so
# telling that must cost next to nothing. A text can change only if it holds a control character
# (a bidi control too), a lone surrogate, or 13 characters in a row that are digits or may join
# digits (the fewest a card number spans). ASCII text is checked on its bytes in three C-speed
# steps, each byte mapped to 0 (a control that clean() removes or turns into "\n"), "0" (a digit
# or a separator) or " "; other text by two searches.
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_DIGIT_BYTES = (_SEPARATORS + "0123456789").encode("ascii", "ignore")
_ASCII_SHAPE = bytes(0 if c in _CONTROL_BYTES else ord("0") if c in _DIGIT_BYTES else ord(" ")
                     for c in range(256))
_THIRTEEN = b"0" * 13
_CONTROL_OR_SURROGATE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CONTROLS}]")
_THIRTEEN_JOINED = re.compile(rf"\d[\d{re.escape(_SEPARATORS)}{_INVISIBLE}]{{12}}")


def _may_change(text: str) -> bool:
    """False only for text that clean() returns as it came."""
    if text.isascii():
        shape = text.encode("ascii").translate(_ASCII_SHAPE)
        return b"\0" in shape or _THIRTEEN in shape
    return (_CONTROL_OR_SURROGATE.search(text) is not None
            or _THIRTEEN_JOINED.search(text) is not None)


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


# ---------------------------------------------------------------------------------------------
# On the way out

# Raw in a JSON string, these pass every JSON parser but trip up what comes after it: DEL and the
# C1 controls drive a terminal that shows the file (0x9B is CSI), U+2028 and U+2029 end a line in
# JavaScript and many editors, and a lone surrogate cannot be written as UTF-8 at all.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def json_text(value: object, *, indent: int | None = 2) -> str:
    """`value` as JSON with Chinese written as Chinese (ensure_ascii=False), in which DEL, C1
    controls, U+2028, U+2029 and lone surrogates are \\u escapes (json.dumps escapes C0 controls
    itself). Read back, it is exactly `value` (bar a high surrogate alone followed by a low one
    alone, which JSON reads as the one character the pair stands for)."""
    written = json.dumps(value, ensure_ascii=False, indent=indent)
    # Outside strings JSON is plain ASCII, so every match is inside a string, where the escape
    # means the same character.
    return _RAW_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", written)


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(…), =cmd|…);
# the full-width forms are read as formulas too by some. Tab and carriage return come from
# OWASP's list: some spreadsheets drop them and read what follows.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text and never runs: a leading apostrophe for a cell that
    starts like a formula, as OWASP advises; any other cell exactly as it is."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
