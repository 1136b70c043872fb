"""The tab bar along the top and the key bar along the bottom, each drawn as one line of text.

Textual's Tabs and Footer build a widget for every tab and every key, and the Footer builds
them again each time the keys change; laying out and styling those widgets was most of the
time to the first screen. These draw the same things in one widget each, and stay clickable.
"""

from __future__ import annotations

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


class KeyBar(Widget):
    """The keys the screen offers now, each with what it does in the app's language; a click
    presses the key. Keys a screen offers but cannot use at the moment are dimmed, as in
    Textual's Footer."""

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
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.app, "lang", lambda: self.refresh(), init=False)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        """The keys that fit the width; when not all do, those a person can do without go
        first (the dimmed ones, then from the right), but how to quit and the cheat sheet,
        which lists them all, always stay."""
        lang = self.app.lang
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
        while text.cell_len > self.size.width and droppable:
            keys.remove(droppable.pop(0))
            text = self._keys(keys, lang)
        return text

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
