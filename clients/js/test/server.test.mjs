// The client against the real server: the built jar with the sandbox provider and a token, started on a
// free 127.0.0.1 port. Needs bootstrap/target/runrelay.jar (./mvnw package) and a JDK 25 (JAVA_HOME,
// or JAVA=/path/to/java); .ci/run provides both.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { RunRelayClient, RunRelayError } from "../dist/runrelay.js";

const JAR = process.env.RUNRELAY_JAR
  ?? fileURLToPath(new URL("../../../bootstrap/target/runrelay.jar", import.meta.url));
const JAVA = process.env.JAVA ?? (process.env.JAVA_HOME ? process.env.JAVA_HOME + "/bin/java" : "java");
const TOKEN = "js-client-test-token";

let app;
let url;
let log = "";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

before(async () => {
  assert.ok(existsSync(JAR), `${JAR} is missing: build it with ./mvnw -B -ntp package -DskipTests`);
  const port = await freePort();
  app = spawn(JAVA, ["-jar", JAR, "--server.address=127.0.0.1", `--server.port=${port}`, "--management.server.port=0",
    "--runrelay.provider=sandbox", `--runrelay.websocket.token=${TOKEN}`], { stdio: ["ignore", "pipe", "pipe"] });
  app.stdout.on("data", (chunk) => (log += chunk));
  app.stderr.on("data", (chunk) => (log += chunk));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (app.exitCode !== null) {
      throw new Error("RunRelay exited before it was ready:\n" + log);
    }
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error("RunRelay was not ready within 120 s:\n" + log);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  url = `ws://127.0.0.1:${port}/ws/runs`;
}, { timeout: 180_000 });

after(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once("exit", resolve));
    app.kill("SIGTERM");
    await exited;
  }
});

function connect(options = {}) {
  return new RunRelayClient({ url, token: TOKEN, WebSocket, ...options });
}

async function collect(stream) {
  const frames = [];
  for await (const frame of stream) {
    frames.push(frame);
  }
  return frames;
}

test("a wrong token fails with unauthorized instead of reconnecting for ever", { timeout: 60_000 }, async () => {
  const client = connect({ token: "wrong", reconnect: { initialDelayMs: 10 } });
  await assert.rejects(client.ready(), (e) => e instanceof RunRelayError && e.code === "unauthorized" && !e.retryable);
  assert.equal(client.state, "failed");
  client.close();
});

test("no token fails with unauthorized and says a token is needed", { timeout: 60_000 }, async () => {
  const client = connect({ token: undefined });
  await assert.rejects(client.ready(), { code: "unauthorized", message: /needs a token/ });
  client.close();
});

test("a run streams as an async iterator, seq without gap, end last", { timeout: 60_000 }, async () => {
  const client = connect();
  await client.ready();
  const stream = client.run({ assistantId: "asst_js", input: "Hello from node" });
  const frames = await collect(stream);
  assert.deepEqual(frames.map((f) => f.seq), frames.map((_, i) => i + 1));
  assert.equal(frames.at(-1).type, "end");
  assert.equal(frames.at(-1).status, "completed");
  const text = frames.filter((f) => f.type === "chunk").map((f) => f.message).join("");
  assert.match(text, /Hello from node/);
  assert.ok(stream.runId && stream.threadId);
  client.close();
});

test("a function call is answered with submitToolOutputs, then the run is inspected", { timeout: 60_000 }, async () => {
  const client = connect();
  await client.ready();
  const first = client.run({ assistantId: "asst_js", input: "What is the weather in Paris?" });
  const frames = await collect(first);
  const action = frames.find((f) => f.type === "requires_action");
  assert.ok(action, "requires_action");
  assert.equal(first.status, "requires_action");
  const second = client.submitToolOutputs({ threadId: first.threadId, runId: first.runId,
    toolOutputs: action.toolCalls.map((call) => ({ toolCallId: call.id, output: "sunny, 21 °C" })) });
  const text = (await collect(second)).filter((f) => f.type === "message_done").map((f) => f.text).join("");
  assert.match(text, /sunny, 21 °C/);

  const run = await client.getRun({ threadId: first.threadId, runId: first.runId });
  assert.equal(run.id, first.runId);
  assert.equal(run.status, "completed");
  const runs = await client.listRuns({ threadId: first.threadId, limit: 10 });
  assert.ok(runs.data.some((r) => r.id === first.runId));
  const steps = await client.listSteps({ threadId: first.threadId, runId: first.runId, order: "asc" });
  assert.ok(steps.data.length >= 1);
  const step = await client.getStep({ threadId: first.threadId, runId: first.runId, stepId: steps.data[0].id });
  assert.equal(step.id, steps.data[0].id);
  const updated = await client.updateRun({ threadId: first.threadId, runId: first.runId, metadata: { seen: "yes" } });
  assert.equal(updated.metadata.seen, "yes");
  client.close();
});

test("cancel stops a long run; its stream ends cancelled", { timeout: 60_000 }, async () => {
  const client = connect();
  await client.ready();
  const stream = client.run({ assistantId: "asst_js", input: "Tell me a long story" });
  let chunks = 0;
  let cancelled;
  for await (const frame of stream) {
    if (frame.type === "chunk" && ++chunks === 3) {
      cancelled = stream.cancel();
    }
  }
  assert.ok(["cancelling", "cancelled"].includes((await cancelled).status));
  assert.equal(stream.end.status, "cancelled");
  client.close();
});

test("errors are typed: not_found for an unknown thread, frame_too_large refused before sending", { timeout: 60_000 }, async () => {
  const client = connect();
  await client.ready();
  // A run on a thread the server does not know is accepted as a stream, then fails inside it.
  const gone = client.run({ assistantId: "asst_js", threadId: "thread_gone", input: "Hi" });
  const end = await gone.finished;
  assert.equal(end.error, "not_found");
  assert.equal(gone.error.code, "not_found");
  assert.equal(gone.error.retryable, false);
  await assert.rejects(client.getRun({ threadId: "thread_gone", runId: "run_gone" }), { code: "not_found" });
  await assert.rejects(client.listRuns({ threadId: "t", limit: 500 }), { code: "invalid_request", field: "limit" });
  await assert.rejects(client.run({ assistantId: "asst_js", input: "x".repeat(70 * 1024) }).finished,
    { code: "frame_too_large" });
  await client.ping();
  client.close();
});

test("the server's own frame_too_large (no requestId) fails the request that caused it", { timeout: 60_000 }, async () => {
  const client = connect({ maxFrameBytes: 10 * 1024 * 1024 });
  await client.ready();
  const errors = [];
  client.onError((e) => errors.push(e.code));
  await assert.rejects(client.run({ assistantId: "asst_js", input: "x".repeat(70 * 1024) }).finished,
    { code: "frame_too_large", retryable: false });
  assert.deepEqual(errors, ["frame_too_large"]);
  await client.ping();
  client.close();
});
