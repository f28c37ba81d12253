// What the server's error codes mean to the duty lead, Chinese first. The server's message is
// English, for developers: it is shown only after a Chinese text, when no code here matches.

const CODES = {
  unauthorized: ["工号或密码错误，或账户已停用", "Wrong staff number or password, or the account is disabled"],
  too_many_attempts: ["登录失败次数过多，请稍后再试", "Too many failed logins; try again later"],
  forbidden: ["您的账户不能做这项操作", "Your account may not do this"],
  not_found: ["没有找到，可能已被他人处理", "Not found; someone may have dealt with it already"],
  already_open: ["该窗口已经开放", "This window is already open"],
  already_closed: ["该窗口已经关闭", "This window is already closed"],
  window_busy: ["该窗口还有正在办理或已叫号的号码，请先办结、挂起或转移", "The window still has a called or served ticket; finish, hold or transfer it first"],
  already_stopped: ["该业务已停止取号", "Issuing is already stopped for this service"],
  already_running: ["该业务正在取号", "Issuing is already running for this service"],
  empty_announcement: ["请填写公告内容", "Write the notice's text"],
  note_required: ["请填写处理说明", "Say in a note what was done"],
  already_acknowledged: ["该提醒已被处理", "This alert was already acknowledged"],
  empty_entry: ["请填写日志内容", "Write the log entry's text"],
  same_clerk: ["顶岗人员不能与缺岗人员相同", "The cover and the absent clerk must be different people"],
  no_services: ["窗口至少要办理一项业务；不办理请关闭窗口", "A window serves at least one service; close it instead"],
  unknown_service: ["没有这项业务", "Unknown service"],
  invalid_weight: ["权重应为1到100", "Weights are 1 to 100"],
  too_large: ["填写的内容太长", "What you entered is too long"],
};

const FIELDS = {
  staff_no: ["请填写工号", "Enter your staff number"],
  password: ["请填写密码", "Enter your password"],
  text: ["请填写内容（公告最多200字）", "Write the text (a notice has at most 200 characters)"],
  minutes: ["请填写有效的分钟数", "Enter a valid number of minutes"],
  note: ["请填写处理说明", "Say in a note what was done"],
  window: ["请填写有效的窗口号", "Enter a valid window number"],
  absent_staff_no: ["请填写缺岗人员工号", "Enter the absent clerk's staff number"],
  cover_staff_no: ["请填写顶岗人员工号", "Enter the covering clerk's staff number"],
  reason: ["请选择原因", "Choose a reason"],
};

const FALLBACK_ZH = "操作未成功";

// "中文 · English" for an API error body (null when the request did not reach the server).
export function explain(status, body) {
  if (!body) return `无法连接服务器，请检查网络 · No connection to the server (HTTP ${status})`;
  const detail = body.details && body.details[0];
  const field = body.field || (detail && String(detail.field).split(".").pop());
  const known = CODES[body.error] || FIELDS[field] || (status === 429 ? CODES.too_many_attempts : null);
  if (known) return `${known[0]} · ${known[1]}`;
  return `${FALLBACK_ZH} · ${body.message || `HTTP ${status}`}`;
}
