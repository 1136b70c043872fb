"""One incident file read a record at a time, so that a long history is never held whole.

A month's file is TinyDB's JSON, `{"incidents": {"1": {...}, "2": {...}}, ...}`. The reader
walks its outer objects itself and hands each record's value to `json`'s own decoder, reading
the file in chunks: what is held at once is a chunk and one record. A first pass notes where
each record lies (with a light key of the caller's choosing, such as when it was opened); the
records are then read back one at a time from the same open file. The store only ever replaces
a file whole (see posdesk.store.durable), so the open file keeps what the first pass saw.

Whatever this reader does not expect of a plain TinyDB file (a key given twice, bytes that are
not UTF-8, a broken value, a table that is not one) sends the whole file to the reader every
other part of the store uses, `parse_tables`: it names what is wrong in the same words, or reads
what is only unusual."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from posdesk.store.reading import open_database_file, parse_tables
from posdesk.store.errors import DamagedDatabase, os_reason
from posdesk.store.layout import INCIDENTS, is_document_key

CHUNK = 256 * 1024
_SPACE = re.compile(r"[ \t\n\r]*")  # what JSON allows between tokens, and nothing else
Light = TypeVar("Light")
# Where a record lies in the file (its first and last byte + 1), or the record itself when the
# whole file had to be parsed.
Place = tuple[int, int] | dict[str, Any]
Signature = tuple[int, int, int] | None

_decode = json.JSONDecoder().raw_decode
# A document's key as TinyDB writes it, with its colon: most of a file's keys, read at once.
_PLAIN_KEY = re.compile(r'[ \t\n\r]*"([0-9]+)"[ \t\n\r]*:[ \t\n\r]*(?=\S)')


class NotPlain(Exception):
    """Not a file this reader walks: `parse_tables` reads it, or says what is wrong."""


class IncidentFileReader(Generic[Light]):
    """An incident file opened once, its records' places noted, each read back on demand.

    Opened under the store's lock, it can be read after it: the store replaces a file whole, so
    what was opened stays as it was. `note(light)` walks it once and keeps `light(record)` of
    each record beside its place, in the file's own order, as TinyDB's reading gives them. A
    missing file has no records. Close it (or use it as a context manager) once read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = open_database_file(path)
        self.signature: Signature = None
        self.places: list[tuple[Light, Place]] = []
        if self._fd is not None:
            try:
                info = os.fstat(self._fd)
            except BaseException:
                self.close()
                raise
            self.signature = (info.st_mtime_ns, info.st_size, info.st_ino)

    def note(self, light: Callable[[dict[str, Any]], Light]) -> list[tuple[Light, Place]]:
        """Walk the file: each record's `light` and place, kept in `places` and returned."""
        if self._fd is not None:
            self.places = self._note(light)
        return self.places

    def _note(self, light: Callable[[dict[str, Any]], Light]) -> list[tuple[Light, Place]]:
        try:
            return [(light(record), (start, end))
                    for _, record, start, end in documents(self._fd, INCIDENTS)]
        except NotPlain:
            pass
        except OSError as error:
            raise DamagedDatabase(self.path, os_reason(error)) from None
        tables = parse_tables(self.path, self._read(0, self.signature[1]))
        return [(light(record), record) for record in tables.get(INCIDENTS, {}).values()]

    def record(self, place: Place) -> dict[str, Any]:
        """The record at `place` (one of `places`), read again from the open file."""
        if isinstance(place, dict):
            return place
        start, end = place
        return json.loads(self._read(start, end - start).decode("utf-8"))

    def records(self) -> Iterator[dict[str, Any]]:
        """Every record, in the file's order."""
        for _, place in self.places:
            yield self.record(place)

    def _read(self, offset: int, size: int) -> bytes:
        try:
            return os.pread(self._fd, size, offset)
        except OSError as error:
            raise DamagedDatabase(self.path, os_reason(error)) from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> IncidentFileReader[Light]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def documents(fd: int, wanted: str) -> Iterator[tuple[str, dict[str, Any], int, int]]:
    """Each document of the table `wanted` in the TinyDB file open at `fd`, read from its start:
    its key, its value, and the bytes it spans. Every other table is read and checked as
    `parse_tables` checks it, then dropped. NotPlain for anything else, possibly after some
    documents were given: the caller must not act on those until the end."""
    text = _Text(fd)
    text.expect("{")
    seen_tables: set[str] = set()
    if not text.take("}"):
        while True:
            name = text.key()
            if name in seen_tables:
                raise NotPlain  # json keeps the last one given: parse_tables reads it
            seen_tables.add(name)
            text.expect(":")
            if name == wanted:
                yield from _table(text)
            elif not _is_table(text.value()):
                raise NotPlain
            if text.take("}"):
                break
            text.expect(",")
    text.end()


def _table(text: _Text) -> Iterator[tuple[str, dict[str, Any], int, int]]:
    text.expect("{")
    if text.take("}"):
        return
    keys: set[str] = set()
    while True:
        key = text.document_key()
        if key in keys or not is_document_key(key):
            raise NotPlain
        keys.add(key)
        start = text.offset
        value = text.value()
        yield key, value, start, text.offset
        if text.take("}"):
            return
        text.expect(",")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and all(
        is_document_key(key) and isinstance(doc, dict) for key, doc in value.items())


class _Text:
    """The file's text, decoded a chunk at a time; `pos` is where reading has got to in `text`
    and `offset` the same place counted in the file's bytes."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.offset = 0
        self.ended = False
        os.lseek(fd, 0, os.SEEK_SET)

    def _more(self, at_least: int = CHUNK) -> bool:
        """Read on; False at the end of the file."""
        if self.ended:
            return False
        raw = os.read(self.fd, at_least)
        self.ended = not raw
        try:
            added = self.decoder.decode(raw, final=self.ended)
        except UnicodeDecodeError:
            raise NotPlain from None
        self.text = self.text[self.pos:] + added
        self.pos = 0
        return not self.ended or bool(added)

    def _skip_space(self) -> None:
        while True:
            pos = _SPACE.match(self.text, self.pos).end()
            self._advance(pos)
            if pos < len(self.text) or not self._more():
                return

    def _advance(self, to: int) -> None:
        passed = self.text[self.pos:to]
        self.offset += len(passed) if passed.isascii() else len(passed.encode("utf-8"))
        self.pos = to

    def place(self) -> int:
        self._skip_space()
        return self.offset

    def take(self, char: str) -> bool:
        """Step over `char` if it comes next (after any whitespace)."""
        if self.text.startswith(char, self.pos):  # as TinyDB writes: no whitespace
            self.pos += 1
            self.offset += 1
            return True
        self._skip_space()
        if self.text.startswith(char, self.pos):
            self._advance(self.pos + 1)
            return True
        return False

    def expect(self, char: str) -> None:
        if not self.take(char):
            raise NotPlain

    def document_key(self) -> str:
        """A document's key and the colon after it, the whitespace after that skipped too."""
        found = _PLAIN_KEY.match(self.text, self.pos)
        if found is None:  # escapes in the key, or the chunk ends within it
            key = self.key()
            self.expect(":")
            self._skip_space()
            return key
        self._advance(found.end())  # ASCII, and one token: at most a chunk's end away
        return found[1]

    def key(self) -> str:
        self._skip_space()
        if not self.text.startswith('"', self.pos):
            raise NotPlain
        return self._decoded()

    def value(self) -> Any:
        """An object (tables and documents are nothing else: anything else is NotPlain)."""
        self._skip_space()
        if not self.text.startswith("{", self.pos):
            raise NotPlain
        return self._decoded()

    def _decoded(self) -> Any:
        """The JSON value at `pos` (a string or an object, which cannot end early at a chunk's
        end and still decode), reading on until it is whole."""
        while True:
            try:
                value, end = _decode(self.text, self.pos)
            except (ValueError, RecursionError):  # cut off by the chunk's end, or broken
                if not self._more(max(CHUNK, len(self.text))):  # doubling: a huge value
                    raise NotPlain from None
                continue
            self._advance(end)
            return value

    def end(self) -> None:
        self._skip_space()
        if self.pos < len(self.text):
            raise NotPlain
