// Voice announcements: Mandarin then English, one after another, never cutting each other off.
//
// Offline only. The browser's speech synthesis is used when it has a Chinese voice; otherwise
// the clips the server recorded with espeak-ng (`hallq voice build`) are chained token by
// token. What to say comes from the server with each call ("announce": text and tokens), so
// the page holds no reading rules of its own.

const CLIPS = "/voice/clips/";
const VOICE_WAIT_MS = 1500;
const GAP_MS = 400; // a breath between two announcements

export class Announcer {
  constructor({ onNeedsGesture } = {}) {
    this.spoken = []; // every announcement queued, in order, with its progress
    this.queue = [];
    this.busy = false;
    this.mode = "pending";
    this.voices = { zh: null, en: null };
    this.manifest = null;
    this.buffers = new Map();
    this.audio = null;
    this.onNeedsGesture = onNeedsGesture ?? (() => {});
  }

  async init() {
    const voices = await loadVoices();
    this.voices.zh = voices.find((v) => /^(zh|cmn)/i.test(v.lang)) ?? null;
    this.voices.en = voices.find((v) => /^en/i.test(v.lang)) ?? null;
    if (this.voices.zh) {
      this.mode = "speech";
    } else {
      this.manifest = await fetchManifest();
      this.mode = this.manifest ? "clips" : "silent";
    }
    this.pump();
    return this.mode;
  }

  // `announce` is the server's {zh, en, tokens: {zh: [...], en: [...]}} for one call.
  enqueue({ seq, kind, number, window, announce }) {
    const entry = {
      seq, kind, number, window,
      zh: announce.zh, en: announce.en, tokens: announce.tokens,
      state: "queued", mode: null, queuedAt: performance.now(), startedAt: null, endedAt: null,
    };
    this.spoken.push(entry);
    this.queue.push(entry);
    this.pump();
    return entry;
  }

  async pump() {
    if (this.busy || this.mode === "pending") return;
    this.busy = true;
    try {
      while (this.queue.length) {
        const entry = this.queue.shift();
        entry.state = "speaking";
        entry.mode = this.mode;
        entry.startedAt = performance.now();
        try {
          await this.say(entry);
          entry.state = "done";
        } catch (error) {
          entry.state = "failed";
          entry.error = String(error);
        }
        entry.endedAt = performance.now();
        await sleep(GAP_MS);
      }
    } finally {
      this.busy = false;
    }
  }

  async say(entry) {
    if (this.mode === "speech") {
      await speak(entry.zh, this.voices.zh, "zh-CN");
      await speak(entry.en, this.voices.en ?? this.voices.zh, "en-US");
    } else if (this.mode === "clips") {
      await this.playClips(entry, [...entry.tokens.zh, ...entry.tokens.en]);
    }
  }

  async playClips(entry, tokens) {
    const context = await this.context();
    const buffers = [];
    for (const token of tokens) buffers.push(await this.clip(context, token));
    // Scheduled back to back on the audio clock: no gaps or overlaps from timers.
    const start = context.currentTime + 0.05;
    let at = start;
    for (const buffer of buffers) {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.start(at);
      at += buffer.duration;
    }
    entry.clips = tokens;
    entry.seconds = at - start;
    await sleep((at - context.currentTime) * 1000);
  }

  async context() {
    if (!this.audio) this.audio = new AudioContext();
    if (this.audio.state === "suspended") {
      await Promise.race([this.audio.resume(), sleep(300)]);
      if (this.audio.state === "suspended") this.onNeedsGesture();
    }
    return this.audio;
  }

  async clip(context, token) {
    if (!this.buffers.has(token)) {
      const entry = this.manifest.clips[token];
      if (!entry) throw new Error(`no clip for ${token}`);
      const response = await fetch(CLIPS + entry.file);
      if (!response.ok) throw new Error(`clip ${entry.file}: HTTP ${response.status}`);
      this.buffers.set(token, await context.decodeAudioData(await response.arrayBuffer()));
    }
    return this.buffers.get(token);
  }

  // After a click on the "enable sound" badge: browsers start audio only after a gesture.
  async unlock() {
    if (this.audio) await this.audio.resume();
  }
}

function speak(text, voice, lang) {
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = voice?.lang ?? lang;
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    // An engine that never reports the end must not stall the hall's queue.
    const guard = setTimeout(resolve, 2000 + text.length * 400);
    utterance.onend = utterance.onerror = () => {
      clearTimeout(guard);
      resolve();
    };
    speechSynthesis.speak(utterance);
  });
}

function loadVoices() {
  if (!("speechSynthesis" in window)) return Promise.resolve([]);
  const now = speechSynthesis.getVoices();
  if (now.length) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = () => resolve(speechSynthesis.getVoices());
    speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, VOICE_WAIT_MS);
  });
}

async function fetchManifest() {
  try {
    const response = await fetch(CLIPS + "manifest.json", { cache: "no-cache" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
