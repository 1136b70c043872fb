"""How the string catalogue is told: in the language chosen, or as a Phrase kept until the
language is known; and how that language is chosen."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from posdesk.i18n.catalogue import STRINGS
from posdesk.models import LANGUAGES, BadRecord

LANGUAGE_VARIABLE = "POSDESK_LANG"


def t(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    text = STRINGS[key]["zh" if lang == "zh" else "en"]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Phrase:
    """Something to tell a person before the language is known: a key of STRINGS and the values
    that fill it, which may be phrases themselves."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **{name: value.text(lang) if isinstance(value, Phrase) else value
                                    for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")


def phrase(key: str, **values: object) -> Phrase:
    return Phrase(key, values)


class ToldError(Exception):
    """An error the person reads: its message is a Phrase, told in their language by `told`;
    str() gives it in English, for logs and tracebacks."""

    def __init__(self, said: Phrase) -> None:
        super().__init__(said.text("en"))
        self.phrase = said


def told(error: BaseException, lang: str) -> str:
    """What went wrong, in `lang` when the error knows how to say it."""
    if isinstance(error, BadRecord):
        return t("record.cannot_read", lang, problem=record_problem(error).text(lang))
    return error.phrase.text(lang) if isinstance(error, ToldError) else str(error)


def record_problem(error: BadRecord) -> Phrase:
    """What is wrong with a stored record ("events[2].at is not a time …"), in either language."""
    return phrase(f"record.{error.problem}", field=error.field or "—")


def resolve_language(chosen: str | None = None, saved: str | None = None) -> str:
    """`--lang`, else `$POSDESK_LANG`, else the shop's saved choice, else the locale, else en."""
    for candidate in (chosen, os.environ.get(LANGUAGE_VARIABLE), saved):
        if candidate in LANGUAGES:
            return candidate
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def cadence_text(days: int, lang: str) -> str:
    """How often a routine is due, in words."""
    named = f"every.{days}"
    every = t(named, lang) if named in STRINGS else t("every.days", lang, days=days)
    return t("guidance.cadence", lang, every=every)


def other_language(lang: str) -> str:
    return "en" if lang == "zh" else "zh"
