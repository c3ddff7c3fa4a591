// RunRelay client for browsers and Node: one WebSocket to /ws/runs (docs/protocol.md, docs/asyncapi.yaml),
// reconnecting with backoff, runs streamed as async iterators, answers as promises, typed errors.
// No dependencies; in Node < 22 pass a WebSocket implementation (e.g. `ws`) as `WebSocket`.
export const FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content";
// ---- errors -------------------------------------------------------------------------------------
/**
 * A refusal or failure: the server's `error` frame, or one the client makes itself: `not_connected`,
 * `connection_closed`, `frame_too_large` (refused before sending), `timeout`, `unauthorized` and
 * `forbidden_origin` (the handshake was refused), `closed` (the client was closed).
 */
export class RunRelayError extends Error {
    code;
    retryable;
    field;
    requestId;
    threadId;
    runId;
    constructor(code, message, retryable, details = {}) {
        super(message);
        this.name = "RunRelayError";
        this.code = code;
        this.retryable = retryable;
        this.field = details.field;
        this.requestId = details.requestId;
        this.threadId = details.threadId;
        this.runId = details.runId;
    }
    static from(frame) {
        return new RunRelayError(frame.code, frame.message, frame.retryable, frame);
    }
}
const OPEN = 1;
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
const TERMINAL = new Set(["completed", "failed", "cancelled", "expired", "incomplete"]);
/**
 * The frames of one streamed run (`run` or `submit_tool_outputs`), as an async iterator that ends after
 * `end`; `error` frames inside the stream are yielded like the others (an `end` with `error` follows).
 * A refusal of the request (an `error` without `seq`) or a lost connection that cannot be resumed makes
 * the iterator throw a {@link RunRelayError}. Frames are buffered, so iterating late loses nothing.
 */
export class RunStream {
    requestId;
    threadId;
    runId;
    /** The `seq` of the last frame received (0 before any): what a `resume` asks to continue after. */
    lastSeq = 0;
    /** The last run status seen (a `status`, `requires_action` or `end`). */
    status;
    /** The `end` frame, once received. */
    end;
    /** Why the stream failed without an `end` (refused, connection lost). */
    failure;
    /** The `error` frame inside the stream (an `end` with `error` follows it), as a typed error. */
    error;
    /** Resolves with the `end` frame; rejects when the stream fails without one. */
    finished;
    queue = [];
    waiting = null;
    client;
    resolveFinished;
    rejectFinished;
    /** Answered at least once: a frame arrived for it (so it was not refused as a whole). */
    answered = false;
    constructor(client, requestId) {
        this.client = client;
        this.requestId = requestId;
        this.finished = new Promise((resolve, reject) => {
            this.resolveFinished = resolve;
            this.rejectFinished = reject;
        });
        // The promise is for those who want it; an unobserved rejection must not crash Node.
        this.finished.catch(() => undefined);
    }
    get done() {
        return this.end !== undefined || this.failure !== undefined;
    }
    /** Cancels the run at the provider (once its ids are known); the stream then ends with `cancelled`. */
    cancel() {
        if (!this.threadId || !this.runId) {
            return Promise.reject(new RunRelayError("invalid_request", "The run has no id yet; wait for its first frame.", true));
        }
        return this.client.cancel({ threadId: this.threadId, runId: this.runId });
    }
    /** @internal */
    push(frame) {
        if (this.done || frame.seq <= this.lastSeq) {
            return; // a frame replayed by a resume that was received before
        }
        this.answered = true;
        this.lastSeq = frame.seq;
        this.threadId = frame.threadId ?? this.threadId;
        this.runId = frame.runId ?? this.runId;
        if (frame.type === "status") {
            this.status = frame.status;
        }
        else if (frame.type === "requires_action") {
            this.status = "requires_action";
        }
        else if (frame.type === "error") {
            this.error = RunRelayError.from(frame);
        }
        else if (frame.type === "end") {
            this.status = frame.status ?? this.status;
            this.end = frame;
        }
        this.deliver(frame);
        if (frame.type === "end") {
            this.resolveFinished(frame);
            if (this.waiting) {
                const waiting = this.waiting;
                this.waiting = null;
                waiting.resolve({ value: undefined, done: true });
            }
        }
    }
    /** @internal */
    fail(error) {
        if (this.done) {
            return;
        }
        this.failure = error;
        this.rejectFinished(error);
        if (this.waiting && this.queue.length === 0) {
            const waiting = this.waiting;
            this.waiting = null;
            waiting.reject(error);
        }
    }
    deliver(frame) {
        if (this.waiting) {
            const waiting = this.waiting;
            this.waiting = null;
            waiting.resolve({ value: frame, done: false });
        }
        else {
            this.queue.push(frame);
        }
    }
    [Symbol.asyncIterator]() {
        return {
            next: () => {
                const frame = this.queue.shift();
                if (frame) {
                    return Promise.resolve({ value: frame, done: false });
                }
                if (this.end) {
                    return Promise.resolve({ value: undefined, done: true });
                }
                if (this.failure) {
                    return Promise.reject(this.failure);
                }
                return new Promise((resolve, reject) => {
                    this.waiting = { resolve, reject };
                });
            },
            return: () => {
                this.waiting = null;
                return Promise.resolve({ value: undefined, done: true });
            },
        };
    }
}
/**
 * One connection to `/ws/runs`. It connects at once and reconnects with backoff after a lost
 * connection; a refused handshake (401, 403) stops it (`failed`). Requests made while not connected
 * fail at once with `not_connected` (retryable).
 */
export class RunRelayClient {
    options;
    Socket;
    socket = null;
    nextId = 1;
    attempts = 0;
    reconnectTimer = null;
    streams = new Map();
    pending = new Map();
    listeners = new Set();
    errorListeners = new Set();
    currentState = "connecting";
    lastEvent = { state: "connecting" };
    idPrefix = "c" + Math.random().toString(36).slice(2, 8) + "-";
    constructor(options) {
        const Socket = options.WebSocket ?? globalThis.WebSocket;
        if (!Socket) {
            throw new TypeError("No WebSocket implementation: pass one as options.WebSocket (e.g. the `ws` package).");
        }
        this.Socket = Socket;
        const reconnect = options.reconnect === false
            ? { initialDelayMs: 0, maxDelayMs: 0, maxAttempts: 0 }
            : { initialDelayMs: 500, maxDelayMs: 8000, maxAttempts: Infinity, ...options.reconnect };
        let probe = false;
        if (typeof options.probe === "function") {
            probe = options.probe;
        }
        else if (options.probe !== false && typeof globalThis.fetch === "function") {
            probe = (httpUrl) => globalThis.fetch(httpUrl, { cache: "no-store" }).then((r) => r.status, () => undefined);
        }
        this.options = {
            url: options.url,
            token: options.token,
            reconnect,
            maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
            requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
            probe,
            resume: options.resume ?? true,
        };
        this.open();
    }
    /** Same as `new RunRelayClient(options)`. */
    static connect(options) {
        return new RunRelayClient(options);
    }
    get state() {
        return this.currentState;
    }
    /** Calls `listener` with the current state now and on every change; returns the unsubscribe. */
    onConnection(listener) {
        this.listeners.add(listener);
        listener(this.lastEvent);
        return () => this.listeners.delete(listener);
    }
    /** Errors that belong to no request (e.g. `frame_too_large` of a frame the server could not read). */
    onError(listener) {
        this.errorListeners.add(listener);
        return () => this.errorListeners.delete(listener);
    }
    /** Resolves when the socket is open; rejects when the client fails or is closed first. */
    ready() {
        return new Promise((resolve, reject) => {
            const stop = this.onConnection((event) => {
                if (event.state === "open") {
                    queueMicrotask(() => stop());
                    resolve();
                }
                else if (event.state === "failed" || event.state === "closed") {
                    queueMicrotask(() => stop());
                    reject(event.error ?? new RunRelayError("closed", "The client is closed.", false));
                }
            });
        });
    }
    // ---- requests ---------------------------------------------------------------------------------
    /** Starts a run (on `threadId`, or on a new thread) and streams it. */
    run(params) {
        return this.stream({ type: "run", ...params });
    }
    /** Answers the tool calls of a run in `requires_action` and streams the run on. */
    submitToolOutputs(params) {
        return this.stream({ type: "submit_tool_outputs", ...params });
    }
    cancel(ref) {
        return this.request({ type: "cancel", ...ref });
    }
    getRun(ref) {
        return this.request({ type: "get_run", ...ref });
    }
    listRuns(params) {
        return this.request({ type: "list_runs", ...params });
    }
    updateRun(params) {
        return this.request({ type: "update_run", ...params });
    }
    listSteps(params) {
        return this.request({ type: "list_steps", ...params });
    }
    getStep(params) {
        return this.request({ type: "get_step", ...params });
    }
    ping() {
        return this.request({ type: "ping" });
    }
    /** The streams not ended yet. */
    activeStreams() {
        return [...new Set(this.streams.values())].filter((stream) => !stream.done);
    }
    /** Closes the socket (1000) for good; streams and requests still open fail with `closed`. */
    close() {
        this.setState({ state: "closed" });
        if (this.reconnectTimer) {
            clearTimeout(this.reconnectTimer);
            this.reconnectTimer = null;
        }
        const socket = this.socket;
        this.socket = null;
        socket?.close(1000, "bye");
        this.failAll(new RunRelayError("closed", "The client is closed.", false));
    }
    newRequestId() {
        return this.idPrefix + this.nextId++;
    }
    stream(frame) {
        const requestId = this.newRequestId();
        const stream = new RunStream(this, requestId);
        const refusal = this.transmit({ ...compact(frame), requestId });
        if (refusal) {
            stream.fail(refusal);
        }
        else {
            this.streams.set(requestId, stream);
        }
        return stream;
    }
    request(frame) {
        const requestId = this.newRequestId();
        return new Promise((resolve, reject) => {
            const refusal = this.transmit({ ...compact(frame), requestId });
            if (refusal) {
                reject(refusal);
                return;
            }
            const timer = setTimeout(() => {
                this.pending.delete(requestId);
                reject(new RunRelayError("timeout", "No answer from the server in time.", true, { requestId }));
            }, this.options.requestTimeoutMs);
            this.pending.set(requestId, {
                kind: "answer", resolve: resolve, reject, timer, answered: false,
            });
        });
    }
    /** Sends a frame; returns why it was not sent, if it was not. */
    transmit(frame) {
        const text = JSON.stringify(frame);
        const requestId = frame.requestId;
        const bytes = utf8Length(text);
        if (bytes > this.options.maxFrameBytes) {
            return new RunRelayError("frame_too_large", `The message is too large to send (${Math.ceil(bytes / 1024)} KiB; at most `
                + `${Math.floor(this.options.maxFrameBytes / 1024)} KiB).`, false, { requestId, field: "frame" });
        }
        if (!this.socket || this.socket.readyState !== OPEN || this.currentState !== "open") {
            return new RunRelayError("not_connected", "Not connected to the server; try again in a moment.", true, { requestId });
        }
        this.socket.send(text);
        return null;
    }
    // ---- connection -------------------------------------------------------------------------------
    socketUrl() {
        if (!this.options.token) {
            return this.options.url;
        }
        const url = new URL(this.options.url);
        url.searchParams.set("access_token", this.options.token);
        return url.toString();
    }
    open() {
        let opened = false;
        const socket = new this.Socket(this.socketUrl());
        this.socket = socket;
        socket.addEventListener("open", () => {
            if (this.socket !== socket) {
                return;
            }
            opened = true;
            this.attempts = 0;
            this.setState({ state: "open" });
            this.resumeStreams();
        });
        socket.addEventListener("message", (event) => {
            if (this.socket === socket) {
                this.receive(event.data);
            }
        });
        socket.addEventListener("error", () => {
            // Always followed by close; the close decides.
        });
        socket.addEventListener("close", (event) => {
            if (this.socket !== socket) {
                return;
            }
            this.socket = null;
            void this.afterClose(opened, event.code);
        });
    }
    async afterClose(opened, closeCode) {
        const lost = new RunRelayError("connection_closed", `The connection closed (${closeCode}) before the answer came.`, true);
        // Answers are lost with the socket; streams may be resumed after reconnecting.
        for (const [requestId, pending] of this.pending) {
            clearTimeout(pending.timer);
            pending.reject(new RunRelayError(lost.code, lost.message, true, { requestId }));
        }
        this.pending.clear();
        if (!this.options.resume) {
            this.failStreams(lost);
        }
        else {
            // A stream that has no run id yet cannot be resumed.
            for (const stream of this.activeStreams()) {
                if (!stream.runId) {
                    this.failStream(stream, lost);
                }
            }
        }
        if (this.currentState === "closed") {
            return;
        }
        if (!opened) {
            const refusal = await this.probeRefusal();
            if (refusal) {
                this.failStreams(refusal);
                this.setState({ state: "failed", error: refusal, closeCode });
                return;
            }
        }
        const { initialDelayMs, maxDelayMs, maxAttempts } = this.options.reconnect;
        if (this.attempts >= maxAttempts) {
            this.failStreams(lost);
            this.setState({ state: "failed", error: lost, closeCode });
            return;
        }
        const delay = Math.min(initialDelayMs * 2 ** this.attempts, maxDelayMs);
        this.attempts++;
        this.setState({ state: "reconnecting", error: lost, closeCode, retryInMs: delay });
        this.reconnectTimer = setTimeout(() => {
            this.reconnectTimer = null;
            if (this.currentState !== "closed") {
                this.setState({ state: "connecting" });
                this.open();
            }
        }, delay);
    }
    /** Why the handshake is refused for good (401, 403), asked over plain HTTP; null when it is not. */
    async probeRefusal() {
        if (!this.options.probe) {
            return null;
        }
        const httpUrl = this.socketUrl().replace(/^ws/, "http");
        const status = await this.options.probe(httpUrl).catch(() => undefined);
        if (status === 401) {
            return new RunRelayError("unauthorized", this.options.token
                ? "The server refused the token (HTTP 401): it is wrong."
                : "The server needs a token (HTTP 401): pass it as ?token=… or in the token field.", false);
        }
        if (status === 403) {
            return new RunRelayError("forbidden_origin", "The server does not allow this page's origin (HTTP 403): see runrelay.websocket.allowed-origins.", false);
        }
        return null;
    }
    resumeStreams() {
        if (!this.options.resume) {
            return;
        }
        for (const stream of this.activeStreams()) {
            if (!stream.runId) {
                continue;
            }
            const requestId = this.newRequestId();
            const refusal = this.transmit({ type: "resume", requestId, runId: stream.runId, afterSeq: stream.lastSeq });
            if (refusal) {
                this.failStream(stream, refusal);
            }
            else {
                // The resumed frames carry the new request id; they continue the same stream.
                this.streams.set(requestId, stream);
            }
        }
    }
    setState(event) {
        this.currentState = event.state;
        this.lastEvent = event;
        for (const listener of [...this.listeners]) {
            listener(event);
        }
    }
    // ---- frames -----------------------------------------------------------------------------------
    receive(data) {
        let frame;
        try {
            frame = JSON.parse(String(data));
        }
        catch {
            return; // the server sends JSON only; nothing to attribute this to
        }
        if (!frame || typeof frame !== "object" || typeof frame.type !== "string") {
            return;
        }
        if (frame.type === "error" && frame.requestId === undefined) {
            this.unattributedError(frame);
            return;
        }
        const requestId = frame.requestId;
        if (requestId === undefined) {
            return; // a pong to a ping without id
        }
        const stream = this.streams.get(requestId);
        if (stream) {
            if (frame.type === "error" && frame.seq === undefined) {
                const error = RunRelayError.from(frame);
                if (stream.requestId !== requestId && error.code === "unknown_type") {
                    // A server without resumable streams: the cut stream cannot go on.
                    this.failStream(stream, new RunRelayError("connection_closed", "The connection closed while the run was streaming; the server cannot resume it.", true, { requestId: stream.requestId, threadId: stream.threadId, runId: stream.runId }));
                }
                else {
                    this.failStream(stream, error);
                }
                this.streams.delete(requestId);
                return;
            }
            if ("seq" in frame && typeof frame.seq === "number") {
                stream.push(frame);
                if (frame.type === "end") {
                    this.forgetStream(stream);
                }
            }
            return;
        }
        const pending = this.pending.get(requestId);
        if (pending) {
            this.pending.delete(requestId);
            clearTimeout(pending.timer);
            if (frame.type === "error") {
                pending.reject(RunRelayError.from(frame));
            }
            else if (frame.type === "result") {
                pending.resolve(frame.data);
            }
            else {
                pending.resolve(undefined);
            }
        }
    }
    /**
     * An error without `requestId` answers a frame the server could not read. This client sends only
     * JSON below the size limit, so it is a `frame_too_large` from a server with a lower limit: it is
     * given to the one request that has no answer yet, when there is exactly one, and to `onError`.
     */
    unattributedError(frame) {
        const error = RunRelayError.from(frame);
        const unanswered = [
            ...this.activeStreams().filter((stream) => !stream.answered),
            ...[...this.pending.values()].filter((pending) => !pending.answered),
        ];
        if (unanswered.length === 1) {
            const target = unanswered[0];
            if (target instanceof RunStream) {
                this.failStream(target, error);
            }
            else {
                for (const [requestId, pending] of this.pending) {
                    if (pending === target) {
                        this.pending.delete(requestId);
                        clearTimeout(pending.timer);
                        pending.reject(error);
                    }
                }
            }
        }
        for (const listener of [...this.errorListeners]) {
            listener(error);
        }
    }
    failStream(stream, error) {
        stream.fail(error);
        this.forgetStream(stream);
    }
    forgetStream(stream) {
        for (const [requestId, candidate] of this.streams) {
            if (candidate === stream) {
                this.streams.delete(requestId);
            }
        }
    }
    failStreams(error) {
        for (const stream of this.activeStreams()) {
            this.failStream(stream, new RunRelayError(error.code, error.message, error.retryable, { requestId: stream.requestId, threadId: stream.threadId, runId: stream.runId }));
        }
    }
    failAll(error) {
        this.failStreams(error);
        for (const [requestId, pending] of this.pending) {
            clearTimeout(pending.timer);
            pending.reject(new RunRelayError(error.code, error.message, error.retryable, { requestId }));
        }
        this.pending.clear();
    }
}
/** Whether a run status is final (the run will not change any more). */
export function isTerminal(status) {
    return status !== undefined && TERMINAL.has(status);
}
function compact(frame) {
    const result = {};
    for (const [key, value] of Object.entries(frame)) {
        if (value !== undefined && value !== null) {
            result[key] = value;
        }
    }
    return result;
}
function utf8Length(text) {
    return new TextEncoder().encode(text).length;
}
