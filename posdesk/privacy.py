"""What every free text typed by a person passes before it is stored.

Two things go: terminal control sequences, so that stored text can never drive the terminal that
later shows it, and card numbers, which PCI DSS forbids a merchant to keep where they are not
needed (a help-desk note never needs one): a 13–19 digit number that passes the Luhn check keeps
only its last four digits. Everything else — Chinese, emoji, Rich markup such as "[bold]",
leading and trailing spaces — is kept exactly as typed; the screens show it as plain text.

Stdlib only; every regular expression here runs in linear time, so a megabyte pasted into a note
cannot hang the desk.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["Cleaned", "clean", "clean_stored", "luhn_valid", "mask_card_numbers", "strip_control"]


@dataclass(frozen=True)
class Cleaned:
    text: str  # the text to store
    masked: int  # how many card numbers were masked
    stripped: bool  # whether any control characters / escape sequences were removed


def clean(text: str) -> Cleaned:
    """The text as it may be stored.

    Controls go first, so that an escape sequence inside a card number cannot hide it.
    """
    stripped, removed = _strip(text)
    masked_text, masked = mask_card_numbers(stripped)
    return Cleaned(masked_text, masked, removed)


def clean_stored(value: object) -> object:
    """A record read back from a file, every text in it (keys too) cleaned as if just typed.

    What was typed into posdesk is clean already; a restored, hand-edited or synced file may not
    be, and nothing read from one may reach a terminal or a report as a control sequence or a
    full card number. Other values (numbers, booleans, None) are kept as they are.
    """
    if isinstance(value, str):
        return clean(value).text
    if isinstance(value, dict):
        return {clean_stored(key): clean_stored(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_stored(item) for item in value]
    return value


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
    # Every other C0 control but tab, newline and carriage return (normalised below), DEL, C1.
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def strip_control(text: str) -> str:
    """The text without control characters or escape sequences; line ends become "\\n"."""
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

_MASK = "****"
# ASCII digits only (\d would also take full-width and other scripts' digits), in groups joined
# by a single space or dash. Unambiguous, hence linear. A card number is looked for in each run.
_DIGIT_RUN = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
# Luhn doubles every second digit from the right; doubling a digit and adding up its digits:
_DOUBLED = bytes.maketrans(b"0123456789", bytes([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]))
_PLAIN = bytes.maketrans(b"0123456789", bytes(range(10)))


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn check (anything else does not)."""
    if not (digits.isascii() and digits.isdigit()):
        return False
    raw = digits[::-1].encode()
    return (sum(raw[0::2].translate(_PLAIN)) + sum(raw[1::2].translate(_DOUBLED))) % 10 == 0


def mask_card_numbers(text: str) -> tuple[str, int]:
    """Each card number becomes "****" and its last four digits; returns the text and the count.

    A card number is 13–19 digits, possibly grouped by single spaces or dashes, that passes the
    Luhn check and has no digit directly before or after it. Inside a run of groups the earliest
    group that starts a card number wins, with the longest such number from there:
    "4111 1111 1111 1111 2024" becomes "****1111 2024". A group is never split, so a card number
    hidden inside a longer unbroken run of digits (an order number) is not one.
    """
    pieces: list[str] = []
    masked = 0
    done = 0  # text[:done] is already in pieces
    for run in _DIGIT_RUN.finditer(text):
        if run.end() - run.start() < 13:  # cannot hold 13 digits: the common case, made cheap
            continue
        numbers = run.group().replace("-", " ").split(" ")
        skip = 0
        if len(numbers[0]) == 4 and text.endswith(_MASK, 0, run.start()):
            # "****1234" is a number masked already (ours, or copied from a receipt). Its four
            # digits must not join the groups after them into a new "card": clean() would then
            # not be idempotent.
            skip = 1
        for start, end, digits in _cards(numbers, skip):
            pieces += (text[done:run.start() + start], _MASK, digits[-4:])
            done = run.start() + end
            masked += 1
    if not masked:
        return text, 0
    pieces.append(text[done:])
    return "".join(pieces), masked


def _cards(numbers: list[str], skip: int) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each card number made of whole consecutive groups of a run.

    `numbers` are the run's digit groups; start and end are offsets in the run's text, and
    `skip` groups at the start may not be part of a card number.
    """
    digits = "".join(numbers)
    if len(digits) < 13:
        return []
    # bounds[k]: offset in `digits` where group k starts (bounds[-1] == len(digits)), so a
    # candidate made of groups i..k-1 is digits[bounds[i]:bounds[k]]. Groups are joined by
    # exactly one character, so group k starts at bounds[k] + k in the run's text.
    bounds = list(accumulate(map(len, numbers), initial=0))
    # A run may hold a million single-digit groups, each starting up to seven candidates, so
    # the Luhn sum of any slice comes from prefix sums in O(1) instead of being recomputed.
    # The rightmost digit of a slice is never doubled: in sums[1] digits at even offsets are
    # plain, in sums[0] those at odd offsets; a slice ending at offset `end` uses sums[end & 1].
    raw = digits.encode()
    plain, doubled = raw.translate(_PLAIN), raw.translate(_DOUBLED)
    plain_even, plain_odd = bytearray(plain), bytearray(doubled)
    plain_even[1::2], plain_odd[1::2] = doubled[1::2], plain[1::2]
    sums = (list(accumulate(plain_odd, initial=0)), list(accumulate(plain_even, initial=0)))

    found = []
    i = skip
    while i < len(numbers):
        a = bounds[i]
        shortest = bisect_left(bounds, a + 13, i + 1)
        longest = bisect_right(bounds, a + 19, shortest) - 1
        for k in range(longest, shortest - 1, -1):  # longest first
            b = bounds[k]
            prefix = sums[b & 1]
            if (prefix[b] - prefix[a]) % 10 == 0:
                found.append((a + i, b + k - 1, digits[a:b]))
                i = k
                break
        else:
            i += 1
    return found
