"""The string catalogue: each key written once, each in both languages."""

from __future__ import annotations

import ast
from pathlib import Path

import posdesk.i18n as i18n


def test_every_key_is_written_once():
    """A key written twice in the dict silently loses its first text, wherever it was used."""
    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    catalogue = next(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "STRINGS")
    keys = [key.value for key in catalogue.keys]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_every_string_is_in_both_languages():
    assert [key for key, texts in i18n.STRINGS.items() if set(texts) != {"zh", "en"}
            or not all(texts.values())] == []
