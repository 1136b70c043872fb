"""What the history teaches, and the reports and notes written from it."""

from __future__ import annotations

from pathlib import Path

from posdesk import privacy
from posdesk.desk.base import EmptyText
from posdesk.desk.incidents import IncidentsDesk
from posdesk.desk.listing import IncidentRow
from posdesk.export import escalation_text, render
from posdesk.insights import insights_of, step_records_of
from posdesk.models import Incident, Insights, StepRecord
from posdesk.store import OPEN_INCIDENTS
from posdesk.store.layout import closed_file
from posdesk.store.outputs import write_report


class ReportsDesk(IncidentsDesk):
    def insights(self, incidents: list[Incident] | None = None, weeks: int = 12) -> Insights:
        chosen = self.incident_list().rows if incidents is None else incidents
        return insights_of(chosen, weeks, today=self._clock().date())

    def step_records(self, topic_id: str, excluding: str | None = None) -> dict[str, StepRecord]:
        """For each step of a fault, how often it fixed the fault in past incidents."""
        past = [i for i in self.incident_list().rows
                if i.topic_id == topic_id and i.id != excluding]
        return step_records_of(past)

    def save_note_file(self, incident_id: str, note: str, lang: str, reference: str = "") -> Path:
        """Keep the note for the bank as a file in the data directory's reports folder, with
        the bank's reference (`reference` as typed with the note, else the one recorded)."""
        incident = self.incident(incident_id)
        cleaned = privacy.clean(note.strip())
        if not cleaned.text.strip():
            raise EmptyText("escalation_note")
        text = escalation_text(incident, cleaned.text, lang,
                                   privacy.clean(reference.strip()).text)
        return self.write_report(text, f"{incident.id}-bank-note.txt")

    def export(self, incidents: list[Incident | IncidentRow], fmt: str, lang: str) -> str:
        """A report of these incidents, in this order; rows of a listing are read whole."""
        return render(self._whole(incidents), fmt, lang)

    def _whole(self, incidents: list[Incident | IncidentRow]) -> list[Incident]:
        """Each listing row as its whole incident, reading each file it needs once."""
        wanted = {i.id for i in incidents if isinstance(i, IncidentRow)}
        if not wanted:
            return list(incidents)
        files = {OPEN_INCIDENTS, *(closed_file(incident_id) for incident_id in wanted)}
        found = {}
        for name in files & {name for name, _ in self.store.incident_files()}:
            for incident in self._each_model(name, Incident.from_dict,
                                             self.store.incident_records(name)):
                if incident.id in wanted:
                    found[incident.id] = incident
        return [found[i.id] if isinstance(i, IncidentRow) else i for i in incidents
                if not isinstance(i, IncidentRow) or i.id in found]

    def write_report(self, text: str, name: str | None = None, path: Path | None = None) -> Path:
        """Write a report to `path`, or as `name` in the data directory's reports folder (see
        posdesk.store.outputs for what is refused)."""
        default = path is None and name is None
        chosen = f"report-{self._clock():%Y%m%d-%H%M%S}.txt" if default else name or "report.txt"
        return write_report(self.locations, text, chosen, path)
