// RunRelay client for browsers and Node: one WebSocket to /ws/runs (docs/protocol.md, docs/asyncapi.yaml),
// reconnecting with backoff, runs streamed as async iterators, answers as promises, typed errors.
// No dependencies; in Node < 22 pass a WebSocket implementation (e.g. `ws`) as `WebSocket`.

// ---- frames (docs/asyncapi.yaml) ----------------------------------------------------------------

export type RunStatus =
  | "queued" | "in_progress" | "requires_action" | "cancelling" | "cancelled" | "failed" | "completed"
  | "incomplete" | "expired";

export interface Usage { promptTokens: number; completionTokens: number; totalTokens: number }
export interface LastError { code: string; message?: string }
export interface RequiredToolCall { id: string; name: string; arguments: string }
export interface Annotation {
  type: "file_citation" | "file_path"; text: string; fileId?: string; quote?: string; startIndex: number;
  endIndex: number;
}

interface StreamFields { requestId: string; threadId?: string; runId?: string; seq: number }
export interface StartFrame extends StreamFields { type: "start"; message: string; messageId?: string }
export interface ChunkFrame extends StreamFields { type: "chunk"; message: string; messageId?: string }
export interface ToolCallFrame extends StreamFields {
  type: "tool_call"; message: "code_interpreter" | "file_search" | "function"; toolCallId?: string;
  stepId?: string; name?: string;
}
export interface CodeInputFrame extends StreamFields { type: "code_input"; message: string; toolCallId?: string }
export interface CodeOutputFrame extends StreamFields {
  type: "code_output"; message?: string; imageFileId?: string; toolCallId?: string;
}
export interface StatusFrame extends StreamFields { type: "status"; status: RunStatus; lastError?: LastError }
export interface FunctionCallFrame extends StreamFields {
  type: "function_call"; toolCallId?: string; name?: string; arguments: string;
}
export interface RequiresActionFrame extends StreamFields { type: "requires_action"; toolCalls: RequiredToolCall[] }
export interface MessageDoneFrame extends StreamFields {
  type: "message_done"; messageId?: string; text: string; annotations: Annotation[]; incomplete: boolean;
}
export interface EndFrame extends StreamFields { type: "end"; status?: RunStatus; usage?: Usage; error?: string }
export interface ErrorFrame {
  type: "error"; requestId?: string; threadId?: string; runId?: string; seq?: number; code: string;
  message: string; retryable: boolean; field?: string;
}
export interface StreamErrorFrame extends ErrorFrame { requestId: string; seq: number }
/** Every frame of a streamed run, in order; `end` is the last. */
export type StreamFrame =
  | StartFrame | ChunkFrame | ToolCallFrame | CodeInputFrame | CodeOutputFrame | StatusFrame | FunctionCallFrame
  | RequiresActionFrame | MessageDoneFrame | StreamErrorFrame | EndFrame;
export interface ResultFrame { type: "result"; requestId: string; data: unknown }
export interface PongFrame { type: "pong"; requestId?: string }
export type ServerFrame = StreamFrame | ErrorFrame | ResultFrame | PongFrame;

export interface Tool { type: "code_interpreter" | "file_search" | "function"; [field: string]: unknown }
export interface Run {
  id: string; threadId?: string; assistantId?: string; status: RunStatus; model?: string; instructions?: string;
  tools?: Tool[]; createdAt?: number; startedAt?: number; expiresAt?: number; cancelledAt?: number;
  failedAt?: number; completedAt?: number; requiredToolCalls?: RequiredToolCall[]; lastError?: LastError;
  incompleteReason?: string; usage?: Usage; metadata?: Record<string, string>; settings?: Record<string, unknown>;
}
export interface RunStep {
  id: string; runId: string; threadId?: string; assistantId?: string; type: "message_creation" | "tool_calls";
  status: string; details?: { type: string; messageId?: string; toolCalls?: Array<Record<string, unknown>> };
  usage?: Usage; createdAt?: number; completedAt?: number; lastError?: LastError; metadata?: Record<string, string>;
}
export interface Page<T> { data: T[]; firstId?: string; lastId?: string; hasMore: boolean }

// ---- requests -----------------------------------------------------------------------------------

export interface RunParams {
  assistantId: string; threadId?: string; input?: string; threadMetadata?: Record<string, string>; model?: string;
  instructions?: string; additionalInstructions?: string; metadata?: Record<string, string>;
  tools?: Array<Record<string, unknown>>; temperature?: number; topP?: number; maxPromptTokens?: number;
  maxCompletionTokens?: number; truncationStrategy?: { type: "auto" | "last_messages"; lastMessages?: number };
  toolChoice?: "auto" | "none" | "required" | { type: "function"; name: string }; parallelToolCalls?: boolean;
  responseFormat?: "auto" | "text" | "json_object";
}
export interface RunRef { threadId: string; runId: string }
export interface ToolOutput { toolCallId: string; output: string }
export interface PageParams { limit?: number; order?: "asc" | "desc"; after?: string; before?: string }
export const FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content";

// ---- errors -------------------------------------------------------------------------------------

/**
 * A refusal or failure: the server's `error` frame, or one the client makes itself: `not_connected`,
 * `connection_closed`, `frame_too_large` (refused before sending), `timeout`, `unauthorized` and
 * `forbidden_origin` (the handshake was refused), `closed` (the client was closed).
 */
export class RunRelayError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly field?: string;
  readonly requestId?: string;
  readonly threadId?: string;
  readonly runId?: string;

  constructor(code: string, message: string, retryable: boolean, details: Partial<ErrorFrame> = {}) {
    super(message);
    this.name = "RunRelayError";
    this.code = code;
    this.retryable = retryable;
    this.field = details.field;
    this.requestId = details.requestId;
    this.threadId = details.threadId;
    this.runId = details.runId;
  }

  static from(frame: ErrorFrame): RunRelayError {
    return new RunRelayError(frame.code, frame.message, frame.retryable, frame);
  }
}

// ---- the socket seen by the client (the browser's WebSocket, `ws`, or a fake in tests) ------------

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason?: string }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}
export type SocketFactory = new (url: string) => SocketLike;

export type ConnectionState = "connecting" | "open" | "reconnecting" | "failed" | "closed";

export interface ConnectionEvent {
  state: ConnectionState;
  /** Why the client is not connected (a refused handshake, a lost connection), when it knows. */
  error?: RunRelayError;
  /** The close code of the socket that just closed, when one closed. */
  closeCode?: number;
  /** Milliseconds until the next attempt, when reconnecting. */
  retryInMs?: number;
}

export interface ReconnectOptions { initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number }

export interface RunRelayClientOptions {
  /** `ws(s)://host/ws/runs`. */
  url: string;
  /** Sent as `?access_token=` (browsers cannot set headers on a WebSocket). */
  token?: string;
  /** The WebSocket implementation; defaults to `globalThis.WebSocket` (browsers, Node ≥ 22). */
  WebSocket?: SocketFactory;
  /** Backoff between attempts (defaults 500 ms doubling to 8 s, unlimited attempts), or false. */
  reconnect?: ReconnectOptions | false;
  /** Frames above this many UTF-8 bytes are refused before sending (the server's max-frame-size, 64 KiB). */
  maxFrameBytes?: number;
  /** How long an answer (`result`, `pong`) may take (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * After a connection attempt fails before opening, ask the same URL over plain HTTP to learn why
   * (401: token missing or wrong, 403: origin not allowed; both stop reconnecting). Default: on when
   * `fetch` exists. A function replaces the probe (returns the HTTP status).
   */
  probe?: boolean | ((httpUrl: string) => Promise<number | undefined>);
  /** Resume streams cut by a lost connection with `resume` after reconnecting (issue 13). Default true. */
  resume?: boolean;
}

const OPEN = 1;
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
const TERMINAL: ReadonlySet<string> = new Set(["completed", "failed", "cancelled", "expired", "incomplete"]);

interface Pending {
  kind: "answer";
  resolve: (value: unknown) => void;
  reject: (error: RunRelayError) => void;
  timer: ReturnType<typeof setTimeout>;
  answered: boolean;
}

/**
 * The frames of one streamed run (`run` or `submit_tool_outputs`), as an async iterator that ends after
 * `end`; `error` frames inside the stream are yielded like the others (an `end` with `error` follows).
 * A refusal of the request (an `error` without `seq`) or a lost connection that cannot be resumed makes
 * the iterator throw a {@link RunRelayError}. Frames are buffered, so iterating late loses nothing.
 */
export class RunStream implements AsyncIterable<StreamFrame> {
  readonly requestId: string;
  threadId?: string;
  runId?: string;
  /** The `seq` of the last frame received (0 before any): what a `resume` asks to continue after. */
  lastSeq = 0;
  /** The last run status seen (a `status`, `requires_action` or `end`). */
  status?: RunStatus;
  /** The `end` frame, once received. */
  end?: EndFrame;
  /** Why the stream failed without an `end` (refused, connection lost). */
  failure?: RunRelayError;
  /** The `error` frame inside the stream (an `end` with `error` follows it), as a typed error. */
  error?: RunRelayError;
  /** Resolves with the `end` frame; rejects when the stream fails without one. */
  readonly finished: Promise<EndFrame>;

  private readonly queue: StreamFrame[] = [];
  private waiting: { resolve: (r: IteratorResult<StreamFrame>) => void; reject: (e: unknown) => void } | null = null;
  private readonly client: RunRelayClient;
  private resolveFinished!: (end: EndFrame) => void;
  private rejectFinished!: (error: RunRelayError) => void;
  /** Answered at least once: a frame arrived for it (so it was not refused as a whole). */
  answered = false;

  constructor(client: RunRelayClient, requestId: string) {
    this.client = client;
    this.requestId = requestId;
    this.finished = new Promise<EndFrame>((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // The promise is for those who want it; an unobserved rejection must not crash Node.
    this.finished.catch(() => undefined);
  }

  get done(): boolean {
    return this.end !== undefined || this.failure !== undefined;
  }

  /** Cancels the run at the provider (once its ids are known); the stream then ends with `cancelled`. */
  cancel(): Promise<Run> {
    if (!this.threadId || !this.runId) {
      return Promise.reject(new RunRelayError("invalid_request", "The run has no id yet; wait for its first frame.", true));
    }
    return this.client.cancel({ threadId: this.threadId, runId: this.runId });
  }

  /** @internal */
  push(frame: StreamFrame): void {
    if (this.done || frame.seq <= this.lastSeq) {
      return; // a frame replayed by a resume that was received before
    }
    this.answered = true;
    this.lastSeq = frame.seq;
    this.threadId = frame.threadId ?? this.threadId;
    this.runId = frame.runId ?? this.runId;
    if (frame.type === "status") {
      this.status = frame.status;
    } else if (frame.type === "requires_action") {
      this.status = "requires_action";
    } else if (frame.type === "error") {
      this.error = RunRelayError.from(frame);
    } else if (frame.type === "end") {
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
  fail(error: RunRelayError): void {
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

  private deliver(frame: StreamFrame): void {
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve({ value: frame, done: false });
    } else {
      this.queue.push(frame);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamFrame> {
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

type Listener = (event: ConnectionEvent) => void;
type ErrorListener = (error: RunRelayError) => void;

/**
 * One connection to `/ws/runs`. It connects at once and reconnects with backoff after a lost
 * connection; a refused handshake (401, 403) stops it (`failed`). Requests made while not connected
 * fail at once with `not_connected` (retryable).
 */
export class RunRelayClient {
  private readonly options: Required<Omit<RunRelayClientOptions, "token" | "WebSocket" | "probe">> & {
    token?: string;
    probe: false | ((httpUrl: string) => Promise<number | undefined>);
  };
  private readonly Socket: SocketFactory;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly streams = new Map<string, RunStream>();
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<Listener>();
  private readonly errorListeners = new Set<ErrorListener>();
  private currentState: ConnectionState = "connecting";
  private lastEvent: ConnectionEvent = { state: "connecting" };
  private readonly idPrefix = "c" + Math.random().toString(36).slice(2, 8) + "-";

  constructor(options: RunRelayClientOptions) {
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: SocketFactory }).WebSocket;
    if (!Socket) {
      throw new TypeError("No WebSocket implementation: pass one as options.WebSocket (e.g. the `ws` package).");
    }
    this.Socket = Socket;
    const reconnect = options.reconnect === false
      ? { initialDelayMs: 0, maxDelayMs: 0, maxAttempts: 0 }
      : { initialDelayMs: 500, maxDelayMs: 8000, maxAttempts: Infinity, ...options.reconnect };
    let probe: false | ((httpUrl: string) => Promise<number | undefined>) = false;
    if (typeof options.probe === "function") {
      probe = options.probe;
    } else if (options.probe !== false && typeof globalThis.fetch === "function") {
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
  static connect(options: RunRelayClientOptions): RunRelayClient {
    return new RunRelayClient(options);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** Calls `listener` with the current state now and on every change; returns the unsubscribe. */
  onConnection(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.lastEvent);
    return () => this.listeners.delete(listener);
  }

  /** Errors that belong to no request (e.g. `frame_too_large` of a frame the server could not read). */
  onError(listener: ErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Resolves when the socket is open; rejects when the client fails or is closed first. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = this.onConnection((event) => {
        if (event.state === "open") {
          queueMicrotask(() => stop());
          resolve();
        } else if (event.state === "failed" || event.state === "closed") {
          queueMicrotask(() => stop());
          reject(event.error ?? new RunRelayError("closed", "The client is closed.", false));
        }
      });
    });
  }

  // ---- requests ---------------------------------------------------------------------------------

  /** Starts a run (on `threadId`, or on a new thread) and streams it. */
  run(params: RunParams): RunStream {
    return this.stream({ type: "run", ...params });
  }

  /** Answers the tool calls of a run in `requires_action` and streams the run on. */
  submitToolOutputs(params: RunRef & { toolOutputs: ToolOutput[] }): RunStream {
    return this.stream({ type: "submit_tool_outputs", ...params });
  }

  cancel(ref: RunRef): Promise<Run> {
    return this.request<Run>({ type: "cancel", ...ref });
  }

  getRun(ref: RunRef): Promise<Run> {
    return this.request<Run>({ type: "get_run", ...ref });
  }

  listRuns(params: { threadId: string } & PageParams): Promise<Page<Run>> {
    return this.request<Page<Run>>({ type: "list_runs", ...params });
  }

  updateRun(params: RunRef & { metadata: Record<string, string> }): Promise<Run> {
    return this.request<Run>({ type: "update_run", ...params });
  }

  listSteps(params: RunRef & PageParams & { include?: string[] }): Promise<Page<RunStep>> {
    return this.request<Page<RunStep>>({ type: "list_steps", ...params });
  }

  getStep(params: RunRef & { stepId: string; include?: string[] }): Promise<RunStep> {
    return this.request<RunStep>({ type: "get_step", ...params });
  }

  ping(): Promise<void> {
    return this.request<void>({ type: "ping" });
  }

  /** The streams not ended yet. */
  activeStreams(): RunStream[] {
    return [...new Set(this.streams.values())].filter((stream) => !stream.done);
  }

  /** Closes the socket (1000) for good; streams and requests still open fail with `closed`. */
  close(): void {
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

  private newRequestId(): string {
    return this.idPrefix + this.nextId++;
  }

  private stream(frame: Record<string, unknown>): RunStream {
    const requestId = this.newRequestId();
    const stream = new RunStream(this, requestId);
    const refusal = this.transmit({ ...compact(frame), requestId });
    if (refusal) {
      stream.fail(refusal);
    } else {
      this.streams.set(requestId, stream);
    }
    return stream;
  }

  private request<T>(frame: Record<string, unknown>): Promise<T> {
    const requestId = this.newRequestId();
    return new Promise<T>((resolve, reject) => {
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
        kind: "answer", resolve: resolve as (value: unknown) => void, reject, timer, answered: false,
      });
    });
  }

  /** Sends a frame; returns why it was not sent, if it was not. */
  private transmit(frame: Record<string, unknown>): RunRelayError | null {
    const text = JSON.stringify(frame);
    const requestId = frame.requestId as string | undefined;
    const bytes = utf8Length(text);
    if (bytes > this.options.maxFrameBytes) {
      return new RunRelayError("frame_too_large",
        `The message is too large to send (${Math.ceil(bytes / 1024)} KiB; at most `
          + `${Math.floor(this.options.maxFrameBytes / 1024)} KiB).`, false, { requestId, field: "frame" });
    }
    if (!this.socket || this.socket.readyState !== OPEN || this.currentState !== "open") {
      return new RunRelayError("not_connected", "Not connected to the server; try again in a moment.", true,
        { requestId });
    }
    this.socket.send(text);
    return null;
  }

  // ---- connection -------------------------------------------------------------------------------

  private socketUrl(): string {
    if (!this.options.token) {
      return this.options.url;
    }
    const url = new URL(this.options.url);
    url.searchParams.set("access_token", this.options.token);
    return url.toString();
  }

  private open(): void {
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

  private async afterClose(opened: boolean, closeCode: number): Promise<void> {
    const lost = new RunRelayError("connection_closed",
      `The connection closed (${closeCode}) before the answer came.`, true);
    // Answers are lost with the socket; streams may be resumed after reconnecting.
    for (const [requestId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RunRelayError(lost.code, lost.message, true, { requestId }));
    }
    this.pending.clear();
    if (!this.options.resume) {
      this.failStreams(lost);
    } else {
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
    const { initialDelayMs, maxDelayMs, maxAttempts } = this.options.reconnect as Required<ReconnectOptions>;
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
  private async probeRefusal(): Promise<RunRelayError | null> {
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
      return new RunRelayError("forbidden_origin",
        "The server does not allow this page's origin (HTTP 403): see runrelay.websocket.allowed-origins.", false);
    }
    return null;
  }

  private resumeStreams(): void {
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
      } else {
        // The resumed frames carry the new request id; they continue the same stream.
        this.streams.set(requestId, stream);
      }
    }
  }

  private setState(event: ConnectionEvent): void {
    this.currentState = event.state;
    this.lastEvent = event;
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }

  // ---- frames -----------------------------------------------------------------------------------

  private receive(data: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
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
          this.failStream(stream, new RunRelayError("connection_closed",
            "The connection closed while the run was streaming; the server cannot resume it.", true,
            { requestId: stream.requestId, threadId: stream.threadId, runId: stream.runId }));
        } else {
          this.failStream(stream, error);
        }
        this.streams.delete(requestId);
        return;
      }
      if ("seq" in frame && typeof frame.seq === "number") {
        stream.push(frame as StreamFrame);
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
      } else if (frame.type === "result") {
        pending.resolve(frame.data);
      } else {
        pending.resolve(undefined);
      }
    }
  }

  /**
   * An error without `requestId` answers a frame the server could not read. This client sends only
   * JSON below the size limit, so it is a `frame_too_large` from a server with a lower limit: it is
   * given to the one request that has no answer yet, when there is exactly one, and to `onError`.
   */
  private unattributedError(frame: ErrorFrame): void {
    const error = RunRelayError.from(frame);
    const unanswered = [
      ...this.activeStreams().filter((stream) => !stream.answered),
      ...[...this.pending.values()].filter((pending) => !pending.answered),
    ];
    if (unanswered.length === 1) {
      const target = unanswered[0];
      if (target instanceof RunStream) {
        this.failStream(target, error);
      } else {
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

  private failStream(stream: RunStream, error: RunRelayError): void {
    stream.fail(error);
    this.forgetStream(stream);
  }

  private forgetStream(stream: RunStream): void {
    for (const [requestId, candidate] of this.streams) {
      if (candidate === stream) {
        this.streams.delete(requestId);
      }
    }
  }

  private failStreams(error: RunRelayError): void {
    for (const stream of this.activeStreams()) {
      this.failStream(stream, new RunRelayError(error.code, error.message, error.retryable,
        { requestId: stream.requestId, threadId: stream.threadId, runId: stream.runId }));
    }
  }

  private failAll(error: RunRelayError): void {
    this.failStreams(error);
    for (const [requestId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RunRelayError(error.code, error.message, error.retryable, { requestId }));
    }
    this.pending.clear();
  }
}

/** Whether a run status is final (the run will not change any more). */
export function isTerminal(status: string | undefined): boolean {
  return status !== undefined && TERMINAL.has(status);
}

function compact(frame: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frame)) {
    if (value !== undefined && value !== null) {
      result[key] = value;
    }
  }
  return result;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
