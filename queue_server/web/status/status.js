// Ticket status page (the QR code on the receipt). Polls the ticket API; no libraries.
"use strict";

// ?poll=SECONDS (1-60) changes the interval, e.g. for a hall on a slow uplink.
const POLL_MS = Math.min(Math.max(Number(new URLSearchParams(location.search).get("poll")) || 4, 1), 60) * 1000;
const MAX_BACKOFF_MS = 30000;
const FINAL = new Set(["finished", "no_show", "cancelled"]);
const STATES = {
  waiting: ["等候中", "Waiting"],
  called: ["已叫号，请到窗口办理", "Called: please go to the window"],
  serving: ["正在办理", "Being served"],
  on_hold: ["暂缓办理，请留意叫号", "On hold: listen for your number"],
  transferred: ["已转办", "Transferred"],
  finished: ["已办结，谢谢", "Finished, thank you"],
  no_show: ["已过号，请重新取号", "Missed: please take a new number"],
  cancelled: ["已取消", "Cancelled"],
};

const $ = (id) => document.getElementById(id);
let ticketId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
let names = null;
let delay = POLL_MS;
let lastState = null;

function bilingual(el, zh, en) {
  el.textContent = zh + " ";
  const span = document.createElement("span");
  span.lang = "en";
  span.textContent = en;
  el.appendChild(span);
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error("HTTP " + response.status);
  return response.json();
}

async function loadNames(hall) {
  const [halls, services] = await Promise.all([
    getJson("/api/v1/halls"),
    getJson("/api/v1/halls/" + encodeURIComponent(hall) + "/services"),
  ]);
  const h = (halls || []).find((x) => x.id === hall);
  const byCode = {};
  for (const s of services || []) byCode[s.code] = s.name;
  return { hall: h ? h.name : null, services: byCode };
}

function show(ticket) {
  const page = $("page");
  // Ring only on the change to "called" seen by this page, not when it opens on a called number.
  if (ticket.state === "called" && lastState !== null && lastState !== "called") hallqAlert.called();
  lastState = ticket.state;
  const live = !FINAL.has(ticket.state);
  $("alert-me").hidden = !live || hallqAlert.armed;
  $("alert-on").hidden = !live || !hallqAlert.armed;
  page.dataset.state = ticket.state;
  $("number").textContent = ticket.number;
  if (names && names.hall) bilingual($("hall"), names.hall.zh, names.hall.en || "");
  const service = names && names.services[ticket.service];
  if (service) bilingual($("service"), service.zh, service.en || "");
  const [zh, en] = STATES[ticket.state] || [ticket.state, ticket.state];
  bilingual($("state"), zh, en);
  const win = $("window");
  win.hidden = !(ticket.window && (ticket.state === "called" || ticket.state === "serving"));
  if (!win.hidden) bilingual(win, ticket.window + " 号窗口", "Window " + ticket.window);
  const waiting = ticket.state === "waiting";
  $("queue").hidden = !waiting;
  if (waiting) {
    $("ahead").textContent = ticket.ahead === null ? "—" : String(ticket.ahead);
    const w = ticket.estimated_wait;
    if (w && w.low_minutes !== null && w.high_minutes !== null) {
      if (w.about_minutes !== null && w.about_minutes !== undefined) {
        bilingual($("wait"), "约 " + w.about_minutes + " 分钟", "about " + w.about_minutes + " min");
      } else {
        const range = w.low_minutes + "–" + w.high_minutes;
        bilingual($("wait"), range + " 分钟", range + " min");
      }
    } else {
      bilingual($("wait"), "暂无窗口开放", "no window open now");
    }
  }
  $("problem").hidden = true;
  $("updated").textContent = new Date().toLocaleTimeString();
}

function problem(zh, en) {
  const el = $("problem");
  el.hidden = false;
  bilingual(el, zh, en);
}

async function poll() {
  try {
    const ticket = await getJson("/api/v1/tickets/" + encodeURIComponent(ticketId));
    if (ticket === null) {
      $("page").dataset.state = "missing";
      bilingual($("state"), "未找到该号码", "Ticket not found");
      return;
    }
    if (names === null) names = await loadNames(ticket.hall).catch(() => null);
    if (ticket.state === "transferred" && ticket.transferred_to) {
      ticketId = ticket.transferred_to; // follow the visitor to the next window's queue
      history.replaceState(null, "", "/t/" + encodeURIComponent(ticketId));
    }
    show(ticket);
    delay = POLL_MS;
    if (FINAL.has(ticket.state)) return;
  } catch (err) {
    problem("网络异常，正在重试…", "Connection problem, retrying…");
    delay = Math.min(delay * 2, MAX_BACKOFF_MS);
  }
  setTimeout(poll, delay);
}

$("alert-me").addEventListener("click", () => {
  hallqAlert.arm();
  $("alert-me").hidden = true;
  $("alert-on").hidden = false;
});
window.hallqStatus = { alert: hallqAlert };

poll();
