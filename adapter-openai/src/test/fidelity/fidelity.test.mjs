// The official OpenAI Node SDK against RunRelay's fake OpenAI servers: wherever a fake is kinder than
// the real API (a clean end where the network breaks, an event sequence the SDK's stream helpers reject,
// a field the API does not have), a test here fails. The fakes are started by FidelityFakes (Java),
// which passes their URLs in FAKE_ASSISTANTS_URL, FAKE_RESPONSES_URL and FAKE_CONTROL_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the fakes with FidelityFakes`);
  return value;
};
const assistants = new OpenAI({ apiKey: 'sk-fidelity', baseURL: env('FAKE_ASSISTANTS_URL'), maxRetries: 0, timeout: 10_000 });
const responses = new OpenAI({ apiKey: 'sk-fidelity', baseURL: env('FAKE_RESPONSES_URL'), maxRetries: 0, timeout: 10_000 });
const MODEL = 'gpt-4.1-mini';

/** The Responses fake answers its next POST /responses with this scenario (see FidelityFakes). */
async function enqueue(scenario) {
  const reply = await fetch(`${env('FAKE_CONTROL_URL')}/enqueue`, { method: 'POST', body: JSON.stringify(scenario) });
  assert.equal(reply.status, 204, `the fake refused the scenario ${JSON.stringify(scenario)}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const ASSISTANTS_FIXTURES = ['cancelled-run', 'code-interpreter-run', 'expired-run', 'failed-run', 'file-search-run',
  'function-call-continued', 'function-call-run', 'incomplete-run', 'text-run'];

// ---- Assistants API ----

test('assistants: a text run passes through the SDK stream helper and ends completed', async () => {
  const stream = assistants.beta.threads.runs.stream('thread_text', { assistant_id: 'asst_abc123' });
  let text = '';
  stream.on('textDelta', (delta) => { text += delta.value; });
  const run = await stream.finalRun();
  assert.equal(run.status, 'completed');
  assert.equal(text, 'Token0 token1 token2 token3 token4');
});

for (const fixture of ASSISTANTS_FIXTURES) {
  test(`assistants: fixture ${fixture} is a sequence the SDK stream helper accepts, with steps as the API types them`, async () => {
    const stream = assistants.beta.threads.runs.stream(`thread_${fixture.replaceAll('-', '_')}`, { assistant_id: 'asst_abc123' });
    const steps = [];
    stream.on('event', ({ event, data }) => {
      // text-run also carries an unknown future event on purpose (clients must skip it): only real steps count.
      if (data?.object === 'thread.run.step') steps.push(data);
    });
    await stream.done();
    for (const step of steps) {
      assert.ok('metadata' in step, `step ${step.id} of ${fixture} has no metadata`);
      assert.ok('expired_at' in step, `step ${step.id} of ${fixture} has no expired_at`);
      assert.ok(!('expires_at' in step), `step ${step.id} of ${fixture} has expires_at, a run field`);
    }
  });
}

test('assistants: a drop breaks the connection mid-body, so the SDK sees a network failure, not an end', async () => {
  const stream = assistants.beta.threads.runs.stream('thread_drop', { assistant_id: 'asst_abc123' });
  const events = [];
  stream.on('event', ({ event }) => events.push(event));
  await assert.rejects(stream.done(), (error) => {
    assert.ok(!(error instanceof OpenAI.APIError && error.status), `expected a connection failure, got ${error}`);
    return true;
  });
  assert.ok(events.length > 0 && !events.includes('thread.run.completed'), `events before the drop: ${events}`);
});

test('assistants: runs.list honours limit, order, after and before, and has_more tells the truth', async () => {
  const page = await assistants.beta.threads.runs.list('thread_list', { limit: 2, order: 'asc', after: 'run_1' });
  assert.deepEqual(page.data.map((run) => run.id), ['run_2', 'run_3']);
  assert.equal(page.has_more, true);

  const between = await assistants.beta.threads.runs.list('thread_list', { order: 'asc', after: 'run_1', before: 'run_4' });
  assert.deepEqual(between.data.map((run) => run.id), ['run_2', 'run_3']);
  assert.equal(between.has_more, false);

  const newestFirst = await assistants.beta.threads.runs.list('thread_list', { limit: 2 });
  assert.deepEqual(newestFirst.data.map((run) => run.id), ['run_5', 'run_4']);

  // The SDK follows `after` while has_more: with after ignored this would loop, with has_more lying it would stop early.
  const all = [];
  for await (const run of assistants.beta.threads.runs.list('thread_list', { limit: 2, order: 'asc' })) {
    all.push(run.id);
    assert.ok(all.length <= 5, `pagination does not end: ${all}`);
  }
  assert.deepEqual(all, ['run_1', 'run_2', 'run_3', 'run_4', 'run_5']);
});

test('assistants: listed run steps carry metadata and expired_at', async () => {
  const page = await assistants.beta.threads.runs.steps.list('run_steps', { thread_id: 'thread_text' });
  assert.equal(page.data.length, 2);
  for (const step of page.data) {
    assert.deepEqual(step.metadata, {});
    assert.ok('expired_at' in step && !('expires_at' in step), JSON.stringify(step));
  }
});

test('assistants: every request gets its own x-request-id', async () => {
  const first = await assistants.beta.threads.runs.list('thread_list').withResponse();
  const second = await assistants.beta.threads.runs.list('thread_list').withResponse();
  assert.ok(first.request_id && second.request_id);
  assert.notEqual(first.request_id, second.request_id);
});

// ---- Responses API ----

const RESPONSES_FIXTURES = {
  'text-run.sse': 'Hello, world!',
  'code-interpreter.sse': 'It is 4.',
  'file-search.sse': 'Refunds are accepted within 30 days.',
  'function-call-continuation.sse': 'It is sunny in Paris.',
  'function-call.sse': '',
};

for (const [fixture, text] of Object.entries(RESPONSES_FIXTURES)) {
  test(`responses: fixture ${fixture} passes through the SDK stream helper (content parts announced before text)`, async () => {
    await enqueue({ fixture });
    const stream = responses.responses.stream({ model: MODEL, input: 'hi', background: true });
    const types = [];
    stream.on('event', (event) => types.push(event.type));
    const response = await stream.finalResponse();
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, text);
    assertEventOrder(types, fixture);
  });
}

/** Every output_text.delta sits inside content_part.added ... content_part.done inside its output item. */
function assertEventOrder(types, name) {
  let item = false;
  let part = false;
  for (const type of types) {
    if (type === 'response.output_item.added') item = true;
    if (type === 'response.output_item.done') { assert.ok(!part, `${name}: item done inside an open part`); item = false; }
    if (type === 'response.content_part.added') { assert.ok(item, `${name}: part outside an item`); part = true; }
    if (type === 'response.content_part.done') part = false;
    if (type.startsWith('response.output_text.')) assert.ok(part, `${name}: ${type} outside a content part`);
  }
  assert.equal(types.at(-1), types.includes('response.failed') ? 'response.failed' : 'response.completed');
}

test('responses: a failed run ends with response.failed and its error', async () => {
  await enqueue({ fixture: 'failed-run.sse' });
  const stream = await responses.responses.create({ model: MODEL, input: 'hi', background: true, stream: true });
  const events = [];
  for await (const event of stream) events.push(event);
  assert.equal(events.at(-1).type, 'response.failed');
  assert.equal(events.at(-1).response.status, 'failed');
  assert.ok(events.at(-1).response.error);
});

test('responses: a drop breaks the connection mid-body; the stream then resumes with starting_after', async () => {
  await enqueue({ text: 6, dropAfter: 4 });
  const stream = await responses.responses.create({ model: MODEL, input: 'hi', background: true, stream: true });
  const events = [];
  await assert.rejects(async () => { for await (const event of stream) events.push(event); }, (error) => {
    assert.ok(!(error instanceof OpenAI.APIError && error.status), `expected a connection failure, got ${error}`);
    return true;
  });
  assert.equal(events.length, 4);
  const id = events[0].response.id;
  const resumed = await responses.responses.retrieve(id, { stream: true, starting_after: events.at(-1).sequence_number });
  const rest = [];
  for await (const event of resumed) rest.push(event);
  assert.equal(rest[0].sequence_number, events.at(-1).sequence_number + 1);
  assert.equal(rest.at(-1).type, 'response.completed');
  assert.equal(rest.at(-1).response.output_text ?? textOf(rest.at(-1).response), 'w0 w1 w2 w3 w4 w5 ');
});

function textOf(response) {
  return response.output.flatMap((item) => item.content ?? []).map((part) => part.text).join('');
}

test('responses: a 429 carries retry-after-ms and retry-after, and the SDK retries after it', async () => {
  await enqueue({ errorStatus: 429, headers: { 'retry-after-ms': '50', 'retry-after': '1' } });
  await assert.rejects(responses.responses.create({ model: MODEL, input: 'hi' }), (error) => {
    assert.ok(error instanceof OpenAI.RateLimitError, `${error}`);
    assert.equal(error.headers.get('retry-after-ms'), '50');
    assert.equal(error.headers.get('retry-after'), '1');
    assert.ok(error.requestID?.startsWith('req_'));
    return true;
  });

  await enqueue({ errorStatus: 429, headers: { 'retry-after-ms': '50' } });
  const retrying = responses.withOptions({ maxRetries: 1 });
  const started = Date.now();
  const response = await retrying.responses.create({ model: MODEL, input: 'hi' });
  assert.equal(response.status, 'completed');
  assert.ok(Date.now() - started >= 50, 'the SDK waited the retry-after-ms');
});

test('responses: every request gets its own x-request-id', async () => {
  const first = await responses.responses.create({ model: MODEL, input: 'hi' }).withResponse();
  const second = await responses.responses.create({ model: MODEL, input: 'hi' }).withResponse();
  assert.ok(first.request_id.startsWith('req_') && second.request_id.startsWith('req_'));
  assert.notEqual(first.request_id, second.request_id);
  assert.notEqual(first.request_id, 'req_fake');
});

test('responses: a plain request is answered completed, never queued', async () => {
  const response = await responses.responses.create({ model: MODEL, input: 'hi' });
  assert.equal(response.status, 'completed');
  assert.equal(response.background, false);
  assert.equal(response.output_text, 'w0 w1 w2 w3 w4 ');
});

test('responses: a streamed plain request starts in_progress, not queued', async () => {
  const stream = await responses.responses.create({ model: MODEL, input: 'hi', stream: true });
  const statuses = [];
  for await (const event of stream) if (event.response) statuses.push(event.response.status);
  assert.deepEqual(statuses, ['in_progress', 'in_progress', 'completed']);
});

test('responses: a background response goes queued -> in_progress -> completed as time passes', async () => {
  await enqueue({ text: 8, delayMs: 60 });
  const created = await responses.responses.create({ model: MODEL, input: 'hi', background: true });
  assert.equal(created.status, 'queued');
  assert.equal(created.background, true);
  const seen = [created.status];
  const deadline = Date.now() + 10_000;
  let current = created;
  while (!['completed', 'failed', 'cancelled', 'incomplete'].includes(current.status) && Date.now() < deadline) {
    await sleep(25);
    current = await responses.responses.retrieve(created.id);
    if (seen.at(-1) !== current.status) seen.push(current.status);
  }
  assert.deepEqual(seen, ['queued', 'in_progress', 'completed']);
  assert.equal(current.output_text, 'w0 w1 w2 w3 w4 w5 w6 w7 ');
});

test('responses: cancel answers the response cancelled; its stream then ends without any made-up event', async () => {
  await enqueue({ text: 20, delayMs: 50 });
  const stream = responses.responses.stream({ model: MODEL, input: 'hi', background: true });
  const types = [];
  let id;
  let cancelled;
  for await (const event of stream) {
    types.push(event.type);
    id ??= event.response?.id;
    if (event.type === 'response.output_text.delta' && !cancelled) {
      cancelled = await responses.responses.cancel(id);
    }
  }
  assert.equal(cancelled.status, 'cancelled');
  assert.ok(!types.includes('response.cancelled'), 'no SDK types a response.cancelled event');
  assert.ok(!types.includes('response.completed'));
  assert.ok(types.length < 20, `the stream went on after the cancel: ${types.length} events`);
  const retrieved = await responses.responses.retrieve(id);
  assert.equal(retrieved.status, 'cancelled');
  const again = await responses.responses.cancel(id);
  assert.equal(again.status, 'cancelled', 'cancel is idempotent');
});

test('responses: conversation items are stored with content parts', async () => {
  const conversation = await responses.conversations.create({
    items: [{ type: 'message', role: 'user', content: 'What is the weather?' }],
  });
  await responses.responses.create({ model: MODEL, input: 'And tomorrow?', conversation: conversation.id });
  const items = [];
  for await (const item of responses.conversations.items.list(conversation.id, { order: 'asc' })) items.push(item);
  const messages = items.filter((item) => item.type === 'message');
  assert.deepEqual(messages.map((m) => m.role), ['user', 'user', 'assistant']);
  for (const message of messages) {
    assert.ok(Array.isArray(message.content), `string content in ${JSON.stringify(message)}`);
    const expected = message.role === 'assistant' ? 'output_text' : 'input_text';
    assert.deepEqual(message.content.map((part) => part.type), [expected]);
  }
  assert.equal(messages[0].content[0].text, 'What is the weather?');
  assert.equal(messages[2].content[0].text, 'w0 w1 w2 w3 w4 ');
});
