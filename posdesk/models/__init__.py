"""Plain records shared by every layer, by domain: the knowledge base's guidance, incidents and
their events, routines and terminals, insights, settings, and the ids posdesk gives.

Nothing here knows about storage or screens; each record turns into a plain dict and back. The
names are gathered here so that `from posdesk.models import Incident` works wherever it is used.
"""

from posdesk.models.events import (
    CHECK_OUTCOMES, EVENT_FIELDS, OUTCOMES, OUTCOMES_OF_KIND, RESOLUTIONS, Event,
)
from posdesk.models.guidance import (
    ACTION_CLASSES, CATEGORIES, CHINESE_WIDE, ID_PREFIXES, PLACEHOLDERS, STEP_KINDS, Checklist,
    ChecklistItem, Reference, ResponseCode, SearchHit, ServiceLine, Step, Topic, bank_key,
    category_of, fill, folded, placeholders_in,
)
from posdesk.models.ids import TERMINAL_ID, IncidentId, is_terminal_id
from posdesk.models.incidents import STATUSES, Attempt, Escalation, Incident, IncidentFilter
from posdesk.models.insights import Insights, StepRecord
from posdesk.models.learning import (
    FLAG_REASONS, ORIGINS, FlagCount, GuidanceNote, StepFlag, is_own_id, own_topic, topic_record,
)
from posdesk.models.records import LANGUAGES, PROBLEMS, BadRecord, Text
from posdesk.models.routines import SERIAL_ITEM, RoutineEntry, RoutineState, Terminal
from posdesk.models.settings import Settings

__all__ = [
    "FLAG_REASONS", "ORIGINS", "FlagCount", "GuidanceNote", "StepFlag", "is_own_id", "own_topic",
    "topic_record",
    "ACTION_CLASSES", "CATEGORIES", "CHECK_OUTCOMES", "CHINESE_WIDE", "EVENT_FIELDS", "ID_PREFIXES",
    "LANGUAGES", "OUTCOMES", "OUTCOMES_OF_KIND", "PLACEHOLDERS", "PROBLEMS", "RESOLUTIONS",
    "SERIAL_ITEM", "STATUSES", "STEP_KINDS", "TERMINAL_ID", "Attempt", "BadRecord", "Checklist",
    "ChecklistItem", "Escalation", "Event", "Incident", "IncidentFilter", "IncidentId",
    "Insights", "Reference", "ResponseCode", "RoutineEntry", "RoutineState", "SearchHit",
    "ServiceLine", "Settings", "Step", "StepRecord", "Terminal", "Text", "Topic", "bank_key",
    "category_of",
    "fill", "folded", "is_terminal_id", "placeholders_in",
]
