// The booking page: choose a service, a day and a free slot, give name, phone and ID number.
// Everything is checked again by the server; its answer's message is shown as it is.
(() => {
  "use strict";
  const hall = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  const api = `/api/v1/halls/${encodeURIComponent(hall)}`;
  const $ = (id) => document.getElementById(id);
  const state = { zone: "Asia/Shanghai", slots: [], names: {}, chosen: null };

  const dayOf = (iso) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: state.zone, year: "numeric", month: "2-digit",
                                       day: "2-digit" }).format(new Date(iso));
  const timeOf = (iso) =>
    new Intl.DateTimeFormat("zh-CN", { timeZone: state.zone, hour: "2-digit", minute: "2-digit",
                                       hour12: false }).format(new Date(iso));
  const dayLabel = (day) => {
    const d = new Date(`${day}T12:00:00Z`);
    const week = new Intl.DateTimeFormat("zh-CN", { weekday: "short", timeZone: "UTC" }).format(d);
    return `${day}（${week}）`;
  };

  async function call(path, options) {
    const response = await fetch(path, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
    return body;
  }

  function problem(text) {
    const p = $("problem");
    p.textContent = text || "";
    p.hidden = !text;
  }

  function fillDays() {
    const service = $("service").value;
    const days = [...new Set(state.slots.filter((s) => s.service === service)
                                        .map((s) => dayOf(s.start)))];
    $("day").replaceChildren(...days.map((d) => new Option(dayLabel(d), d)));
    fillSlots();
  }

  function fillSlots() {
    const service = $("service").value;
    const day = $("day").value;
    state.chosen = null;
    const buttons = state.slots
      .filter((s) => s.service === service && dayOf(s.start) === day)
      .map((s) => {
        const b = document.createElement("button");
        b.type = "button";
        b.dataset.start = s.start;
        b.textContent = `${timeOf(s.start)}-${timeOf(s.end)}`;
        b.title = s.free > 0 ? `余 ${s.free}` : "已满 Full";
        b.disabled = s.free <= 0;
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", () => {
          state.chosen = s.start;
          for (const other of $("slot-list").children) {
            other.setAttribute("aria-pressed", String(other === b));
          }
        });
        return b;
      });
    $("slot-list").replaceChildren(...buttons);
  }

  async function load() {
    const halls = await call("/api/v1/halls");
    const me = halls.find((h) => h.id === hall);
    if (!me) throw new Error(`没有这个大厅 / No hall ${hall}`);
    state.zone = me.timezone;
    $("hall").textContent = me.name.en ? `${me.name.zh} · ${me.name.en}` : me.name.zh;
    const services = await call(`${api}/services`);
    for (const s of services) state.names[s.code] = s.name;
    state.slots = await call(`${api}/booking-slots`);
    const codes = [...new Set(state.slots.map((s) => s.service))];
    $("service").replaceChildren(...codes.map((c) => {
      const name = state.names[c];
      return new Option(name ? (name.en ? `${name.zh} ${name.en}` : name.zh) : c, c);
    }));
    if (!codes.length) problem("暂无可预约的业务 / Nothing can be booked at the moment");
    fillDays();
  }

  async function book(event) {
    event.preventDefault();
    problem("");
    if (!state.chosen) return problem("请选择时段 / Please choose a time");
    const body = {
      service: $("service").value,
      slot_start: state.chosen,
      name: $("name").value.trim(),
      phone: $("phone").value.trim(),
      id_number: $("id_number").value.trim().toUpperCase(),
    };
    $("submit").disabled = true;
    try {
      const booking = await call(`${api}/bookings`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      $("code").textContent = booking.code;
      const name = state.names[booking.service];
      $("summary").textContent = `${name ? name.zh : booking.service} · ${dayLabel(dayOf(booking.slot_start))} `
        + `${timeOf(booking.slot_start)}-${timeOf(booking.slot_end)} · ${booking.name} · ${booking.phone}`;
      $("book-form").hidden = true;
      $("done").hidden = false;
    } catch (err) {
      problem(err.message);
    } finally {
      $("submit").disabled = false;
    }
  }

  async function manage(action) {
    const out = $("manage-result");
    out.textContent = "";
    try {
      const booking = await call(`${api}/bookings/${action}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: $("m-code").value.trim(), phone: $("m-phone").value.trim() }),
      });
      const states = { booked: "已预约 booked", cancelled: "已取消 cancelled",
                       checked_in: "已签到 checked in", no_show: "已失约 missed" };
      out.textContent = `${booking.code} · ${dayOf(booking.slot_start)} ${timeOf(booking.slot_start)}`
        + ` · ${states[booking.state] || booking.state}`;
    } catch (err) {
      out.textContent = err.message;
    }
  }

  $("service").addEventListener("change", fillDays);
  $("day").addEventListener("change", fillSlots);
  $("book-form").addEventListener("submit", book);
  $("lookup").addEventListener("click", () => manage("lookup"));
  $("cancel").addEventListener("click", () => manage("cancel"));
  window.hallqBooking = state;
  load().then(() => { state.ready = true; }).catch((err) => problem(err.message));
})();
