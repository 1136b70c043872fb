"""Chain mode while the app is open: the shop's records go to the chain's central database in
the background, and the key bar says how that stands ("synced 14:02", "offline: 14 waiting").

Imported only when the shop has joined a chain (see PosdeskApp.on_ready): a shop that never
did loads none of this, and runs no timer.

A pass (Desk.sync_once) talks to the network and may take seconds, or hang on a stalled
connection. It never runs on the UI thread, and nothing the screens write waits for it: the
shop's records are written to its own files at once, and the pass reads them. It runs at start,
a few seconds after the person changes something (one pass for a burst of changes), and every
minute. The pass itself runs in a daemon thread that a thread worker waits on: quitting cancels
the worker at once and leaves the pass to be cut when the process ends, which the sync is made
to survive (the next pass asks the database what it holds and sends the rest).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models.chain import SyncStatus
from posdesk.ui.changes import reason
from posdesk.ui.widgets.bars import BarStatus

SYNC_EVERY = 60.0  # seconds between passes while nothing changes
SYNC_AFTER_CHANGE = 3.0  # seconds after the latest change before its pass
WORKER_GROUP = "chain-sync"
# The database could not be reached, or the way to it broke: offline, not refused.
OFFLINE = ("central.cannot_connect", "central.connection_lost")


@dataclass(frozen=True)
class SyncShown:
    """What the key bar says of the sync: the status as the last pass left it, whether a pass
    is running now, and the error a pass raised when the desk could not report it itself
    (a disk that cannot keep the sync's state, say)."""

    status: SyncStatus
    sending: bool = False
    raised: BaseException | None = None
    today: date | None = None

    @property
    def failed(self) -> bool:
        return self.raised is not None or self.status.error is not None

    @property
    def offline(self) -> bool:
        said = self.status.error_phrase
        return self.raised is None and said is not None and said.key in OFFLINE

    def words(self, lang: str) -> str:
        """A few words, short enough for a key bar 60 columns wide beside `q` and `?`."""
        waiting = self.status.waiting
        if self.sending:
            return t("sync.sending", lang, count=waiting) if waiting else t("sync.syncing", lang)
        if self.failed:
            kind = "sync.offline" if self.offline else "sync.failed"
            return t(kind, lang, count=waiting) if waiting else t(f"{kind}_bare", lang)
        if self.status.last_synced:
            when = self._when(self.status.last_synced)
            if waiting:  # what the database would not take (see SyncReport.diverged)
                return t("sync.synced_waiting", lang, when=when, count=waiting)
            return t("sync.synced", lang, when=when)
        return t("sync.not_yet", lang)

    def reason(self, lang: str) -> str:
        """Why the last pass failed, in one line."""
        if self.raised is not None:
            said = reason(self.raised, lang).strip()
            return said.splitlines()[0] if said else type(self.raised).__name__
        said = self.status.error_phrase
        return said.text(lang) if said is not None else self.status.error or ""

    def _when(self, iso: str) -> str:
        """"14:02" today, "11-24 14:02" another day (the shop's clock, as recorded)."""
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return iso
        return moment.strftime("%H:%M" if moment.date() == self.today else "%m-%d %H:%M")


class ChainSync:
    """The app's sync with its chain: the timers, the one pass at a time, and the status,
    given to `show` to say in the key bars (None when there is nothing to say)."""

    def __init__(self, app: App, desk: Desk, status: SyncStatus,
                 show: Callable[[BarStatus | None], None]) -> None:
        self.app = app
        self.desk = desk
        self.show = show
        self.shown = SyncShown(status, today=self.desk.now().date())
        self._again = False  # a change came while a pass ran: another pass once it ends
        self._soon: Timer | None = None
        self._every: Timer | None = None

    def start(self) -> None:
        self._every = self.app.set_interval(SYNC_EVERY, self.sync_now, name="chain sync")
        self.sync_now()

    def stop(self) -> None:
        for timer in (self._every, self._soon):
            if timer is not None:
                timer.stop()
        self.app.workers.cancel_group(self.app, WORKER_GROUP)

    def records_changed(self) -> None:
        """Sync a few seconds after the latest change: a burst of marks makes one pass."""
        if self._soon is not None:
            self._soon.stop()
        self._soon = self.app.set_timer(SYNC_AFTER_CHANGE, self.sync_now, name="chain sync soon")

    @property
    def sending(self) -> bool:
        return self.shown.sending

    def sync_now(self) -> None:
        if self.sending:
            self._again = True
            return
        self._again = False
        self._show(SyncShown(self.shown.status, sending=True, today=self.shown.today))
        self.app.run_worker(self._pass, name="chain sync pass", group=WORKER_GROUP,
                            thread=True, exclusive=True, exit_on_error=False)

    def _pass(self) -> SyncStatus | None:
        """In a worker thread: one pass in a daemon thread, waited on until it ends or the
        app closes (the worker cancelled); then the status it left."""
        worker = get_current_worker()
        ended = threading.Event()
        raised: list[BaseException] = []

        def sync() -> None:
            try:
                self.desk.sync_once()
            except Exception as error:  # told in the status, never as a traceback
                raised.append(error)
            finally:
                ended.set()

        threading.Thread(target=sync, name="posdesk sync pass", daemon=True).start()
        while not ended.wait(0.1):
            if worker.is_cancelled:
                return None
        status = self.desk.sync_status()
        if raised and status.joined:  # one that left the chain meanwhile has nothing to say
            raise raised[0]
        return status

    def worker_changed(self, worker: Worker) -> None:
        """A pass ended: show how it left things, and run the one asked for meanwhile."""
        if worker.group != WORKER_GROUP:
            return
        today = self.desk.now().date()
        if worker.state == WorkerState.SUCCESS:
            status = worker.result
            if status is None:  # cut short: the app is closing
                return
            if not status.joined:  # the shop left the chain meanwhile (posdesk central leave)
                self.stop()
                self.show(None)
                return
            self._show(SyncShown(status, today=today))
        elif worker.state == WorkerState.ERROR:
            self._show(SyncShown(self.shown.status, raised=worker.error, today=today))
        else:
            return
        if self._again:
            self.sync_now()

    def _show(self, shown: SyncShown) -> None:
        self.shown = shown
        self.show(BarStatus(shown.words, warning=shown.failed,
                            reason=shown.reason if shown.failed else None))
