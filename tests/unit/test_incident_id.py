"""The incident id: one type knows its shape, its day and month, and which id comes next."""

from __future__ import annotations

import pytest

from posdesk.models import IncidentId
from posdesk.store.layout import closed_file


def test_an_id_tells_its_day_month_and_number():
    incident_id = IncidentId("20261125-042")
    assert (incident_id.day, incident_id.month, incident_id.number) == ("20261125", "2026-11", 42)
    assert incident_id == "20261125-042" and isinstance(incident_id, str)
    assert closed_file(incident_id) == "incidents-2026-11.json"


@pytest.mark.parametrize("text", ["20261125-01", "2026112-001", "20261125-00\u0661", "", "x",
                                  "20261125-001\n"])
def test_text_that_is_not_an_id_is_refused(text):
    assert not IncidentId.is_valid(text)
    with pytest.raises(ValueError):
        IncidentId(text)


def test_the_next_id_of_a_day_follows_the_highest_of_that_day_only():
    taken = ["20261125-001", "20261125-009", "20261124-050", "20261125-x", None, "20261125-1000"]
    assert IncidentId.next_of_day("20261125", taken) == "20261125-1001"
    assert IncidentId.next_of_day("20261126", taken) == "20261126-001"
    assert IncidentId.next_of_day("20261125", []) == "20261125-001"


def test_the_day_is_the_one_written_in_the_opening_time():
    """09:30 on the 25th in Shanghai is the 25th's, though it is the 24th in London."""
    assert IncidentId.day_of("2026-11-25T01:30:00+08:00") == "20261125"


def test_an_id_is_numbered_with_at_least_three_digits():
    assert IncidentId.numbered("20261125", 7) == "20261125-007"
    assert IncidentId.numbered("20261125", 1234).number == 1234
