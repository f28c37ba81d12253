"""Everything the kiosk says, in Chinese and English. Chinese is the default language."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_TEXTS: dict[str, tuple[str, str]] = {
    # header
    "switch_lang": ("English", "中文"),
    "help": ("呼叫帮助", "Call for help"),
    # home
    "choose": ("请选择您要办理的业务", "Please choose a service"),
    "waiting_n": ("等候 {n} 人", "{n} waiting"),
    "stopped": ("今日已停止取号", "No more numbers today"),
    "other_category": ("其他业务", "Other services"),
    "services_n": ("{n} 项业务", "{n} services"),
    "services_n_one": ("{n} 项业务", "{n} service"),
    "page_prev": ("上一页", "Previous"),
    "page_next": ("下一页", "Next"),
    "page_of": ("第 {page}/{pages} 页", "Page {page} of {pages}"),
    "mode_plain": ("标准模式", "Standard view"),
    "mode_elder": ("长辈模式", "Large view"),
    "connecting": ("正在连接服务器，请稍候……", "Connecting to the server, please wait…"),
    "offline": (
        "暂时无法连接服务器，正在自动重试。需要帮助请到咨询台。",
        "The server cannot be reached. Retrying by itself. "
        "For help, please go to the information desk.",
    ),
    "not_registered": (
        "本机未在服务器登记，暂不能取号，请联系管理员。",
        "This kiosk is not registered with the server: numbers cannot be taken. "
        "Please call the administrator.",
    ),
    "printer_down": (
        "打印机暂停服务：取号后请记下屏幕上的号码。",
        "The printer is not working: after taking a number, please note it from the screen.",
    ),
    # hall states (GET /halls `state`)
    "state_past_cutoff": (
        "今日取号已截止，请下一个工作日再来。{next}",
        "No more numbers today. Please come back on the next working day. {next}",
    ),
    "state_between_sessions": ("午间休息，{next}", "Lunch break. {next}"),
    "state_before_opening": ("尚未开始办公，{next}", "Not open yet. {next}"),
    "state_after_closing": ("今日已下班，{next}", "Closed for today. {next}"),
    "state_closed_today": ("今日不办公，{next}", "Closed today. {next}"),
    "next_opening": ("下次办公时间：{at}", "Opens again: {at}"),
    # guide
    "guide_content": ("办理内容", "What this service is"),
    "guide_procedure": ("办理流程", "Procedure"),
    "guide_materials": ("所需材料（请先核对是否带齐）", "Required materials (please check first)"),
    "guide_no_materials": ("无需提交材料", "No materials needed"),
    "guide_time_limit": ("承诺时限", "Promised time limit"),
    "immediate": ("即办件：材料齐全当场办结", "Done on the spot when materials are complete"),
    "working_days": ("{n} 个工作日", "{n} working days"),
    "working_days_one": ("{n} 个工作日", "{n} working day"),
    "guide_fee": ("收费标准", "Fee"),
    "fee_basis": ("依据：{basis}", "Basis: {basis}"),
    "guide_queue": (
        "现在等候 {n} 人 · 办理窗口：{windows}",
        "{n} waiting now · Windows: {windows}",
    ),
    "take": ("取  号", "Take a number"),
    "take_green": ("绿色通道取号", "Green channel"),
    "green_who": (
        "绿色通道：老年人、残疾人、孕妇等优先办理",
        "Green channel: elderly, disabled, pregnant and other visitors served first",
    ),
    "back": ("返回", "Back"),
    "cannot_take_now": ("现在不能取号", "Numbers cannot be taken now"),
    # taking
    "taking": ("正在取号，请稍候……", "Taking your number, please wait…"),
    "taking_retry": (
        "暂时无法连接服务器，正在重试（第 {n} 次）。\n您还没有取到号码，请稍候。",
        "The server cannot be reached. Retrying (attempt {n}).\n"
        "You do not have a number yet. Please wait.",
    ),
    "cancel": ("取消", "Cancel"),
    "refused": ("未能取号", "No number was issued"),
    "refused_hall_closed": ("现在不在取号时间。", "Numbers are not being issued at this time."),
    "refused_issuing_stopped": ("该业务今日已停止取号。", "This service stopped issuing today."),
    "refused_daily_cap_reached": (
        "该业务今日号码已发完，请下一个工作日再来。",
        "Today's numbers for this service are all taken. Please come back next working day.",
    ),
    "refused_unauthorized": (
        "本机暂不能取号，请联系工作人员。",
        "This kiosk cannot issue numbers now; please ask a member of staff.",
    ),
    "refused_forbidden": (
        "本机暂不能取号，请联系工作人员。",
        "This kiosk cannot issue numbers now; please ask a member of staff.",
    ),
    "refused_green_channel_not_offered": (
        "该业务没有绿色通道，请普通取号。",
        "This service has no green channel; please take a normal number.",
    ),
    "refused_lease_exhausted": (
        "网络中断，本机离线号码已用完。请到服务台找工作人员取号。",
        "The network is down and this kiosk has no offline numbers left. "
        "Please ask the staff at the service desk.",
    ),
    # ticket
    "your_number": ("您的号码", "Your number"),
    "ahead_offline": ("离线取号：网络恢复后排入队列", "Issued offline: joins the queue when back"),
    "wait_offline": ("预计等候：暂无法估计", "Estimated wait: unknown"),
    "green": ("绿色通道", "Green channel"),
    "ahead": ("前面等候：{n} 人", "People ahead: {n}"),
    "wait": ("预计等候：约 {low}–{high} 分钟", "Estimated wait: about {low}–{high} min"),
    "wait_about": ("预计等候：约 {minutes} 分钟", "Estimated wait: about {minutes} min"),
    "wait_unknown": ("预计等候：暂无窗口开放", "Estimated wait: no window open now"),
    "windows": ("办理窗口：{windows}", "Windows: {windows}"),
    "window_n": ("{n}号窗口", "Window {n}"),
    "bring": ("请备齐：{materials}", "Please have ready: {materials}"),
    "more_materials": ("等 {n} 项", "and {n} more"),
    "printing": ("正在打印小票……", "Printing your receipt…"),
    "printed": ("请取走小票", "Please take your receipt"),
    "print_failed": ("小票未能打印", "The receipt could not be printed"),
    "note_number": (
        "号码有效！请记下您的号码，\n或用手机扫码查看排队进度。",
        "Your number is valid! Please note it,\nor scan the code to follow the queue.",
    ),
    "reprint": ("补打小票", "Reprint"),
    "reprinting": ("正在补打 {number} 的小票", "Reprinting the receipt of {number}"),
    "reprint_failed": (
        "{number} 的小票未能打印，请联系工作人员",
        "The receipt of {number} could not be printed; please ask a member of staff",
    ),
    "done": ("完成，返回首页", "Done, back to start"),
    "home_in": ("{n} 秒后返回首页", "Back to start in {n} s"),
    "keep_reading": ("继续查看", "Keep reading"),
    "still_there": (
        "还在看吗？请点继续查看，否则将返回首页。",
        "Still reading? Tap Keep reading, or the kiosk goes back to the start.",
    ),
    # spoken prompts (kiosk/voice.py)
    "say_guide": (
        "{name}。请核对所需材料，然后点取号。",
        "{name}. Please check the materials you need, then tap Take a number.",
    ),
    "say_category": ("{name}。请选择业务。", "{name}. Please choose a service."),
    "say_ticket": ("您的号码是 {number}。", "Your number is {number}."),
    "say_printed": (
        "请取走小票，留意叫号屏和广播。",
        "Please take your receipt and watch the hall board.",
    ),
    "say_checkin": (
        "请输入预约码，然后点签到。",
        "Please type your booking code, then tap Check in.",
    ),
    # help
    "help_calling": ("正在呼叫工作人员……", "Calling a member of staff…"),
    "help_called": (
        "已通知工作人员，请在此稍候，马上有人来帮您。",
        "A member of staff has been told and will come to you. Please wait here.",
    ),
    "help_failed": (
        "暂时无法通知工作人员，请到咨询台或向工作人员招手。",
        "Staff could not be alerted. Please go to the information desk or wave to a member "
        "of staff.",
    ),
    "close": ("关闭", "Close"),
    # appointment check-in (预约签到)
    "checkin": ("预约签到", "Appointment check-in"),
    "checkin_how": (
        "请输入预约码（可同时输入手机号），或只输入身份证号码。",
        "Enter your booking code (and phone number if you like), or only your ID number.",
    ),
    "checkin_code": ("预约码", "Booking code"),
    "checkin_phone": ("手机号码（选填）", "Mobile phone (optional)"),
    "checkin_id": ("或：身份证号码", "Or: resident ID number"),
    "checkin_go": ("签  到", "Check in"),
    "checkin_missing": (
        "请输入预约码或身份证号码。",
        "Please enter the booking code or your ID number.",
    ),
    "checking_in": ("正在签到，请稍候……", "Checking in, please wait…"),
    "checking_in_retry": (
        "暂时无法连接服务器，正在重试（第 {n} 次）。\n尚未签到，请稍候。",
        "The server cannot be reached. Retrying (attempt {n}).\n"
        "You are not checked in yet. Please wait.",
    ),
    "checkin_refused": ("未能签到", "Could not check in"),
    "refused_booking_not_found": (
        "没有找到该预约，请核对预约码、手机号或身份证号码。",
        "No such booking: please check the code, the phone number or the ID number.",
    ),
    "refused_booking_not_today": (
        "该预约不是今天的，请在预约当天前来签到。",
        "This booking is not for today: please check in on the booked day.",
    ),
    "refused_booking_cancelled": (
        "该预约已取消，请返回首页普通取号。",
        "This booking was cancelled: please take a normal number from the start screen.",
    ),
    "refused_invalid_id_number": (
        "身份证号码有误，请核对后重新输入。",
        "The ID number is not valid: please check it and try again.",
    ),
    "refused_invalid_phone": ("手机号码有误。", "The phone number is not valid."),
    "too_early": (
        "您预约的时段是 {slot}（{name}），现在签到还太早。\n"
        "请于 {at} 后再来签到；也可以现在领取普通号。",
        "Your booking is for {slot} ({name}); it is too early to check in.\n"
        "Please come back after {at}, or take a normal number now.",
    ),
    "take_normal": ("现在领取普通号", "Take a normal number now"),
    "clear": ("清除", "Clear"),
    "appointment_kind": ("预约", "Appointment"),
    "appointment_notice": (
        "预约 {slot}：按预约时间优先叫号",
        "Booked for {slot}: called by the booked time",
    ),
    "late_notice": (
        "已超过预约签到时间，按普通号排队",
        "Too late for the booked time: you queue as a normal number",
    ),
    "early_notice": ("提前到达，按普通号排队", "Early: you queue as a normal number"),
    "checked_in_before": (
        "您已签到过，号码不变：{notice}",
        "You had already checked in; same number: {notice}",
    ),
    # a booking checked in before whose ticket is no longer waiting (kiosk/screens/ticket_state.py)
    "ticket_state_title": ("该预约已经签到过", "This booking was already checked in"),
    "ticket_state_called": (
        "已叫号：请立即到 {window} 号窗口办理",
        "Called: please go to window {window} now",
    ),
    "ticket_state_serving": ("正在 {window} 号窗口办理", "Being served at window {window}"),
    "ticket_state_on_hold": (
        "暂挂中：请到 {window} 号窗口咨询",
        "On hold: please ask at window {window}",
    ),
    "ticket_state_finished": ("已办理完毕", "Already served"),
    "ticket_state_no_show": ("已过号：叫号时您未到窗口", "Missed: you were not there when called"),
    "ticket_state_transferred": ("已转到其他窗口办理", "Moved to another window"),
    "ticket_state_cancelled": ("已取消", "Cancelled"),
    "ticket_next_at_window": (
        "请直接到窗口，不需要再取号。",
        "Go straight to the window; you need no new number.",
    ),
    "ticket_next_used": (
        "这个预约已经用过了。如需办理其他业务，请返回首页重新取号。",
        "This booking has been used. For another matter, please take a new number.",
    ),
    "ticket_next_no_show": (
        "过号的预约不能重新排队。请返回首页领取普通号，或点“呼叫帮助”请工作人员协助。",
        "A missed booking cannot rejoin the queue. Please take a normal number from the "
        "start screen, or tap “Call for help” for a member of staff.",
    ),
    "ticket_next_transferred": (
        "请留意大厅叫号屏上的号码，或点“呼叫帮助”。",
        "Please watch the hall board for your number, or tap “Call for help”.",
    ),
    "no_receipt": ("本次不打印小票。", "No receipt is printed."),
    "window_unknown": ("—", "—"),
    # 刷身份证取号 (kiosk/screens/idcard.py)
    "card_asking": (
        "已读取身份证，正在查询，请稍候……",
        "ID card read. Looking it up, please wait…",
    ),
    "card_asking_retry": (
        "暂时无法连接服务器，正在重试（第 {n} 次）。\n尚未取号，请稍候。",
        "The server cannot be reached. Retrying (attempt {n}).\n"
        "No number has been taken yet. Please wait.",
    ),
    "card_refused": ("未能用身份证取号", "The ID card could not be used"),
    "card_choose": (
        "身份证 {masked}：请选择要办理的业务",
        "ID card {masked}: please choose a service",
    ),
    "card_green_by_age": (
        "您符合年龄优先条件，标有“绿色通道”的业务将优先叫号。",
        "Your age gives you priority: services marked “Green channel” call you first.",
    ),
    "card_taken_title": (
        "您今天已经用身份证取过号",
        "You already took a number with this card today",
    ),
    "card_taken_waiting": (
        "号码不变，正在等候叫号，前面还有 {n} 人。",
        "Same number, waiting to be called; {n} ahead of you.",
    ),
    "card_taken_next": (
        "每人每天可用身份证取号的次数已用完。如需帮助，请点“呼叫帮助”。",
        "Today's numbers for this card are used. For help, tap “Call for help”.",
    ),
    "card_problem_title": ("未能读取身份证", "The ID card could not be read"),
    "card_problem_removed": (
        "读卡时身份证被移开了。请把身份证平放在感应区，等提示后再拿开。",
        "The card was moved away while being read. Please lay it flat on the reader "
        "and wait for the next screen.",
    ),
    "card_problem_checksum": (
        "读卡数据有误。请把身份证重新放一次。",
        "The reader got garbled data. Please place the card again.",
    ),
    "card_problem_silent": (
        "身份证阅读器没有响应。请使用“预约签到”或直接选择业务取号，或点“呼叫帮助”。",
        "The ID card reader does not answer. Please use check-in or choose a service, "
        "or tap “Call for help”.",
    ),
    "card_problem_refused": (
        "无法读取这张证件，请确认是第二代居民身份证。",
        "This card cannot be read. Please use a second-generation resident ID card.",
    ),
    "card_problem_invalid": (
        "身份证号码校验不通过，请重新放一次或联系工作人员。",
        "The ID number does not check out. Please try again or ask a member of staff.",
    ),
    "card_nothing_taken": ("未取号，也未签到。", "No number was taken and nothing was checked in."),
    "refused_id_card_busy": (
        "这张身份证正在另一台机器上使用，请稍后再试。",
        "This ID card is being used at another kiosk; please try again.",
    ),
}

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def t(key: str, lang: Lang, **values: object) -> str:
    """The text in `lang`; with n == 1, the key's `_one` form where English needs one."""
    if values.get("n") == 1 and f"{key}_one" in _TEXTS:
        key = f"{key}_one"
    zh, en = _TEXTS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def has_text(key: str) -> bool:
    return key in _TEXTS


def text_keys(prefix: str = "") -> list[str]:
    """The keys of every text, or of those starting with `prefix` (the refusals: "refused_")."""
    return sorted(key for key in _TEXTS if key.startswith(prefix))


def other(lang: Lang) -> Lang:
    return "en" if lang == "zh" else "zh"
