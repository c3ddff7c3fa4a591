// The demo page in Debian's headless Chromium, against a running RunRelay with the sandbox provider.
// Run by .ci/browser-test.sh, which starts the app and sets BASE_URL and SCREENSHOT.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const SCREENSHOT = process.env.SCREENSHOT ?? "demo.png";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
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
