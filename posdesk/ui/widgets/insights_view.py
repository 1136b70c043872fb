"""What the history teaches, drawn as text: shares, medians and small bar charts."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from posdesk.wording import duration_text, week_label
from posdesk.i18n import t
from posdesk.models import Insights

BAR_WIDTH = 30


class InsightsView(VerticalScroll, can_focus=True):
    def compose(self):
        yield Static(id="insights-text")

    def show(self, insights: Insights, lang: str) -> None:
        self.query_one("#insights-text", Static).update(insights_text(insights, lang))


def insights_text(insights: Insights, lang: str) -> Text:
    text = Text()
    text.append(t("insights.title", lang, total=insights.total) + "\n", style="bold")
    if not insights.total:
        text.append(t("insights.none", lang))
        return text
    if insights.resolved:
        share = f"{insights.share_in_shop:.0%}"
        text.append(t("insights.share", lang, share=share, shop=insights.resolved_in_shop,
                      resolved=insights.resolved) + "\n")
        text.append(t("insights.median", lang,
                      duration=duration_text(insights.median_minutes, lang)) + "\n")
    else:
        text.append(t("insights.nothing_resolved", lang) + "\n")

    text.append("\n" + t("insights.per_fault", lang) + "\n", style="bold")
    _bars(text, [(title(lang), count) for _, title, count in insights.per_fault])
    weeks = len(insights.per_week)
    text.append("\n" + t("insights.per_week", lang, weeks=weeks) + "\n", style="bold")
    _bars(text, [(week_label(week, lang), count) for week, count in insights.per_week])

    if insights.best_steps:
        text.append("\n" + t("insights.best_steps", lang) + "\n", style="bold")
        titles = {topic_id: title for topic_id, title, _ in insights.per_fault}
        for topic_id, record in insights.best_steps.items():
            text.append(t("insights.best_step", lang, fault=titles[topic_id](lang),
                          step=record.step_title(lang), fixed=record.fixed,
                          tried=record.tried) + "\n")
    return text


def _bars(text: Text, rows: list[tuple[str, int]]) -> None:
    """One line per row: its label, a bar in proportion to the largest, and the number."""
    if not rows:
        return
    most = max(count for _, count in rows) or 1
    width = min(max(cell_len(label) for label, _ in rows), 24)
    for label, count in rows:
        text.append(set_cell_size(label, width) + " ")  # Chinese takes two cells a character
        text.append("█" * round(BAR_WIDTH * count / most) or ("▏" if count else ""), style="cyan")
        text.append(f" {count}\n")

