"""A process that records steps and notes in a loop, saying after each one that it is done.

Used by test_durability: killed at random moments, what it reported done must all be there.
    python tests/e2e/crash_writer.py HOME TAG [COUNT]
Prints "ready", then one line "done ID KIND TEXT" after each write returns. Runs COUNT writes,
or until killed.
    python tests/e2e/crash_writer.py HOME --forks
Reads one TAG a line; for each, forks a writer that says "ready PID" and writes until killed,
then prints "over TAG" once that writer is gone. A fork starts writing at once, where a new
interpreter first spends a quarter of a second importing: the test can kill many more.
"""

from __future__ import annotations

import os
import sys

from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase


def main() -> None:
    if sys.argv[2] == "--forks":
        forks(sys.argv[1])
        return
    home, tag = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
    write(home, tag, count)


def forks(home: str) -> None:
    kb = KnowledgeBase.open()  # once, as the imports: each writer opens the shop's records itself
    for line in sys.stdin:
        tag = line.strip()
        sys.stdout.flush()  # the fork must not print what this process still holds
        pid = os.fork()
        if pid == 0:
            try:
                write(home, tag, 10**9, ready=f"ready {os.getpid()}", kb=kb)
            finally:
                os._exit(1)  # only if the writer failed: it is meant to be killed
        os.waitpid(pid, 0)
        print(f"over {tag}", flush=True)


def write(home: str, tag: str, count: int, ready: str = "ready",
          kb: KnowledgeBase | None = None) -> None:
    desk = Desk(home, kb=kb)
    steps = desk.topic("fault.network").steps
    incident = desk.start_incident("fault.network")
    print(ready, flush=True)
    for n in range(count):
        text = f"{tag}-{n}"
        if n % 7 == 6:  # resolve and reopen: the incident moves between files and back
            desk.record_attempt(incident.id, steps[n % 4].id, "fixed", text)
            print(f"done {incident.id} attempt {text}", flush=True)
            desk.reopen(incident.id, text + "-reopen")
            print(f"done {incident.id} reopened {text}-reopen", flush=True)
        elif n % 2:
            desk.record_attempt(incident.id, steps[n % 4].id, "not_fixed", text)
            print(f"done {incident.id} attempt {text}", flush=True)
        else:
            desk.add_note(incident.id, text)
            print(f"done {incident.id} note {text}", flush=True)


if __name__ == "__main__":
    main()
