// Bilingual words on the board. Presentation only: what a state means is decided by the server.

export const WINDOW_STATES = {
  called: ["请到窗口", "Please come"],
  serving: ["办理中", "Serving"],
  idle: ["空闲", "Open"],
  paused: ["暂停服务", "Paused"],
  closed: ["未开放", "Closed"],
};

// What a paused window shows: short enough for one line of a window's tile.
export const PAUSE_REASONS = {
  break: ["暂停 · 休息", "Paused: break"],
  meeting: ["暂停 · 会议", "Paused: meeting"],
  backup_cover: ["暂停 · 顶岗", "Paused: covering"],
  training: ["暂停 · 培训", "Paused: training"],
  other: ["暂停服务", "Paused"],
};

export const RECALL = ["重呼", "Recall"];
export const WINDOW_SUFFIX = ["号窗口", "Window"];
export const ISSUING_STOPPED = ["今日停止取号", "No more tickets today"];
