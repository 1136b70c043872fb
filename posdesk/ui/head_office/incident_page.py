"""One incident of any shop, as the shop recorded it: the shop's own incident page, read-only."""

from __future__ import annotations

from textual.binding import Binding

from posdesk.models.chain import ChainIncident
from posdesk.ui.screens.incident import IncidentScreen


class ChainIncidentScreen(IncidentScreen, inherit_bindings=False):
    """The shop's page (the facts, then the timeline told with posdesk.wording), with the
    shop's name in the header. It has no desk and keeps none of the shop page's keys but
    `escape`: nothing here can add to the record or change it."""

    BINDINGS = [Binding("escape", "back", "back")]

    def __init__(self, incident: ChainIncident) -> None:
        super().__init__(None, incident)  # type: ignore[arg-type]  # nothing here writes
        self.sub_title = incident.shop_name
