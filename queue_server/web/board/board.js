// The hall board: what every window is doing, the last calls, the queues, the time; and the
// voice. It follows the server's event stream and keeps no truth of its own.

import { loadAnnouncement, showAnnouncement } from "./announcement.js";
import { Announcer } from "./voice.js";
import { EventStream, streamUrl } from "./stream.js";
import { ISSUING_STOPPED, PAUSE_REASONS, RECALL, WINDOW_STATES, WINDOW_SUFFIX } from "./labels.js";
import { Pager } from "./pager.js";
import { KIND } from "./event_kinds.js";

const RECENT_CALLS = 8;
const FLASH_MS = 6000;
// A call replayed after a reconnection is announced only if it is this fresh; older ones
// are shown without a voice, so a board that was away does not read out stale numbers.
const FRESH_MS = 30000;
const REFRESH_DELAY_MS = 300;
// How long a page of windows or waiting counts stays before the next one.
const PAGE_MS = 10000;

const hall = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const $ = (id) => document.getElementById(id);

const state = {
  hall,
  timezone: "Asia/Shanghai",
  services: new Map(), // code -> {zh, en}
  windows: new Map(), // number -> {number, name, state, paused, pauseReason, current}
  queues: [], // [{service, waiting}]
  calls: [], // newest first: {seq, number, window, recall}
  flashing: new Map(), // "window:N" | "call:seq" -> until (ms)
  lastSeq: null,
  announced: new Set(),
  serverOffsetMs: 0, // server clock minus this browser's clock
};

const pagers = {
  windows: new Pager($("windows"), $("windows-page")),
  calls: new Pager($("calls"), null),
  queues: new Pager($("queues"), $("queues-page")),
};

const announcer = new Announcer({ onNeedsGesture: () => ($("sound").hidden = false) });
const stream = new EventStream(streamUrl(hall), { onMessage, onStatus });

window.hallqBoard = {
  state,
  spoken: announcer.spoken,
  get connected() { return stream.connected; },
  get voiceMode() { return announcer.mode; },
  // For tests and screenshots: hold the pages still, then show page `i` of each list.
  holdPages: () => clearInterval(pageTimer),
  showPage,
  pageCounts: () => {
    layout();
    return { windows: pagers.windows.count, queues: pagers.queues.count };
  },
};

function serverNow() {
  return Date.now() + state.serverOffsetMs;
}

function learnServerTime(at) {
  const instant = Date.parse(at);
  if (!Number.isNaN(instant)) state.serverOffsetMs = instant - Date.now();
}

// ----- messages from the stream ---------------------------------------------------------------

function onStatus(connected) {
  $("offline").hidden = connected;
  document.body.classList.toggle("is-offline", !connected);
}

function onMessage(message) {
  if (message.type === "snapshot") {
    learnServerTime(message.at);
    applySnapshot(message);
    loadAnnouncement(hall, $("announcement"), serverNow, layout);
  } else if (message.type === "event") {
    applyEvent(message);
    scheduleRefresh();
  } else if (message.type === "heartbeat") {
    learnServerTime(message.at);
  }
  render();
}

function applySnapshot(snapshot) {
  state.lastSeq = snapshot.last_seq;
  state.windows = new Map(
    snapshot.windows.map((w) => [
      w.number,
      {
        number: w.number,
        name: w.name,
        state: w.state,
        paused: w.paused,
        pauseReason: w.pause_reason,
        isOpen: w.is_open,
        current: w.current ? { number: w.current.number, state: w.current.state } : null,
      },
    ]),
  );
  state.queues = snapshot.queues.map((q) => ({
    service: q.service,
    waiting: q.waiting,
    stopped: q.issuing_stopped,
  }));
  if (!state.calls.length) {
    // A fresh board starts its call list from the numbers standing at windows now.
    state.calls = snapshot.windows
      .filter((w) => w.current && w.current.called_at)
      .sort((a, b) => Date.parse(b.current.called_at) - Date.parse(a.current.called_at))
      .slice(0, RECENT_CALLS)
      .map((w) => ({ seq: null, number: w.current.number, window: w.number, recall: false }));
  }
}

function applyEvent(event) {
  state.lastSeq = event.seq;
  const win = event.window === null ? null : state.windows.get(event.window);
  const number = event.payload.number;
  switch (event.kind) {
    case KIND.TICKET_CALLED:
    case KIND.TICKET_RECALLED: {
      if (win) {
        win.current = { number, state: "called" };
        win.state = "called";
      }
      const recall = event.kind === KIND.TICKET_RECALLED;
      state.calls = [
        { seq: event.seq, number, window: event.window, recall },
        ...state.calls.filter((c) => !(c.number === number && c.window === event.window)),
      ].slice(0, RECENT_CALLS);
      flash(`window:${event.window}`);
      flash(`call:${event.seq}`);
      if (shouldAnnounce(event)) {
        state.announced.add(event.seq);
        announcer.enqueue({ seq: event.seq, kind: event.kind, number, window: event.window,
          announce: event.announce });
      }
      break;
    }
    case KIND.TICKET_STARTED:
    case KIND.TICKET_RETURNED:
      if (win) {
        win.current = { number, state: "serving" };
        win.state = "serving";
      }
      break;
    case KIND.TICKET_FINISHED:
    case KIND.TICKET_NO_SHOW:
    case KIND.TICKET_HELD:
    case KIND.TICKET_TRANSFERRED:
      if (win && win.current && win.current.number === number) {
        win.current = null;
        win.state = win.paused ? "paused" : "idle";
      }
      break;
    case KIND.WINDOW_PAUSED:
      if (win) {
        win.paused = true;
        win.pauseReason = event.payload.reason;
        win.state = "paused";
      }
      break;
    case KIND.HALL_ANNOUNCEMENT:
      showAnnouncement($("announcement"), event.payload, serverNow, layout);
      break;
    case KIND.WINDOW_RESUMED:
      if (win) {
        win.paused = false;
        win.pauseReason = null;
        win.state = win.current ? win.current.state : "idle";
      }
      break;
    default:
      break;
  }
}

function shouldAnnounce(event) {
  if (!event.announce || state.announced.has(event.seq)) return false;
  if (!event.replay) return true;
  return serverNow() - Date.parse(event.at) <= FRESH_MS;
}

// Waiting counts come from the server's own snapshot, shortly after the events that move them.
let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
}

async function refresh() {
  try {
    const response = await fetch(`/api/v1/halls/${encodeURIComponent(hall)}/snapshot`);
    if (!response.ok) return;
    const snapshot = await response.json();
    if (state.lastSeq !== null && snapshot.last_seq < state.lastSeq) return;
    applySnapshot(snapshot);
    render();
  } catch {
    // Offline: the stream's reconnection brings a fresh state anyway.
  }
}

function flash(key) {
  state.flashing.set(key, performance.now() + FLASH_MS);
  setTimeout(render, FLASH_MS + 50);
}

function isFlashing(key) {
  const until = state.flashing.get(key);
  if (until === undefined) return false;
  if (until > performance.now()) return true;
  state.flashing.delete(key);
  return false;
}

// ----- drawing --------------------------------------------------------------------------------

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function bilingual(tag, className, [zh, en]) {
  return el(tag, className, el("span", "zh", zh), el("span", "en", en));
}

function render() {
  const windows = [...state.windows.values()].sort((a, b) => a.number - b.number);
  $("windows").replaceChildren(...windows.map(renderWindow));
  $("calls").replaceChildren(...state.calls.map(renderCall));
  $("queues").replaceChildren(...state.queues.map(renderQueue));
  layout();
}

// Recent calls show the newest that fit; windows and waiting counts turn their pages.
function layout() {
  for (const pager of Object.values(pagers)) pager.layout();
  pagers.calls.index = 0;
  pagers.calls.show();
}

function nextPage() {
  pagers.windows.next();
  pagers.queues.next();
}

function showPage(i) {
  layout();
  for (const pager of [pagers.windows, pagers.queues]) {
    pager.index = i % pager.count;
    pager.show();
  }
}

function renderWindow(win) {
  const item = el("li", `window state-${win.state}`);
  item.dataset.window = win.number;
  if (isFlashing(`window:${win.number}`)) item.classList.add("flash");
  item.append(
    el(
      "div",
      "window-head",
      el("div", "window-number", el("b", "", win.number), bilingual("span", "", WINDOW_SUFFIX)),
      el("div", "window-name", win.name),
    ),
    el("div", "ticket", win.current ? win.current.number : "—"),
  );
  let label = WINDOW_STATES[win.state] ?? WINDOW_STATES.idle;
  if (win.state === "paused") label = PAUSE_REASONS[win.pauseReason] ?? PAUSE_REASONS.other;
  item.append(bilingual("div", "window-state", label));
  return item;
}

function renderCall(call) {
  const item = el("li", call.recall ? "call recall" : "call");
  item.dataset.number = call.number;
  item.dataset.window = call.window;
  if (call.seq !== null && isFlashing(`call:${call.seq}`)) item.classList.add("flash");
  item.append(
    el("span", "ticket", call.number),
    el("span", "arrow", "→"),
    el("span", "to", el("b", "", call.window), WINDOW_SUFFIX[0]),
  );
  if (call.recall) item.append(bilingual("span", "tag", RECALL));
  return item;
}

function renderQueue(queue) {
  const name = state.services.get(queue.service) ?? { zh: queue.service, en: "" };
  const item = el("li", "queue");
  item.dataset.service = queue.service;
  item.append(
    el("span", "service", el("span", "zh", name.zh), el("span", "en", name.en ?? "")),
    el("b", "waiting", queue.waiting),
  );
  if (queue.stopped) {
    item.classList.add("stopped");
    item.append(bilingual("span", "stop", ISSUING_STOPPED));
  }
  return item;
}

// ----- clock --------------------------------------------------------------------------------

function tickClock() {
  const now = new Date(serverNow());
  const zone = { timeZone: state.timezone };
  $("clock-time").textContent = new Intl.DateTimeFormat("zh-CN", {
    ...zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).format(now);
  $("clock-date-zh").textContent = new Intl.DateTimeFormat("zh-CN", {
    ...zone, year: "numeric", month: "long", day: "numeric", weekday: "long",
  }).format(now);
  $("clock-date-en").textContent = new Intl.DateTimeFormat("en-GB", {
    ...zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
  }).format(now);
}

// ----- start --------------------------------------------------------------------------------

async function loadHall() {
  try {
    const [halls, services] = await Promise.all([
      fetch("/api/v1/halls").then((r) => r.json()),
      fetch(`/api/v1/halls/${encodeURIComponent(hall)}/services`).then((r) => r.json()),
    ]);
    const info = halls.find((h) => h.id === hall);
    if (info) {
      $("hall-zh").textContent = info.name.zh;
      $("hall-en").textContent = info.name.en ?? "";
      document.title = `${info.name.zh} · 叫号大屏`;
      state.timezone = info.timezone;
    }
    for (const s of services) state.services.set(s.code, { zh: s.name.zh, en: s.name.en });
    // Window tiles are as narrow as the hall's longest number allows ("A001" or "GB001").
    const longest = Math.max(4, ...services.map((s) => s.prefix.length + 3));
    $("windows").style.setProperty("--ticket-chars", String(longest));
    render();
  } catch {
    setTimeout(loadHall, 3000);
  }
}

$("sound").addEventListener("click", async () => {
  await announcer.unlock();
  $("sound").hidden = true;
});

window.addEventListener("resize", layout);
document.fonts.ready.then(layout);
const pageTimer = setInterval(nextPage, PAGE_MS);

onStatus(false);
tickClock();
setInterval(tickClock, 1000);
loadHall();
stream.start();
announcer.init();
