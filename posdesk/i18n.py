"""Every string people read, in Chinese and English, and how the language is chosen."""

from __future__ import annotations

import os

from posdesk.models import LANGUAGES

LANGUAGE_VARIABLE = "POSDESK_LANG"

STRINGS: dict[str, dict[str, str]] = {
    # The app
    "app.title": {"zh": "POS 机服务台", "en": "POS help desk"},
    "app.subtitle": {"zh": "知识库 {version}", "en": "knowledge base {version}"},
    "category.fault": {"zh": "故障", "en": "Faults"},
    "category.maintenance": {"zh": "保养", "en": "Maintenance"},
    "category.security": {"zh": "安全", "en": "Security"},
    "category.transaction": {"zh": "交易安全", "en": "Transactions"},
    "language.switched": {"zh": "已切换为中文", "en": "Switched to English"},
    "language.save_failed": {
        "zh": "语言已切换，但无法保存这一选择：{error}",
        "en": "Language switched, but the choice could not be saved: {error}",
    },
    # Keys (the Footer and the cheat sheet)
    "key.quit": {"zh": "退出", "en": "Quit"},
    "key.toggle_language": {"zh": "English", "en": "中文"},
    "key.help": {"zh": "按键", "en": "Keys"},
    "key.command_palette": {"zh": "查找", "en": "Find"},
    "key.show_tab": {"zh": "切换页", "en": "Tabs"},
    "key.focus_next": {"zh": "下一区", "en": "Next pane"},
    "key.close": {"zh": "关闭", "en": "Close"},
    "key.cursor": {"zh": "上下选择", "en": "Move"},
    "key.select": {"zh": "打开", "en": "Open"},
    "key.scroll": {"zh": "滚动", "en": "Scroll"},
    # Guidance
    "guidance.topics": {"zh": "主题", "en": "Topics"},
    "guidance.choose": {"zh": "从左侧选择一个主题。", "en": "Choose a topic on the left."},
    "guidance.steps_fault": {
        "zh": "按顺序逐项检查，解决了就停下：",
        "en": "Work through the checks in order and stop when it is fixed:",
    },
    "guidance.steps_other": {"zh": "要点：", "en": "What to do:"},
    "guidance.how": {"zh": "怎么做：", "en": "How: "},
    "guidance.why": {"zh": "为什么：", "en": "Why: "},
    "guidance.cadence": {"zh": "建议频率：{every}", "en": "How often: {every}"},
    "every.1": {"zh": "每天", "en": "every day"},
    "every.7": {"zh": "每周", "en": "every week"},
    "every.30": {"zh": "每月", "en": "every month"},
    "every.90": {"zh": "每三个月", "en": "every three months"},
    "every.180": {"zh": "每半年", "en": "every six months"},
    "every.365": {"zh": "每年", "en": "every year"},
    "every.days": {"zh": "每 {days} 天", "en": "every {days} days"},
    "guidance.sources": {"zh": "依据：{sources}", "en": "Based on: {sources}"},
    "guidance.step_of": {"zh": "第 {n} 步，共 {total} 步", "en": "Step {n} of {total}"},
    "guidance.step_title": {"zh": "{step}：{title}", "en": "{step}: {title}"},
    "guidance.contact_bank": {"zh": "联系银行", "en": "Contact the bank"},
    "palette.placeholder": {
        "zh": "输入文字查找主题或步骤（中文或英文）…",
        "en": "Type words to find a topic or step (English or Chinese)…",
    },
    "palette.help_topic": {"zh": "{category} · 主题", "en": "{category} · topic"},
    "palette.help_step": {"zh": "{category} · {topic} 的步骤", "en": "{category} · step of {topic}"},
    "help.title": {"zh": "按键一览", "en": "Keys"},
    "help.everywhere": {
        "zh": "Esc 总是返回；在输入框中时，字母键只用于输入。",
        "en": "Escape always goes back; while a text field has focus, letter keys only type.",
    },
    # The command line
    "cli.no_topics_found": {"zh": "没有找到与“{text}”相关的内容。", "en": "Nothing found for “{text}”."},
    "cli.unknown_topic": {
        "zh": "没有这个主题：{id}（用 posdesk guidance list 查看全部主题）",
        "en": "No such topic: {id} (posdesk guidance list shows them all)",
    },
    "cli.empty_search": {"zh": "请给出要查找的文字。", "en": "Give some words to search for."},
}


def t(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    text = STRINGS[key]["zh" if lang == "zh" else "en"]
    return text.format(**values) if values else text


def resolve_language(chosen: str | None = None, saved: str | None = None) -> str:
    """`--lang`, else `$POSDESK_LANG`, else the shop's saved choice, else the locale, else en."""
    for candidate in (chosen, os.environ.get(LANGUAGE_VARIABLE), saved):
        if candidate in LANGUAGES:
            return candidate
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def cadence_text(days: int, lang: str) -> str:
    """How often a routine is due, in words."""
    named = f"every.{days}"
    every = t(named, lang) if named in STRINGS else t("every.days", lang, days=days)
    return t("guidance.cadence", lang, every=every)


def other_language(lang: str) -> str:
    return "en" if lang == "zh" else "zh"
