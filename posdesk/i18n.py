"""Every string people read, in Chinese and English, and how the language is chosen."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from posdesk.models import LANGUAGES, BadRecord

LANGUAGE_VARIABLE = "POSDESK_LANG"

STRINGS: dict[str, dict[str, str]] = {
    # The app
    "app.title": {"zh": "POS 机服务台", "en": "POS help desk"},
    "category.fault": {"zh": "故障", "en": "Faults"},
    "category.maintenance": {"zh": "保养", "en": "Maintenance"},
    "category.security": {"zh": "安全", "en": "Security"},
    "category.transaction": {"zh": "交易安全", "en": "Transactions"},
    "language.switched": {"zh": "已切换为中文", "en": "Switched to English"},
    "language.save_failed": {
        "zh": "语言已切换，但无法保存这一选择：{error}",
        "en": "Language switched, but the choice could not be saved: {error}",
    },
    # Keys (the key bar and the cheat sheet)
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
    # Incidents
    "outcome.fixed": {"zh": "解决了", "en": "fixed it"},
    "outcome.not_fixed": {"zh": "试了，没解决", "en": "tried, not fixed"},
    "outcome.skipped": {"zh": "跳过（现在做不了）", "en": "skipped (can't do it now)"},
    "status.open": {"zh": "处理中", "en": "open"},
    "status.escalated": {"zh": "已报银行", "en": "escalated"},
    "status.resolved": {"zh": "已解决", "en": "resolved"},
    "resolution.self": {"zh": "店内自行解决", "en": "fixed in the shop"},
    "resolution.bank": {"zh": "银行处理解决", "en": "fixed by the bank"},
    "note.title": {"zh": "POS 终端故障报修说明", "en": "POS terminal fault: note for the bank"},
    "note.incident": {"zh": "记录编号：{id}", "en": "Incident: {id}"},
    "note.fault": {"zh": "故障：{title}", "en": "Fault: {title}"},
    "note.terminal": {"zh": "终端：{terminal}", "en": "Terminal: {terminal}"},
    "note.terminal_unknown": {"zh": "终端：未记录", "en": "Terminal: not recorded"},
    "note.code": {"zh": "屏幕上的应答码：{code}", "en": "Response code on the screen: {code}"},
    "note.started": {"zh": "开始时间：{at}", "en": "Started: {at}"},
    "note.found": {"zh": "{who} 检查发现的问题：", "en": "What the check by {who} found:"},
    "note.opened_note": {"zh": "开立时写下的：", "en": "Written when it was opened:"},
    "note.tried": {"zh": "店里已经做过的检查：", "en": "Checks already done in the shop:"},
    "note.none_tried": {"zh": "店里还没有做任何检查。", "en": "No checks were done in the shop yet."},
    "note.attempt": {"zh": "{at}  {title}：{outcome}", "en": "{at}  {title}: {outcome}"},
    "note.attempt_note": {"zh": "备注：{note}", "en": "Note: {note}"},
    "note.notes": {"zh": "其他备注：", "en": "Other notes:"},
    "note.own_words": {"zh": "补充说明：", "en": "In our own words:"},
    "note.hotline": {"zh": "银行服务热线：{hotline}", "en": "Bank hotline: {hotline}"},
    "note.reference": {"zh": "银行受理编号：{reference}", "en": "Bank reference: {reference}"},
    "note.escalated": {"zh": "已于 {at} 报银行", "en": "Reported to the bank at {at}"},
    # The guided flow
    "key.start_troubleshooting": {"zh": "开始排查", "en": "Troubleshoot"},
    "key.code_lookup": {"zh": "查应答码", "en": "Code"},
    "key.today": {"zh": "今天", "en": "Today"},
    "key.settings": {"zh": "设置", "en": "Settings"},
    "key.mark_fixed": {"zh": "解决了", "en": "Fixed it"},
    "key.mark_not_fixed": {"zh": "没解决", "en": "Not fixed"},
    "key.mark_skipped": {"zh": "跳过", "en": "Skip"},
    "key.previous_step": {"zh": "上一步", "en": "Back a step"},
    "key.next_step": {"zh": "下一步", "en": "Next step"},
    "key.escalate": {"zh": "报银行", "en": "Call the bank"},
    "key.add_reference": {"zh": "受理编号", "en": "Reference"},
    "key.close_by_bank": {"zh": "银行已处理", "en": "Bank fixed it"},
    "key.back": {"zh": "返回", "en": "Back"},
    "key.save": {"zh": "保存", "en": "Save"},
    "key.copy_note": {"zh": "复制", "en": "Copy"},
    "key.save_markdown": {"zh": "存为文件", "en": "Save file"},
    "key.cancel": {"zh": "取消", "en": "Cancel"},
    "offer.start": {"zh": "开始排查这个故障（s）", "en": "Troubleshoot this fault (s)"},
    "flow.header": {"zh": "记录 {id} · {title} · {status}", "en": "Incident {id} · {title} · {status}"},
    "flow.header_new": {"zh": "新记录 · {title} · 做了第一步才会保存",
                        "en": "New incident · {title} · saved with the first mark"},
    "flow.continuing": {"zh": "这个故障已有未完成的记录 {id}（{at} 开始），接着处理。",
                        "en": "Carrying on with incident {id}, opened {at} for this fault and not finished."},
    "flow.note_placeholder": {
        "zh": "备注（可不填），例如看到了什么、换了什么",
        "en": "Note (optional): what you saw, what you changed",
    },
    "flow.marked_before": {"zh": "这一步之前的记录：", "en": "Marked before on this step:"},
    "flow.mark_line": {"zh": "{at}  {outcome}", "en": "{at}  {outcome}"},
    "flow.saved": {"zh": "已记录：{outcome}", "en": "Saved: {outcome}"},
    "flow.resolved_self": {
        "zh": "问题已在店内解决（第 {n} 步）。记录已保存，按 Esc 返回。",
        "en": "Fixed in the shop at step {n}. The incident is resolved and saved; escape goes back.",
    },
    "flow.resolved_bank": {
        "zh": "银行已处理，记录已关闭。按 Esc 返回。",
        "en": "The bank fixed it and the incident is closed. Escape goes back.",
    },
    "flow.escalated": {
        "zh": "已于 {at} 报银行（{hotline}），受理编号：{reference}",
        "en": "Reported to the bank at {at} ({hotline}); reference: {reference}",
    },
    "flow.no_reference": {"zh": "尚未记录", "en": "not yet recorded"},
    "flow.contact_step": {
        "zh": "到这一步就该打电话给银行了：按 e 生成报修说明。",
        "en": "This is the point to call the bank: press e for the note posdesk writes for you.",
    },
    "flow.all_tried": {
        "zh": "所有检查都做过了，问题还在。下面是给银行的说明。",
        "en": "Every check has been tried and the fault is still there. Here is the note for the bank.",
    },
    "flow.save_failed": {
        "zh": "没有保存：{error}。你输入的内容还在。",
        "en": "Not saved: {error}. What you typed is still here.",
    },
    "screen.read_failed": {"zh": "无法读取记录：{error}。", "en": "The records could not be read: {error}."},
    # Why a change was refused (the person can put it right)
    "refused.resolved": {"zh": "这条记录已经解决了", "en": "this incident is already resolved"},
    "refused.not_escalated": {"zh": "这条记录还没有报银行", "en": "the bank has not been called about this incident yet"},
    "refused.not_resolved": {"zh": "这条记录还没有解决", "en": "this incident is not resolved"},
    "refused.not_a_routine": {"zh": "{id} 不是例行工作或核对清单", "en": "{id} is not a routine or a checklist"},
    "refused.not_an_incident_topic": {"zh": "{id} 是例行工作，不会开故障记录",
                                      "en": "{id} is a routine, not something that goes wrong"},
    "refused.unknown_id": {"zh": "没有编号为 {id} 的记录", "en": "nothing has the id {id}"},
    "empty.name": {"zh": "请给终端起个名字。", "en": "Give the terminal a name."},
    "empty.who": {"zh": "请写上是谁做的。", "en": "Say who did it."},
    "empty.hotline": {"zh": "热线不能为空。", "en": "The hotline cannot be empty."},
    "empty.note": {"zh": "备注是空的：请先写点内容。", "en": "The note is empty: write something first."},
    "empty.escalation_note": {
        "zh": "说明是空的：请写上发生了什么，再保存。",
        "en": "The note is empty: say what happened before saving.",
    },
    "empty.reference": {"zh": "受理编号是空的。", "en": "The reference is empty."},
    "empty.bank_did": {"zh": "请写上银行做了什么。", "en": "Say what the bank did."},
    "privacy.masked": {
        "zh": "已把卡号隐去，只留后四位：按规定不能保存完整卡号。",
        "en": "A card number was cut to its last four digits: full card numbers must never be stored.",
    },
    "escalate.title": {"zh": "报银行：请拨打 {hotline}", "en": "Call the bank: {hotline}"},
    "escalate.hint": {
        "zh": "说明已按记录写好，可以补充你自己的话。通话后填上银行给的受理编号。",
        "en": "posdesk wrote this from the record; add your own words. After the call, "
              "fill in the bank's reference number.",
    },
    "escalate.sent_hint": {
        "zh": "这是 {at} 报给银行的说明。原样保存不会重复记录；改动后保存，记为再次报银行。",
        "en": "This is the note sent to the bank at {at}. Saving it unchanged records nothing "
              "new; change it to record another call to the bank.",
    },
    "escalate.unchanged": {"zh": "说明没有改动，没有新的记录。", "en": "Nothing changed: nothing new was recorded."},
    "escalate.reference_saved": {"zh": "已记录银行受理编号。", "en": "Saved the bank's reference."},
    "escalate.saved_again": {"zh": "已记录为再次报银行。", "en": "Saved as another call to the bank."},
    "escalate.reference": {"zh": "银行受理编号（通话后填写）", "en": "Bank reference (after the call)"},
    "escalate.saved": {"zh": "已记录为“已报银行”。", "en": "Saved: the incident is escalated."},
    "escalate.copied": {
        "zh": "已复制到剪贴板（需终端支持）。",
        "en": "Copied to the clipboard (if your terminal allows it).",
    },
    "escalate.file_saved": {"zh": "已保存：{path}", "en": "Saved as {path}"},
    "prompt.reference": {"zh": "银行给的受理编号", "en": "The bank's reference number"},
    "prompt.close_by_bank": {"zh": "银行做了什么？", "en": "What did the bank do?"},
    "prompt.empty": {"zh": "请先填写，再按回车。", "en": "Type something first, then press enter."},
    "code.title": {"zh": "查应答码", "en": "Look up a response code"},
    "code.prompt": {"zh": "终端屏幕上显示的代码，例如 51 或 A0", "en": "The code on the terminal's screen, e.g. 51 or A0"},
    "code.unknown": {
        "zh": "没有 “{code}” 这个应答码。请核对屏幕；只显示“交易失败”时，按“交易被拒”排查。",
        "en": "“{code}” is not a known response code. Check the screen; if it only says "
              "the transaction failed, start with “Declined”.",
    },
    "code.meaning": {"zh": "含义：{text}", "en": "Meaning: {text}"},
    "code.retry_yes": {"zh": "可以重试：是", "en": "Retry: yes"},
    "code.retry_no": {"zh": "可以重试：否，不要反复刷", "en": "Retry: no, do not try the same card again"},
    "code.action": {"zh": "收银员该做：{text}", "en": "What to do: {text}"},
    "code.start": {"zh": "开始排查：{title}", "en": "Troubleshoot: {title}"},
    "code.start_hint": {"zh": "按 Tab 键到下面的按钮，再按回车开始排查。",
                        "en": "Press tab to reach the button below, then enter to troubleshoot."},
    "unfinished.hint": {
        "zh": "回车打开所选的一项，Esc 关闭。",
        "en": "Enter opens the chosen item (an incident resumes where it stopped); escape closes this.",
    },
    "unfinished.none": {"zh": "没有未结束的记录，也没有到期的例行事项。",
                        "en": "No incident is open and no routine is due."},
    "unfinished.line_finding": {
        "zh": "{id}  {title}  {status}  发现 {count} 个问题  {at}",
        "en": "{id}  {title}  {status}  {count} findings  {at}",
    },
    "unfinished.line": {
        "zh": "{id}  {title}  {status}  第 {step}/{total} 步  {at}",
        "en": "{id}  {title}  {status}  step {step}/{total}  {at}",
    },
    "settings.title": {"zh": "设置", "en": "Settings"},
    "settings.hotline": {"zh": "银行服务热线", "en": "Bank hotline"},
    "settings.saved": {"zh": "设置已保存。", "en": "Settings saved."},
    # The timeline and reports
    "event.opened": {"zh": "开始排查", "en": "Opened"},
    "event.opened_code": {"zh": "开始排查（屏幕显示应答码 {code}）", "en": "Opened (the screen showed code {code})"},
    "event.opened_finding": {"zh": "根据 {who} 的检查结果开立", "en": "Opened for what a check by {who} found"},
    "finding.not_confirmed": {"zh": "未确认：{item}", "en": "Not confirmed: {item}"},
    "finding.serial_not_compared": {
        "zh": "序列号无法核对：它像银行卡号，只保留了后四位（登记为 {record}，机身上为 {seen}）；请对照机身逐位核对",
        "en": "Serial number could not be compared: it reads like a card number, so only its last "
              "four digits are kept (on record {record}, on the device {seen}); compare it by eye",
    },
    "finding.serial_mismatch": {"zh": "序列号不一致：登记为 {record}，机身上为 {seen}",
                                "en": "Serial number does not match: on record {record}, on the device {seen}"},
    "event.attempt": {"zh": "第 {n} 步 {title}：{outcome}", "en": "Step {n} {title}: {outcome}"},
    "event.note": {"zh": "备注", "en": "Note"},
    "event.escalated": {"zh": "报银行（{hotline}）", "en": "Reported to the bank ({hotline})"},
    "event.reference": {"zh": "银行受理编号：{reference}", "en": "Bank reference: {reference}"},
    "event.resolved_self": {"zh": "已解决：店内自行解决", "en": "Resolved: fixed in the shop"},
    "event.resolved_bank": {"zh": "已解决：银行处理", "en": "Resolved by the bank"},
    "event.reopened": {"zh": "重新打开", "en": "Reopened"},
    "report.title": {"zh": "故障记录 {id}：{title}", "en": "Incident {id}: {title}"},
    "report.status": {"zh": "状态：{status}", "en": "Status: {status}"},
    "report.resolution": {"zh": "结果：{resolution}", "en": "Outcome: {resolution}"},
    "report.closed": {"zh": "结束时间：{at}", "en": "Closed: {at}"},
    "report.timeline": {"zh": "经过", "en": "Timeline"},
    "report.kb": {"zh": "知识库版本：{version}", "en": "Knowledge base version: {version}"},
    "column.id": {"zh": "编号", "en": "ID"},
    "column.opened": {"zh": "开始时间", "en": "Opened"},
    "column.fault": {"zh": "故障", "en": "Fault"},
    "column.terminal": {"zh": "终端", "en": "Terminal"},
    "column.status": {"zh": "状态", "en": "Status"},
    "column.tried": {"zh": "已试步数", "en": "Steps tried"},
    "column.resolve": {"zh": "解决用时", "en": "Time to resolve"},
    "column.resolution": {"zh": "结果", "en": "Resolution"},
    "column.closed": {"zh": "结束时间", "en": "Closed"},
    "column.reference": {"zh": "银行受理编号", "en": "Bank reference"},
    "duration.minutes": {"zh": "{n} 分钟", "en": "{n} min"},
    "duration.hours": {"zh": "{h} 小时 {m} 分", "en": "{h} h {m} min"},
    "duration.days": {"zh": "{d} 天 {h} 小时", "en": "{d} d {h} h"},
    # The Incidents tab
    "tab.incidents": {"zh": "记录", "en": "Incidents"},
    "filter.any_status": {"zh": "全部状态", "en": "Any status"},
    "filter.any_fault": {"zh": "全部故障", "en": "Any fault"},
    "filter.since": {"zh": "从 年-月-日", "en": "From YYYY-MM-DD"},
    "filter.until": {"zh": "到 年-月-日", "en": "To YYYY-MM-DD"},
    "filter.search": {"zh": "在备注里查找", "en": "Search the notes"},
    "filter.bad_date": {"zh": "日期要写成 2026-11-25 这样：{value}", "en": "Write dates like 2026-11-25: {value}"},
    "list.loading": {"zh": "正在读取记录…", "en": "Reading the incidents…"},
    "list.page": {"zh": "第 {first}–{last} 条，共 {total} 条 · 按 {sort} 排序{order}",
                  "en": "{first}–{last} of {total} · sorted by {sort}{order}"},
    "list.paging": {"zh": " · ] 下一页  [ 上一页", "en": " · ] next page  [ previous"},
    "list.descending": {"zh": "（从大到小）", "en": " (descending)"},
    "list.ascending": {"zh": "（从小到大）", "en": " (ascending)"},
    "list.none": {"zh": "没有符合条件的记录。", "en": "No incident matches."},
    "list.empty": {
        "zh": "还没有任何记录。在“故障”页按 s 开始排查，记录会出现在这里。",
        "en": "No incidents yet. Press s on a fault to start one; it will be listed here.",
    },
    "key.next_page": {"zh": "下一页", "en": "Next page"},
    "key.previous_page": {"zh": "上一页", "en": "Previous page"},
    "key.focus_table": {"zh": "回到列表", "en": "Back to the list"},
    "key.cycle_sort": {"zh": "排序", "en": "Sort"},
    "key.reverse_sort": {"zh": "倒序", "en": "Reverse"},
    "key.toggle_insights": {"zh": "统计", "en": "Insights"},
    "key.export_listing": {"zh": "导出", "en": "Export"},
    "key.focus_search": {"zh": "查找", "en": "Search"},
    "key.follow_up": {"zh": "补充备注", "en": "Follow-up"},
    "key.reopen": {"zh": "重新打开", "en": "Reopen"},
    "key.export_incident": {"zh": "导出", "en": "Export"},
    "key.continue_flow": {"zh": "继续排查", "en": "Troubleshoot"},
    "key.open_incident": {"zh": "打开", "en": "Open"},
    "export.title": {"zh": "导出列出的 {count} 条记录", "en": "Export the {count} incidents listed"},
    "export.csv": {"zh": "CSV 表格（可用 Excel 打开）", "en": "CSV (opens in a spreadsheet)"},
    "export.json": {"zh": "JSON 数据", "en": "JSON data"},
    "export.md": {"zh": "Markdown 报告", "en": "Markdown report"},
    "export.saved": {"zh": "已导出：{path}", "en": "Exported to {path}"},
    "prompt.follow_up": {"zh": "补充备注", "en": "Follow-up note"},
    "prompt.reopen": {"zh": "为什么重新打开？", "en": "Why is it back?"},
    "insights.title": {"zh": "从记录中看出的规律（列出的 {total} 条）",
                       "en": "What the history teaches ({total} incidents listed)"},
    "insights.share": {"zh": "店内自行解决（不用银行）：{share}（已解决 {resolved} 条中的 {shop} 条）",
                       "en": "Resolved in the shop without the bank: {share} ({shop} of {resolved} resolved)"},
    "insights.median": {"zh": "解决用时中位数：{duration}", "en": "Median time to resolve: {duration}"},
    "insights.nothing_resolved": {"zh": "还没有已解决的记录。", "en": "Nothing resolved yet."},
    "insights.per_fault": {"zh": "各类故障的次数", "en": "Incidents per fault"},
    "insights.per_week": {"zh": "每周次数（最近 {weeks} 周）", "en": "Incidents per week (last {weeks} weeks)"},
    "insights.best_steps": {"zh": "最常解决问题的一步", "en": "The step that most often fixed it"},
    "insights.best_step": {"zh": "{fault}：{step}（{fixed}/{tried} 次解决）",
                           "en": "{fault}: {step} (fixed it {fixed} of {tried} times)"},
    "insights.none": {"zh": "还没有可统计的记录。", "en": "No incidents to learn from yet."},
    "flow.history": {"zh": "以往记录中，这一步在 {tried} 次中解决了 {fixed} 次。",
                     "en": "Fixed it in {fixed} of {tried} past incidents."},
    # Routines
    "due.nothing": {"zh": "今天没有到期的例行事项。", "en": "Nothing is due today."},
    "due.overdue": {"zh": "已逾期 {days} 天", "en": "Overdue by {days} days"},
    "due.today": {"zh": "今天到期", "en": "Due today"},
    "due.never": {"zh": "从未做过", "en": "never"},
    "due.line": {"zh": "{when}：{title}{where}（上次：{last}）",
                 "en": "{when}: {title}{where} (last done: {last})"},
    "key.mark_done": {"zh": "完成", "en": "Done"},
    "key.checklist": {"zh": "核对清单", "en": "Checklist"},
    "key.report_suspicious": {"zh": "报告可疑", "en": "Report"},
    "key.terminals": {"zh": "终端", "en": "Terminals"},
    "key.add_terminal": {"zh": "添加", "en": "Add"},
    "key.edit_terminal": {"zh": "修改", "en": "Edit"},
    "routine.state": {"zh": "{where}上次：{last} · 下次：{next}", "en": "{where}last done {last} · next due {next}"},
    "routine.overdue": {"zh": "  已逾期 {days} 天", "en": "  OVERDUE by {days} days"},
    "routine.due_today": {"zh": "  今天到期", "en": "  due today"},
    "routine.history": {"zh": "记录：", "en": "History:"},
    "routine.entry": {"zh": "{at}  {who}{where}", "en": "{at}  {who}{where}"},
    "routine.findings": {"zh": "发现问题：{items}", "en": "Findings: {items}"},
    "list.separator": {"zh": "；", "en": "; "},
    "list.ids": {"zh": "、", "en": ", "},
    "routine.incident": {"zh": "→ 记录 {id}", "en": "→ incident {id}"},
    "routine.checked": {"zh": "已核对 {items} 项", "en": "{items} items checked"},
    "routine.no_history": {"zh": "还没有做过的记录。", "en": "Not done yet."},
    "offer.mark_done": {"zh": "记录已完成（d）", "en": "Mark done (d)"},
    "offer.checklist": {"zh": "逐项核对（k）", "en": "Go through the checklist (k)"},
    "offer.report": {"zh": "报告可疑情况（!）", "en": "Report a suspicious event (!)"},
    "offer.terminals": {"zh": "查看终端登记（T）", "en": "Terminals on record (T)"},
    "done.title": {"zh": "记录完成：{title}", "en": "Done: {title}"},
    "done.who": {"zh": "谁做的（必填）", "en": "Who did it (required)"},
    "done.who_training": {"zh": "谁参加了培训（必填）", "en": "Who was trained (required)"},
    "done.note": {"zh": "备注（可不填）", "en": "Note (optional)"},
    "done.note_training": {"zh": "培训了什么", "en": "What was covered"},
    "done.terminal": {"zh": "哪台终端", "en": "Which terminal"},
    "done.saved": {"zh": "已记录。下次：{next}", "en": "Recorded. Next due {next}."},
    "done.checklist_saved": {"zh": "已记录核对结果。", "en": "The checklist is recorded."},
    "done.finding_opened": {"zh": "发现问题，已开记录 {id}。", "en": "Findings recorded; incident {id} opened."},
    "done.findings_recorded": {"zh": "已记录，其中 {count} 项未确认。", "en": "Recorded, with {count} items not confirmed."},
    "findings.question_one": {"zh": "有 1 项没有打勾，会记为发现的问题。要开一条记录跟进吗？",
                              "en": "1 item was not ticked: it is recorded as a finding. "
                                    "Open an incident to follow it up?"},
    "findings.question_many": {"zh": "有 {count} 项没有打勾，会记为发现的问题。要开一条记录跟进吗？",
                               "en": "{count} items were not ticked: they are recorded as findings. "
                                     "Open an incident to follow them up?"},
    "key.open_for_findings": {"zh": "开记录跟进", "en": "Open an incident"},
    "key.record_only": {"zh": "只记录", "en": "Record only"},
    "check.hint": {"zh": "逐项确认，没问题的打勾；没打勾的算作发现问题。",
                   "en": "Tick each item that is fine; anything left unticked is a finding."},
    "check.serial_record": {"zh": "登记的序列号：{serial}", "en": "Serial number on record: {serial}"},
    "check.serial_seen": {"zh": "机身上看到的序列号", "en": "Serial number you see on the device"},
    "suspicious.prompt": {"zh": "发生了什么？（时间、人、说了什么）", "en": "What happened? (when, who, what was said)"},
    "suspicious.saved": {"zh": "已记录为 {id}。", "en": "Recorded as incident {id}."},
    "terminals.title": {"zh": "终端登记", "en": "Terminals on record"},
    "terminals.none": {"zh": "还没有登记终端。按 a 添加。", "en": "No terminal on record yet. Press a to add one."},
    "terminal.name": {"zh": "名称", "en": "Name"},
    "terminal.required": {"zh": "（必填）", "en": " (required)"},
    "terminal.location": {"zh": "放在哪里 / 谁随身带", "en": "Where it stands / who carries it"},
    "terminal.bank": {"zh": "收单银行", "en": "Bank"},
    "terminal.merchant_no": {"zh": "商户号", "en": "Merchant number"},
    "terminal.terminal_no": {"zh": "终端号", "en": "Terminal number"},
    "terminal.serial": {"zh": "序列号", "en": "Serial number"},
    "terminal.model": {"zh": "型号", "en": "Model"},
    "terminal.saved": {"zh": "已保存终端 {name}。", "en": "Saved terminal {name}."},
    "terminal.choose": {"zh": "是哪台终端出的问题？", "en": "Which terminal has the problem?"},
    "terminal.unsure": {"zh": "不确定 / 不止一台", "en": "Not sure / more than one"},
    "today.toast": {"zh": "今天有 {due} 项例行事项到期（{overdue} 项已逾期），按 i 查看。",
                    "en": "{due} routines due today ({overdue} overdue): press i to see them."},
    "today.toast_open": {"zh": "有 {count} 条记录还没结束。", "en": "{count} incidents are still open."},
    "today.title": {"zh": "今天要处理的事", "en": "For today"},
    "today.incidents": {"zh": "未结束的记录", "en": "Incidents still open"},
    "today.due": {"zh": "到期的例行事项", "en": "Routines due"},
    "settings.cadences": {"zh": "例行事项的频率（天数，或加 m 表示月，如 7、14d、3m）",
                          "en": "How often routines are due (days, or m for months: 7, 14d, 3m)"},
    "settings.bad_cadence": {"zh": "“{title}”的频率写法不对：{value}", "en": "The cadence for “{title}” does not read: {value}"},
    "key.save_settings": {"zh": "保存", "en": "Save"},
    # The command line
    "cli.no_topics_found": {"zh": "没有找到与“{text}”相关的内容。", "en": "Nothing found for “{text}”."},
    "cli.unknown_topic": {
        "zh": "没有这个主题：{id}（用 posdesk guidance list 查看全部主题）",
        "en": "No such topic: {id} (posdesk guidance list shows them all)",
    },
    "cli.unknown_incident": {
        "zh": "没有这条记录：{id}（用 posdesk incidents list 查看全部记录）",
        "en": "No such incident: {id} (posdesk incidents list shows them all)",
    },
    "cli.no_incidents": {"zh": "还没有任何记录。", "en": "No incidents yet."},
    "cli.code_topic": {"zh": "排查：posdesk guidance show {id}", "en": "Troubleshoot: posdesk guidance show {id}"},
    "cli.output_failed": {"zh": "无法输出：{reason}。", "en": "Could not print the output: {reason}."},
    "cli.written": {"zh": "已写入 {count} 条记录：{path}", "en": "Wrote {count} incidents to {path}"},
    "cli.backup_made": {"zh": "备份已写入：{path}", "en": "Backup written to {path}"},
    "cli.doctor_ok": {"zh": "数据完好：{home}（{files} 个文件，{incidents} 条记录）",
                      "en": "All is well in {home} ({files} files, {incidents} incidents)"},
    "cli.doctor_bad": {"zh": "发现 {count} 个问题。", "en": "{count} problems found."},
    "backup.failed": {"zh": "今天的自动备份没有成功：{error}", "en": "Today's automatic backup failed: {error}"},
    "problem.title": {"zh": "posdesk 无法打开数据", "en": "posdesk cannot open its records"},
    # The message above it already says what to do; this adds how to leave and how to look further.
    "problem.hint": {"zh": "按 q 退出。posdesk doctor 会逐个检查数据文件，说出哪里有问题。",
                     "en": "Press q to quit. posdesk doctor checks every file of the records "
                           "and says what is wrong."},
    "cli.empty_search": {"zh": "请给出要查找的文字。", "en": "Give some words to search for."},
    # What is wrong with the shop's records (the store's errors, backups and doctor)
    "store.damaged": {
        "zh": "数据文件 {path} 无法读取（{reason}）。文件没有被改动：可用 posdesk restore 备份文件 "
              "恢复（自动备份在 {backups}），或把这个文件移到别处，再启动 posdesk。",
        "en": "The database {path} cannot be read ({reason}). It was left as it is: restore a "
              "backup with posdesk restore FILE (automatic ones are in {backups}) or move the "
              "file aside, then start posdesk again.",
    },
    "store.reason.os": {"zh": "{error}", "en": "{error}"},
    "store.reason.empty": {"zh": "文件是空的", "en": "the file is empty"},
    "store.reason.not_utf8": {"zh": "文件不是 UTF-8 文本", "en": "the file is not UTF-8 text"},
    "store.reason.not_json": {"zh": "第 {line} 行不是有效的 JSON", "en": "not valid JSON at line {line}"},
    "store.reason.not_posdesk": {"zh": "内容不是 posdesk 的数据", "en": "the JSON is not a posdesk database"},
    "store.reason.no_schema": {"zh": "缺少 posdesk 的数据版本号", "en": "it has no posdesk schema version"},
    "store.too_new": {
        "zh": "数据文件 {path} 是较新版本的 posdesk 写的（数据版本 {found}，本程序只认识到 {known}）。"
              "文件没有被改动：请升级 posdesk 后再打开。",
        "en": "The database {path} was written by a newer posdesk (schema {found}, this one "
              "knows {known}). It was left as it is: upgrade posdesk to open it.",
    },
    "store.busy": {
        "zh": "另一个 posdesk 占用 {lock} 已超过 {seconds} 秒；请关掉它或稍后再试。",
        "en": "Another posdesk is holding {lock} for more than {seconds} s; close it or try again.",
    },
    "store.folder": {"zh": "无法使用数据文件夹 {home}：{error}。",
                     "en": "Cannot use the data folder {home}: {error}."},
    "store.cannot_write": {"zh": "无法写入 {path}：{reason}。没有改动任何数据。",
                           "en": "Cannot write {path}: {reason}. Nothing was changed."},
    "store.cannot_use": {"zh": "无法使用 {path}：{reason}。", "en": "Cannot use {path}: {reason}."},
    "store.needs_writing": {
        "zh": "posdesk 需要先在 {home} 里{task}，但无法写入：{reason}。文件没有被改动。",
        "en": "posdesk must first {task} in {home}, but cannot write there: {reason}. "
              "The files were left as they are.",
    },
    "store.task.migrate": {"zh": "把数据升级到新格式", "en": "upgrade the records to the new format"},
    "store.task.finish_move": {"zh": "把一条中途被打断的记录移动完",
                               "en": "finish moving an incident that was cut short"},
    "store.task.finish_restore": {"zh": "完成一次中途被打断的恢复",
                                  "en": "finish a restore that was cut short"},
    "store.is_folder": {"zh": "{path} 是一个文件夹；请给出文件名，例如 {example}。",
                        "en": "{path} is a folder; give a file name, e.g. {example}."},
    "store.own_file": {"zh": "{path} 是 posdesk 自己的数据文件，不能写在这里；请换一个文件名。",
                       "en": "{path} is one of posdesk's own database files; choose another file."},
    "store.in_data_folder": {
        "zh": "{path} 在 posdesk 自己管理的数据文件夹里，不能写在这里；请写到别处，或写到 {reports}。",
        "en": "{path} is inside the data folder posdesk keeps for itself; write it somewhere "
              "else, or into {reports}.",
    },
    "store.not_regular": {
        "zh": "{path} 不是普通文件（是设备、管道或链接），不能写在这里；请给出文件名，或用 - 输出到屏幕。",
        "en": "{path} is not an ordinary file (a device, a pipe or a link); give a file name, "
              "or - to print it.",
    },
    "backup.own_file": {
        "zh": "{path} 是正在使用的数据文件，不是备份；请用 posdesk backup 做的备份文件（在 {backups} 里）。",
        "en": "{path} is the database in use, not a backup; restore a file made by posdesk "
              "backup (they are in {backups}).",
    },
    "store.reason.too_deep": {"zh": "JSON 嵌套太深", "en": "the JSON is nested too deeply"},
    "store.os.no_space": {"zh": "磁盘已满", "en": "the disk is full"},
    "store.os.quota": {"zh": "已用完磁盘配额", "en": "the disk quota is used up"},
    "store.os.permission": {"zh": "没有权限", "en": "no permission to do so"},
    "store.os.read_only": {"zh": "文件系统是只读的", "en": "the file system is read-only"},
    "store.os.io": {"zh": "磁盘读写出错（可能是硬件故障）",
                    "en": "the disk reported an input/output error (it may be failing)"},
    "store.os.symlink": {"zh": "它是一个符号链接，posdesk 出于安全不会跟随",
                         "en": "it is a symbolic link, which posdesk does not follow"},
    "store.os.folder": {"zh": "那是一个文件夹", "en": "that is a folder"},
    "store.os.not_folder": {"zh": "路径中有一部分不是文件夹", "en": "part of the path is not a folder"},
    "store.os.missing": {"zh": "所在的文件夹不存在", "en": "the folder does not exist"},
    "store.os.too_many_files": {"zh": "打开的文件太多", "en": "too many files are open"},
    "store.os.name_too_long": {"zh": "名字太长", "en": "the name is too long"},
    "store.os.busy": {"zh": "它正被占用", "en": "it is in use"},
    "store.os.exists": {"zh": "同名的文件或文件夹已经存在",
                        "en": "something by that name is already there"},
    "store.os.too_large": {"zh": "文件超出了文件系统允许的大小",
                           "en": "the file would be larger than the file system allows"},
    "store.os.other_disk": {"zh": "它得移到另一块磁盘上，无法直接移动",
                            "en": "it would have to move to another disk, which a rename "
                                  "cannot do"},
    "store.os.not_empty": {"zh": "那里有一个同名的文件夹，而且不是空的",
                           "en": "a folder by that name is in the way and is not empty"},
    "store.os.no_device": {"zh": "设备不存在或没有连接",
                           "en": "the device is not there or not connected"},
    "store.os.no_locks": {"zh": "这个文件系统不能给文件加锁（可能是网络盘）",
                          "en": "the file system cannot lock files (a network drive?)"},
    "store.os.not_supported": {"zh": "这个文件系统不支持这样做",
                               "en": "the file system does not support it"},
    "store.os.unreachable": {"zh": "连不上网络盘或挂载的文件夹",
                             "en": "the network drive or mounted folder cannot be reached"},
    "store.os.bad_characters": {"zh": "文件系统无法保存含有这些字符的名字",
                                "en": "the file system cannot store a name with these characters"},
    "store.os.invalid": {"zh": "文件系统不接受这个名字或这样的操作",
                         "en": "the file system refused the name or the operation"},
    "store.os.no_memory": {"zh": "内存不足", "en": "there is not enough memory"},
    "store.os.try_again": {"zh": "系统暂时忙，请稍后再试", "en": "the system is busy; try again"},
    "store.reason.not_regular": {"zh": "它不是普通文件，而是管道、设备之类",
                                 "en": "it is not a regular file but a pipe, a device or the like"},
    "store.reason.unreadable_value": {
        "zh": "里面有 posdesk 无法读取的值，例如长达几千位的数字",
        "en": "it holds a value posdesk cannot read, such as a number thousands of digits long",
    },
    "store.reason.bad_key": {"zh": "有一条记录的序号是 {number}，不是 posdesk 写的整数",
                             "en": "a record is numbered {number}, not a whole number as posdesk "
                                   "writes them"},
    "store.reason.bad_record": {"zh": "记录 {id} 无法读取：{problem}",
                                "en": "incident {id} cannot be read: {problem}"},
    "store.reason.filed_twice": {"zh": "记录 {id} 在 {other} 里也有，内容却不同",
                                 "en": "incident {id} is also in {other}, with other contents"},
    "backup.missing": {"zh": "没有这个文件：{path}。", "en": "There is no file {path}."},
    "backup.unreadable": {"zh": "{path} 不是 posdesk 的备份：{error}。",
                          "en": "{path} is not a posdesk backup: {error}."},
    "backup.not_posdesk": {"zh": "{path} 不是 posdesk 的备份或数据文件。",
                           "en": "{path} is not a posdesk backup or database."},
    "backup.no_database": {"zh": "{path} 里没有 posdesk 的数据。", "en": "{path} holds no posdesk database."},
    "backup.unknown_file": {"zh": "{path} 里有 posdesk 不认识的文件：{name}。",
                            "en": "{path} holds a file posdesk does not know: {name}."},
    "backup.bad_shape": {"zh": "{path}：其中的 {name} 不是 posdesk 数据的格式。",
                         "en": "{path}: {name} is not in the shape of a posdesk database."},
    "backup.no_schema": {"zh": "{path} 没有数据版本号。", "en": "{path} has no schema version."},
    "backup.too_new": {"zh": "{path} 是较新版本的 posdesk 做的（数据版本 {found}）；请先升级 posdesk。",
                       "en": "{path} was made by a newer posdesk (schema {found}); upgrade first."},
    "backup.folder": {"zh": "{path} 是一个文件夹，不是备份文件。",
                      "en": "{path} is a folder, not a backup file."},
    "backup.empty": {"zh": "{path} 是空的，不是 posdesk 的备份。",
                     "en": "{path} is empty, not a posdesk backup."},
    "backup.not_utf8": {"zh": "{path} 不是 UTF-8 文本，不是 posdesk 的备份。",
                        "en": "{path} is not UTF-8 text, not a posdesk backup."},
    "backup.not_json": {"zh": "{path} 第 {line} 行不是有效的 JSON，不是 posdesk 的备份。",
                        "en": "{path} is not valid JSON at line {line}, not a posdesk backup."},
    "backup.too_deep": {"zh": "{path} 的 JSON 嵌套太深，不是 posdesk 的备份。",
                        "en": "{path} holds JSON nested too deeply, not a posdesk backup."},
    "backup.unreadable_value": {
        "zh": "{path} 里有 posdesk 无法读取的值（例如长达几千位的数字），不是 posdesk 的备份。",
        "en": "{path} holds a value posdesk cannot read (such as a number thousands of digits "
              "long), not a posdesk backup.",
    },
    "backup.not_regular": {
        "zh": "{path} 不是普通文件（是设备、管道之类），不可能是 posdesk 的备份。",
        "en": "{path} is not a regular file (it is a device, a pipe or the like), so it cannot "
              "be a posdesk backup.",
    },
    "backup.too_big": {
        "zh": "{path} 超过 {limit}，远大于 posdesk 的备份；没有读取它。",
        "en": "{path} is larger than {limit}, far more than a posdesk backup holds; it was not "
              "read.",
    },
    "backup.bad_key": {
        "zh": "{path}：{name} 的表 {table} 里有一条记录的序号是 {number}，不是 posdesk 写的整数；"
              "没有恢复任何内容。",
        "en": "{path}: in {name}, table {table} holds a record numbered {number}, not a whole "
              "number as posdesk writes them; nothing was restored.",
    },
    "backup.keys_collide": {
        "zh": "{path}：{name} 里的 {record} 有几个键在清理（去掉控制字符、遮住卡号）后会变成同一个，"
              "其中一个会丢失；没有恢复任何内容。",
        "en": "{path}: in {name}, {record} holds keys that become one once cleaned (control "
              "characters removed, card numbers masked), so one would be lost; nothing was "
              "restored.",
    },
    "backup.bad_move": {"zh": "{path}：{name} 里的 {record} 不是 posdesk 可信的移动记录；没有恢复任何内容。",
                        "en": "{path}: {record} in {name} is not a move posdesk can trust; "
                              "nothing was restored."},
    "backup.bad_record": {"zh": "{path}：{name} 里的记录 {record} 无法使用（{reason}）；没有恢复任何内容。",
                          "en": "{path}: record {record} in {name} cannot be used ({reason}); "
                                "nothing was restored."},
    "backup.reason.missing": {"zh": "缺少 {field}", "en": "{field} is missing"},
    "backup.reason.invalid": {"zh": "内容不对：{error}", "en": "wrong content: {error}"},
    "backup.reason.id": {"zh": "编号的格式不对", "en": "the id is not in posdesk's form"},
    "backup.duplicate": {"zh": "{path}：记录 {record} 在 {name} 和 {other} 里都有；没有恢复任何内容。",
                         "en": "{path}: incident {record} is in both {name} and {other}; "
                               "nothing was restored."},
    "backup.misplaced": {"zh": "{path}：{name} 里的记录 {record} 应该在 {expected} 里；没有恢复任何内容。",
                         "en": "{path}: incident {record} in {name} belongs in {expected}; "
                               "nothing was restored."},
    "backup.empty_output": {"zh": "-o 需要一个文件名（-o - 表示输出到屏幕）。",
                            "en": "-o needs a file name (-o - writes to standard output)."},
    "backup.restored": {"zh": "已从 {path} 恢复。", "en": "Restored from {path}."},
    "backup.kept": {"zh": "原来的数据已备份到 {kept}（自动清理不会删除它）。",
                    "en": "What it replaced is kept in {kept} (the automatic clean-up never "
                          "removes it)."},
    "backup.damaged_moved": {"zh": "无法读取的数据文件已移到：{paths}。",
                             "en": "The damaged files were moved to {paths}."},
    "backup.left_out": {
        "zh": "注意：被替换的数据里有 {count} 条记录不在这个备份中（{ids}），它们只保存在 {kept} 里。",
        "en": "Note: {count} incidents of the replaced database are not in this backup ({ids}); "
              "they are only in {kept}.",
    },
    "backup.switch_stopped": {
        "zh": "恢复在 {path} 处停下了：{reason}。下次启动 posdesk 时会把恢复完成。",
        "en": "The restore stopped at {path}: {reason}. posdesk finishes it the next time it "
              "starts.",
    },
    "doctor.untrusted_move": {
        "zh": "{path}：移动记录（_moving）里有 {count} 条 posdesk 不信任的条目，没有执行它们。",
        "en": "{path}: the move journal (_moving) holds {count} entries posdesk does not "
              "trust; they were not acted on.",
    },
    "doctor.restore_cut_short": {
        "zh": "{path}：一次恢复被中途打断了；启动 posdesk 就会把它完成。",
        "en": "{path}: a restore was cut short; starting posdesk finishes it.",
    },
    "backup.switch_left": {
        "zh": "恢复无法安全地替换或删除 {names}，它们保持原样；posdesk doctor 会说明详情（{path}）。",
        "en": "The restore could not safely replace or remove {names} and left them as they "
              "were; posdesk doctor says more ({path}).",
    },
    "doctor.restore_would_leave": {
        "zh": "{path}：一次恢复被中途打断了；下次启动时 posdesk 只做能安全完成的部分，"
              "以下文件会保持原样：{names}。",
        "en": "{path}: a restore was cut short; the next start finishes only what it safely "
              "can and leaves these as they are: {names}.",
    },
    "doctor.restore_left": {
        "zh": "{path}：一次被打断的恢复无法安全地完成，以下文件保持原样：{names}。"
              "请检查数据，然后重新恢复一次备份（或删除 {path}）。",
        "en": "{path}: a restore cut short could not be finished safely, so these were left as "
              "they were: {names}. Check the records, then restore a backup again (or remove "
              "{path}).",
    },
    "doctor.lock_in_the_way": {
        "zh": "{path}：锁文件不是普通文件（是符号链接、文件夹之类），posdesk 无法使用它；"
              "把它删掉，posdesk 会重新建一个。",
        "en": "{path}: the lock file is not a plain file (a symbolic link, a folder or the "
              "like), so posdesk cannot use it; remove it and posdesk makes a new one.",
    },
    "doctor.folder_in_the_way": {
        "zh": "{path}：这是一个符号链接，或者不是文件夹；posdesk 只把备份和报告写进数据文件夹里"
              "它自己的文件夹。请把它移走。",
        "en": "{path}: this is a symbolic link or not a folder; posdesk writes backups and "
              "reports only into a folder of its own in the data folder. Move it aside.",
    },
    "doctor.backups_ahead": {
        "zh": "{folder}：有 {count} 个备份的名字里的日期晚于今天（最晚的是 {name}），电脑的时钟"
              "可能慢了；时钟调准之前，每日备份不会被自动清理。",
        "en": "{folder}: {count} backups are named for a later day than today (the latest is "
              "{name}): the computer's clock may be behind. Until it is right, no daily backup "
              "is cleaned up.",
    },
    "doctor.untrusted_restore": {
        "zh": "{path}：这份恢复记录 posdesk 不信任，没有执行它。",
        "en": "{path}: posdesk does not trust this restore journal and did not act on it.",
    },
    "doctor.readable_by_others": {
        "zh": "{path}：本机的其他用户也能访问（权限 {mode}）；posdesk 下次打开数据时会收紧它。",
        "en": "{path}: others on this computer can open it (mode {mode}); posdesk narrows it "
              "the next time it opens the records.",
    },
    "doctor.no_schema": {"zh": "{path}：缺少数据版本号。", "en": "{path}: the schema version is missing."},
    "doctor.too_new": {"zh": "{path}：是较新版本的 posdesk 写的（数据版本 {found}）。",
                       "en": "{path}: written by a newer posdesk (schema {found})."},
    "doctor.move_cut_short": {
        "zh": "{path}：一条记录在文件之间移动时被打断了；启动 posdesk 就会把它移完。",
        "en": "{path}: a move between incident files was cut short; starting posdesk finishes it.",
    },
    "doctor.duplicate": {"zh": "{path}：记录 {id} 在 {other} 里也有。",
                         "en": "{path}: incident {id} is also in {other}."},
    "doctor.misplaced": {"zh": "{path}：记录 {id} 应该在 {expected} 里。",
                         "en": "{path}: incident {id} belongs in {expected}."},
    # Records that cannot be read, and the clock
    "record.missing": {"zh": "缺少 {field}", "en": "{field} is missing"},
    "record.not_object": {"zh": "{field} 应是一组键和值", "en": "{field} is not a set of keys and values"},
    "record.not_list": {"zh": "{field} 应是一个列表", "en": "{field} is not a list"},
    "record.empty": {"zh": "{field} 是空的", "en": "{field} is empty"},
    "record.not_text": {"zh": "{field} 应是文字", "en": "{field} is not text"},
    "record.not_number": {"zh": "{field} 应是不小于 0 的整数",
                          "en": "{field} is not a whole number of 0 or more"},
    "record.not_true_false": {"zh": "{field} 应是 true 或 false",
                              "en": "{field} is not true or false"},
    "record.not_time": {"zh": "{field} 不是带时区的时间（应像 2026-11-25T14:03:00+08:00）",
                        "en": "{field} is not a time with its UTC offset "
                              "(like 2026-11-25T14:03:00+08:00)"},
    "record.not_id": {"zh": "{field} 不是 posdesk 的编号格式（记录如 20261125-001，终端如 T1）",
                      "en": "{field} is not an id as posdesk writes them "
                            "(incidents 20261125-001, terminals T1)"},
    "record.unknown_value": {"zh": "{field} 的值 posdesk 不认识",
                             "en": "{field} holds a value posdesk does not know"},
    "record.not_opened_first": {"zh": "{field}：第一件事应是开始排查（opened）",
                                "en": "{field}: the first event must be the opening (opened)"},
    "record.cannot_read": {"zh": "有一条记录无法读取（{problem}），posdesk doctor 会指出是哪一条",
                           "en": "a record cannot be read ({problem}); posdesk doctor names it"},
    "record.kind.incident": {"zh": "记录", "en": "incident"},
    "record.kind.terminal": {"zh": "终端", "en": "terminal"},
    "record.kind.routine_entry": {"zh": "例行事项记录", "en": "routine log entry"},
    "doctor.bad_record": {"zh": "{path}：{kind} {id} 无法读取：{problem}。",
                          "en": "{path}: {kind} {id} cannot be read: {problem}."},
    "doctor.bad_record_at": {"zh": "{path}：第 {n} 条{kind}无法读取：{problem}。",
                             "en": "{path}: {kind} no. {n} cannot be read: {problem}."},
    "doctor.bad_setting": {"zh": "{path}：设置中 {problem}，现用默认值。",
                           "en": "{path}: in the settings, {problem}; the default is used "
                                 "instead."},
    "cli.unreadable": {"zh": "有 {count} 条数据无法读取，没有列出；运行 posdesk doctor 查看是哪些。",
                       "en": "Records that cannot be read were left out: {count}. "
                             "Run posdesk doctor to see which."},
    "cli.unreadable_incident": {"zh": "记录 {id} 无法读取：{problem}。运行 posdesk doctor 查看全部问题。",
                                "en": "Incident {id} cannot be read: {problem}. "
                                      "Run posdesk doctor to see every problem."},
    "list.unreadable": {"zh": " · 另有 {count} 条记录无法读取（运行 posdesk doctor 查看）",
                        "en": " · records that cannot be read: {count} (run posdesk doctor)"},
    "due.not_yet": {"zh": "下次 {next}", "en": "Next due {next}"},
    "due.future": {"zh": "{when}：{title}{where}（完成日期记成了将来的 {at}：请核对电脑时钟，再记录一次完成）",
                   "en": "{when}: {title}{where} (marked done on a future date, {at}: check the "
                         "computer's clock and mark it done again)"},
    "routine.future": {"zh": "  完成日期记成了将来的 {at}：请核对电脑时钟，再记录一次完成。",
                       "en": "  Marked done on a future date ({at}): check the computer's clock "
                             "and mark it done again."},
    "today.toast_future": {"zh": "有 {count} 项例行事项的完成日期在将来：请核对电脑时钟，再记录一次完成。",
                           "en": "Routines marked done on a future date: {count}. Check the "
                                 "computer's clock and mark them done again."},
    "list.reading_older": {"zh": " · 正在读取更早的记录…第 {read}/{months} 个月（列表还不完整）",
                           "en": " · Loading older incidents… {read} of {months} months (the "
                                 "list is not complete yet)"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    text = STRINGS[key]["zh" if lang == "zh" else "en"]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Phrase:
    """Something to tell a person before the language is known: a key of STRINGS and the values
    that fill it, which may be phrases themselves."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **{name: value.text(lang) if isinstance(value, Phrase) else value
                                    for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")


def phrase(key: str, **values: object) -> Phrase:
    return Phrase(key, values)


class ToldError(Exception):
    """An error the person reads: its message is a Phrase, told in their language by `told`;
    str() gives it in English, for logs and tracebacks."""

    def __init__(self, said: Phrase) -> None:
        super().__init__(said.text("en"))
        self.phrase = said


def told(error: BaseException, lang: str) -> str:
    """What went wrong, in `lang` when the error knows how to say it."""
    if isinstance(error, BadRecord):
        return t("record.cannot_read", lang, problem=record_problem(error).text(lang))
    return error.phrase.text(lang) if isinstance(error, ToldError) else str(error)


def record_problem(error: BadRecord) -> Phrase:
    """What is wrong with a stored record ("events[2].at is not a time …"), in either language."""
    return phrase(f"record.{error.problem}", field=error.field or "—")


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
