"""How a record read from a file is checked, and the bilingual text every record carries.

The shop's records (incidents, terminals, the routine log) are checked as they are built from a
dict: a file may have been restored, hand-edited or written by another version, and a record
that does not have its model's shape raises BadRecord instead of failing later on a screen.
The checks here (`_field`, `_text`, …) are shared by the modules of this package.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

LANGUAGES = ("zh", "en")

# What can be wrong with a field; i18n words each one ("record.<problem>") in either language.
PROBLEMS = ("missing", "not_object", "not_list", "empty", "not_text", "not_number",
            "not_true_false", "not_time", "not_id", "unknown_value", "not_opened_first",
            "too_long")


class BadRecord(ValueError):
    """A record that its model cannot be built from: which field is wrong, and how.

    `field` is the field as written in the file ("events[2].at"); `problem` is one of PROBLEMS.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    def inside(self, where: str) -> BadRecord:
        """The same problem, named from the record that holds this part ("events" + "[2].at")."""
        if not self.field:
            return BadRecord(where, self.problem)
        joint = "" if self.field.startswith("[") else "."
        return BadRecord(f"{where}{joint}{self.field}", self.problem)


_MISSING = object()


def _field(data: dict[str, Any], key: str, check: Callable[[Any], Any],
           default: Any = _MISSING) -> Any:
    """data[key] after `check`, which raises BadRecord saying what is wrong with the value;
    the field is named here. A field given a `default` may be left out."""
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise BadRecord(key, "missing")
        return default
    try:
        return check(value)
    except BadRecord as error:
        raise error.inside(key) from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadRecord("", "not_text")
    return value


def _text_or_null(value: Any) -> str | None:
    return None if value is None else _text(value)


def _whole(value: Any) -> int:
    """A whole number of 0 or more (JSON's true and 1.0 are not)."""
    if type(value) is not int or value < 0:
        raise BadRecord("", "not_number")
    return value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadRecord("", "not_object")
    return value


def _bilingual(value: Any) -> dict[str, str]:
    """A text in both languages, {"zh": …, "en": …}."""
    if not isinstance(value, dict) or not isinstance(value.get("zh"), str) \
            or not isinstance(value.get("en"), str):
        _field(_object(value), "zh", _text)  # to say which part is wrong
        _field(value, "en", _text)
    return value


def _one_of(values: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise BadRecord("", "unknown_value")
        return value
    return check


def _time(value: Any) -> str:
    """An ISO 8601 time with its UTC offset, far enough from year 1 and 9999 to compare."""
    if not isinstance(value, str):
        raise BadRecord("", "not_time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRecord("", "not_time") from None
    if moment.tzinfo is None or not 1 < moment.year < 9999:
        raise BadRecord("", "not_time")
    return value


def _pattern(pattern: re.Pattern[str]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not pattern.fullmatch(_text(value)):
            raise BadRecord("", "not_id")
        return value
    return check


def _true_false(value: Any) -> bool:
    if type(value) is not bool:
        raise BadRecord("", "not_true_false")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise BadRecord("", "not_list")
    return value


@dataclass(frozen=True)
class Text:
    """One piece of text in both languages."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def both(self) -> str:
        return f"{self.zh}\n{self.en}"

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Text:
        return cls(zh=data["zh"], en=data["en"])

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}
