"""What every free text passes before it is stored: control sequences out, card numbers masked.

PCI DSS forbids merchants to keep a full card number where it is not needed, and a note in a help
desk never needs one: a 13–19 digit number that passes the Luhn check keeps its last four digits.
Terminal control sequences are removed so that stored text can never drive the terminal that
shows it. Everything else, Rich markup included, is kept exactly as typed; the screens show it as
plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ESC-based sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), DCS/SOS/PM/APC strings,
# and two-character escapes. The 8-bit CSI (0x9b) is handled the same way as ESC [.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?             # CSI, possibly cut short
    | \x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC, DCS, SOS, PM, APC strings
    | \x1b[ -/]*[0-~]?                             # other escapes
    """,
    re.VERBOSE,
)
# Every other control character except newline and tab: C0, DEL and C1.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Digits joined by single spaces or dashes; card numbers are looked for inside each such run.
_SEPARATED_DIGITS = re.compile(r"\d(?:[ -]?\d)*")


@dataclass(frozen=True)
class Cleaned:
    text: str
    masked: int
    stripped: bool


def clean(text: str) -> Cleaned:
    """The text as it may be stored; control sequences go first so none can hide a card number."""
    without_controls = strip_control(text)
    masked_text, masked = mask_card_numbers(without_controls)
    return Cleaned(masked_text, masked, without_controls != text.replace("\r\n", "\n"))


def strip_control(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def mask_card_numbers(text: str) -> tuple[str, int]:
    """Each Luhn-valid card number becomes "****" and its last four digits."""
    masked = 0

    def mask_run(match: re.Match[str]) -> str:
        nonlocal masked
        replaced, count = _mask_in_run(match.group())
        masked += count
        return replaced

    return _SEPARATED_DIGITS.sub(mask_run, text), masked


def _mask_in_run(run: str) -> tuple[str, int]:
    """Mask card numbers inside one run of digits joined by single spaces or dashes.

    A run can hold a card number followed by something else ("4111 1111 1111 1111 2024"), so
    each group boundary is tried as an end, longest candidate first.
    """
    digits_only = run.replace(" ", "").replace("-", "")
    if len(digits_only) < 13:
        return run, 0
    if run.isdigit():  # no separators: the whole run is the number or it is not a card
        return (f"****{run[-4:]}", 1) if 13 <= len(run) <= 19 and luhn_valid(run) else (run, 0)
    groups = re.split(r"([ -])", run)  # digits, separator, digits, …
    numbers, separators = groups[0::2], groups[1::2]
    out: list[str] = []
    count = 0
    start = 0
    while start < len(numbers):
        end = _longest_card(numbers, start)
        if end is None:
            out.append(numbers[start])
            if start < len(separators):
                out.append(separators[start])
            start += 1
            continue
        card = "".join(numbers[start:end])
        out.append(f"****{card[-4:]}")
        count += 1
        if end - 1 < len(separators):
            out.append(separators[end - 1])
        start = end
    return "".join(out), count


def _longest_card(numbers: list[str], start: int) -> int | None:
    """The end of the longest group sequence from `start` that is a Luhn-valid 13–19 digits."""
    total = 0
    candidates = []
    for end in range(start, len(numbers)):
        total += len(numbers[end])
        if total > 19:
            break
        if total >= 13:
            candidates.append(end + 1)
    for end in reversed(candidates):
        if luhn_valid("".join(numbers[start:end])):
            return end
    return None


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
