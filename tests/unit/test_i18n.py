"""The string catalogue: each key written once, each in both languages, with the same blanks."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import posdesk.i18n.catalogue as catalogue
from posdesk.i18n import STRINGS


def test_every_key_is_written_once():
    """A key written twice in the dict silently loses its first text, wherever it was used."""
    tree = ast.parse(Path(catalogue.__file__).read_text(encoding="utf-8"))
    table = next(node.value for node in ast.walk(tree)
                 if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "STRINGS")
    keys = [key.value for key in table.keys]
    assert len(keys) == len(STRINGS)  # every key was read
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def texts_that_differ(strings: dict[str, dict[str, str]]) -> list[str]:
    """Each key not written in exactly zh and en, with text in both and the same {values}."""
    return [key for key, texts in strings.items()
            if set(texts) != {"zh", "en"} or not all(texts.values())
            or placeholders(texts["zh"]) != placeholders(texts["en"])]


def test_every_string_is_in_both_languages_with_the_same_values():
    assert texts_that_differ(STRINGS) == []


def test_a_missing_language_an_empty_text_or_a_value_in_one_language_only_is_found():
    """The check above can fail: each kind of slip is caught."""
    assert texts_that_differ({
        "only.zh": {"zh": "中文"},
        "empty.en": {"zh": "中文", "en": ""},
        "one.value": {"zh": "{count} 项", "en": "Items"},
        "other.value": {"zh": "{count} 项", "en": "{n} items"},
        "fine": {"zh": "{count} 项", "en": "{count} items"},
    }) == ["only.zh", "empty.en", "one.value", "other.value"]
