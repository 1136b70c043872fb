"""The insights across the estate, or for one shop: the shop's own insights view, over
figures the central database works out, and the steps the shops flag most."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Select, Static

from posdesk.i18n import t
from posdesk.ui.head_office.reading import Question, ShopChoicePane, shop_choices
from posdesk.ui.widgets.insights_view import InsightsView, flagged_text, insights_text

if TYPE_CHECKING:
    from posdesk.models import Insights
    from posdesk.models.chain import ChainFlagCount, ChainShop

MOST_FLAGGED = 10  # steps listed under "most flagged"


class ChainInsightsView(InsightsView):
    """The shop's insights view, with the steps the shops flag most after them."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.flagged: list[ChainFlagCount] = []
        self.shop_names: dict[str, str] = {}

    def _draw(self) -> None:
        insights, lang, _ = self._shown  # the shop's flags: none here, the chain's are below
        width = self.scrollable_content_region.width
        text = insights_text(insights, lang, width)
        text.append("\n\n")
        if self.flagged:
            text.append_text(flagged_text(self.flagged[:MOST_FLAGGED], lang, width,
                                          self.shop_names))
        else:
            text.append(t("insights.most_flagged", lang) + "\n", style="bold")
            text.append(t("hq.guidance.no_flagged", lang))
        self.query_one("#insights-text", Static).update(text)


class ChainInsightsPane(ShopChoicePane):

    DEFAULT_CSS = """
    ChainInsightsPane {
        #insights-shop { width: 40; margin-bottom: 1; }
        #chain-insights { height: 1fr; padding: 0 1; }
    }
    """
    SHOP_CHOICE = "insights-shop"
    BINDINGS = [Binding("s", "choose_shop", "shop")]

    def compose(self) -> ComposeResult:
        yield self._shop_choice([])
        yield ChainInsightsView(id="chain-insights")
        yield self.status_line()

    def _shop_choice(self, shops: list[ChainShop]) -> Select:
        return Select(shop_choices(shops), prompt=t("head_office.any_shop", self.app.lang),
                      id="insights-shop", compact=True)

    def focus_main(self) -> None:
        self.query_one(InsightsView).focus()

    def question(self) -> Question:
        value = self.query_one("#insights-shop", Select).value
        shop = None if value is Select.NULL else value
        with_shops = self.shops is None

        def ask(office) -> tuple[list[ChainShop] | None, Insights, list[ChainFlagCount]]:
            return ((office.shops() if with_shops else None), office.insights(shop),
                    office.flagged_steps(shop))
        return ask

    def draw(self, answer: tuple[list[ChainShop] | None, Insights, list[ChainFlagCount]]) -> None:
        shops, insights, flagged = answer
        self.offer(shops)
        view = self.query_one(ChainInsightsView)
        view.flagged = flagged
        view.shop_names = {known.shop_id: known.name for known in self.shops or []}
        view.show(insights, self.app.lang)
        self.say("")

    def _language_changed(self) -> None:
        self.query_one("#insights-shop", Select).prompt = t("head_office.any_shop", self.app.lang)
        self.redraw()

    @on(Select.Changed, "#insights-shop")
    def _shop_chosen(self) -> None:
        self.reload()

    def action_choose_shop(self) -> None:
        choice = self.query_one("#insights-shop", Select)
        choice.focus()
        choice.expanded = True
