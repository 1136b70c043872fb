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

import re
from dataclasses import dataclass

from posdesk.privacy.cards import (
    _INVISIBLE, _SEPARATORS, MASK, is_card_number, luhn_valid, mask_card_numbers,
)
from posdesk.privacy.controls import _BIDI_CONTROLS, _strip, strip_control
from posdesk.privacy.output import csv_cell, json_text

__all__ = [
    "MASK", "Cleaned", "clean", "clean_stored", "csv_cell", "is_card_number", "json_text",
    "luhn_valid", "mask_card_numbers", "strip_control",
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
