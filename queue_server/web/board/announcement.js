// The duty lead's announcement on the hall board (floor monitor → POST .../announcements).
// Shown until it expires; a newer one replaces it.

let timer = null;
let shown = 0; // how many times the banner was set: a slower fetch must not undo a newer event

export function showAnnouncement(banner, announcement, serverNow) {
  shown += 1;
  clearTimeout(timer);
  if (!announcement || !announcement.text) {
    banner.hidden = true;
    return;
  }
  const left = Date.parse(announcement.until) - serverNow();
  if (!(left > 0)) {
    banner.hidden = true;
    return;
  }
  banner.querySelector(".announcement-text").textContent = announcement.text;
  banner.hidden = false;
  timer = setTimeout(() => (banner.hidden = true), Math.min(left, 2 ** 31 - 1));
}

export async function loadAnnouncement(hall, banner, serverNow) {
  const before = shown;
  try {
    const response = await fetch(
      `/api/v1/halls/${encodeURIComponent(hall)}/announcements/current`,
    );
    const current = response.ok ? await response.json() : undefined;
    // An announcement event that arrived while this was in flight is newer than its answer.
    if (current !== undefined && shown === before) showAnnouncement(banner, current, serverNow);
  } catch {
    // Offline: the stream's reconnection loads it again.
  }
}
