// A WebSocket stand-in for unit tests: records what the client sends, lets the test play the server.
export class FakeSocket {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.listeners = { open: [], message: [], close: [], error: [] };
    this.closedWith = null;
    FakeSocket.instances.push(this);
  }

  static reset() {
    FakeSocket.instances = [];
  }

  static get last() {
    return FakeSocket.instances[FakeSocket.instances.length - 1];
  }

  addEventListener(type, listener) {
    this.listeners[type].push(listener);
  }

  send(data) {
    if (this.readyState !== 1) {
      throw new Error("send on a socket that is not open");
    }
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000) {
    this.closedWith = code;
    this.serverClose(code);
  }

  // ---- the server's side ----
  serverOpen() {
    this.readyState = 1;
    this.listeners.open.forEach((l) => l());
  }

  serverSend(frame) {
    this.listeners.message.forEach((l) => l({ data: JSON.stringify(frame) }));
  }

  serverClose(code = 1006) {
    if (this.readyState === 3) {
      return;
    }
    this.readyState = 3;
    this.listeners.error.forEach((l) => l({}));
    this.listeners.close.forEach((l) => l({ code }));
  }

  lastSent() {
    return this.sent[this.sent.length - 1];
  }
}
