// RunRelay demo client: a plain client of the WebSocket protocol (docs/protocol.md), no build step.
(() => {
  "use strict";

  const SAMPLES = {
    plain: "Hello! What can you do?",
    code: "Write some python code to sum the squares of 1 to 5.",
    weather: "What is the weather in Paris?",
    long: "Tell me a long story, please.",
    fail: "Please fail this run.",
  };
  const TERMINAL = new Set(["completed", "failed", "cancelled", "expired", "incomplete"]);

  const $ = (id) => document.getElementById(id);
  const transcript = $("transcript");
  const connection = $("connection");
  const messageInput = $("message");
  const scenario = $("scenario");
  const assistant = $("assistant");
  const sameThread = $("same-thread");
  const sendButton = $("send");
  const cancelButton = $("cancel");

  let socket = null;
  let nextRequest = 1;
  let reconnectDelay = 500;
  let threadId = null;
  /** requestId -> the run view its frames go to (a submit continues the run view of its run). */
  const views = new Map();
  /** The run the cancel button cancels: the latest one that has not ended. */
  let currentView = null;

  // ---- connection ---------------------------------------------------------------------------
  function connect() {
    const token = new URLSearchParams(location.search).get("token");
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/runs"
      + (token ? "?access_token=" + encodeURIComponent(token) : "");
    setConnection("connecting", "connecting…");
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      reconnectDelay = 500;
      setConnection("open", "connected");
      updateButtons();
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        console.warn("not JSON", event.data);
        return;
      }
      handle(frame);
    });
    socket.addEventListener("close", (event) => {
      setConnection("closed", "disconnected (" + event.code + "), reconnecting…");
      for (const view of new Set(views.values())) {
        if (view.active) {
          showError(view, "connection_closed", "The connection closed while this run was streaming.");
          finish(view, view.status || "unknown");
        }
      }
      updateButtons();
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 8000);
    });
  }

  function setConnection(state, text) {
    connection.dataset.state = state;
    connection.textContent = text;
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    socket.send(JSON.stringify(frame));
    return true;
  }

  function newRequestId() {
    return "r" + nextRequest++;
  }

  // ---- user actions -------------------------------------------------------------------------
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
    const requestId = newRequestId();
    const frame = { type: "run", requestId, assistantId: assistant.value.trim() || "default", input };
    if (sameThread.checked && threadId && !(currentView && currentView.active)) {
      frame.threadId = threadId;
    }
    appendUser(input);
    const view = createRunView(requestId);
    views.set(requestId, view);
    currentView = view;
    if (!send(frame)) {
      showError(view, "not_connected", "Not connected to the server; try again in a moment.");
      finish(view, "not sent");
    }
    messageInput.value = "";
    updateButtons();
  });

  cancelButton.addEventListener("click", () => {
    const view = currentView;
    if (!view || !view.runId) {
      return;
    }
    const requestId = newRequestId();
    views.set(requestId, { ...view, controlOf: view });
    send({ type: "cancel", requestId, threadId: view.threadId, runId: view.runId });
    cancelButton.disabled = true;
  });

  function submitToolOutputs(view, form, toolCalls) {
    const toolOutputs = toolCalls.map((call) => ({
      toolCallId: call.id,
      output: form.querySelector(`[data-tool-call-id="${CSS.escape(call.id)}"]`).value,
    }));
    const requestId = newRequestId();
    views.set(requestId, view);
    view.active = true;
    form.querySelectorAll("input, button").forEach((el) => (el.disabled = true));
    send({ type: "submit_tool_outputs", requestId, threadId: view.threadId, runId: view.runId, toolOutputs });
    updateButtons();
  }

  function updateButtons() {
    const open = socket && socket.readyState === WebSocket.OPEN;
    sendButton.disabled = !open;
    cancelButton.disabled = !(open && currentView && currentView.runId
      && (currentView.active || currentView.status === "requires_action"));
  }

  // ---- frames ---------------------------------------------------------------------------------
  function handle(frame) {
    if (frame.type === "pong") {
      return;
    }
    const target = views.get(frame.requestId);
    if (!target) {
      console.warn("frame for an unknown request", frame);
      return;
    }
    if (target.controlOf) {
      handleControlAnswer(target.controlOf, frame);
      return;
    }
    const view = target;
    if (frame.threadId) {
      view.threadId = frame.threadId;
      threadId = frame.threadId;
    }
    if (frame.runId) {
      view.runId = frame.runId;
      view.el.dataset.runId = frame.runId;
      view.idEl.textContent = frame.runId;
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
      case "end":
        if (frame.usage) {
          showUsage(view, frame.usage);
        }
        // Without a status the stream failed before the run reported one: its error frame came first.
        finish(view, frame.status ?? (frame.error ? "failed" : view.status));
        break;
      case "error":
        showError(view, frame.code, frame.message);
        break;
      case "result":
        break;
      default:
        console.debug("frame not shown", frame);
    }
    updateButtons();
  }

  function handleControlAnswer(view, frame) {
    if (frame.type === "error") {
      showError(view, frame.code, frame.message);
    } else if (frame.type === "result" && frame.data && frame.data.status && view.active) {
      // The stream may have told the end already (cancelled) before this answer (cancelling) arrives.
      setStatus(view, frame.data.status);
      if (TERMINAL.has(frame.data.status)) {
        finish(view, frame.data.status);
      }
    }
    updateButtons();
  }

  // ---- rendering ------------------------------------------------------------------------------
  function appendUser(text) {
    const el = document.createElement("div");
    el.className = "user";
    el.textContent = text;
    transcript.appendChild(el);
  }

  function createRunView(requestId) {
    const el = document.createElement("article");
    el.className = "run";
    el.dataset.requestId = requestId;
    el.innerHTML = `<div class="run-head"><span class="run-status" data-status="queued">sending</span>
      <span class="run-id"></span><span class="chunks" title="text chunks received"></span></div><div class="run-body"></div>`;
    transcript.appendChild(el);
    scrollDown();
    return {
      el, requestId, active: true, status: null, threadId: null, runId: null, chunks: 0,
      body: el.querySelector(".run-body"),
      statusEl: el.querySelector(".run-status"),
      idEl: el.querySelector(".run-id"),
      chunksEl: el.querySelector(".chunks"),
      text: null,
      tools: new Map(),
      lastTool: null,
    };
  }

  function setStatus(view, status) {
    if (!status) {
      return;
    }
    view.status = status;
    view.statusEl.dataset.status = status;
    view.statusEl.textContent = status.replace("_", " ");
  }

  function finish(view, status) {
    setStatus(view, status);
    view.active = false;
    view.el.dataset.ended = "true";
    if (view.text) {
      view.text.classList.remove("streaming");
    }
    if (currentView === view && TERMINAL.has(view.status)) {
      currentView = null;
    }
  }

  function startText(view) {
    const p = document.createElement("div");
    p.className = "assistant-text streaming";
    view.body.appendChild(p);
    view.text = p;
    scrollDown();
  }

  function appendText(view, fragment) {
    if (!view.text) {
      startText(view);
    }
    view.text.textContent += fragment;
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
      view.text.textContent = fullText;
    }
    view.text.classList.remove("streaming");
    view.text = null;
  }

  function toolBlock(view, toolCallId, toolType, name) {
    const key = toolCallId || "tool" + view.tools.size;
    let tool = view.tools.get(key);
    if (!tool) {
      const el = document.createElement("div");
      el.className = "tool";
      el.dataset.toolType = toolType || "";
      const title = document.createElement("div");
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
    const name = frame.name;
    if (name) {
      tool.name = name;
      tool.title.textContent = "tool call: function · " + name;
    }
    if (!tool.args) {
      const pre = document.createElement("pre");
      pre.className = "function-arguments";
      tool.args = document.createElement("code");
      pre.appendChild(tool.args);
      tool.el.appendChild(pre);
    }
    const fragment = frame.arguments ?? "";
    tool.args.textContent += fragment;
    scrollDown();
  }

  function requiresAction(view, toolCalls) {
    setStatus(view, "requires_action");
    const form = document.createElement("form");
    form.className = "tool-output-form";
    for (const call of toolCalls) {
      const name = call.name;
      const id = call.id;
      const label = document.createElement("label");
      label.textContent = `${name}(${call.arguments ?? ""}) returns:`;
      const input = document.createElement("input");
      input.dataset.toolCallId = id;
      input.placeholder = "the tool's output, e.g. sunny, 21 °C";
      input.required = true;
      label.appendChild(input);
      form.appendChild(label);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Submit tool outputs";
    form.appendChild(button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitToolOutputs(view, form, toolCalls);
    });
    view.body.appendChild(form);
    view.text = null;
    const first = form.querySelector("input");
    if (first) {
      first.focus();
    }
    scrollDown();
  }

  function showError(view, code, message) {
    const el = document.createElement("div");
    el.className = "error";
    el.dataset.code = code || "";
    el.textContent = (code ? code + ": " : "") + (message || "something went wrong");
    view.body.appendChild(el);
    scrollDown();
  }

  function showUsage(view, usage) {
    const el = document.createElement("div");
    el.className = "usage";
    el.textContent = `tokens: ${usage.promptTokens} prompt + ${usage.completionTokens} completion`
      + ` = ${usage.totalTokens}`;
    view.body.appendChild(el);
  }

  function scrollDown() {
    window.scrollTo(0, document.body.scrollHeight);
  }

  updateButtons();
  connect();
})();
