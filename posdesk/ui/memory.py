"""Objects that live as long as the app, kept out of the garbage collector's way.

CPython's collector goes over every tracked object again on each full pass. What posdesk reads
once and keeps (Textual's and posdesk's modules, the knowledge base, the incident history) is
never garbage, yet with ten thousand incidents in memory a full pass took up to 100 ms: a stall
of the screen at a random moment, such as between a typed word and the filtered list. Frozen
objects are skipped by those passes; they are still freed as usual when nothing refers to them.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Leave everything that exists now out of the collector's passes from here on."""
    gc.freeze()
