"""`posdesk guidance note|flag|flagged|topic|export`: the shop's own notes, its flags on steps
that did not help, the topics it writes itself, and all of it as a report."""

from __future__ import annotations

import argparse
import json
import sys

from posdesk import privacy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from posdesk.cli.parser import STANDARD_OUTPUT, CommandLineError, output_target
from posdesk.cli.say import fail, plain, print_json, step_text, tell_unreadable
from posdesk.desk import Desk, UnknownId
from posdesk.i18n import Phrase, phrase, t
from posdesk.models import FlagCount, GuidanceNote, StepFlag, Text, Topic, topic_record
from posdesk.models.learning import OWN_STEP_ID
from posdesk.privacy import json_text
from posdesk.store.reading import NotRegularFile, TooBig, read_regular
from posdesk.wording import flag_reason_text, flag_reasons_text, short_time

# A topic typed into a file is a page of text, not more.
TOPIC_FILE_LIMIT = 1024 * 1024


def learning(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    try:
        if args.action == "note":
            return _note(desk, args, lang)
        if args.action == "flag":
            return _flag(desk, args, lang)
        if args.action == "flagged":
            return _flagged(desk, lang, args.json)
        if args.action == "topic":
            return _topic(desk, args, lang)
        return _export(desk, args, lang)
    except UnknownId as error:
        return fail(f"posdesk: {t('cli.learning.unknown_id', lang, id=plain(str(error)[:80]))}", 1)


# Notes

def _note(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    action = args.learning_action
    if action == "list":
        return _note_list(desk, args, lang)
    if action == "add":
        note = desk.add_guidance_note(args.target, args.text, args.who)
        _tell_masked(lang, args.text)
        return _said("cli.learning.note_added", lang, id=note.id, on=note.on)
    if action == "edit":
        note = desk.edit_guidance_note(args.id, args.text, args.who)
        _tell_masked(lang, args.text)
        return _said("cli.learning.note_edited", lang, id=note.id)
    if action == "remove":
        return _said("cli.learning.note_removed", lang, id=desk.remove_guidance_note(args.id).id)
    if action == "restore":
        return _said("cli.learning.note_restored", lang, id=desk.restore_guidance_note(args.id).id)
    note = desk.move_guidance_note(args.id, args.target)
    return _said("cli.learning.note_moved", lang, id=note.id, on=note.on)


def _note_list(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    orphaned = {note.id for note in desk.orphaned_notes()}
    notes = [note for note in desk.guidance_notes(args.item, removed=args.removed)
             if not args.orphaned or note.id in orphaned]
    tell_chain_problem(desk, lang)
    if args.json:
        print_json([{**note.to_dict(), "origin": note.origin, "orphaned": note.id in orphaned}
                    for note in notes])
        return tell_unreadable(desk, lang)
    if not notes:
        print(t("cli.learning.no_notes", lang))
    for note in notes:
        marks = _marks(lang, chain=note.origin == "chain", removed=note.removed,
                       orphaned=note.id in orphaned)
        print(f"{note.id}  {plain(note.on)}{marks}")
        print(f"  {note_line(note, lang)}")
    return tell_unreadable(desk, lang)


def note_line(note: GuidanceNote, lang: str) -> str:
    """A note as shown beside what it is on: whose, who wrote it and when, and its text."""
    whose = t(f"cli.learning.whose.{note.origin}", lang)
    when = short_time(note.edited_at or note.at)
    edited = t("cli.learning.edited", lang) if note.edited_at else ""
    return t("cli.learning.note_line", lang, whose=whose, id=note.id, who=plain(note.who) or "—",
             at=when + edited, text=indented(note.text, "    "))


# Flags

def _flag(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    action = args.learning_action
    if action == "add":
        flag = desk.flag_step(args.step, args.reason, args.why, args.who)
        _tell_masked(lang, args.why)
        return _said("cli.learning.flag_added", lang, id=flag.id, step=flag.step_id)
    if action == "withdraw":
        return _said("cli.learning.flag_withdrawn", lang, id=desk.withdraw_flag(args.id).id)
    orphaned = {flag.id for flag in desk.orphaned_flags()}
    flags = desk.step_flags(args.step, withdrawn=args.withdrawn)
    if args.json:
        print_json([{**flag.to_dict(), "orphaned": flag.id in orphaned} for flag in flags])
        return tell_unreadable(desk, lang)
    if not flags:
        print(t("cli.learning.no_flags", lang))
    for flag in flags:
        print(_flag_text(flag, lang, flag.id in orphaned))
    return tell_unreadable(desk, lang)


def _flag_text(flag: StepFlag, lang: str, orphaned: bool) -> str:
    marks = _marks(lang, withdrawn=flag.withdrawn, orphaned=orphaned)
    line = "  ".join((flag.id, plain(flag.step_id), flag_reason_text(flag.reason, lang),
                      plain(flag.who) or "—", short_time(flag.at))) + marks
    return line + (f"\n  {indented(flag.why, '  ')}" if flag.why else "")


def flag_line(count: FlagCount, lang: str) -> str:
    """What the next person on a step is told: "Flagged twice here: …"."""
    key = "cli.learning.flagged_once" if count.count == 1 else "cli.learning.flagged_times"
    said = t(key, lang, count=count.count,
             reason=flag_reason_text(count.main_reason, lang))
    return said + "".join(f"\n    “{indented(why, '     ')}”" for why in count.whys[:3])


def _flagged(desk: Desk, lang: str, as_json: bool) -> int:
    counts = desk.most_flagged(None)
    if as_json:
        print_json([count.to_dict() for count in counts])
        return tell_unreadable(desk, lang)
    if not counts:
        print(t("cli.learning.nothing_flagged", lang))
    for line in _flagged_lines(counts, lang):
        print(line)
    return tell_unreadable(desk, lang)


def _flagged_lines(counts: list[FlagCount], lang: str) -> Iterator[str]:
    for count in counts:
        title = count.title(lang) if count.title else t("cli.learning.mark.orphaned", lang)
        yield f"{count.count:>3}  {plain(count.step_id)}  {plain(title)}"
        yield f"     {flag_reasons_text(count.reasons, lang)}"
        for why in count.whys[:3]:
            yield f"     “{indented(why, '      ')}”"


# The shop's own topics

def _topic(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    action = args.learning_action
    if action == "list":
        return _topic_list(desk, args.removed, lang, args.json)
    if action == "show":
        return _topic_show(desk, args.id, lang, args.json)
    if action == "add":
        given = _topic_given(args, lang, adding=True)
        category = args.category or given.pop("category", None)
        if not category:
            raise CommandLineError(t("cli.learning.no_category", lang))
        topic = desk.add_own_topic(category, given.pop("title", ""), given.pop("summary", ""),
                                   given.pop("steps", []), args.who, **given)
        _tell_masked(lang, *_typed_parts(args))
        added = "cli.learning.topic_added_one" if len(topic.steps) == 1 else "cli.learning.topic_added"
        return _said(added, lang, id=topic.id, steps=len(topic.steps))
    if action == "edit":
        given = _topic_given(args, lang, adding=False)
        given.pop("category", None)  # a topic's id holds its category: it stays
        if args.file is None and (given.get("steps") or args.remove_steps):
            given["steps"] = _steps_edited(desk, args.id, given.get("steps", []),
                                           args.remove_steps)
        topic = desk.change_own_topic(args.id, who=args.who, **given)
        _tell_masked(lang, *_typed_parts(args))
        return _said("cli.learning.topic_changed", lang, id=topic.id)
    if action == "remove":
        return _said("cli.learning.topic_removed", lang, id=desk.remove_own_topic(args.id).id)
    return _said("cli.learning.topic_restored", lang, id=desk.restore_own_topic(args.id).id)


def _steps_edited(desk: Desk, topic_id: str, given: list[dict[str, Any]],
                  removed: list[str]) -> list[dict[str, Any]]:
    """The topic's steps after an edit on the command line: a step given with its id is
    changed where it stands, one given without an id is added at the end, one named by
    --remove-step goes; the others stay as they are. (A --file gives the whole topic.)"""
    topic = next((own for own in desk.own_topics() if own.id == topic_id), None)
    if topic is None:
        raise UnknownId(topic_id)
    steps = {step.id: {"id": step.id, "kind": step.kind, "title": step.title,
                       "how": step.how, "why": step.why} for step in topic.steps}
    for step_id in [*removed, *(step["id"] for step in given if "id" in step)]:
        if step_id not in steps:
            raise UnknownId(step_id)
    for step in given:
        if "id" in step:
            steps[step["id"]] = {**steps[step["id"]], **step}
    added = [step for step in given if "id" not in step]
    return [step for step_id, step in steps.items() if step_id not in removed] + added


def _all_own(desk: Desk, removed: bool) -> list[tuple[Topic, bool]]:
    """The shop's topics (those removed too when asked), then the chain's: each with whether
    it was removed."""
    shop = [(topic, False) for topic in desk.own_topics()]
    if removed:
        shop += [(topic, True) for topic in desk.own_topics(removed=True)]
    return sorted(shop, key=lambda pair: pair[0].order) + [
        (topic, False) for topic in desk.chain_topics()]


def _topic_list(desk: Desk, removed: bool, lang: str, as_json: bool) -> int:
    topics = _all_own(desk, removed)
    tell_chain_problem(desk, lang)
    if as_json:
        print_json([{**topic_record(topic), "origin": topic.origin, "removed": gone}
                    for topic, gone in topics])
        return tell_unreadable(desk, lang)
    if not topics:
        print(t("cli.learning.no_topics", lang))
    width = max((len(topic.id) for topic, _ in topics), default=0)
    for topic, gone in topics:
        marks = _marks(lang, chain=topic.origin == "chain", shop=topic.origin == "shop",
                       removed=gone)
        print(f"{topic.id:<{width}}  {plain(topic.title(lang))}{marks}")
    return tell_unreadable(desk, lang)


def _topic_show(desk: Desk, topic_id: str, lang: str, as_json: bool) -> int:
    found = next(((topic, gone) for topic, gone in _all_own(desk, True)
                  if topic.id == topic_id), None)
    if found is None:
        raise UnknownId(topic_id)
    topic, gone = found
    if as_json:
        return print_json(topic_record(topic))
    marks = _marks(lang, chain=topic.origin == "chain", shop=topic.origin == "shop", removed=gone)
    print(plain(topic.title(lang)) + marks)
    written = t("cli.learning.written_by", lang, who=plain(topic.who) or "—", at=short_time(topic.at))
    if topic.edited_at:
        written += t("learn.topic_edited", lang, who=plain(topic.edited_by) or "—",
                     at=short_time(topic.edited_at))
    print(written)
    if topic.summary(lang):
        print(plain(topic.summary(lang)))
    for step in topic.steps:
        print()
        print(step_text(step, len(topic.steps), lang))
    return 0


def _topic_given(args: argparse.Namespace, lang: str, adding: bool) -> dict[str, Any]:
    """What the command line gives of a topic: from --file, or from --title, --summary and
    --step; only what was given (an edit changes only that)."""
    typed = any(value is not None for value in (args.title, args.title_en, args.summary,
                                                args.summary_en, args.steps))
    if args.file is not None:
        if typed:
            raise CommandLineError(t("cli.learning.file_or_text", lang))
        return _topic_file(Path(args.file), lang)
    if adding and (args.title is None or not args.steps):
        raise CommandLineError(t("cli.learning.file_or_text", lang))
    given: dict[str, Any] = {}
    if args.title is not None or args.title_en is not None:
        given["title"] = _pair(args.title, args.title_en)
    if args.summary is not None or args.summary_en is not None:
        given["summary"] = _pair(args.summary, args.summary_en)
    if args.steps:
        given["steps"] = [_step_typed(value, lang) for value in args.steps]
    return given


def _pair(text: str | None, english: str | None) -> Text | str:
    """One text typed (shown in both languages), or the Chinese and the English apart."""
    if english is None:
        return text or ""
    return Text(text or "", english)


def _step_typed(value: str, lang: str) -> dict[str, Any]:
    """`title|how|why`; `ID=title|how|why` keeps a step of the topic (and its notes and
    flags) while its text changes."""
    head, equals, rest = value.partition("=")
    step: dict[str, Any] = {}
    if equals and OWN_STEP_ID.fullmatch(head.strip()):
        step["id"], value = head.strip(), rest
    parts = value.split("|")
    if len(parts) > 3 or not parts[0].strip():
        raise CommandLineError(t("cli.learning.bad_step", lang, value=plain(value)[:80]))
    return {**step, **dict(zip(("title", "how", "why"), parts))}


def _topic_file(path: Path, lang: str) -> dict[str, Any]:
    """A topic written as JSON: its record's shape (`guidance topic show --json` prints one),
    where a text may be one string or {"zh", "en"}."""
    try:
        data = json.loads(read_regular(path, TOPIC_FILE_LIMIT))
    except (OSError, ValueError, RecursionError, NotRegularFile, TooBig):
        raise CommandLineError(t("cli.learning.bad_topic_file", lang, path=path)) from None
    try:
        return _topic_of(data)
    except (TypeError, ValueError, KeyError):
        raise CommandLineError(t("cli.learning.bad_topic_file", lang, path=path)) from None


def _topic_of(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError("not an object")
    given: dict[str, Any] = {}
    if "category" in data:
        given["category"] = _string(data["category"])
    for name in ("title", "summary"):
        if name in data:
            given[name] = _text_of(data[name])
    if "steps" in data:
        if not isinstance(data["steps"], list):
            raise TypeError("steps")
        given["steps"] = [_step_of(step) for step in data["steps"]]
    if "keywords" in data:
        words = data["keywords"]
        if not isinstance(words, dict):
            raise TypeError("keywords")
        given["keywords"] = {lang: [_string(word) for word in _list(words.get(lang, []))]
                             for lang in ("zh", "en")}
    return given


def _step_of(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError("step")
    step = {name: _text_of(data[name]) for name in ("title", "how", "why") if name in data}
    for name in ("id", "kind"):
        if data.get(name) is not None:
            step[name] = _string(data[name])
    return step


def _text_of(value: Any) -> Text | str:
    if isinstance(value, dict):
        return Text(_string(value.get("zh", "")), _string(value.get("en", "")))
    return _string(value)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):  # a string would be taken a letter at a time
        raise TypeError("not a list")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


# The report

def _export(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    """The shop's own guidance whole: JSON (`guidance_export`) or a Markdown page."""
    output = output_target(args.output, lang, "guidance.json" if args.json else "guidance.md")
    exported = desk.guidance_export()
    text = json_text(exported) + "\n" if args.json else guidance_markdown(desk, exported, lang)
    if output is None or output == STANDARD_OUTPUT:
        sys.stdout.write(text)
        return tell_unreadable(desk, lang)
    path = desk.write_report(text, path=output)
    tell_unreadable(desk, lang)
    print(t("cli.learning.written", lang, path=path), file=sys.stderr)
    return 0


def guidance_markdown(desk: Desk, exported: dict[str, Any], lang: str) -> str:
    """The shop's own guidance as a page: its topics, its notes by what they are on, the steps
    flagged most, and what a newer base left orphaned."""
    lines = [f"# {t('cli.learning.export_title', lang)}", ""]
    topics = desk.own_topics()
    if topics:
        lines += [f"## {t('cli.learning.export_topics', lang)}", ""]
        for topic in topics:
            lines.append(f"### {topic.id}  {plain(topic.title(lang))}")
            lines.append(t("cli.learning.written_by", lang, who=plain(topic.who) or "—",
                           at=short_time(topic.at)))
            lines += [f"{step.order}. {plain(step.title(lang))}: "
                      f"{indented(step.how(lang), '   ')}" for step in topic.steps]
            lines.append("")
    notes = [note for note in desk.guidance_notes() if note.origin == "shop"]
    if notes:
        lines += [f"## {t('cli.learning.export_notes', lang)}", ""]
        for note in notes:
            lines.append(f"- {plain(note.on)}: {note_line(note, lang)}")
        lines.append("")
    counts = desk.most_flagged(None)
    if counts:
        lines += [f"## {t('cli.learning.export_flagged', lang)}", ""]
        lines += list(_flagged_lines(counts, lang))
        lines.append("")
    orphans = [*exported["orphaned_notes"], *exported["orphaned_flags"]]
    if orphans:
        lines += [f"## {t('cli.learning.export_orphaned', lang)}", ""]
        lines += [f"- {problem.text(lang)}" for problem in orphan_problems(desk)]
        lines.append("")
    if len(lines) == 2:
        lines += [t("cli.learning.export_nothing", lang), ""]
    return "\n".join(lines)


def orphan_problems(desk: Desk) -> list[Phrase]:
    """One line for each note or flag on an id no longer in the guidance, for `doctor`."""
    return ([phrase("cli.learning.orphaned_note", id=note.id, on=plain(note.on))
             for note in desk.orphaned_notes()]
            + [phrase("cli.learning.orphaned_flag", id=flag.id, on=plain(flag.step_id))
               for flag in desk.orphaned_flags()])


# Helpers

def _tell_masked(lang: str, *typed: str | None) -> None:
    """Said on stderr when a card number in what was typed was kept as its last four digits
    only, as the app says it."""
    if any(privacy.clean(text).masked for text in typed if text):
        print(f"posdesk: {t('privacy.masked', lang)}", file=sys.stderr)


def _typed_parts(args: argparse.Namespace) -> list[str | None]:
    return [args.title, args.title_en, args.summary, args.summary_en, *(args.steps or ())]


def tell_chain_problem(desk: Desk, lang: str) -> None:
    """One line on stderr when the chain's guidance file cannot be read: what is shown then is
    the shipped base and the shop's own (the command still did its work)."""
    problem = desk.chain_guidance_problem()
    if problem is not None:
        print(f"posdesk: {problem.text(lang)}", file=sys.stderr)


def indented(text: str, prefix: str) -> str:
    """Text a person typed over several lines, each line after the first under the first, so
    that none of them reads as a line of the listing (or a heading of the export)."""
    return plain(text).replace("\n", "\n" + prefix)


def _said(key: str, lang: str, **values: object) -> int:
    print(t(key, lang, **values))
    return 0


def _marks(lang: str, **marks: bool) -> str:
    return "".join(t(f"cli.learning.mark.{name}", lang) for name, on in marks.items() if on)
