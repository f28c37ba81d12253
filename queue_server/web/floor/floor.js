// The duty lead's floor monitor. It follows the hall's event stream and asks the server for
// the floor after every event (and every few seconds, for what only time changes); every
// rule — colours, alerts, states — is decided by the server. The token stays in this tab's
// sessionStorage.

import { KIND } from "/board/assets/event_kinds.js";
import { EventStream, streamUrl } from "/board/assets/stream.js";
import { explain } from "./messages.js";

const hall = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const TOKEN_KEY = `hallq.floor.${hall}.token`;
const HANDOVER_KEY = `hallq.floor.${hall}.handover-read`;
const REFRESH_AFTER_EVENT_MS = 120;
const REFRESH_EVERY_MS = 2000;
const SLOW_REFRESH_MS = 60000;

const $ = (id) => document.getElementById(id);

const WINDOW_STATES = {
  serving: ["办理中", "Serving"],
  called: ["已叫号", "Called"],
  idle: ["空闲", "Idle"],
  paused: ["暂停", "Paused"],
  unattended: ["无人值守", "Unattended"],
  closed: ["已关闭", "Closed"],
};
const PAUSE_REASONS = {
  break: ["休息", "Break"],
  meeting: ["会议", "Meeting"],
  backup_cover: ["顶岗", "Backup cover"],
  training: ["培训", "Training"],
  other: ["其他", "Other"],
};
const DEVICE_STATUS = {
  online: ["在线", "Online"],
  offline: ["离线", "Offline"],
  not_reporting: ["未上报", "Not reporting"],
};
const PRINTER = {
  ok: ["纸张正常", "Paper OK"],
  paper_low: ["纸将尽", "Paper low"],
  paper_out: ["缺纸", "Out of paper"],
  offline: ["打印机离线", "Printer offline"],
  unknown: ["打印机未知", "Printer unknown"],
  fault: ["打印故障", "Print fault"],
};
const KINDS = { kiosk: ["取号机", "Kiosk"], display: ["窗口屏", "Window display"],
  board: ["大屏", "Hall board"] };

const state = {
  hall,
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  floor: null,
  forecast: null,
  charts: null,
  log: [],
  serverOffsetMs: 0,
  loads: 0,
  signature: null,
  timezone: "Asia/Shanghai",
};

let stream = null;
window.hallqFloor = {
  state,
  get connected() { return Boolean(stream && stream.connected); },
  refresh: () => refresh(),
};

// ----- talking to the server -----------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(explain(status, body));
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  let payload = null;
  const text = await response.text();
  if (text) {
    try { payload = JSON.parse(text); } catch { payload = null; }
  }
  if (response.status === 401) {
    logout(false);
    throw new ApiError(401, payload);
  }
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

const H = `/api/v1/halls/${encodeURIComponent(hall)}`;

// ----- login ------------------------------------------------------------------------------------

async function start() {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", () => logout(true));
  $("handover-read").addEventListener("click", onHandoverRead);
  $("announce-form").addEventListener("submit", onAnnounce);
  $("cover-form").addEventListener("submit", onCover);
  $("log-form").addEventListener("submit", onLog);
  setInterval(tickClock, 1000);
  if (state.token) {
    try {
      await enter();
      return;
    } catch {
      // An expired token: log in again.
    }
  }
  showLogin();
}

function showLogin(message = "") {
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message;
}

async function onLogin(event) {
  event.preventDefault();
  try {
    const done = await api("POST", "/api/v1/auth/login", {
      staff_no: $("login-staff").value.trim(),
      password: $("login-password").value,
    });
    state.token = done.token;
    sessionStorage.setItem(TOKEN_KEY, done.token);
    $("login-password").value = "";
    await enter();
  } catch (error) {
    showLogin(error.message || "登录失败 · Login failed");
  }
}

async function enter() {
  const me = await api("GET", "/api/v1/auth/me");
  if (me.kind !== "staff" || !["duty_lead", "supervisor"].includes(me.role)) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    const refused = new ApiError(403, null);
    refused.message = "只有值班长和督查可以查看 · Duty lead or supervision only";
    throw refused;
  }
  state.me = me;
  document.body.classList.toggle("read-only", me.role !== "duty_lead");
  $("readonly").hidden = me.role === "duty_lead";
  $("who").textContent = `${me.name}（${me.staff_no}） · ${me.role === "duty_lead" ? "值班长 Duty lead" : "督查 Supervision"}`;
  $("login").hidden = true;
  $("app").hidden = false;
  await refresh();
  refreshSlow();
  if (!stream) {
    stream = new EventStream(streamUrl(hall), { onMessage, onStatus });
    stream.start();
    setInterval(() => refresh(), REFRESH_EVERY_MS);
    setInterval(() => refreshSlow(), SLOW_REFRESH_MS);
  }
}

function logout(tellServer) {
  if (tellServer && state.token) {
    fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${state.token}` } });
  }
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.me = null;
  showLogin();
}

// ----- the stream -------------------------------------------------------------------------------

function onStatus(connected) {
  $("offline").hidden = connected;
}

let refreshTimer = null;
function onMessage(message) {
  if (message.at) learnServerTime(message.at);
  if (message.type === "event") {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, REFRESH_AFTER_EVENT_MS);
    if (message.kind === KIND.DUTY_LOG_WRITTEN) loadLog();
    if (message.kind === KIND.TICKET_FINISHED || message.kind === KIND.TICKET_ISSUED) chartsSoon();
  }
}

let chartsTimer = null;
function chartsSoon() {
  if (chartsTimer) return;
  chartsTimer = setTimeout(() => { chartsTimer = null; loadCharts(); }, 5000);
}

function learnServerTime(at) {
  const instant = Date.parse(at);
  if (!Number.isNaN(instant)) state.serverOffsetMs = instant - Date.now();
}

function serverNow() {
  return Date.now() + state.serverOffsetMs;
}

let refreshing = null;
async function refresh() {
  if (!state.token) return;
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const floor = await api("GET", `${H}/floor`);
      learnServerTime(floor.at);
      state.timezone = floor.timezone || state.timezone;
      state.floor = floor;
      state.loads += 1;
      // Redraw only on change: a button replaced under the duty lead's finger loses the tap.
      const signature = JSON.stringify(floor, (key, value) => {
        if (key === "at") return undefined;
        if (key === "longest_wait_minutes" && value !== null) return Math.floor(value);
        return value;
      });
      if (signature !== state.signature) {
        state.signature = signature;
        render();
      }
    } catch (error) {
      if (error.status && error.status !== 401) toast(error.message);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function refreshSlow() {
  await Promise.all([loadForecast(), loadCharts(), loadLog()]);
}

async function loadForecast() {
  try {
    state.forecast = await api("GET", `${H}/forecast`);
    renderForecast();
  } catch { /* shown as unavailable */ }
}

async function loadCharts() {
  try {
    state.charts = await api("GET", `${H}/floor/charts`);
    renderCharts();
  } catch { /* next time */ }
}

async function loadLog() {
  try {
    state.log = await api("GET", `${H}/duty-log`);
    renderLog();
  } catch { /* next time */ }
}

// ----- drawing ----------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function bi(pair, fallback = "") {
  if (!pair) return [fallback];
  return [pair[0], " ", el("span", { lang: "en" }, pair[1])];
}

function minutesSince(iso) {
  if (!iso) return null;
  return Math.max(0, Math.floor((serverNow() - Date.parse(iso)) / 60000));
}

function hhmm(iso) {
  const d = new Date(iso);
  return d.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false,
    timeZone: state.timezone });
}

function render() {
  const floor = state.floor;
  if (!floor) return;
  renderHandover(floor.handover);
  renderCalendarNotice(floor.provisional_calendar_years || []);
  renderAlerts(floor.alerts);
  renderServices(floor.services);
  renderWindows(floor.windows);
  renderDevices(floor.devices);
  renderOfflineKiosks(floor.offline_kiosks || []);
  renderCovers(floor.covers, floor.windows);
  renderHaocha(floor.haocha);
  renderEstimates(floor.estimates);
  $("announce-current").textContent = floor.announcement
    ? `当前公告 Current: “${floor.announcement.text}” · 至 until ${hhmm(floor.announcement.until)}`
    : "";
}

function renderCalendarNotice(years) {
  const notice = $("calendar-notice");
  notice.hidden = years.length === 0;
  notice.textContent = years.length === 0 ? "" :
    `${years.join("、")}年节假日安排未知：只按法定节日休息，调休工作日未设，请管理员更新日历 · ` +
    `Holiday arrangement of ${years.join(", ")} not known yet: only statutory days are closed, ` +
    "no make-up working days; ask the administrator to update the calendar";
}

function renderHandover(note) {
  const read = sessionStorage.getItem(HANDOVER_KEY);
  if (!note || read === note.id) {
    $("handover").hidden = true;
    return;
  }
  $("handover").hidden = false;
  $("handover").dataset.entry = note.id;
  $("handover-meta").textContent = `${note.author_name}（${note.author_staff_no}） · ${note.business_day} ${hhmm(note.written_at)}`;
  $("handover-text").textContent = note.text;
}

function onHandoverRead() {
  sessionStorage.setItem(HANDOVER_KEY, $("handover").dataset.entry || "");
  $("handover").hidden = true;
}

function subject(alert) {
  const parts = [];
  if (alert.window !== null) parts.push(`${alert.window}号窗口 · Window ${alert.window}`);
  if (alert.service) parts.push(serviceName(alert.service));
  if (alert.device) parts.push(alert.device);
  return parts.join(" · ");
}

function detailText(alert) {
  const d = alert.detail || {};
  switch (alert.rule) {
    case "wait_over_target":
      return `最长等候 ${d.longest_wait_minutes} 分钟 / 目标 ${d.target_minutes} · longest wait ${d.longest_wait_minutes} min, target ${d.target_minutes}`;
    case "queue_over_limit":
      return `${d.waiting} 人等候（上限 ${d.limit}） · ${d.waiting} waiting (limit ${d.limit})`;
    case "pause_over_limit": {
      const reason = PAUSE_REASONS[d.reason] || [d.reason, d.reason];
      return `${reason[0]} ${d.paused_minutes} 分钟（限 ${d.limit_minutes}） · ${reason[1]} ${d.paused_minutes} min (limit ${d.limit_minutes})`;
    }
    case "window_unattended":
      return `无人 ${d.minutes} 分钟 · nobody for ${d.minutes} min`;
    case "device_offline":
      return `${d.silent_minutes} 分钟无上报 · silent ${d.silent_minutes} min`;
    case "help_requested":
      return [d.screen && `界面 screen: ${d.screen}`, d.ticket && `号码 ticket: ${d.ticket}`].filter(Boolean).join(" · ");
    case "bad_rating":
      return `${d.level}${d.reasons && d.reasons.length ? " · " + d.reasons.join(", ") : ""}`;
    case "follow_up_due":
    case "complaint_due": {
      const left = Number(d.working_days_left);
      if (left < 0) return `已逾期 ${-left} 个工作日 · overdue by ${-left} working day${left === -1 ? "" : "s"} (期限 deadline ${d.deadline})`;
      if (left === 0) return `今天到期 · due today (期限 deadline ${d.deadline})`;
      return `期限 deadline ${d.deadline} · 剩 ${left} 个工作日 · ${left} working day${left === 1 ? "" : "s"} left`;
    }
    default:
      return "";
  }
}

// Alerts come after the queues and windows: grouped by kind with a count, urgent kinds
// first, the few most urgent of each kind shown, one note to acknowledge a whole kind.
const SHOWN_PER_KIND = 3;
// A kind's heading where the server's title names only one case ("due soon") of the kind.
const KIND_TITLES = {
  follow_up_due: ["差评回访（将到期或已逾期）", "Bad-rating follow-ups (due or overdue)"],
  complaint_due: ["投诉处理（将到期或已逾期）", "Complaints (due or overdue)"],
};
const openKinds = new Set(); // kinds the duty lead unfolded to see all

function alertOrder(a, b) {
  const urgent = (x) => (x.severity === "urgent" ? 0 : 1);
  return urgent(a) - urgent(b) || Date.parse(a.since) - Date.parse(b.since);
}

function renderAlerts(alerts) {
  const list = $("alerts");
  const typing = list.querySelector("input:focus");
  const drafts = new Map([...list.querySelectorAll("input[data-alert]")].map((i) => [i.dataset.alert, i.value]));
  const kindDrafts = new Map([...list.querySelectorAll("input[data-kind]")].map((i) => [i.dataset.kind, i.value]));
  $("alert-count").textContent = String(alerts.length);
  $("alert-count").classList.toggle("zero", alerts.length === 0);
  $("alert-jump").textContent = String(alerts.length);
  $("alert-jump").classList.toggle("zero", alerts.length === 0);
  $("no-alerts").hidden = alerts.length > 0;
  if (typing && (alerts.some((a) => a.id === typing.dataset.alert) || typing.dataset.kind)) {
    // Do not redraw under the duty lead's finger; the next refresh catches up.
    return;
  }
  const kinds = new Map();
  for (const alert of [...alerts].sort(alertOrder)) {
    if (!kinds.has(alert.rule)) kinds.set(alert.rule, []);
    kinds.get(alert.rule).push(alert);
  }
  list.replaceChildren(
    ...[...kinds.entries()].map(([rule, items]) => {
      const all = openKinds.has(rule);
      const shown = all ? items : items.slice(0, SHOWN_PER_KIND);
      const first = items[0];
      const note = el("input", { placeholder: "处理说明 · Note", "data-kind": rule, maxlength: "500",
        "aria-label": `${first.title_zh}：全部的处理说明 Note for all ${first.title_en}` });
      note.value = kindDrafts.get(rule) || "";
      return el(
        "li",
        { class: `kind ${first.severity}`, dataset: { kind: rule } },
        el("h3", {}, ...bi(KIND_TITLES[rule] || [first.title_zh, first.title_en]), " ",
          el("b", { class: "count" }, items.length)),
        items.length > 1
          ? el("div", { class: "bulk act" }, note,
            el("button", { class: "big", type: "button",
              onclick: () => acknowledgeAll(items.map((x) => x.id), note) },
            `全部确认（${items.length}） `, el("span", { lang: "en" }, `Acknowledge all ${items.length}`)))
          : null,
        el("ol", {}, ...shown.map((alert) => renderAlert(alert, drafts))),
        items.length > SHOWN_PER_KIND
          ? el("button", { class: "more", type: "button", onclick: () => {
            if (all) openKinds.delete(rule); else openKinds.add(rule);
            renderAlerts(state.floor.alerts);
          } }, all ? ["收起 ", el("span", { lang: "en" }, "Show fewer")]
            : [`显示全部 ${items.length} 条 `, el("span", { lang: "en" }, `Show all ${items.length}`)])
          : null,
      );
    }),
  );
}

function renderAlert(alert, drafts) {
  const note = el("input", { placeholder: "处理说明 · Note", "data-alert": alert.id,
    "aria-label": "处理说明 Note", maxlength: "500" });
  note.value = drafts.get(alert.id) || "";
  return el(
    "li",
    { class: `alert ${alert.severity}${alert.cleared_at ? " cleared" : ""}`,
      dataset: { alertId: alert.id, rule: alert.rule } },
    el("div", {},
      el("div", { class: "title" }, subject(alert) || [alert.title_zh, " ", el("span", { lang: "en" }, alert.title_en)]),
      el("div", { class: "muted" },
        [`${hhmm(alert.since)} 起 since`, detailText(alert)].filter(Boolean).join(" · "),
        alert.cleared_at ? ` · 已恢复 cleared ${hhmm(alert.cleared_at)}` : ""),
    ),
    el("div", { class: "ack act" }, note,
      el("button", { class: "big primary", type: "button", onclick: () => acknowledge(alert.id, note) },
        "确认 ", el("span", { lang: "en" }, "Acknowledge"))),
  );
}

// One note for every alert of a kind; each is acknowledged on its own (the server keeps who
// and when for each), and the page says how many went through.
async function acknowledgeAll(ids, input) {
  const note = input.value.trim();
  if (!note) {
    input.focus();
    toast("请填写处理说明 · Write what was done");
    return;
  }
  let done = 0;
  let failed = null;
  for (const id of ids) {
    try {
      await api("POST", `${H}/alerts/${encodeURIComponent(id)}/acknowledge`, { note });
      done += 1;
    } catch (error) {
      failed = error;
    }
  }
  input.value = "";
  input.blur();
  toast(failed
    ? `已确认 ${done} 条，${ids.length - done} 条未成功：${failed.message}`
    : `已确认 ${done} 条 · ${done} acknowledged`);
  await refresh();
}

async function acknowledge(id, input) {
  const note = input.value.trim();
  if (!note) {
    input.focus();
    toast("请填写处理说明 · Write what was done");
    return;
  }
  try {
    await api("POST", `${H}/alerts/${encodeURIComponent(id)}/acknowledge`, { note });
    input.value = "";
    input.blur();
    await refresh();
  } catch (error) {
    toast(error.message);
  }
}

function serviceName(code) {
  const s = state.floor && state.floor.services.find((x) => x.code === code);
  return s ? `${s.name_zh} ${s.name_en || ""}`.trim() : code;
}

function renderServices(services) {
  $("services").replaceChildren(
    ...services.map((s) => {
      const worst = [s.wait_colour, s.queue_colour].includes("red") ? "tile-red"
        : [s.wait_colour, s.queue_colour].includes("amber") ? "tile-amber" : "";
      const estimate = s.estimate_low === null ? "—"
        : s.estimate_low === s.estimate_high ? `${s.estimate_low}′` : `${s.estimate_low}–${s.estimate_high}′`;
      const level = s.service_level === null ? "—" : `${Math.round(s.service_level * 100)}%`;
      const longest = s.longest_wait_minutes === null ? "—" : `${Math.floor(s.longest_wait_minutes)}′`;
      return el("article", { class: `tile ${worst}`, dataset: { service: s.code } },
        el("h3", {}, s.name_zh, " ", el("span", { lang: "en" }, s.name_en || s.code)),
        el("div", { class: `big-number waiting c-${s.queue_colour}` }, s.waiting),
        el("dl", {},
          el("dt", {}, "最长等候 ", el("span", { lang: "en" }, "Longest")),
          el("dd", { class: `longest c-${s.wait_colour}` }, longest, ` / ${s.target_wait_minutes}′`),
          el("dt", {}, "预计等候 ", el("span", { lang: "en" }, "Estimate")),
          el("dd", { class: "estimate" }, estimate),
          el("dt", {}, "今日达标率 ", el("span", { lang: "en" }, "Service level")),
          el("dd", { class: `level c-${s.level_colour}` }, level),
          el("dt", {}, "窗口 ", el("span", { lang: "en" }, "Windows")),
          el("dd", {}, s.windows.join(", ") || "—"),
        ),
        s.issuing_stopped ? el("p", { class: "stopped" }, "已停止取号 ", el("span", { lang: "en" }, "Issuing stopped")) : null,
        el("div", { class: "buttons act" },
          s.issuing_stopped
            ? el("button", { class: "big primary resume-issuing", type: "button",
                onclick: () => act("POST", `${H}/services/${s.code}/resume-issuing`) },
                "恢复取号 ", el("span", { lang: "en" }, "Resume issuing"))
            : el("button", { class: "big danger stop-issuing", type: "button",
                onclick: () => act("POST", `${H}/services/${s.code}/stop-issuing`, {}, "停止 " + s.code + " 取号？ Stop issuing?") },
                "停止取号 ", el("span", { lang: "en" }, "Stop issuing")),
        ),
      );
    }),
  );
}

function windowLine(w) {
  const since = minutesSince(w.ticket_since);
  switch (w.state) {
    case "serving":
    case "called":
      return `${w.ticket} · ${since ?? 0} 分钟 min`;
    case "paused": {
      const reason = PAUSE_REASONS[w.pause_reason] || [w.pause_reason || "", ""];
      return `${reason[0]} ${reason[1]} · ${minutesSince(w.paused_at) ?? 0} 分钟 min${w.pause_note ? " · " + w.pause_note : ""}`;
    }
    case "unattended":
      return `已无人 ${minutesSince(w.unattended_since) ?? 0} 分钟 · nobody for ${minutesSince(w.unattended_since) ?? 0} min`;
    default:
      return "";
  }
}

function renderWindows(windows) {
  $("windows").replaceChildren(
    ...windows.map((w) => {
      const label = WINDOW_STATES[w.state] || [w.state, w.state];
      const display = w.display === "none" ? null
        : el("dd", { class: `dev-${w.display}` }, ...bi(DEVICE_STATUS[w.display], w.display));
      return el("article", { class: `tile state-${w.state}`, dataset: { window: w.number } },
        el("h3", {}, `${w.number}号 `, el("span", { class: "muted" }, w.name)),
        el("div", { class: "window-state" }, el("b", {}, ...bi(label))),
        el("div", { class: "window-line" }, windowLine(w)),
        el("dl", {},
          el("dt", {}, "人员 ", el("span", { lang: "en" }, "Clerk")),
          el("dd", { class: "clerk" }, w.clerk_name ? `${w.clerk_name}（${w.clerk_staff_no}）` : "—"),
          el("dt", {}, "业务 ", el("span", { lang: "en" }, "Services")),
          el("dd", { class: "window-services" }, Object.entries(w.services).map(([c, n]) => `${c}×${n}`).join(" ") || "—"),
          display ? el("dt", {}, "窗口屏 ", el("span", { lang: "en" }, "Display")) : null,
          display,
        ),
        el("div", { class: "buttons act" },
          el("button", { class: "big reassign", type: "button", onclick: () => openReassign(w) },
            "调整业务 ", el("span", { lang: "en" }, "Services")),
          w.is_open
            ? el("button", { class: "big danger close-window", type: "button",
                onclick: () => act("POST", `${H}/windows/${w.number}/close`, {}, `关闭 ${w.number} 号窗口？ Close window ${w.number}?`) },
                "关闭 ", el("span", { lang: "en" }, "Close"))
            : el("button", { class: "big primary open-window", type: "button",
                onclick: () => act("POST", `${H}/windows/${w.number}/open`) },
                "开启 ", el("span", { lang: "en" }, "Open")),
        ),
      );
    }),
  );
}

function renderDevices(devices) {
  $("devices").replaceChildren(
    ...(devices.length ? devices.map((d) => el("li", { dataset: { device: d.name } },
      el("span", {}, ...bi(KINDS[d.kind], d.kind), ` ${d.name}${d.window ? ` (${d.window})` : ""}`),
      el("span", {},
        el("span", { class: `dev-${d.status}` }, ...bi(DEVICE_STATUS[d.status], d.status)),
        d.printer ? el("span", { class: `printer dev-${d.printer === "offline" ? "offline-printer" : d.printer}` }, " · ", ...bi(PRINTER[d.printer], d.printer)) : null,
      ))) : [el("li", { class: "muted" }, "无设备 · No devices")]),
  );
}

// A kiosk cut off issues from its leased numbers; only it knows how many until it is back.
// Entries the server refused are never uploaded: the duty lead serves those visitors by hand.
function renderOfflineKiosks(kiosks) {
  $("offline-kiosks-panel").hidden = kiosks.length === 0;
  $("offline-kiosks").replaceChildren(...kiosks.map((k) => {
    const refused = k.refused || 0;
    const onlyRefused = !k.silent && !k.pending && refused > 0;
    const serveByHand = el("span", { class: "refused c-red" }, `拒收 ${refused} 张：请人工登记 `,
      el("span", { lang: "en" }, `${refused} refused: serve by hand`));
    return el("li", { class: onlyRefused ? "refused" : null, dataset: { kiosk: k.device } },
      el("span", {}, `${k.device} · `,
        ...(k.silent ? bi(["失联", "no contact"])
          : onlyRefused ? [serveByHand] : bi(["已恢复，待对账", "back, not reconciled"]))),
      el("span", {},
        k.since ? `自 since ${hhmm(k.since)}` : "",
        onlyRefused ? null : k.since ? " · " : "",
        onlyRefused ? null : k.pending == null
          ? el("span", { class: "pending" }, `未对账 不详（最多 ${k.leased_unreconciled}） `,
              el("span", { lang: "en" }, `unreconciled unknown (at most ${k.leased_unreconciled})`))
          : el("span", { class: "pending" }, `未对账 ${k.pending} 张 `,
              el("span", { lang: "en" }, `${k.pending} unreconciled`)),
        !onlyRefused && refused > 0 ? [" · ", serveByHand] : null,
      ));
  }));
}

function dayTime(iso) {
  return new Date(iso).toLocaleString("zh-CN", { month: "2-digit", day: "2-digit", hour: "2-digit",
    minute: "2-digit", hour12: false, timeZone: state.timezone });
}

function renderHaocha(h) {
  $("haocha-panel").hidden = !h || !h.enabled;
  if (!h || !h.enabled) return;
  const late = h.pending > 0;
  $("haocha").replaceChildren(...[
    el("p", { id: "haocha-reported" },
      `今日已上报 ${h.reported_today} 条 · 今日记录 ${h.records_today} 条 `,
      el("span", { lang: "en" }, `Reported today ${h.reported_today} · records of today ${h.records_today}`)),
    el("p", { id: "haocha-pending", class: late ? "c-amber" : "c-green" },
      `待上报 ${h.pending} 条`,
      h.oldest_pending ? `，最早 ${dayTime(h.oldest_pending)}` : "",
      " ", el("span", { lang: "en" }, `Pending ${h.pending}`)),
    h.last_error
      ? el("p", { id: "haocha-error", class: "muted" }, `最近错误 Last error: ${h.last_error}`)
      : null,
  ].filter(Boolean));
}

function renderEstimates(rows) {
  $("estimates-panel").hidden = !rows || rows.length === 0;
  if (!rows || rows.length === 0) return;
  $("estimates").replaceChildren(el("table", { id: "estimates-table" },
    el("thead", {}, el("tr", {},
      el("th", {}, "业务 Service"), el("th", {}, "已叫号 Called"),
      el("th", {}, "落在区间 In range"), el("th", {}, "中点误差 Error"), el("th", {}, "区间宽 Width"))),
    el("tbody", {}, ...rows.map((r) => el("tr", { dataset: { service: r.service } },
      el("td", {}, serviceName(r.service)),
      el("td", {}, String(r.called)),
      el("td", {}, r.coverage === null ? "—" : `${Math.round(r.coverage * 100)}%`),
      el("td", {}, r.median_error_minutes === null ? "—" : `${r.median_error_minutes} 分`),
      el("td", {}, r.median_width_minutes === null ? "—" : `${r.median_width_minutes} 分`))))));
}

function renderCovers(covers, windows) {
  const select = $("cover-window");
  if (select.options.length !== windows.length) {
    select.replaceChildren(...windows.map((w) => el("option", { value: w.number }, `${w.number}号 ${w.name}`)));
  }
  $("covers").replaceChildren(
    ...covers.map((c) => el("li", {},
      `${c.window}号：${c.cover_name}（${c.cover_staff_no}）顶 ${c.absent_name}（${c.absent_staff_no}） ${hhmm(c.starts_at)}–${hhmm(c.ends_at)}`)),
  );
}

function renderForecast() {
  const f = state.forecast;
  const box = $("forecast");
  if (!f) {
    box.replaceChildren(el("p", { class: "muted" }, "暂无预测 · No forecast"));
    return;
  }
  if (!f.open_today) {
    box.replaceChildren(el("p", {}, "今日不开放 ", el("span", { lang: "en" }, "Closed today")));
    return;
  }
  const ok = f.before_closing;
  const end = f.predicted_end ? hhmm(f.predicted_end) : "—";
  box.replaceChildren(...[
    el("p", { class: `big-number ${ok ? "c-green" : "c-red"}`, id: "forecast-verdict" },
      ok ? "✓ 当日号当日办结" : "✗ 闭厅前办不完",
      " ", el("span", { lang: "en" }, ok ? "All served before closing" : "Not all served before closing")),
    el("p", {}, `预计最后办结 Last ticket served ≈ ${end} · 闭厅 closing ${f.closing ? hhmm(f.closing) : "—"}`),
    f.probability_before_closing !== null
      ? el("p", { class: "muted" }, `按时概率 Chance in time: ${Math.round(f.probability_before_closing * 100)}% · ${f.method || ""}`)
      : null,
    f.advice && f.advice.length
      ? el("div", {}, el("b", {}, "建议加开窗口 ", el("span", { lang: "en" }, "Open more windows for")),
          el("ul", { id: "forecast-advice" }, ...f.advice.map((a) => el("li", {}, `${serviceName(a.service)}: +${a.extra_windows}`))))
      : null,
    el("p", { class: "muted" }, `更新于 updated ${hhmm(f.at)}`),
  ].filter(Boolean));
}

function renderLog() {
  $("duty-log").replaceChildren(
    ...(state.log.length ? state.log.map((e) => el("li", { class: e.kind === "handover" ? "handover-entry" : "" },
      el("b", {}, `${hhmm(e.written_at)} ${e.author_name} `),
      e.kind === "handover" ? el("span", { class: "muted" }, "[交接 handover] ") : null,
      e.text)) : [el("li", { class: "muted" }, "今日暂无记录 · Nothing logged today")]),
  );
}

// ----- charts (SVG drawn here; nothing from outside) --------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function barChart(groups, series, labels) {
  // groups: labels on x; series: [{values, colour, kind: "bar"|"line"}]
  // Axis text at 19 units stays at least 16 px where the chart is drawn narrower (1024 px).
  const W = 560, H = 240, left = 34, bottom = 30, top = 14, TEXT = 19;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const slot = (W - left) / Math.max(1, groups.length);
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" });
  root.append(svg("line", { x1: left, x2: W, y1: y(0), y2: y(0), stroke: "#9aa5b4" }));
  root.append(svg("text", { x: 2, y: y(max) + 6, "font-size": TEXT, fill: "#5b6b80" }, String(Math.round(max))));
  const bars = series.filter((s) => s.kind === "bar");
  const width = (slot * 0.8) / Math.max(1, bars.length);
  bars.forEach((s, i) => s.values.forEach((v, g) => {
    root.append(svg("rect", { x: left + g * slot + slot * 0.1 + i * width, y: y(v), width: Math.max(1, width - 1),
      height: y(0) - y(v), fill: s.colour, "data-series": s.name, "data-value": v }));
  }));
  series.filter((s) => s.kind === "line").forEach((s) => {
    const points = s.values.map((v, g) => `${left + g * slot + slot / 2},${y(v)}`).join(" ");
    root.append(svg("polyline", { points, fill: "none", stroke: s.colour, "stroke-width": 2.5,
      "stroke-dasharray": "6 4", "data-series": s.name }));
  });
  const every = groups.length > 12 ? 2 : 1;
  groups.forEach((label, g) => g % every === 0 && root.append(svg("text", { x: left + g * slot + slot / 2, y: H - 6,
    "font-size": TEXT, "text-anchor": "middle", fill: "#5b6b80" }, label)));
  const legend = el("div", { class: "legend" }, ...labels.map(([colour, text]) => el("span", {},
    el("i", { style: `background:${colour}` }), text)));
  return [root, legend];
}

function renderCharts() {
  const c = state.charts;
  if (!c) return;
  $("chart-hours").replaceChildren(...barChart(
    c.hours.map((h) => `${h}时`),  // hour of the day
    [
      { name: "arrivals_today", values: c.arrivals_today, colour: "#1a56b8", kind: "bar" },
      { name: "served_today", values: c.served_today, colour: "#1e8e3e", kind: "bar" },
      { name: "arrivals_usual", values: c.arrivals_usual, colour: "#7aa7f0", kind: "line" },
      { name: "served_usual", values: c.served_usual, colour: "#7fcf97", kind: "line" },
    ],
    [["#1a56b8", "今日到达 Arrivals today"], ["#1e8e3e", "今日办结 Served today"],
      ["#7aa7f0", `同期均值到达 Usual arrivals (${c.usual_days} 周 weeks)`], ["#7fcf97", "同期均值办结 Usual served"]],
  ));
  $("chart-waits").replaceChildren(...barChart(
    c.waits.map(([label]) => `${label}′`),
    [{ name: "waits", values: c.waits.map(([, n]) => n), colour: "#b06000", kind: "bar" }],
    [["#b06000", "今日叫号人数（按等候分钟） Called today by minutes waited"]],
  ));
}

// ----- actions ----------------------------------------------------------------------------------

async function act(method, path, body = {}, confirmText = null) {
  if (confirmText && !window.confirm(confirmText)) return;
  try {
    await api(method, path, body);
    toast("已完成 · Done");
    await refresh();
  } catch (error) {
    toast(error.message);
  }
}

function openReassign(w) {
  const dialog = $("reassign");
  $("reassign-title").textContent = `${w.number}号窗口业务 · Services of window ${w.number}`;
  $("reassign-services").replaceChildren(
    ...state.floor.services.map((s) => {
      const checked = s.code in w.services;
      return el("label", {},
        el("input", { type: "checkbox", name: "svc", value: s.code, checked }),
        `${s.name_zh} ${s.name_en || ""}`,
        el("input", { type: "number", name: `w-${s.code}`, min: "1", max: "100",
          value: String(w.services[s.code] || 1), style: "width:5em", "aria-label": "权重 weight" }),
      );
    }),
  );
  dialog.dataset.window = w.number;
  dialog.returnValue = "";
  dialog.showModal();
}

$("reassign").addEventListener("close", async () => {
  const dialog = $("reassign");
  if (dialog.returnValue !== "save") return;
  const services = {};
  for (const box of dialog.querySelectorAll("input[name=svc]:checked")) {
    services[box.value] = Number(dialog.querySelector(`input[name="w-${box.value}"]`).value) || 1;
  }
  await act("PUT", `${H}/windows/${dialog.dataset.window}/services`, { services });
});

async function onAnnounce(event) {
  event.preventDefault();
  await act("POST", `${H}/announcements`, {
    text: $("announce-text").value, minutes: Number($("announce-minutes").value) || 30,
  });
  $("announce-text").value = "";
}

async function onCover(event) {
  event.preventDefault();
  await act("POST", `${H}/backup-covers`, {
    window: Number($("cover-window").value),
    absent_staff_no: $("cover-absent").value.trim(),
    cover_staff_no: $("cover-backup").value.trim(),
    minutes: Number($("cover-minutes").value),
    reason: $("cover-reason").value.trim() || null,
  });
}

async function onLog(event) {
  event.preventDefault();
  try {
    await api("POST", `${H}/duty-log`, { kind: $("log-kind").value, text: $("log-text").value });
    $("log-text").value = "";
    await loadLog();
    toast("已保存 · Saved");
  } catch (error) {
    toast(error.message);
  }
}

let toastTimer = null;
function toast(text) {
  $("toast").textContent = text;
  $("toast").hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => ($("toast").hidden = true), 4000);
}

function tickClock() {
  const now = new Date(serverNow());
  $("clock").textContent = now.toLocaleTimeString("zh-CN", { hour12: false, timeZone: state.timezone });
  if (state.floor) {
    for (const w of state.floor.windows) {
      const node = document.querySelector(`#windows [data-window="${w.number}"] .window-line`);
      if (node) node.textContent = windowLine(w);
    }
  }
}

start();
