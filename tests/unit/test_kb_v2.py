"""Knowledge base v2: codes whose retry agrees with their class, faults that end with the bank
and its ticket number, steps that only find something out, no hotline digits in the text, and
topics found by the words a clerk types."""

from __future__ import annotations

import json
import re

import pytest

from posdesk.kb import KnowledgeBase, default_path
from posdesk.kb.checks import BANK_TOPICS
from posdesk.models import LANGUAGES, PLACEHOLDERS

FAULTS_V2 = ("fault.money_not_arrived", "fault.qr_payment", "fault.password_locked",
             "fault.reprint", "fault.lost_stolen", "fault.faint_print", "fault.foreign_card",
             "fault.date_keys_screen")
OTHER_TOPICS_V2 = ("tx.void_refund", "tx.preauth", "tx.chargeback", "tx.closing_business",
                   "maint.daily_signin_settlement")
PHONE_DIGITS = re.compile(r"\d{5}|\b[48]00[-\s]?\d{3}")

# What a clerk types, and the topic that must come first (or among the first three).
PHRASES_FIRST = [
    ("POS机连不上网", "fault.network"),
    ("刷卡机没网了", "fault.network"),
    ("通讯失败", "fault.network"),
    ("terminal won't connect", "fault.network"),
    ("no internet", "fault.network"),
    ("刷不了卡", "fault.card_read"),
    ("芯片卡读不出来", "fault.chip_card"),
    ("小票打不出来", "fault.print"),
    ("won't print", "fault.print"),
    ("小票字很淡", "fault.faint_print"),
    ("receipt is blank", "fault.faint_print"),
    ("卡纸了", "fault.paper_jam"),
    ("重打小票", "fault.reprint"),
    ("reprint a receipt", "fault.reprint"),
    ("钱没到账", "fault.money_not_arrived"),
    ("money not arrived", "fault.money_not_arrived"),
    ("扫码付款一直显示用户支付中", "fault.qr_payment"),
    ("QR payment", "fault.qr_payment"),
    ("主管密码忘了", "fault.password_locked"),
    ("forgot password", "fault.password_locked"),
    ("POS机丢了", "fault.lost_stolen"),
    ("terminal stolen", "fault.lost_stolen"),
    ("外卡刷不了", "fault.foreign_card"),
    ("Visa card", "fault.foreign_card"),
    ("触摸屏没反应", "fault.date_keys_screen"),
    ("日期不对", "fault.date_keys_screen"),
    ("死机了", "fault.frozen_screen"),
    ("黑屏开不了机", "fault.power_battery"),
    ("冲正", "fault.reversal"),
    ("交易超时", "fault.reversal"),
    ("签到失败", "fault.signin_settlement"),
    ("闪付", "fault.contactless"),
    ("MAC错误", "fault.key_mac"),
    ("退款", "tx.void_refund"),
    ("撤销交易", "tx.void_refund"),
    ("refund a customer", "tx.void_refund"),
    ("预授权完成", "tx.preauth"),
    ("拒付", "tx.chargeback"),
    ("调单", "tx.chargeback"),
    ("chargeback", "tx.chargeback"),
    ("退机注销", "tx.closing_business"),
    ("套现", "tx.cash_out"),
    ("搬店移机", "tx.relocation"),
    ("冒充银行", "tx.fake_bank_staff"),
    ("防篡改检查", "sec.tamper_inspection"),
    ("改密码", "sec.passwords"),
    ("每天签到结算", "maint.daily_signin_settlement"),
    ("打印纸", "maint.paper_care"),
    ("网络不通", "fault.network"),
    ("没有纸了", "fault.print"),
    ("微信收款", "fault.qr_payment"),
    ("外国人的卡", "fault.foreign_card"),
    ("POS机不见了", "fault.lost_stolen"),
    ("帮别人刷卡", "tx.cash_out"),
    ("card machine won't turn on", "fault.power_battery"),
    ("void a sale", "tx.void_refund"),
    ("forgot supervisor password", "fault.password_locked"),
    ("touch screen not working", "fault.date_keys_screen"),
    ("WeChat pay", "fault.qr_payment"),
    ("staff leaving", "sec.permissions"),
    ("public wifi", "sec.public_network"),
    ("paper jam", "fault.paper_jam"),
    ("receipt faint", "fault.faint_print"),
]
PHRASES_TOP_THREE = [
    ("被拒", "fault.declined"),
    ("declined", "fault.declined"),
    ("扫码", "fault.qr_payment"),
    ("到账", "fault.money_not_arrived"),
    ("小票", "fault.print"),
    ("card machine frozen", "fault.frozen_screen"),
    ("money hasn't arrived in my account", "fault.money_not_arrived"),
    ("有人说是银行的技术员要换机", "sec.fake_technician"),
    ("扣款两次", "fault.reversal"),
    ("double charged", "fault.reversal"),
    ("customer charged twice", "tx.void_refund"),
    ("显示通讯超时", "fault.reversal"),
]


def all_texts(data: dict) -> list[tuple[str, str, str]]:
    """(where, language, text) for every text a person reads in the base."""
    found = []
    for table, parts in (("topics", ("title", "summary")), ("steps", ("title", "how", "why")),
                         ("codes", ("meaning", "action"))):
        for doc in data[table].values():
            label = doc.get("id") or doc.get("code")
            for part in parts:
                found += [(f"{label} {part}", lang, doc[part][lang]) for lang in LANGUAGES]
    for checklist in data["checklists"].values():
        for item in checklist["items"]:
            found += [(f"{checklist['id']} {item['id']}", lang, item["text"][lang])
                      for lang in LANGUAGES]
    return found


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(default_path().read_text(encoding="utf-8"))


def test_the_base_carries_a_new_version(kb):
    assert kb.version == "2026.11.3"


def test_every_code_retries_exactly_when_its_class_says_so(kb):
    assert len(kb.codes()) >= 50
    for code in kb.codes():
        assert code.action_class in "ABCDE", code.code
        assert code.retry == (code.action_class == "B"), code.code


def test_code_00_says_the_payment_went_through(kb):
    code = kb.code("00")
    assert code.action_class == "A" and not code.retry
    assert "不要再" in code.action("zh") and "not" in code.action("en").lower()
    for missing in ("10", "11", "06", "09", "15", "19", "25", "30", "40", "62", "64", "A7"):
        assert kb.code(missing) is not None, missing


def test_every_fault_ends_with_the_bank_and_its_ticket_number(kb):
    faults = kb.topics("fault")
    assert set(FAULTS_V2) <= {topic.id for topic in faults}
    for topic in faults:
        last = topic.steps[-1]
        assert last.contacts_bank, topic.id
        assert not any(step.contacts_bank for step in topic.steps[:-1]), topic.id
        assert "{hotline}" in last.how("zh") and "{hotline}" in last.how("en"), last.id
        assert "受理编号" in last.how("zh") and "承诺" in last.how("zh"), last.id
        assert "ticket number" in last.how("en") and "promised" in last.how("en"), last.id


def test_only_faults_and_a_tamper_finding_contact_the_bank_and_steps_have_known_kinds(kb):
    for topic in kb.topics():
        for step in topic.steps:
            assert step.kind in ("check", "info", "contact_bank"), step.id
            assert (not step.contacts_bank or topic.category == "fault"
                    or topic.id in BANK_TOPICS), step.id
    assert kb.step("fault.network.connection_type").gathers_info


def test_no_hotline_digits_in_guidance_text(data):
    for where, lang, text in all_texts(data):
        assert not PHONE_DIGITS.search(text), f"{where} ({lang}): {text}"
        assert "95533" not in text and "95516" not in text
        for name in re.findall(r"\{([a-z_]+)\}", text):
            assert name in PLACEHOLDERS, f"{where}: {{{name}}}"


def test_every_topic_has_both_languages_sources_and_keywords(kb):
    for topic in kb.topics():
        assert topic.sources or topic.refs, topic.id
        assert all(ref in kb.references for ref in topic.refs), topic.id
        assert topic.keywords_in("zh") and topic.keywords_in("en"), topic.id
        for step in topic.steps:
            for text in step.texts().values():
                assert text.zh.strip() and text.en.strip(), step.id
    assert set(OTHER_TOPICS_V2) <= {topic.id for topic in kb.topics()}
    assert kb.topic("maint.daily_signin_settlement").cadence_days == 1


def test_the_service_lines_have_sources_and_find_banks_by_their_short_names(kb):
    assert kb.service_line("建行").number == kb.service_line("中国建设银行北京分行").number
    assert kb.service_line("CCB").id == "ccb"
    assert kb.service_line("银联商务").id == "chinaums"  # not taken for UnionPay
    assert kb.service_line("银行") is None
    for line in kb.service_lines():
        assert line.refs and all(ref in kb.references for ref in line.refs), line.id


@pytest.mark.parametrize(("typed", "topic_id"), PHRASES_FIRST)
def test_a_clerks_words_find_the_topic_first(kb, typed, topic_id):
    topics = [hit.topic.id for hit in kb.search(typed) if hit.step is None]
    assert topics[:1] == [topic_id], (typed, topics[:5])


@pytest.mark.parametrize(("typed", "topic_id"), PHRASES_TOP_THREE)
def test_a_clerks_words_find_the_topic_among_the_first_three(kb, typed, topic_id):
    topics = [hit.topic.id for hit in kb.search(typed) if hit.step is None]
    assert topic_id in topics[:3], (typed, topics[:5])


def test_the_phrase_list_is_long_and_in_both_languages():
    phrases = [typed for typed, _ in PHRASES_FIRST + PHRASES_TOP_THREE]
    chinese = [p for p in phrases if re.search(r"[\u4e00-\u9fff]", p)]
    assert len(phrases) >= 40 and len(chinese) >= 20 and len(phrases) - len(chinese) >= 15


def _altered(tmp_path, data: dict, change) -> list[str]:
    copy = json.loads(json.dumps(data))
    change(copy)
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    return KnowledgeBase.open(path).problems()


def _doc(data: dict, table: str, key: str, value: str) -> dict:
    return next(doc for doc in data[table].values() if doc.get(key) == value)


def test_problems_name_each_broken_rule(tmp_path, data):
    def break_rules(copy: dict) -> None:
        _doc(copy, "codes", "code", "51")["retry"] = True
        contact = _doc(copy, "steps", "id", "fault.print.contact_bank")
        contact["how"] = {"zh": "打 95533。", "en": "Call {bank_number}."}
        _doc(copy, "steps", "id", "fault.network.connection_type")["kind"] = "maybe"
        _doc(copy, "topics", "id", "fault.paper_jam").update(sources=[], refs=["R999"])

    problems = _altered(tmp_path, data, break_rules)
    assert "code 51 is class C but retry is True" in problems
    assert "fault.print.contact_bank does not ask for the bank's ticket number in en" in problems
    assert "fault.print.contact_bank does not name the hotline in zh" in problems
    assert any("writes a phone number in zh" in p for p in problems)
    assert any("unknown placeholder {bank_number}" in p for p in problems)
    assert "fault.network.connection_type has unknown kind 'maybe'" in problems
    assert "fault.paper_jam cites unknown reference R999" in problems


def test_a_contact_step_outside_the_faults_is_a_problem(tmp_path, data):
    def move(copy: dict) -> None:
        _doc(copy, "steps", "id", "tx.cash_out.refuse")["kind"] = "contact_bank"

    problems = _altered(tmp_path, data, move)
    assert "tx.cash_out is not a fault but has a step for contacting the bank" in problems


def test_the_tamper_finding_ends_with_the_bank_as_a_fault_does(tmp_path, data, kb):
    topic = kb.topic("sec.tamper_found")
    assert topic.category == "security" and topic.steps[-1].contacts_bank
    assert not any(step.contacts_bank for step in topic.steps[:-1])

    def drop_ticket(copy: dict) -> None:
        step = _doc(copy, "steps", "id", "sec.tamper_found.contact_bank")
        step["how"]["zh"] = step["how"]["zh"].replace("受理编号", "编号")

    problems = _altered(tmp_path, data, drop_ticket)
    assert "sec.tamper_found.contact_bank does not ask for the bank's ticket number in zh" in problems


def test_a_topic_id_without_its_categorys_prefix_is_a_problem(tmp_path, data):
    """Incidents keep only the topic's id: its prefix is what still says what kind it was."""
    def misname(copy: dict) -> None:
        _doc(copy, "topics", "id", "tx.cash_out")["category"] = "security"

    problems = _altered(tmp_path, data, misname)
    assert "tx.cash_out does not begin with its category's prefix 'sec.'" in problems
