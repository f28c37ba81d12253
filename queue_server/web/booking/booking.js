// The booking page: choose a service, a day and a free slot, give name, phone and ID number.
// Everything is checked again by the server; its error codes become texts in Chinese and English.
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

  // What the server's error codes mean to a visitor, Chinese first. The server's own message
  // is English, for developers; it is shown only after a Chinese text, when no code matches.
  const FIELDS = {
    phone: ["请填写11位手机号码（以13-19开头）", "Enter your 11-digit mobile number (it starts with 13-19)"],
    id_number: ["请填写18位身份证号码（17位数字加1位数字或X）",
                "Enter your 18-character ID number: 17 digits and a digit or X"],
    name: ["请填写身份证上的姓名（1-40个字，不含数字）",
           "Enter your name as on the ID card (1-40 characters, no digits)"],
    code: ["请填写预约码", "Enter your booking code"],
    sms_code: ["请填写短信中的6位验证码", "Enter the 6 digits from the text message"],
    service: ["请选择办理业务", "Please choose a service"],
    slot_start: ["请选择时段", "Please choose a time"],
  };
  const REASONS = {
    "id_number:birth_date": ["身份证号码中的出生日期不正确，请核对", "The date of birth inside the ID number is not valid; please check it"],
    "id_number:check_character": ["身份证号码最后一位校验码不符，可能有数字输错，请核对",
                                  "The last character of the ID number does not match; a digit may be mistyped"],
  };
  const CODES = {
    slot_full: ["该时段已约满，请选择其他时段", "This time is fully booked; please choose another"],
    slot_past: ["该时段已开始，请选择其他时段", "This time has already started; please choose another"],
    not_a_slot: ["该时段不可预约，请重新选择", "This time cannot be booked; please choose again"],
    beyond_horizon: ["只能预约近期的日期，请重新选择", "That day is too far ahead; please choose an earlier day"],
    not_bookable: ["该业务不能网上预约，请到大厅自助机取号", "This service cannot be booked online; take a number at the hall's kiosk"],
    already_booked_that_day: ["您当天已有预约，每人每天限约一次", "You already have a booking on that day (one per person per day)"],
    booking_suspended: ["多次预约未到，暂停网上预约；仍可到大厅自助机取号",
                        "Online booking is suspended after missed appointments; you can still take a number at the kiosk"],
    booking_not_found: ["没有找到该预约，请核对预约码和手机号码", "No booking with this code and phone number; please check them"],
    not_cancellable: ["该预约已签到、已取消或已失约，不能再取消", "This booking was already checked in, cancelled or missed; it cannot be cancelled"],
    too_late_to_cancel: ["已超过取消时限，不能在网上取消", "It is too late to cancel this booking online"],
    booking_cancelled: ["该预约已取消", "This booking was cancelled"],
    too_many_requests: ["操作太频繁，请稍后再试", "Too many attempts; please try again later"],
    too_many_bookings: ["预约次数过多，请稍后再试，或到大厅自助机取号",
                        "Too many online bookings; try again later, or take a number at the kiosk"],
    confirmation_code_wrong: ["验证码不正确，请核对短信后重新输入", "That is not the code sent to your phone; please check the message"],
    confirmation_expired: ["未在规定时间内输入验证码，时段已释放，请重新预约",
                           "The code was not entered in time; the place was released, please book again"],
    confirmation_attempts_used: ["验证码错误次数过多，时段已释放，请重新预约",
                                 "Too many wrong codes; the place was released, please book again"],
    booking_not_confirmed: ["该预约未完成短信验证，无效", "This booking was never confirmed with the code sent to its phone"],
    too_large: ["填写的内容太长", "What you entered is too long"],
  };
  const FALLBACK = ["操作未成功，请稍后再试或到大厅咨询", "That did not work; try again later or ask at the hall"];

  function bilingualError(status, body) {
    const field = body.field || (body.details && body.details[0] && body.details[0].field);
    const text = REASONS[`${field}:${body.reason}`] || CODES[body.error] || FIELDS[field]
      || (status === 429 ? CODES.too_many_requests : null);
    if (text) return text;
    return [FALLBACK[0], body.message || `${FALLBACK[1]} (HTTP ${status})`];
  }

  class PageError extends Error {
    constructor([zh, en]) {
      super(`${zh} / ${en}`);
      this.zh = zh;
      this.en = en;
    }
  }

  async function call(path, options) {
    let response;
    try {
      response = await fetch(path, options);
    } catch {
      throw new PageError(["网络连接失败，请检查网络后重试", "No connection; check the network and try again"]);
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new PageError(bilingualError(response.status, body));
    return body;
  }

  // Chinese first, English below it (a [zh, en] pair, or an error from `call`).
  function say(target, message) {
    const pair = !message ? null : Array.isArray(message) ? message
      : message.zh ? [message.zh, message.en] : [String(message.message || message), ""];
    if (!pair) {
      target.replaceChildren();
      return;
    }
    const en = document.createElement("span");
    en.lang = "en";
    en.textContent = pair[1];
    target.replaceChildren(document.createTextNode(pair[0]), en);
  }

  function problem(message) {
    const p = $("problem");
    say(p, message);
    p.hidden = !message;
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
        const time = document.createElement("span");
        time.className = "time";
        time.textContent = `${timeOf(s.start)}-${timeOf(s.end)}`;
        const free = document.createElement("span");
        free.className = "free";
        free.textContent = s.free > 0 ? `余 ${s.free} 个 · ${s.free} left` : "已约满 · Full";
        b.append(time, free);
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
    if (!me) throw new PageError(["没有这个大厅", `No hall called ${hall}`]);
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
    if (!codes.length) problem(["暂无可预约的业务", "Nothing can be booked at the moment"]);
    fillDays();
  }

  async function book(event) {
    event.preventDefault();
    problem("");
    if (!state.chosen) return problem(FIELDS.slot_start);
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
      if (booking.awaiting_sms_code) return askForSmsCode(booking, body.phone);
      showBooked(booking);
    } catch (err) {
      problem(err);
    } finally {
      $("submit").disabled = false;
    }
  }

  // The hall checks the phone (verify_by_sms): the place is held until the code is entered.
  function askForSmsCode(booking, phone) {
    state.held = { code: booking.code, phone };
    $("hold-until").textContent = timeOf(booking.hold_until);
    $("book-form").hidden = true;
    $("sms-form").hidden = false;
    $("sms_code").focus();
  }

  async function confirmSms(event) {
    event.preventDefault();
    const out = $("sms-problem");
    out.hidden = true;
    try {
      const booking = await call(`${api}/bookings/confirm`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...state.held, sms_code: $("sms_code").value.trim() }),
      });
      $("sms-form").hidden = true;
      showBooked(booking);
    } catch (err) {
      say(out, err);
      out.hidden = false;
    }
  }

  function showBooked(booking) {
    $("code").textContent = booking.code;
    const name = state.names[booking.service];
    $("summary").textContent = `${name ? name.zh : booking.service} · ${dayLabel(dayOf(booking.slot_start))} `
      + `${timeOf(booking.slot_start)}-${timeOf(booking.slot_end)} · ${booking.name} · ${booking.phone}`;
    $("book-form").hidden = true;
    $("done").hidden = false;
  }

  async function manage(action) {
    const out = $("manage-result");
    say(out, null);
    if (action === "cancel" && !(await confirmCancel())) return;
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
      say(out, err);
    }
  }

  // Cancelling cannot be undone (the place goes to someone else): ask first, on the page.
  function confirmCancel() {
    const box = $("confirm-cancel");
    $("confirm-code").textContent = $("m-code").value.trim();
    box.hidden = false;
    $("confirm-no").focus();
    return new Promise((resolve) => {
      const answer = (yes) => () => {
        box.hidden = true;
        $("confirm-yes").onclick = null;
        $("confirm-no").onclick = null;
        resolve(yes);
      };
      $("confirm-yes").onclick = answer(true);
      $("confirm-no").onclick = answer(false);
    });
  }

  $("service").addEventListener("change", fillDays);
  $("day").addEventListener("change", fillSlots);
  $("book-form").addEventListener("submit", book);
  $("sms-form").addEventListener("submit", confirmSms);
  $("lookup").addEventListener("click", () => manage("lookup"));
  $("cancel").addEventListener("click", () => manage("cancel"));
  window.hallqBooking = state;
  load().then(() => { state.ready = true; }).catch((err) => problem(err));
})();
