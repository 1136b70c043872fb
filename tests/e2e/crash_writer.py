"""A process that records steps and notes in a loop, saying after each one that it is done.

Used by test_durability: killed at random moments, what it reported done must all be there.
    python tests/e2e/crash_writer.py HOME TAG [COUNT]
Prints "ready", then one line "done ID KIND TEXT" after each write returns. Runs COUNT writes,
or until killed.
"""

from __future__ import annotations

import sys

from posdesk.desk import Desk


def main() -> None:
    home, tag = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
    desk = Desk(home)
    steps = [step for step in desk.topic("fault.network").steps if step.kind == "check"]
    incident = desk.start_incident("fault.network")
    print("ready", flush=True)
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
