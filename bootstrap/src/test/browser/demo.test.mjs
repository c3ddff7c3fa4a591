// The demo page in Debian's headless Chromium, against a running RunRelay with the sandbox provider.
// Run by .ci/browser-test.sh, which starts the app and sets BASE_URL and SCREENSHOT, and a second app
// with a WebSocket token at TOKEN_BASE_URL (token WS_TOKEN).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const SCREENSHOT = process.env.SCREENSHOT ?? "demo.png";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TOKEN_BASE_URL = process.env.TOKEN_BASE_URL;
const WS_TOKEN = process.env.WS_TOKEN;
const TIMEOUT = 20_000;

let userDataDir;
let context;
let page;

before(async () => {
  userDataDir = mkdtempSync(join(tmpdir(), "runrelay-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1000, height: 900 },
  });
  context.setDefaultTimeout(TIMEOUT);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") {
      console.error("page console:", message.text());
    }
  });
  await page.goto(BASE_URL + "/");
  await page.waitForSelector("#connection[data-state='open']");
});

after(async () => {
  if (page) {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }
  await context?.close();
  if (userDataDir) {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

/** Picks a scenario (which fills in its sample message) or types `message`, sends, returns the new run. */
async function send(scenario, message) {
  const before = await page.locator("article.run").count();
  await page.selectOption("#scenario", scenario);
  if (message) {
    await page.fill("#message", message);
  }
  await page.click("#send");
  await page.waitForFunction((n) => document.querySelectorAll("article.run").length > n, before);
  return page.locator("article.run").nth(before);
}

async function status(run) {
  return run.locator(".run-status").getAttribute("data-status");
}

async function waitForStatus(run, expected) {
  await run.locator(`.run-status[data-status='${expected}']`).waitFor();
}

test("text streams into the page in pieces", async () => {
  // Record every length the answer's text goes through while it streams.
  await page.evaluate(() => {
    window.__lengths = [];
    new MutationObserver(() => {
      const texts = document.querySelectorAll("article.run:last-of-type .assistant-text");
      const last = texts[texts.length - 1];
      if (last) {
        window.__lengths.push(last.textContent.length);
      }
    }).observe(document.getElementById("transcript"), { subtree: true, childList: true, characterData: true });
  });
  const run = await send("plain", "Hello from the browser test");
  await waitForStatus(run, "completed");
  const lengths = await page.evaluate(() => window.__lengths);
  const distinct = new Set(lengths.filter((length) => length > 0));
  assert.ok(distinct.size >= 10, `text grew in ${distinct.size} steps, expected many: ${lengths}`);
  const text = await run.locator(".assistant-text").first().textContent();
  assert.match(text, /Hello from the browser test/);
  assert.ok(Number(await run.getAttribute("data-chunks")) >= 10, "chunk counter");
  assert.match(await run.locator(".usage").textContent(), /tokens: \d+ prompt/);
});

test("a code-interpreter run shows its code and output as code blocks", async () => {
  const run = await send("code");
  await waitForStatus(run, "completed");
  assert.match(await run.locator(".tool-title").first().textContent(), /code_interpreter/);
  assert.match(await run.locator("pre.code-input").textContent(), /import math/);
  assert.match(await run.locator("pre.code-output").textContent(), /Sum of squares: 55/);
  assert.match(await run.locator(".assistant-text").last().textContent(), /55/);
});

test("a function call is answered through the tool-output form", async () => {
  const run = await send("weather");
  const input = run.locator(".tool-output-form input");
  await input.waitFor();
  assert.equal(await status(run), "requires_action");
  assert.match(await run.locator(".tool-output-form label").textContent(), /get_weather\(.*Paris.*\)/);
  assert.match(await run.locator("pre.function-arguments").textContent(), /"location": "Paris"/);
  await input.fill("sunny, 21 °C");
  await run.locator(".tool-output-form button").click();
  await waitForStatus(run, "completed");
  assert.match(await run.locator(".assistant-text").last().textContent(), /sunny, 21 °C/);
});

test("the cancel button stops a long run mid-stream", async () => {
  const run = await send("long");
  await page.waitForFunction(() => {
    const runs = document.querySelectorAll("article.run");
    return Number(runs[runs.length - 1].dataset.chunks || 0) >= 5;
  });
  await page.click("#cancel");
  await waitForStatus(run, "cancelled");
  const text = await run.locator(".assistant-text").last().textContent();
  assert.ok(!text.includes("The end."), "the long story was cut short");
  assert.equal(await page.locator("#cancel").isDisabled(), true);
});

test("a failing run shows the provider's error", async () => {
  const run = await send("fail");
  await waitForStatus(run, "failed");
  assert.match(await run.locator(".error").textContent(), /server_error/);
});

test("a message over 64 KiB is refused at once with frame_too_large, not left at sending", async () => {
  const run = await send("plain", "x".repeat(70 * 1024));
  await waitForStatus(run, "refused");
  assert.match(await run.locator(".error").textContent(), /frame_too_large: .*too large/);
  assert.equal(await page.locator("#connection").getAttribute("data-state"), "open");
  const next = await send("plain", "Still connected after the big one");
  await waitForStatus(next, "completed");
});

test("a refused run's badge leaves sending and shows the error", async () => {
  await page.fill("#assistant", "not a valid id!");
  try {
    const run = await send("plain", "Hello with a bad assistant id");
    await waitForStatus(run, "refused");
    assert.match(await run.locator(".error").textContent(), /invalid_request: assistantId/);
  } finally {
    await page.fill("#assistant", "default");
  }
});

test("cancelling a run that waits for tool outputs disables its form and updates the badge", async () => {
  const run = await send("weather");
  await run.locator(".tool-output-form input").waitFor();
  assert.equal(await status(run), "requires_action");
  assert.equal(await page.locator("#cancel").isDisabled(), false);
  await page.click("#cancel");
  await waitForStatus(run, "cancelled");
  assert.equal(await run.locator(".tool-output-form input").isDisabled(), true);
  assert.equal(await run.locator(".tool-output-form button").isDisabled(), true);
  assert.equal(await page.locator("#cancel").isDisabled(), true);
});

test("answers are markdown, sanitized, with highlighted code blocks and a copy button", async () => {
  await page.evaluate(() => { window.__xss = 0; });
  // The sandbox quotes the first 120 characters of the message in its answer.
  const message = "**bold** <script>window.__xss=1</script><img src=x onload=\"window.__xss=2\">\n```js\nconsole.log(42)\n```";
  assert.ok(message.length <= 120);
  const run = await send("plain", message);
  await waitForStatus(run, "completed");
  const answer = run.locator(".assistant-text").last();
  assert.equal(await answer.locator("strong").first().textContent(), "bold");
  assert.doesNotMatch(await answer.innerHTML(), /\*\*bold\*\*/);
  assert.equal(await answer.locator("script").count(), 0);
  assert.equal(await answer.locator("img[onload]").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), 0);
  const code = answer.locator("pre code.hljs");
  assert.match(await code.textContent(), /console\.log\(42\)/);
  assert.ok(await answer.locator("pre code.hljs span[class^='hljs-']").count() > 0, "highlighted tokens");
  await answer.locator("pre button.copy").click();
  await answer.locator("pre button.copy", { hasText: "copied" }).waitFor();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /console\.log\(42\)/);
});

test("the new thread button makes the next message start a new thread", async () => {
  const first = await send("plain", "First thread");
  await waitForStatus(first, "completed");
  const firstThread = await page.locator("#thread").getAttribute("data-thread-id");
  assert.ok(firstThread);
  const same = await send("plain", "Same thread");
  await waitForStatus(same, "completed");
  assert.equal(await page.locator("#thread").getAttribute("data-thread-id"), firstThread);
  await page.click("#new-thread");
  assert.equal(await page.locator("#thread").getAttribute("data-thread-id"), "");
  const second = await send("plain", "Second thread");
  await waitForStatus(second, "completed");
  const secondThread = await page.locator("#thread").getAttribute("data-thread-id");
  assert.ok(secondThread && secondThread !== firstThread, `${secondThread} is a new thread`);
});

test("after a server restart, not_found for the old thread sends the message to a new thread", async () => {
  // What a restarted server (in-memory store) does to a page: the thread the page holds is unknown. The
  // page keeps its thread over reloads, so a thread id the server never knew stands in for the restart.
  await page.evaluate(() => sessionStorage.setItem("runrelay.threadId", "thread_from_before_the_restart"));
  await page.reload();
  await page.waitForSelector("#connection[data-state='open']");
  assert.equal(await page.locator("#thread").getAttribute("data-thread-id"), "thread_from_before_the_restart");
  const lost = await send("plain", "Hello after the restart");
  await lost.locator(".notice").waitFor();
  assert.match(await lost.locator(".notice").textContent(), /no longer knows thread thread_from_before_the_restart/);
  assert.match(await lost.locator(".error").textContent(), /not_found/);
  const retried = page.locator("article.run").last();
  await waitForStatus(retried, "completed");
  assert.match(await retried.locator(".assistant-text").last().textContent(), /Hello after the restart/);
  const thread = await page.locator("#thread").getAttribute("data-thread-id");
  assert.ok(thread && thread !== "thread_from_before_the_restart");
});

test("the inspector shows a run, its steps and the thread's runs (get_run, list_steps, list_runs)", async () => {
  const run = await send("code");
  await waitForStatus(run, "completed");
  const runId = await run.getAttribute("data-run-id");
  await run.locator("button.inspect").click();
  const inspector = page.locator("#inspector");
  await inspector.locator(".run-details").waitFor();
  assert.equal(await inspector.isVisible(), true);
  const details = await inspector.locator(".run-details").textContent();
  assert.match(details, new RegExp(runId));
  assert.match(details, /status\s*completed/);
  assert.match(await inspector.locator(".steps li[data-step-type='tool_calls']").first().textContent(), /code_interpreter/);
  assert.ok(await inspector.locator(".steps li[data-step-type='message_creation']").count() >= 1);
  assert.match(await inspector.locator(".steps pre").first().textContent(), /import math/);
  await inspector.locator(`.runs li[data-run-id='${runId}']`).waitFor();
  await page.click("#inspector-close");
});

test("with a server token the page says why it cannot connect, asks for the token, and reads ?token=", async () => {
  assert.ok(TOKEN_BASE_URL && WS_TOKEN, "TOKEN_BASE_URL and WS_TOKEN (set by .ci/browser-test.sh)");
  const tab = await context.newPage();
  try {
    await tab.goto(TOKEN_BASE_URL + "/");
    await tab.waitForSelector("#connection[data-state='failed']");
    assert.match(await tab.locator("#connection").textContent(), /needs a token/);
    assert.equal(await tab.locator("#token-form").isVisible(), true);
    await tab.fill("#token", "not-the-token");
    await tab.click("#token-connect");
    await tab.waitForFunction(() => /refused the token/.test(document.getElementById("connection").textContent));
    await tab.fill("#token", WS_TOKEN);
    await tab.click("#token-connect");
    await tab.waitForSelector("#connection[data-state='open']");
    assert.equal(await tab.locator("#token-form").isVisible(), false);

    const direct = await context.newPage();
    try {
      await direct.goto(TOKEN_BASE_URL + "/?token=" + encodeURIComponent(WS_TOKEN));
      await direct.waitForSelector("#connection[data-state='open']");
      await direct.fill("#message", "Hello with a token");
      await direct.click("#send");
      await direct.locator("article.run .run-status[data-status='completed']").waitFor();
    } finally {
      await direct.close();
    }
  } finally {
    await tab.close();
  }
});
