// The duty lead's announcement on the hall board (floor monitor → POST .../announcements).
// Shown until it expires; a newer one replaces it.

let timer = null;

export function showAnnouncement(banner, announcement, serverNow) {
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
  try {
    const response = await fetch(
      `/api/v1/halls/${encodeURIComponent(hall)}/announcements/current`,
    );
    if (response.ok) showAnnouncement(banner, await response.json(), serverNow);
  } catch {
    // Offline: the stream's reconnection loads it again.
  }
}
