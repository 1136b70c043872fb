"""One cold start, run by bench.py as a fresh process: `bench_child.py bare|posdesk`.

The parent starts its clock just before it starts this process, and stops it when this process
writes "painted" on standard output, so interpreter start-up and every import count, as they
do for a person waiting at the terminal. The app runs headless: the screen is laid out and every
widget rendered as usual, only the bytes are not sent to a terminal (the same for both apps).

After "painted" the app waits for its background workers to finish (posdesk looks through the
incidents for any left open, and at what routines are due) and then exits, writing "peak <KiB>": its peak resident
memory (VmHWM). The parent cannot take it from os.wait4: Linux counts in a child's ru_maxrss the
memory of the parent it was forked from, before it became a fresh Python, and the parent holds
10,000 incidents.

posdesk reads its data directory from $POSDESK_HOME, as the real command does.
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path

# A terminal of the size the end-to-end test uses; both apps get the same.
SIZE = (80, 24)
WORKER_POLL_SECONDS = 0.02


def say_painted() -> None:
    # Straight to the file descriptor: Textual captures sys.stdout while an app runs.
    os.write(1, b"painted\n")


def bare_app():
    """The reference: the smallest Textual app that paints something."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("posdesk benchmark reference")

        def on_mount(self) -> None:
            # Runs once the queued work is done and the screen has been refreshed.
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            say_painted()
            self.exit()

    return Bare()


def posdesk_app():
    """posdesk as `posdesk` opens it, with a hook that says when the first topic is on screen."""
    import posdesk.cli  # noqa: F401  the real command imports this first; its cost counts too
    from posdesk.desk import Desk
    from posdesk.ui.memory import hold_collections

    hold_collections()  # as the command does before it imports the app (posdesk/cli)
    from posdesk.ui.app import PosdeskApp
    from textual.widgets import Static

    desk = Desk(os.environ["POSDESK_HOME"])
    desk.settings()  # the command opens the store before the screen, to fail early

    class TimedPosdesk(PosdeskApp):
        # Textual finds a relative CSS_PATH beside the subclass's file; point at posdesk's own
        # (today its styles are all in its widgets' DEFAULT_CSS, and it has none).
        if PosdeskApp.CSS_PATH:
            CSS_PATH = Path(inspect.getfile(PosdeskApp)).parent / PosdeskApp.CSS_PATH

        def on_mount(self) -> None:
            # Textual calls PosdeskApp.on_mount as well; this only watches.
            self.call_after_refresh(self._check_painted)

        def _check_painted(self) -> None:
            """The first full screen: the Faults tab's topic list and its first topic's guidance.
            Callbacks after a refresh run only once nothing is left to lay out or paint, so
            when the topic's title is on screen now, it has been drawn (as the bare app's label
            has when its callback runs); until then, look again after the next refresh."""
            if self._first_topic_shown():
                self._painted()
            else:
                self.call_after_refresh(self._check_painted)

        def _first_topic_shown(self) -> bool:
            views = self.query("#pane-fault TopicView")
            if not views or views.first().topic is None:
                return False
            view = views.first()
            title = view.topic.title(self.lang)
            return any(title in str(text.content) and text.region
                       for text in view.query(Static))

        def _painted(self) -> None:
            say_painted()
            self.set_interval(WORKER_POLL_SECONDS, self._exit_when_settled)

        def _exit_when_settled(self) -> None:
            if all(worker.is_finished for worker in self.workers):
                self.exit()

    return TimedPosdesk(desk, "en")


def peak_memory_kib() -> int:
    """The high-water mark of this process's resident memory since it started Python."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])  # "VmHWM:   81234 kB"
    raise RuntimeError("no VmHWM in /proc/self/status")


def cli(argv: list[str]) -> int:
    """One `posdesk` command (its output thrown away), then "peak <KiB>" on standard error."""
    from posdesk.cli import main as posdesk

    code = posdesk(argv)
    sys.stdout.flush()
    os.write(2, f"\npeak {peak_memory_kib()}\n".encode())
    return code


def main() -> int:
    kind = sys.argv[1]
    if kind == "cli":
        return cli(sys.argv[2:])
    app = {"bare": bare_app, "posdesk": posdesk_app}[kind]()
    if kind == "posdesk":
        from posdesk.ui.app import launch

        launch(app, headless=True, size=SIZE)  # as the `posdesk` command runs it
    else:
        app.run(headless=True, size=SIZE)
    os.write(1, f"peak {peak_memory_kib()}\n".encode())
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
