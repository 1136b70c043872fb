"""Objects that live as long as the app, kept out of the garbage collector's way.

CPython's collector goes over every tracked object again on each full pass. What posdesk reads
once and keeps (Textual's and posdesk's modules, the knowledge base, the incident history) is
never garbage, yet with ten thousand incidents in memory a full pass took up to 100 ms: a stall
of the screen at a random moment, such as between a typed word and the filtered list. Frozen
objects are skipped by those passes; they are still freed as usual when nothing refers to them.

Importing Textual and drawing the first screen make hundreds of thousands of objects (classes,
widgets, styles, drawn lines), nearly all of which last as long as the app: the collector's
young passes ran over a hundred times over them before the screen was up (some 20 ms, a tenth
of the start-up), and found a few hundred objects to free. Those passes wait until it is up.
"""

from __future__ import annotations

import gc

_held = False  # whether start-up switched the collector off (and so must switch it on)


def freeze_long_lived() -> None:
    """Leave everything that exists now out of the collector's passes from here on."""
    gc.freeze()


def hold_collections() -> None:
    """No collector passes until `resume_collections`: while the first screen is drawn."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume_collections() -> None:
    """The collector as before `hold_collections`; nothing if it did not switch it off."""
    global _held
    if _held:
        _held = False
        gc.enable()
