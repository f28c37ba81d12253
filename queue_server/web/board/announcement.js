// The duty lead's announcement on the hall board (floor monitor → POST .../announcements).
// Shown until it expires; a newer one replaces it.

let timer = null;
let shown = 0; // how many times the banner was set: a slower fetch must not undo a newer event

// `onChange` runs after the banner appears or goes: it takes room from the windows.
export function showAnnouncement(banner, announcement, serverNow, onChange = () => {}) {
  shown += 1;
  clearTimeout(timer);
  const hide = () => {
    banner.hidden = true;
    onChange();
  };
  if (!announcement || !announcement.text) {
    hide();
    return;
  }
  const left = Date.parse(announcement.until) - serverNow();
  if (!(left > 0)) {
    hide();
    return;
  }
  banner.querySelector(".announcement-text").textContent = announcement.text;
  banner.hidden = false;
  onChange();
  timer = setTimeout(hide, Math.min(left, 2 ** 31 - 1));
}

export async function loadAnnouncement(hall, banner, serverNow, onChange = () => {}) {
  const before = shown;
  try {
    const response = await fetch(
      `/api/v1/halls/${encodeURIComponent(hall)}/announcements/current`,
    );
    const current = response.ok ? await response.json() : undefined;
    // An announcement event that arrived while this was in flight is newer than its answer.
    if (current !== undefined && shown === before) showAnnouncement(banner, current, serverNow, onChange);
  } catch {
    // Offline: the stream's reconnection loads it again.
  }
}
