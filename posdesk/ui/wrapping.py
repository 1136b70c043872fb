"""Chinese lines never start with a closing punctuation mark.

Textual wraps a run of Chinese (which has no spaces) at whatever character reaches the edge,
so a line could begin with "，" or "。". Where that would happen, the character before the
mark goes down with it, as Chinese typesetting does, and the rest is wrapped again from there.
Textual's Content wraps every widget's text through one function, which this wraps in turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import textual.content

from posdesk.models import CHINESE_WIDE

# Marks that close a phrase or a bracket: they belong at the end of the line before.
NO_LINE_START = frozenset("，。、：；！？）】》」』”’…·")

Divide = Callable[..., list[int]]


def keeping_punctuation(divide: Divide) -> Divide:
    """`divide(text, width, fold=…)` (break offsets), moved so no line starts with a mark."""
    def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
        breaks: list[int] = []
        start = 0
        while True:
            offsets = [start + offset for offset in divide(text[start:], width, fold=fold)]
            for n, offset in enumerate(offsets):
                before = offsets[n - 1] if n else start
                moved = offset
                while text[moved] in NO_LINE_START and moved - 1 > before:
                    moved -= 1  # "）。" go down together, with the character before them
                if moved != offset and text[moved] not in NO_LINE_START:
                    breaks += offsets[:n] + [moved]
                    start = moved
                    break
            else:
                return breaks + offsets

    divide_line.keeps_punctuation = True  # type: ignore[attr-defined]
    return divide_line


def install() -> None:
    """Once, before anything is drawn."""
    if not getattr(textual.content.divide_line, "keeps_punctuation", False):
        textual.content.divide_line = keeping_punctuation(textual.content.divide_line)


_SPACE_BY_CJK = re.compile(f"(?<=[{CHINESE_WIDE}]) +| +(?=[{CHINESE_WIDE}])")


def wrappable(text: str, lang: str) -> str:
    """Chinese guidance without the spaces around its Latin words and numbers: a space is where
    a line may break, so "银行 POS 机刷卡成功了…" would leave "银行 POS" alone on a line and
    the long run of characters after it on the next, where Chinese wraps at any character."""
    return _SPACE_BY_CJK.sub("", text) if lang == "zh" else text
