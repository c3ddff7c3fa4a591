// The client against a fake socket: what it sends, how it reads frames, errors, reconnects and resumes.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { RunRelayClient, RunRelayError, isTerminal } from "../dist/runrelay.js";
import { FakeSocket } from "./support/fake-socket.mjs";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => FakeSocket.reset());

function openClient(options = {}) {
  const client = new RunRelayClient({ url: "ws://server/ws/runs", WebSocket: FakeSocket, probe: false,
    reconnect: { initialDelayMs: 1, maxDelayMs: 4 }, ...options });
  FakeSocket.last.serverOpen();
  return client;
}

async function collect(stream) {
  const frames = [];
  for await (const frame of stream) {
    frames.push(frame);
  }
  return frames;
}

function streamFrames(requestId, types, from = 1) {
  return types.map((type, i) => ({ type, requestId, threadId: "thread_1", runId: "run_1", seq: from + i,
    ...(type === "status" ? { status: "in_progress" } : {}),
    ...(type === "chunk" ? { message: "x" } : {}),
    ...(type === "end" ? { status: "completed" } : {}) }));
}

test("a token goes in the access_token query parameter", () => {
  new RunRelayClient({ url: "ws://server/ws/runs", token: "s3cret&x", WebSocket: FakeSocket, probe: false });
  assert.equal(FakeSocket.last.url, "ws://server/ws/runs?access_token=s3cret%26x");
});

test("run sends a run frame without undefined fields and yields the stream's frames up to end", async () => {
  const client = openClient();
  const stream = client.run({ assistantId: "asst_1", input: "Hi", threadId: undefined });
  const sent = FakeSocket.last.lastSent();
  assert.deepEqual(sent, { type: "run", assistantId: "asst_1", input: "Hi", requestId: stream.requestId });
  for (const frame of streamFrames(stream.requestId, ["status", "chunk", "chunk", "end"])) {
    FakeSocket.last.serverSend(frame);
  }
  const frames = await collect(stream);
  assert.deepEqual(frames.map((f) => f.type), ["status", "chunk", "chunk", "end"]);
  assert.equal(stream.runId, "run_1");
  assert.equal(stream.threadId, "thread_1");
  assert.equal(stream.lastSeq, 4);
  assert.equal(stream.status, "completed");
  assert.equal((await stream.finished).status, "completed");
});

test("frames of concurrent streams go to their own iterators", async () => {
  const client = openClient();
  const a = client.run({ assistantId: "a", input: "1" });
  const b = client.run({ assistantId: "a", input: "2" });
  const socket = FakeSocket.last;
  const fa = streamFrames(a.requestId, ["status", "chunk", "end"]);
  const fb = streamFrames(b.requestId, ["status", "end"]);
  [fa[0], fb[0], fa[1], fb[1], fa[2]].forEach((f) => socket.serverSend(f));
  assert.deepEqual((await collect(a)).map((f) => f.type), ["status", "chunk", "end"]);
  assert.deepEqual((await collect(b)).map((f) => f.type), ["status", "end"]);
});

test("a refused run makes the iterator throw a typed error", async () => {
  const client = openClient();
  const stream = client.run({ assistantId: "a", input: "x" });
  FakeSocket.last.serverSend({ type: "error", requestId: stream.requestId, code: "too_many_streams",
    message: "Too many.", retryable: true });
  await assert.rejects(collect(stream), (e) => e instanceof RunRelayError && e.code === "too_many_streams"
    && e.retryable === true && e.requestId === stream.requestId);
  await assert.rejects(stream.finished, { code: "too_many_streams" });
});

test("an error inside a stream is yielded, then end", async () => {
  const client = openClient();
  const stream = client.run({ assistantId: "a", input: "x" });
  const socket = FakeSocket.last;
  socket.serverSend({ type: "status", requestId: stream.requestId, seq: 1, status: "queued" });
  socket.serverSend({ type: "error", requestId: stream.requestId, seq: 2, code: "provider_unavailable",
    message: "Down.", retryable: true });
  socket.serverSend({ type: "end", requestId: stream.requestId, seq: 3, status: "queued", error: "provider_unavailable" });
  const frames = await collect(stream);
  assert.deepEqual(frames.map((f) => f.type), ["status", "error", "end"]);
  assert.equal(frames[2].error, "provider_unavailable");
  assert.equal(stream.error.code, "provider_unavailable");
  assert.equal(stream.error.retryable, true);
});

test("answers resolve with the result's data; error answers reject with code, message, retryable, field", async () => {
  const client = openClient();
  const socket = FakeSocket.last;
  const run = client.getRun({ threadId: "thread_1", runId: "run_1" });
  const get = socket.lastSent();
  assert.deepEqual(get, { type: "get_run", threadId: "thread_1", runId: "run_1", requestId: get.requestId });
  socket.serverSend({ type: "result", requestId: get.requestId, data: { id: "run_1", status: "completed" } });
  assert.deepEqual(await run, { id: "run_1", status: "completed" });

  const steps = client.listSteps({ threadId: "t", runId: "r", limit: 500 });
  socket.serverSend({ type: "error", requestId: socket.lastSent().requestId, code: "invalid_request",
    message: "limit: must be 1 to 100", retryable: false, field: "limit" });
  await assert.rejects(steps, { name: "RunRelayError", code: "invalid_request", retryable: false, field: "limit" });

  const sent = [];
  for (const call of [
    () => client.listRuns({ threadId: "t", limit: 5, order: "desc" }),
    () => client.updateRun({ threadId: "t", runId: "r", metadata: { a: "b" } }),
    () => client.getStep({ threadId: "t", runId: "r", stepId: "s" }),
    () => client.cancel({ threadId: "t", runId: "r" }),
    () => client.ping(),
  ]) {
    const answer = call();
    const frame = socket.lastSent();
    sent.push(frame.type);
    socket.serverSend(frame.type === "ping" ? { type: "pong", requestId: frame.requestId }
      : { type: "result", requestId: frame.requestId, data: { id: "x", status: "cancelling" } });
    await answer;
  }
  assert.deepEqual(sent, ["list_runs", "update_run", "get_step", "cancel", "ping"]);
});

test("submitToolOutputs streams the run on", async () => {
  const client = openClient();
  const stream = client.submitToolOutputs({ threadId: "thread_1", runId: "run_1",
    toolOutputs: [{ toolCallId: "call_1", output: "sunny" }] });
  const frame = FakeSocket.last.lastSent();
  assert.equal(frame.type, "submit_tool_outputs");
  assert.deepEqual(frame.toolOutputs, [{ toolCallId: "call_1", output: "sunny" }]);
  streamFrames(stream.requestId, ["status", "end"]).forEach((f) => FakeSocket.last.serverSend(f));
  assert.equal((await stream.finished).status, "completed");
});

test("a message above the frame limit is refused before sending, with frame_too_large", async () => {
  const client = openClient();
  const socket = FakeSocket.last;
  const stream = client.run({ assistantId: "a", input: "é".repeat(33 * 1024) }); // 66 KiB in UTF-8
  assert.equal(socket.sent.length, 0);
  await assert.rejects(collect(stream), { code: "frame_too_large", retryable: false });
  assert.match(stream.failure.message, /too large/);
});

test("an error without requestId fails the one request waiting for its first answer, and reaches onError", async () => {
  const client = openClient({ maxFrameBytes: 1_000_000 });
  const seen = [];
  client.onError((e) => seen.push(e.code));
  const stream = client.run({ assistantId: "a", input: "x".repeat(70 * 1024) });
  FakeSocket.last.serverSend({ type: "error", code: "frame_too_large", message: "Too large.", retryable: false });
  await assert.rejects(stream.finished, { code: "frame_too_large" });
  assert.deepEqual(seen, ["frame_too_large"]);
});

test("requests while not connected fail with not_connected, retryable", async () => {
  const client = new RunRelayClient({ url: "ws://server/ws/runs", WebSocket: FakeSocket, probe: false });
  await assert.rejects(client.getRun({ threadId: "t", runId: "r" }), { code: "not_connected", retryable: true });
  await assert.rejects(client.run({ assistantId: "a" }).finished, { code: "not_connected" });
});

test("a lost connection reconnects with growing delays and reports each state", async () => {
  const states = [];
  const client = openClient({ reconnect: { initialDelayMs: 5, maxDelayMs: 20 }, resume: false });
  client.onConnection((e) => states.push(e.state + (e.retryInMs !== undefined ? ":" + e.retryInMs : "")));
  const stream = client.run({ assistantId: "a", input: "x" });
  FakeSocket.last.serverClose(1006);
  await assert.rejects(stream.finished, { code: "connection_closed", retryable: true });
  await new Promise((r) => setTimeout(r, 15));
  FakeSocket.last.serverClose(1006); // the second attempt fails too
  await new Promise((r) => setTimeout(r, 30));
  FakeSocket.last.serverOpen();
  assert.deepEqual(states, ["open", "reconnecting:5", "connecting", "reconnecting:10", "connecting", "open"]);
  assert.equal(FakeSocket.instances.length, 3);
  await client.ready();
});

test("a refused handshake (401) stops reconnecting and says why", async () => {
  const probed = [];
  const client = new RunRelayClient({ url: "ws://server/ws/runs", token: "wrong", WebSocket: FakeSocket,
    reconnect: { initialDelayMs: 1 }, probe: async (url) => { probed.push(url); return 401; } });
  const ready = client.ready();
  FakeSocket.last.serverClose(1006);
  await assert.rejects(ready, { code: "unauthorized", retryable: false });
  assert.equal(client.state, "failed");
  assert.deepEqual(probed, ["http://server/ws/runs?access_token=wrong"]);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(FakeSocket.instances.length, 1, "no further attempt");
});

test("after reconnecting, a cut stream is resumed after its last seq and goes on without duplicates", async () => {
  const client = openClient();
  const stream = client.run({ assistantId: "a", input: "x" });
  streamFrames(stream.requestId, ["status", "chunk"]).forEach((f) => FakeSocket.last.serverSend(f));
  FakeSocket.last.serverClose(1006);
  await new Promise((r) => setTimeout(r, 5));
  const socket = FakeSocket.last;
  socket.serverOpen();
  const resume = socket.lastSent();
  assert.deepEqual(resume, { type: "resume", requestId: resume.requestId, runId: "run_1", afterSeq: 2 });
  // the server replays from seq 2 (one duplicate), under the resume's request id
  streamFrames(resume.requestId, ["chunk", "chunk", "end"], 2).forEach((f) => socket.serverSend(f));
  const frames = await collect(stream);
  assert.deepEqual(frames.map((f) => f.seq), [1, 2, 3, 4]);
  assert.equal(stream.status, "completed");
});

test("a server that does not know resume fails the cut stream with connection_closed", async () => {
  const client = openClient();
  const stream = client.run({ assistantId: "a", input: "x" });
  streamFrames(stream.requestId, ["status"]).forEach((f) => FakeSocket.last.serverSend(f));
  FakeSocket.last.serverClose(1006);
  await new Promise((r) => setTimeout(r, 5));
  FakeSocket.last.serverOpen();
  FakeSocket.last.serverSend({ type: "error", requestId: FakeSocket.last.lastSent().requestId, code: "unknown_type",
    message: "Unknown frame type.", retryable: false });
  await assert.rejects(stream.finished, { code: "connection_closed", retryable: true, runId: "run_1" });
});

test("close fails what is open with closed and does not reconnect", async () => {
  const client = openClient();
  const stream = client.run({ assistantId: "a", input: "x" });
  const answer = client.getRun({ threadId: "t", runId: "r" });
  client.close();
  await assert.rejects(stream.finished, { code: "closed" });
  await assert.rejects(answer, { code: "closed" });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(FakeSocket.instances.length, 1);
  assert.equal(client.state, "closed");
});

test("an unanswered request times out with a retryable timeout", async () => {
  const client = openClient({ requestTimeoutMs: 10 });
  await assert.rejects(client.getRun({ threadId: "t", runId: "r" }), { code: "timeout", retryable: true });
});

test("isTerminal knows the final statuses", () => {
  assert.equal(isTerminal("completed"), true);
  assert.equal(isTerminal("requires_action"), false);
  assert.equal(isTerminal(undefined), false);
});
