"""Words a new user typed in the command palette that found the wrong topic, or none."""

from __future__ import annotations

import pytest

FIRST = [
    ("terminal not connecting", "fault.network"),  # was "Screen frozen"
    ("tap card not working", "fault.contactless"),  # was "Wrong date, keys or touch screen"
    ("屏幕黑了", "fault.power_battery"),  # was 每天清洁外壳
    ("打印很淡", "fault.faint_print"),  # found nothing
    ("机器丢了", "fault.lost_stolen"),  # found nothing
    ("haven't been paid", "fault.money_not_arrived"),  # found nothing
]
TOP_THREE = [
    ("刷了两次", "fault.reversal"),  # found nothing
    ("swiped twice", "fault.reversal"),  # found nothing
]


def topics_found(kb, typed: str) -> list[str]:
    return [hit.topic.id for hit in kb.search(typed) if hit.step is None]


@pytest.mark.parametrize(("typed", "topic_id"), FIRST)
def test_a_clerks_everyday_words_find_the_topic_first(kb, typed, topic_id):
    assert topics_found(kb, typed)[:1] == [topic_id], (typed, topics_found(kb, typed)[:5])


@pytest.mark.parametrize(("typed", "topic_id"), TOP_THREE)
def test_a_clerks_everyday_words_find_the_topic_among_the_first_three(kb, typed, topic_id):
    assert topic_id in topics_found(kb, typed)[:3], (typed, topics_found(kb, typed)[:5])
