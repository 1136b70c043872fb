"""Control characters, terminal escape sequences and bidi controls: removed from text on the
way in, so that stored text can never drive or reorder what a terminal later shows."""

from __future__ import annotations

import re

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
