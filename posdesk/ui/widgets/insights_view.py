"""What the history teaches, drawn as text: shares, medians and small bar charts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from posdesk.wording import duration_text, flag_reason_text, flag_reasons_text, week_label
from posdesk.i18n import t
from posdesk.models import FlagCount, Insights
from posdesk.ui.widgets.incident_table import fitted_cell

BAR_WIDTH = 30  # the longest bar; shorter in a narrow window
NARROWEST_LABEL = 6


class InsightsView(VerticalScroll, can_focus=True):
    """Drawn again when the window's width changes: labels take the width there is."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Insights, str, Sequence[FlagCount]] | None = None

    def compose(self):
        yield Static(id="insights-text")

    def show(self, insights: Insights, lang: str, flagged: Sequence[FlagCount] = ()) -> None:
        """`flagged`: the steps flagged most (the shop's own insights; none at the head office's)."""
        self._shown = (insights, lang, flagged)
        self._draw()

    def on_resize(self) -> None:
        if self._shown is not None:
            self._draw()

    def _draw(self) -> None:
        insights, lang, flagged = self._shown
        width = self.scrollable_content_region.width
        self.query_one("#insights-text", Static).update(
            insights_text(insights, lang, width, flagged))


def insights_text(insights: Insights, lang: str, width: int = 80,
                  flagged: Sequence[FlagCount] = ()) -> Text:
    """The insights worded in `lang`, their bar charts drawn within `width` cells, then the
    steps flagged most (flags are raised on the guidance too, so shown with no incident)."""
    text = Text()
    text.append(t("insights.title", lang, total=insights.total) + "\n", style="bold")
    if not insights.total:
        text.append(t("insights.none", lang))
    else:
        _incident_insights(text, insights, lang, width)
    if flagged:
        text.append("\n\n" if not insights.total else "\n")
        text.append_text(flagged_text(flagged, lang))
    return text


def flagged_text(flagged: Sequence[FlagCount], lang: str, width: int = 80,
                 shop_names: dict[str, str] | None = None) -> Text:
    """Each step flagged, most first: its title as the guidance has it now, how often, why;
    across a chain (counts that name their shops), every reason counted and the shops."""
    text = Text(t("insights.most_flagged", lang) + "\n", style="bold")
    names = shop_names or {}
    for count in flagged:
        step = (count.title(lang) if count.title is not None
                else t("insights.step_gone", lang, id=count.step_id))
        text.append(t("insights.flagged_step", lang, step=step, count=count.count,
                      reason=flag_reason_text(count.main_reason, lang)) + "\n")
        shops = getattr(count, "shops", ())
        if shops:
            detail = t("hq.guidance.flag_detail", lang,
                       reasons=flag_reasons_text(count.reasons, lang),
                       shops=", ".join(names.get(shop, shop) for shop in shops))
            text.append(fitted_cell("   " + detail, max(width, 20), None).rstrip() + "\n",
                        style="dim")
    return text


def _incident_insights(text: Text, insights: Insights, lang: str, width: int) -> None:
    if insights.resolved:
        share = f"{insights.share_in_shop:.0%}"
        text.append(t("insights.share", lang, share=share, shop=insights.resolved_in_shop,
                      resolved=insights.resolved) + "\n")
        text.append(t("insights.median", lang,
                      duration=duration_text(insights.median_minutes, lang)) + "\n")
    else:
        text.append(t("insights.nothing_resolved", lang) + "\n")

    text.append("\n" + t("insights.per_fault", lang) + "\n", style="bold")
    _bars(text, [(title(lang), count) for _, title, count in insights.per_fault], width)
    weeks = len(insights.per_week)
    text.append("\n" + t("insights.per_week", lang, weeks=weeks) + "\n", style="bold")
    _bars(text, [(week_label(week, lang), count) for week, count in insights.per_week], width)

    if insights.best_steps:
        text.append("\n" + t("insights.best_steps", lang) + "\n", style="bold")
        titles = {topic_id: title for topic_id, title, _ in insights.per_fault}
        for topic_id, record in insights.best_steps.items():
            text.append(t("insights.best_step", lang, fault=titles[topic_id](lang),
                          step=record.step_title(lang), fixed=record.fixed,
                          tried=record.tried) + "\n")


def _bars(text: Text, rows: list[tuple[str, int]], width: int) -> None:
    """One line per row: its label, a bar in proportion to the largest, and the number, in
    `width` cells; a label is cut (with "…") only when the line would not fit."""
    if not rows:
        return
    most = max(count for _, count in rows) or 1
    bar_width = min(BAR_WIDTH, max(8, width // 3))
    room = width - bar_width - len(str(most)) - 2  # a space after the label and the bar
    label_width = max(min(max(cell_len(label) for label, _ in rows), room), NARROWEST_LABEL)
    for label, count in rows:
        text.append(fitted_cell(label, label_width, None) + " ")  # Chinese: two cells a character
        text.append("█" * round(bar_width * count / most) or ("▏" if count else ""),
                    style="cyan")
        text.append(f" {count}\n")

