// The hall's event stream: reconnects with `since` and never hands the same event twice.

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 3000;

export function streamUrl(hall) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/v1/halls/${encodeURIComponent(hall)}/events`;
}

export class EventStream {
  constructor(url, { onMessage, onStatus, silenceMs = 40000 }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.silenceMs = silenceMs;
    this.since = null;
    this.connected = false;
    this.backoff = MIN_BACKOFF_MS;
    this.silence = null;
  }

  start() {
    const url = this.since === null ? this.url : `${this.url}?since=${this.since}`;
    const socket = new WebSocket(url);
    socket.onopen = () => {
      this.backoff = MIN_BACKOFF_MS;
      this.watch(socket);
      this.setConnected(true);
    };
    socket.onmessage = (message) => {
      this.watch(socket);
      let body;
      try {
        body = JSON.parse(message.data);
      } catch {
        return;
      }
      if (this.accept(body)) this.onMessage(body);
    };
    socket.onclose = () => {
      clearTimeout(this.silence);
      this.setConnected(false);
      setTimeout(() => this.start(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    };
  }

  // A socket that hears nothing, not even a heartbeat, is dead even if the browser thinks not.
  watch(socket) {
    clearTimeout(this.silence);
    this.silence = setTimeout(() => socket.close(), this.silenceMs);
  }

  accept(body) {
    if (body.type === "event") {
      if (this.since !== null && body.seq <= this.since) return false;
      this.since = body.seq;
    } else if (body.type === "snapshot") {
      this.since = body.seq;
    } else if (body.type === "heartbeat" && this.since !== null) {
      this.since = Math.max(this.since, body.seq);
    }
    return true;
  }

  setConnected(value) {
    if (this.connected === value) return;
    this.connected = value;
    this.onStatus(value);
  }
}
