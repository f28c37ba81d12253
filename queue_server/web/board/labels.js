// Bilingual words on the board. Presentation only: what a state means is decided by the server.

export const WINDOW_STATES = {
  called: ["请到窗口", "Please come"],
  serving: ["办理中", "Serving"],
  idle: ["空闲", "Open"],
  paused: ["暂停服务", "Paused"],
  closed: ["未开放", "Closed"],
};

export const PAUSE_REASONS = {
  break: ["休息", "On break"],
  meeting: ["会议", "In a meeting"],
  backup_cover: ["顶岗", "Covering another window"],
  training: ["培训", "Training"],
  other: ["暂停", "Paused"],
};

export const RECALL = ["重呼", "Recall"];
export const WINDOW_SUFFIX = ["号窗口", "Window"];
