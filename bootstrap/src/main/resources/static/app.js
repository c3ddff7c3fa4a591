// RunRelay demo page, built on the JavaScript client (clients/js, copied to lib/runrelay.js). Answers are
// markdown rendered with marked and sanitized with DOMPurify; code blocks are highlighted with
// highlight.js (all three vendored under vendor/, see the README).
import { RunRelayClient, isTerminal } from "./lib/runrelay.js";
import { marked } from "./vendor/marked.esm.js";
import DOMPurify from "./vendor/purify.es.js";
import hljs from "./vendor/highlight.min.js";

const SAMPLES = {
  plain: "Hello! What can you do?",
  code: "Write some python code to sum the squares of 1 to 5.",
  weather: "What is the weather in Paris?",
  long: "Tell me a long story, please.",
  fail: "Please fail this run.",
};
const TOKEN_KEY = "runrelay.token";
const THREAD_KEY = "runrelay.threadId";

const $ = (id) => document.getElementById(id);
const transcript = $("transcript");
const connection = $("connection");
const messageInput = $("message");
const scenario = $("scenario");
const assistant = $("assistant");
const sameThread = $("same-thread");
const sendButton = $("send");
const cancelButton = $("cancel");
const tokenForm = $("token-form");
const tokenInput = $("token");
const threadLabel = $("thread");
const inspector = $("inspector");
const inspectorBody = $("inspector-body");

let client = null;
/** The thread the next message goes to (kept over reloads, like a chat would). */
let threadId = sessionStorage.getItem(THREAD_KEY);
/** The run view the cancel button cancels: the latest one that has not ended for good. */
let currentView = null;

// ---- connection -------------------------------------------------------------------------------

function connect(token) {
  client?.close();
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/runs";
  client = new RunRelayClient({ url, token: token || undefined });
  client.onConnection((event) => showConnection(event, token));
  client.onError((error) => {
    // An error the client could not give to a request (e.g. a frame the server could not read).
    if (!currentView || !currentView.el.querySelector(`.error[data-code="${error.code}"]`)) {
      notice("The server answered: " + error.code + ": " + error.message);
    }
  });
}

function showConnection(event, token) {
  connection.dataset.state = event.state;
  switch (event.state) {
    case "open":
      connection.textContent = "connected";
      tokenForm.hidden = true;
      if (token) {
        sessionStorage.setItem(TOKEN_KEY, token);
      }
      break;
    case "connecting":
      connection.textContent = "connecting…";
      break;
    case "reconnecting":
      connection.textContent = `disconnected (${event.closeCode}), reconnecting in ${Math.round(event.retryInMs / 100) / 10} s…`;
      break;
    case "failed":
      connection.textContent = "cannot connect: " + (event.error ? event.error.message : "gave up");
      if (event.error && event.error.code === "unauthorized") {
        sessionStorage.removeItem(TOKEN_KEY);
        $("token-reason").textContent = event.error.message;
        tokenForm.hidden = false;
        tokenInput.focus();
      }
      break;
    case "closed":
      connection.textContent = "closed";
      break;
  }
  updateButtons();
}

tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  connect(tokenInput.value.trim());
});

// ---- user actions -----------------------------------------------------------------------------

scenario.addEventListener("change", () => {
  messageInput.value = SAMPLES[scenario.value] || "";
  messageInput.focus();
});
messageInput.value = SAMPLES.plain;

messageInput.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = messageInput.value.trim();
  if (!input) {
    return;
  }
  appendUser(input);
  messageInput.value = "";
  const onThread = sameThread.checked && threadId && !(currentView && currentView.active) ? threadId : undefined;
  startRun(input, onThread);
});

$("new-thread").addEventListener("click", () => {
  setThread(null);
  const divider = document.createElement("div");
  divider.className = "thread-divider";
  divider.textContent = "new thread";
  transcript.appendChild(divider);
  messageInput.focus();
});

cancelButton.addEventListener("click", () => {
  if (currentView) {
    cancel(currentView);
  }
});

$("inspector-close").addEventListener("click", () => {
  inspector.hidden = true;
});

function setThread(id) {
  threadId = id;
  if (id) {
    sessionStorage.setItem(THREAD_KEY, id);
  } else {
    sessionStorage.removeItem(THREAD_KEY);
  }
  threadLabel.textContent = id ? "thread " + id : "";
  threadLabel.dataset.threadId = id || "";
}

function updateButtons() {
  const open = client && client.state === "open";
  sendButton.disabled = !open;
  cancelButton.disabled = !(open && currentView && currentView.runId
    && (currentView.active || currentView.status === "requires_action"));
}

// ---- runs -------------------------------------------------------------------------------------

function startRun(input, onThread) {
  const view = createRunView();
  currentView = view;
  const stream = client.run({ assistantId: assistant.value.trim() || "default", input, threadId: onThread });
  follow(view, stream, { input, onThread });
  updateButtons();
}

/** Renders the frames of one stream into its run view until the stream ends or fails. */
async function follow(view, stream, request) {
  view.active = true;
  view.el.dataset.requestId = stream.requestId;
  try {
    for await (const frame of stream) {
      handle(view, frame);
      updateButtons();
    }
  } catch (error) {
    // Refused as a whole (bad request, too many streams, too large) or lost with the connection.
    showError(view, error.code, error.message);
    if (request && request.onThread && error.code === "not_found") {
      finish(view, "refused");
      continueInNewThread(view, request);
      return;
    }
    finish(view, error.code === "connection_closed" ? view.status || "unknown" : "refused");
    updateButtons();
    return;
  }
  if (request && request.onThread && stream.error && stream.error.code === "not_found" && !stream.runId) {
    continueInNewThread(view, request);
  }
  updateButtons();
}

/** The server no longer knows the thread (it restarted with an in-memory store): go on in a new one. */
function continueInNewThread(view, request) {
  setThread(null);
  notice(`The server no longer knows thread ${request.onThread} (it may have restarted); `
    + "your message went to a new thread.", view);
  startRun(request.input, undefined);
}

function handle(view, frame) {
  if (frame.threadId) {
    view.threadId = frame.threadId;
    if (view === currentView || !threadId) {
      setThread(frame.threadId);
    }
  }
  if (frame.runId && view.runId !== frame.runId) {
    view.runId = frame.runId;
    view.el.dataset.runId = frame.runId;
    view.idEl.textContent = frame.runId;
    view.inspectButton.hidden = false;
  }
  switch (frame.type) {
    case "start":
      startText(view);
      break;
    case "chunk":
      appendText(view, frame.message);
      break;
    case "message_done":
      finishText(view, frame.text);
      break;
    case "tool_call":
      toolBlock(view, frame.toolCallId, frame.message, frame.name);
      break;
    case "code_input":
      codeInput(view, frame).textContent += frame.message;
      break;
    case "code_output":
      codeOutput(view, frame).textContent += frame.imageFileId ? `[image ${frame.imageFileId}]\n` : frame.message;
      break;
    case "function_call":
      functionCall(view, frame);
      break;
    case "requires_action":
      requiresAction(view, frame.toolCalls || []);
      break;
    case "status":
      setStatus(view, frame.status);
      if (frame.lastError && frame.status === "failed") {
        showError(view, frame.lastError.code, frame.lastError.message);
      }
      break;
    case "error":
      showError(view, frame.code, frame.message);
      break;
    case "end":
      if (frame.usage) {
        showUsage(view, frame.usage);
      }
      // Without a status the stream failed before the run reported one: its error frame came first.
      finish(view, frame.status ?? (frame.error ? "failed" : view.status));
      break;
  }
}

async function cancel(view) {
  cancelButton.disabled = true;
  try {
    let run = await client.cancel({ threadId: view.threadId, runId: view.runId });
    if (!view.active) {
      // No stream tells the end of a run that waited for tool outputs: ask until it is final.
      for (let i = 0; i < 20 && !isTerminal(run.status); i++) {
        setStatus(view, run.status);
        await new Promise((resolve) => setTimeout(resolve, 250));
        run = await client.getRun({ threadId: view.threadId, runId: view.runId });
      }
      finish(view, run.status);
    } else if (view.status !== "cancelled") {
      setStatus(view, run.status); // cancelling; the stream ends with cancelled
    }
  } catch (error) {
    showError(view, error.code, error.message);
  }
  updateButtons();
}

function submitToolOutputs(view, form, toolCalls) {
  const toolOutputs = toolCalls.map((call) => ({
    toolCallId: call.id,
    output: form.querySelector(`[data-tool-call-id="${CSS.escape(call.id)}"]`).value,
  }));
  disableForm(view);
  currentView = view;
  const stream = client.submitToolOutputs({ threadId: view.threadId, runId: view.runId, toolOutputs });
  follow(view, stream, null);
  updateButtons();
}

// ---- inspector --------------------------------------------------------------------------------

async function inspect(threadOfRun, runId) {
  inspector.hidden = false;
  inspectorBody.replaceChildren(element("p", "loading…"));
  try {
    const [run, steps, runs] = await Promise.all([
      client.getRun({ threadId: threadOfRun, runId }),
      client.listSteps({ threadId: threadOfRun, runId, order: "asc", limit: 100 }),
      client.listRuns({ threadId: threadOfRun, order: "desc", limit: 20 }),
    ]);
    inspectorBody.replaceChildren(
      element("h3", "Run"), runDetails(run),
      element("h3", `Steps (${steps.data.length})`), stepList(steps.data),
      element("h3", "Runs of this thread"), runList(threadOfRun, runs.data, runId));
    inspectorBody.dataset.runId = runId;
  } catch (error) {
    inspectorBody.replaceChildren(errorElement(error.code, error.message));
  }
}

function runDetails(run) {
  const dl = document.createElement("dl");
  dl.className = "run-details";
  const rows = [["id", run.id], ["thread", run.threadId], ["assistant", run.assistantId], ["status", run.status],
    ["model", run.model], ["created", time(run.createdAt)], ["completed", time(run.completedAt)],
    ["cancelled", time(run.cancelledAt)], ["failed", time(run.failedAt)],
    ["tools", (run.tools || []).map((tool) => tool.name || tool.type).join(", ")],
    ["usage", run.usage ? `${run.usage.promptTokens} + ${run.usage.completionTokens} = ${run.usage.totalTokens} tokens` : ""],
    ["last error", run.lastError ? `${run.lastError.code}: ${run.lastError.message || ""}` : ""],
    ["metadata", run.metadata && Object.keys(run.metadata).length ? JSON.stringify(run.metadata) : ""]];
  for (const [name, value] of rows) {
    if (value) {
      dl.append(element("dt", name), element("dd", String(value)));
      dl.lastChild.dataset.field = name;
    }
  }
  return dl;
}

function stepList(steps) {
  const list = document.createElement("ol");
  list.className = "steps";
  for (const step of steps) {
    const item = document.createElement("li");
    item.dataset.stepType = step.type;
    let text = `${step.type} · ${step.status}`;
    if (step.details && step.details.toolCalls) {
      text += " · " + step.details.toolCalls.map((call) => call.name || call.type).join(", ");
    }
    item.append(element("span", text));
    for (const call of (step.details && step.details.toolCalls) || []) {
      const shown = call.input ?? call.arguments;
      if (shown) {
        item.append(element("pre", shown + (call.output ? "\n→ " + call.output : "")
          + (call.outputs ? "\n→ " + call.outputs.map((o) => o.logs ?? `[image ${o.imageFileId}]`).join("") : "")));
      }
    }
    list.append(item);
  }
  return list;
}

function runList(threadOfRuns, runs, selected) {
  const list = document.createElement("ul");
  list.className = "runs";
  for (const run of runs) {
    const item = document.createElement("li");
    item.dataset.runId = run.id;
    const button = element("button", run.id === selected ? run.id + " (shown)" : run.id);
    button.type = "button";
    button.className = "secondary";
    button.addEventListener("click", () => inspect(threadOfRuns, run.id));
    item.append(button, element("span", " " + run.status));
    list.append(item);
  }
  return list;
}

function time(epochSeconds) {
  return epochSeconds ? new Date(epochSeconds * 1000).toLocaleTimeString() : "";
}

// ---- rendering --------------------------------------------------------------------------------

function element(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

function appendUser(text) {
  const el = element("div", text);
  el.className = "user";
  transcript.appendChild(el);
}

function createRunView() {
  const el = document.createElement("article");
  el.className = "run";
  el.innerHTML = `<div class="run-head"><span class="run-status" data-status="sending">sending</span>
    <span class="run-id"></span><span class="chunks" title="text chunks received"></span>
    <button type="button" class="inspect" hidden>inspect</button></div><div class="run-body"></div>`;
  transcript.appendChild(el);
  const view = {
    el, active: false, status: null, threadId: null, runId: null, chunks: 0,
    body: el.querySelector(".run-body"),
    statusEl: el.querySelector(".run-status"),
    idEl: el.querySelector(".run-id"),
    chunksEl: el.querySelector(".chunks"),
    inspectButton: el.querySelector(".inspect"),
    text: null,
    markdown: "",
    tools: new Map(),
    lastTool: null,
    form: null,
  };
  view.inspectButton.addEventListener("click", () => inspect(view.threadId, view.runId));
  scrollDown();
  return view;
}

function setStatus(view, status) {
  if (!status) {
    return;
  }
  view.status = status;
  view.statusEl.dataset.status = status;
  view.statusEl.textContent = status.replaceAll("_", " ");
  if (status !== "requires_action") {
    disableForm(view);
  }
}

function finish(view, status) {
  setStatus(view, status);
  view.active = false;
  view.el.dataset.ended = "true";
  if (view.text) {
    view.text.classList.remove("streaming");
  }
  if (currentView === view && view.status !== "requires_action") {
    currentView = null;
  }
}

function disableForm(view) {
  if (view.form) {
    view.form.querySelectorAll("input, button").forEach((el) => (el.disabled = true));
    view.form.dataset.disabled = "true";
  }
}

function startText(view) {
  const div = document.createElement("div");
  div.className = "assistant-text streaming";
  view.body.appendChild(div);
  view.text = div;
  view.markdown = "";
  scrollDown();
}

function appendText(view, fragment) {
  if (!view.text) {
    startText(view);
  }
  view.markdown += fragment;
  renderMarkdown(view.text, view.markdown);
  view.chunks += 1;
  view.el.dataset.chunks = String(view.chunks);
  view.chunksEl.textContent = view.chunks + " chunks";
  scrollDown();
}

function finishText(view, fullText) {
  if (!view.text) {
    startText(view);
  }
  if (typeof fullText === "string") {
    view.markdown = fullText;
  }
  renderMarkdown(view.text, view.markdown, true);
  view.text.classList.remove("streaming");
  view.text = null;
}

/** Model markdown to sanitized HTML; finished code blocks get highlighting and a copy button. */
function renderMarkdown(target, markdown, finished = false) {
  target.innerHTML = DOMPurify.sanitize(marked.parse(markdown, { gfm: true, breaks: true }));
  for (const code of target.querySelectorAll("pre > code")) {
    if (finished) {
      hljs.highlightElement(code);
    }
    const copy = element("button", "copy");
    copy.type = "button";
    copy.className = "copy";
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(code.textContent);
        copy.textContent = "copied";
      } catch {
        copy.textContent = "copy failed";
      }
    });
    code.parentElement.appendChild(copy);
  }
}

function toolBlock(view, toolCallId, toolType, name) {
  const key = toolCallId || "tool" + view.tools.size;
  let tool = view.tools.get(key);
  if (!tool) {
    const el = document.createElement("div");
    el.className = "tool";
    const title = element("div", "");
    title.className = "tool-title";
    el.appendChild(title);
    view.body.appendChild(el);
    tool = { el, title, type: toolType, name: name || null, input: null, output: null, args: null };
    view.tools.set(key, tool);
  }
  if (toolType) {
    tool.type = toolType;
    tool.el.dataset.toolType = toolType;
  }
  if (name) {
    tool.name = name;
  }
  tool.title.textContent = "tool call: " + (tool.type || "tool") + (tool.name ? " · " + tool.name : "");
  view.lastTool = tool;
  view.text = null;
  scrollDown();
  return tool;
}

function toolFor(view, frame, type) {
  return (frame.toolCallId && view.tools.get(frame.toolCallId)) || view.lastTool || toolBlock(view, frame.toolCallId, type);
}

function codeInput(view, frame) {
  const tool = toolFor(view, frame, "code_interpreter");
  if (!tool.input) {
    const pre = document.createElement("pre");
    pre.className = "code-input";
    tool.input = document.createElement("code");
    pre.appendChild(tool.input);
    tool.el.appendChild(pre);
  }
  scrollDown();
  return tool.input;
}

function codeOutput(view, frame) {
  const tool = toolFor(view, frame, "code_interpreter");
  if (!tool.output) {
    tool.output = document.createElement("pre");
    tool.output.className = "code-output";
    tool.el.appendChild(tool.output);
  }
  scrollDown();
  return tool.output;
}

function functionCall(view, frame) {
  const tool = toolFor(view, frame, "function");
  if (frame.name) {
    tool.name = frame.name;
    tool.title.textContent = "tool call: function · " + frame.name;
  }
  if (!tool.args) {
    const pre = document.createElement("pre");
    pre.className = "function-arguments";
    tool.args = document.createElement("code");
    pre.appendChild(tool.args);
    tool.el.appendChild(pre);
  }
  tool.args.textContent += frame.arguments ?? "";
  scrollDown();
}

function requiresAction(view, toolCalls) {
  const form = document.createElement("form");
  form.className = "tool-output-form";
  for (const call of toolCalls) {
    const label = element("label", `${call.name}(${call.arguments ?? ""}) returns:`);
    const input = document.createElement("input");
    input.dataset.toolCallId = call.id;
    input.placeholder = "the tool's output, e.g. sunny, 21 °C";
    input.required = true;
    label.appendChild(input);
    form.appendChild(label);
  }
  const button = element("button", "Submit tool outputs");
  button.type = "submit";
  form.appendChild(button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitToolOutputs(view, form, toolCalls);
  });
  view.body.appendChild(form);
  view.form = form;
  setStatus(view, "requires_action");
  view.text = null;
  form.querySelector("input")?.focus();
  scrollDown();
}

function errorElement(code, message) {
  const el = element("div", (code ? code + ": " : "") + (message || "something went wrong"));
  el.className = "error";
  el.dataset.code = code || "";
  return el;
}

function showError(view, code, message) {
  view.body.appendChild(errorElement(code, message));
  scrollDown();
}

function notice(text, view) {
  const el = element("div", text);
  el.className = "notice";
  (view ? view.body : transcript).appendChild(el);
  scrollDown();
}

function showUsage(view, usage) {
  const el = element("div", `tokens: ${usage.promptTokens} prompt + ${usage.completionTokens} completion`
    + ` = ${usage.totalTokens}`);
  el.className = "usage";
  view.body.appendChild(el);
}

function scrollDown() {
  window.scrollTo(0, document.body.scrollHeight);
}

setThread(threadId);
updateButtons();
connect(new URLSearchParams(location.search).get("token") || sessionStorage.getItem(TOKEN_KEY));
