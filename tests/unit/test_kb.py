"""The shipped knowledge base: complete, bilingual, and every fault ends with calling the bank."""

from __future__ import annotations

import json
import re

import pytest

from posdesk.kb import SEED_FACTS, KnowledgeBase, KnowledgeBaseError, default_path
from posdesk.models import CATEGORIES

# Beyond the source article, pos-domain.md asks for at least these faults.
REQUIRED_FAULTS = ("chip", "contactless", "signin", "key_mac", "reversal", "power", "signal", "paper_jam")


def test_knowledge_base_has_no_problems(kb):
    assert kb.problems() == []


def test_ids_are_unique(kb):
    ids = [topic.id for topic in kb.topics()] + [s.id for t in kb.topics() for s in t.steps]
    assert len(ids) == len(set(ids))


def test_every_seed_fact_is_covered_by_a_topic(kb):
    covered = set().union(*(topic.all_sources() for topic in kb.topics()))
    assert set(SEED_FACTS) <= covered


def test_every_text_is_bilingual_and_not_empty(kb):
    for topic in kb.topics():
        texts = [topic.title, topic.summary]
        texts += [text for step in topic.steps for text in (step.title, step.how, step.why)]
        for text in texts:
            assert text.zh.strip() and text.en.strip(), topic.id
            assert re.search(r"[\u4e00-\u9fff]", text.zh), (topic.id, text.zh)


def test_chinese_text_uses_chinese_punctuation(kb):
    for topic in kb.topics():
        for text in [topic.title, topic.summary] + [s.how for s in topic.steps]:
            assert not re.search(r"[\u4e00-\u9fff][,;:]|[,;:][\u4e00-\u9fff]", text.zh), text.zh


def test_every_fault_ends_by_contacting_the_bank_with_what_to_have_ready(kb):
    faults = kb.topics("fault")
    assert faults
    for topic in faults:
        last = topic.steps[-1]
        assert last.contacts_bank, topic.id
        assert not any(step.contacts_bank for step in topic.steps[:-1]), topic.id
        assert "终端号" in last.how.zh or "商户号" in last.how.zh, topic.id
        assert "terminal" in last.how.en.lower(), topic.id


def test_all_four_categories_have_topics_with_ordered_steps(kb):
    for category in CATEGORIES:
        topics = kb.topics(category)
        assert topics, category
        for topic in topics:
            assert [s.order for s in topic.steps] == list(range(1, len(topic.steps) + 1))


@pytest.mark.parametrize("needle", REQUIRED_FAULTS)
def test_researched_faults_are_there(kb, needle):
    assert any(needle in topic.id for topic in kb.topics("fault")), needle


def test_response_codes_table(kb):
    codes = {code.code: code for code in kb.codes()}
    for expected in ("05", "12", "38", "51", "55", "61", "94", "96", "97", "99", "A0"):
        assert expected in codes
    assert codes["51"].retry is False
    assert codes["A0"].retry is True
    for code in codes.values():
        assert code.meaning.zh and code.meaning.en and code.action.zh and code.action.en
        assert code.topic_id is None or kb.topic(code.topic_id).category == "fault"
    assert kb.code(" a0 ") is codes["A0"]


def test_knowledge_base_carries_a_version(kb):
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", kb.version)


def test_no_advertising_from_the_source_page():
    text = default_path().read_text(encoding="utf-8")
    data = json.loads(text)
    # Outside the addresses of the sources and the table of service lines (each with its
    # source), no long number: the seed page's advertised phone numbers stay out.
    data.pop("references")
    lines = data.pop("service_lines")
    long_numbers = set(re.findall(r"\d{7,}|\d{3,4}-\d{3,4}-\d{3,4}",
                                  json.dumps(data, ensure_ascii=False)))
    assert not long_numbers, long_numbers
    assert all(line["refs"] for line in lines.values())
    for word in ("谷骐", "8wt", "Lyuehison", "18910340839", "4008-118-928", "杉德", "星驿付", "推荐产品"):
        assert word not in text


def test_search_finds_topics_and_steps_in_either_language(kb):
    assert any(hit.topic.id == "fault.print" for hit in kb.search("打印"))
    assert any(hit.topic.id == "fault.print" for hit in kb.search("print"))
    step_hits = [hit for hit in kb.search("router") if hit.step]
    assert step_hits and step_hits[0].topic.id == "fault.network"
    assert kb.search("   ") == []
    assert kb.search("zzzz nothing like this") == []


def test_missing_or_damaged_knowledge_base_gives_one_line(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="missing"):
        KnowledgeBase.open(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="cannot be read") as caught:
        KnowledgeBase.open(broken)
    assert "\n" not in str(caught.value)
    shapeless = tmp_path / "shape.json"
    shapeless.write_text(json.dumps({"topics": {"1": {"id": "x"}}}), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="expected shape"):
        KnowledgeBase.open(shapeless)


def test_problems_reports_a_fault_without_a_bank_step(kb, tmp_path):
    data = json.loads(default_path().read_text(encoding="utf-8"))
    steps = data["steps"]
    last_network_step = max(
        (key for key, step in steps.items() if step["topic_id"] == "fault.network"),
        key=lambda key: steps[key]["order"],
    )
    steps[last_network_step]["kind"] = "check"
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    problems = KnowledgeBase.open(altered).problems()
    assert "fault.network does not end with contacting the bank" in problems


@pytest.mark.parametrize(
    ("days", "lang", "expected"),
    [(1, "en", "every day"), (7, "zh", "每周"), (90, "en", "every three months"), (14, "zh", "每 14 天")],
)
def test_cadence_reads_naturally(days, lang, expected):
    from posdesk.i18n import cadence_text

    assert expected in cadence_text(days, lang)


def test_the_topics_that_keep_the_shops_records_are_flagged(kb):
    assert kb.topic("sec.training").keeps == "training_log"
    assert kb.topic("sec.device_list").keeps == "terminal_list"
    assert {t.id for t in kb.topics() if t.keeps} == {"sec.training", "sec.device_list"}


def test_problems_reports_an_unknown_flag_and_two_keepers_of_one_record(tmp_path):
    data = json.loads(default_path().read_text(encoding="utf-8"))
    topics = {topic["id"]: topic for topic in data["topics"].values()}
    topics["sec.passwords"]["keeps"] = "training_log"
    topics["sec.malware"]["keeps"] = "virus_log"
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    problems = KnowledgeBase.open(altered).problems()
    assert "sec.malware keeps unknown records 'virus_log'" in problems
    assert any("both keep training_log" in problem for problem in problems)
