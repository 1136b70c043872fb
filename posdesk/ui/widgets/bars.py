"""The tab bar along the top and the key bar along the bottom, each drawn as one line of text.

Textual's Tabs and Footer build a widget for every tab and every key, and the Footer builds
them again each time the keys change; laying out and styling those widgets was most of the
time to the first screen. These draw the same things in one widget each, and stay clickable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from posdesk.ui.keys import key_description

# Keys the key bar never drops for want of room: how to leave, and the sheet of every key.
ALWAYS_SHOWN = ("q", "question_mark")


class TabBar(Widget):
    """The tabs by number and name, the one on screen highlighted; a click shows another."""

    DEFAULT_CSS = """
    TabBar {
        height: 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        link-style: none;
    }
    TabBar > .tab-bar--active {
        background: $primary;
        color: $text;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {"tab-bar--active"}

    active: reactive[str] = reactive("")
    labels: reactive[tuple[tuple[str, str], ...]] = reactive(())  # (tab name, label)

    def __init__(self, labels: tuple[tuple[str, str], ...], active: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(TabBar.labels, labels)
        self.set_reactive(TabBar.active, active)

    def render(self) -> Text:
        """Every tab, always: when the names do not fit the width, each is shortened alike."""
        width = self.size.width
        longest = max((cell_len(label) for _, label in self.labels), default=0)
        for limit in range(longest, 0, -1):
            text = self._tabs(limit)
            if text.cell_len <= width:
                return text
        return self._tabs(1)

    def _tabs(self, limit: int) -> Text:
        active_style = self.get_component_rich_style("tab-bar--active")
        text = Text()
        for number, (name, label) in enumerate(self.labels, start=1):
            click = Style.from_meta({"@click": f"screen.show_tab({name!r})"})
            style = active_style + click if name == self.active else click
            text.append(f" {number} ", style=style + Style(dim=name != self.active))
            text.append(f"{_shortened(label, limit)} ", style=style)
            text.append(" ")
        return text


def _shortened(label: str, limit: int) -> str:
    """The label in at most `limit` cells, marked with "." when it was cut."""
    if cell_len(label) <= limit:
        return label
    return set_cell_size(label, max(limit - 1, 1)).rstrip() + "."


@dataclass(frozen=True)
class BarStatus:
    """A few words at the key bar's right end (the app's `bar_status`), worded when drawn so
    that `l` words them again; `reason`, when given, is the bar's tooltip."""

    words: Callable[[str], str]
    warning: bool = False
    reason: Callable[[str], str] | None = None


class KeyBar(Widget):
    """The keys the screen offers now, each with what it does in the app's language; a click
    presses the key. Keys a screen offers but cannot use at the moment are dimmed, as in
    Textual's Footer. At the right end, the app's status when it has one (chain mode's sync)."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        link-style: none;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--status {
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--warning {
        color: $text-warning;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--status",
                         "key-bar--warning"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.app, "lang", self.status_changed, init=False)
        if self._status() is not None:
            self.status_changed()

    def _status(self) -> BarStatus | None:
        return getattr(self.app, "bar_status", None)

    def status_changed(self) -> None:
        """Draw again, with the status's reason (if any) as the tooltip, in the app's language."""
        status = self._status()
        tooltip = status.reason(self.app.lang) if status and status.reason else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip
        self.refresh()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        """The keys that fit the width beside the status; when not all do, those a person can
        do without go first (the dimmed ones, then from the right), but how to quit and the
        cheat sheet, which lists them all, always stay."""
        lang = self.app.lang
        status = self._status_text(lang)
        width = self.size.width - (status.cell_len + 1 if status else 0)
        shown_actions: set[str] = set()
        keys = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in shown_actions:
                continue  # several keys for one action: the first stands for them
            shown_actions.add(binding.action)
            keys.append((binding, enabled))
        text = self._keys(keys, lang)
        droppable = ([k for k in reversed(keys) if not k[1] and k[0].key not in ALWAYS_SHOWN]
                     + [k for k in reversed(keys) if k[1] and k[0].key not in ALWAYS_SHOWN])
        while text.cell_len > width and droppable:
            keys.remove(droppable.pop(0))
            text = self._keys(keys, lang)
        if status:
            text.append(" " * max(1, self.size.width - text.cell_len - status.cell_len))
            text.append_text(status)
        return text

    def _status_text(self, lang: str) -> Text | None:
        status = self._status()
        if status is None:
            return None
        style = self.get_component_rich_style(
            "key-bar--warning" if status.warning else "key-bar--status")
        return Text(f"{status.words(lang)} ", style=style)

    def _keys(self, keys: list[tuple[Binding, bool]], lang: str) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        text = Text()
        for binding, enabled in keys:
            press = Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"})
            dim = Style(dim=not enabled)
            text.append(f" {self.app.get_key_display(binding)}", style=key_style + dim + press)
            description = key_description(binding, lang) or binding.description
            text.append(f" {description} ", style=description_style + dim + press)
        return text
