// The split between the two wasm modules of the release build (dist/): the first screen's module
// carries no template text and no template engine, and no long content text of a topic after the
// first; the generator worker's carries all of them. A change that links them into the page
// again (issue 15, part 5) fails here, not in a bench.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, openApp } from './harness.mjs';

const DIST = process.env.BENCH_DIST || 'dist';

async function module(pattern) {
  const name = (await readdir(DIST)).find((f) => pattern.test(f));
  assert.ok(name, `no file matching ${pattern} in ${DIST}/: run make build`);
  return readFile(join(DIST, name));
}

/// The longest line of every file under templates/: text only that template has.
async function templateLines(dir = 'templates') {
  const lines = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      lines.push(...(await templateLines(path)));
    } else {
      const longest = (await readFile(path, 'utf8')).split('\n').reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '');
      if (longest.trim().length >= 16) lines.push({ path, line: longest });
    }
  }
  return lines;
}

// Messages only the template engine (tera) has.
const ENGINE_TEXT = ['is a reserved keyword of Tera', '__tera_loop_index'];

test('the first screen module holds no template text and no template engine; the worker holds both', async () => {
  const [app, worker, lines] = await Promise.all([module(/^app-.*_bg\.wasm$/), module(/^worker_bg\.wasm$/), templateLines()]);
  assert.ok(lines.length > 30, `only ${lines.length} templates found`);
  const inApp = lines.filter(({ line }) => app.includes(line)).map(({ path }) => path);
  assert.deepEqual(inApp, [], 'template texts linked into the first screen module');
  const missingInWorker = lines.filter(({ line }) => !worker.includes(line)).map(({ path }) => path);
  assert.deepEqual(missingInWorker, [], 'templates the worker cannot render');
  for (const text of ENGINE_TEXT) {
    assert.ok(!app.includes(text), `the template engine ("${text}") is linked into the first screen module`);
    assert.ok(worker.includes(text), `"${text}" not found in the worker: update ENGINE_TEXT`);
  }
});

/// The long texts the content tables hand to `later!(…)` (src/core/content/), unescaped.
async function laterTexts() {
  const dir = 'src/core/content';
  const texts = [];
  for (const f of await readdir(dir)) {
    const source = await readFile(join(dir, f), 'utf8');
    for (const m of source.matchAll(/later!\(("(?:[^"\\]|\\.)*")\)/g)) texts.push(JSON.parse(m[1]));
  }
  return texts;
}

test('the long texts of topics after the first are only in the worker module', async () => {
  const [app, worker, texts] = await Promise.all([module(/^app-.*_bg\.wasm$/), module(/^worker_bg\.wasm$/), laterTexts()]);
  assert.ok(texts.length > 300, `only ${texts.length} texts found`);
  const inApp = texts.filter((t) => app.includes(t));
  assert.deepEqual(inApp.map((t) => t.slice(0, 60)), [], 'long texts linked into the first screen module');
  const missing = texts.filter((t) => !worker.includes(t));
  assert.deepEqual(missing.map((t) => t.slice(0, 60)), [], 'long texts the worker cannot send');
});

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('a topic after the first, opened directly, shows its texts once the worker has sent them', async () => {
  const { context, page, errors } = await openApp(env, { hash: '#/guide/7' });
  const texts = await laterTexts();
  const help = page.getByTestId('question').first().locator('.help');
  await assert.doesNotReject(help.filter({ hasText: /\w{3,}/ }).waitFor({ timeout: 10000 }), 'the help never arrived');
  assert.ok(texts.includes(await help.textContent()), 'the help shown is not the content\'s');
  const why = page.locator('article.topic > p.principle + p');
  assert.ok(texts.includes(await why.textContent()), 'the topic\'s "why" is not shown');
  for (const example of await page.locator('.example p').all()) assert.ok(texts.includes(await example.textContent()));
  // The plan on the results screen, opened directly, quotes the remediation of a later topic.
  const results = await context.newPage();
  await results.goto(env.url + '#/results');
  const remediation = results.getByTestId('plan-item').last().locator('p').nth(2);
  await assert.doesNotReject(remediation.filter({ hasText: /\w{3,}/ }).waitFor({ timeout: 10000 }), 'the plan item has no remediation');
  assert.ok(texts.includes(await remediation.textContent()), 'the remediation shown is not the content\'s');
  assert.deepEqual(errors, []);
  await context.close();
});
