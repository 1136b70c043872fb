"""On the way out: JSON that no reader can trip on, and CSV cells a spreadsheet never runs."""

from __future__ import annotations

import json
import re

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
