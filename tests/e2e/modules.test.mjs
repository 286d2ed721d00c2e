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
  const [app, worker, lines] = await Promise.all([module(/^app_bg\.wasm$/), module(/^worker_bg\.wasm$/), templateLines()]);
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
  const [app, worker, texts] = await Promise.all([module(/^app_bg\.wasm$/), module(/^worker_bg\.wasm$/), laterTexts()]);
  assert.ok(texts.length > 300, `only ${texts.length} texts found`);
  const inApp = texts.filter((t) => app.includes(t));
  assert.deepEqual(inApp.map((t) => t.slice(0, 60)), [], 'long texts linked into the first screen module');
  const missing = texts.filter((t) => !worker.includes(t));
  assert.deepEqual(missing.map((t) => t.slice(0, 60)), [], 'long texts the worker cannot send');
});

// The screens split off the page's module (src/ui/mod.rs, `wasm_split`): a text only that
// screen's code has, quoted from its source so the test follows the source.
const SPLIT_SCREENS = [
  { hash: '#/results', testid: 'results-screen', source: 'src/ui/results.rs', text: 'Partly does not meet a blocker.' },
  { hash: '#/snapshots', testid: 'snapshots-screen', source: 'src/ui/snapshots.rs', text: 'A snapshot keeps the answers as they stand now' },
  { hash: '#/generate', testid: 'generate-screen', source: 'src/ui/existing.rs', text: 'What are you deploying?' },
  { hash: '#/team', testid: 'team-screen', source: 'src/ui/team.rs', text: 'Run a team review' },
  { hash: '#/present/1', testid: 'presenter-screen', source: 'src/ui/presenter.rs', text: 'What to do when it is not Yes: ' },
];

// Parts of the first screens that most visits never use, split off the same way: the links'
// decoding and the share dialog, the start screen's import and checklist boxes, and the page's
// side of the generator worker (no text of its own: its messages' field name stands for it).
const SPLIT_PARTS = [
  { source: 'src/ui/links.rs', text: 'Open the shared assessment?' },
  { source: 'src/ui/io.rs', text: 'Drop an exported assessment JSON here (or the ' },
  { source: 'src/ui/checklist.rs', text: 'Add the checks your platform requires from a checklist file' },
];

async function splitModules() {
  const names = (await readdir(DIST)).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f));
  return Buffer.concat(await Promise.all(names.map((f) => readFile(join(DIST, f)))));
}

test('the screens after the checklist, and the parts most visits never use, are not in the first screen module, but in chunks loaded when needed', async () => {
  const [app, chunks] = await Promise.all([module(/^app_bg\.wasm$/), splitModules()]);
  for (const { source, text } of [...SPLIT_SCREENS, ...SPLIT_PARTS]) {
    assert.ok((await readFile(source, 'utf8')).includes(text), `"${text}" is no longer in ${source}: update SPLIT_SCREENS`);
    assert.ok(!app.includes(text), `${source} is linked into the first screen module ("${text}")`);
    assert.ok(chunks.includes(text), `${source} is in no split module ("${text}")`);
  }
});

// The text files the page and the generator worker load, minified by the build (tools/minify.mjs)
// because the first visit on a slow network is bound by transfer. sw.js is left as written: the
// browser fetches it after the first screen, and only to compare it with the one it has.
async function shippedText() {
  const names = (await readdir(DIST)).filter((f) => /\.(js|css)$/.test(f) && f !== 'sw.js');
  return Promise.all(names.map(async (f) => ({ f, text: await readFile(join(DIST, f), 'utf8') })));
}

test('the JavaScript and CSS the app loads are minified, without source maps', async () => {
  const files = await shippedText();
  assert.deepEqual(files.map(({ f }) => f.replace(/-[0-9a-f]{16}\./, '.')).sort(), ['__wasm_split.js', 'app.js', 'style.css', 'worker-boot.js', 'worker.js']);
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m, i) => ({ f: `index.html's inline script ${i + 1}`, text: m[1] }));
  assert.ok(inline.length > 0, 'no inline script found in index.html');
  for (const { f, text } of [...files, ...inline]) {
    // Every source of these (wasm-bindgen's, Trunk's, ours) is indented and commented.
    assert.doesNotMatch(text, /^[ \t]/m, `${f} has indented lines: not minified`);
    assert.doesNotMatch(text, /^\s*(\/\/|\/\*)/m, `${f} has comment lines: not minified`);
    assert.doesNotMatch(text, /sourceMappingURL/, `${f} points to a source map`);
  }
  for (const [shipped, source] of [[/^style-.*\.css$/, 'public/style.css'], [/^worker-boot\.js$/, 'public/worker-boot.js']]) {
    const { f, text } = files.find(({ f }) => shipped.test(f));
    const original = await readFile(source, 'utf8');
    assert.ok(text.length < original.length, `${f} (${text.length} bytes) is not smaller than ${source} (${original.length})`);
  }
  assert.deepEqual((await readdir(DIST)).filter((f) => f.endsWith('.map')), [], 'source maps in dist/');
});

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('the minified stylesheet passes its integrity check and styles the page', async () => {
  const { context, page, errors } = await openApp(env, { hash: '#/guide/1' });
  // A browser drops a stylesheet whose digest differs from its `integrity`: the page would be unstyled.
  const rules = await page.evaluate(() => document.querySelector('link[rel="stylesheet"][integrity]')?.sheet?.cssRules.length ?? 0);
  assert.ok(rules > 0, "the browser refused the stylesheet");
  const margin = await page.evaluate(() => getComputedStyle(document.body).marginTop);
  assert.equal(margin, '0px', 'body keeps the browser\'s default margin: style.css not applied');
  assert.deepEqual(errors, []);
  await context.close();
});

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

test('each split screen and a share link load on navigation, online and, after one visit, offline', async () => {
  const { context, page, errors } = await openApp(env, { hash: '#/guide/1' });
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  for (const offline of [false, true]) {
    await context.setOffline(offline);
    if (offline) await page.reload();
    for (const { hash, testid } of SPLIT_SCREENS) {
      await page.goto(env.url + hash);
      await assert.doesNotReject(page.getByTestId(testid).waitFor({ timeout: 10000 }), `${hash} not shown ${offline ? 'offline' : 'online'}`);
    }
    await page.goto(env.url + '#/guide/1');
    await page.getByTestId('guide-screen').waitFor();
  }
  // A share link opened offline: its chunk comes from the service worker's cache too.
  // The link answers the first question Yes: one code per question, the count from the header.
  const total = Number((await page.getByTestId('score-chip').textContent()).match(/\/(\d+) answered/)[1]);
  const code = Buffer.from(JSON.stringify({ c: 2, a: 'y' + '-'.repeat(total - 1) })).toString('base64url');
  await page.goto(`${env.url}#share=1.${code}`);
  await assert.doesNotReject(page.getByTestId('notice').getByText(/Loaded the shared assessment/).waitFor({ timeout: 10000 }), 'a share link did not open offline');
  await page.getByTestId('results-screen').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a screen whose module cannot be fetched says so; the rest of the app keeps working', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(/\/split_team\.wasm$/, (route) => route.abort('blockedbyclient'));
  const { page, errors } = await openApp(env, { hash: '#/guide/1', context });
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  await page.getByTestId('nav-team').click();
  const message = page.getByTestId('screen-unavailable');
  await assert.doesNotReject(message.waitFor({ timeout: 10000 }), 'no message for a screen that could not load');
  assert.match(await message.textContent(), /could not be loaded/);
  assert.ok(await message.getByTestId('screen-reload').isVisible(), 'no way to retry');
  await page.getByTestId('nav-results').click();
  await page.getByTestId('results-screen').waitFor();
  assert.match(await page.getByTestId('score-chip').textContent(), /1\/\d+ answered/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a generator worker that cannot load is explained, on every screen and on Generate', async () => {
  // worker-boot.js reports the other two; its own failure only the Worker's error event tells.
  for (const file of ['worker_bg.wasm', 'worker.js', 'worker-boot.js']) {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(new RegExp(`/${file.replace('.', '\\.')}$`), (route) => route.abort('blockedbyclient'));
    const { page, errors } = await openApp(env, { hash: '#/guide/7', context });
    const banner = page.getByTestId('worker-unavailable');
    await assert.doesNotReject(banner.waitFor({ timeout: 10000 }), `no message when ${file} is blocked`);
    const text = await banner.textContent();
    assert.match(text, new RegExp(`The generator did not load \\(${file.replace('.', '\\.')}: `));
    assert.match(text, /topics after the first stay empty/);
    assert.match(text, /cannot be generated until the page is reloaded/);
    await page.getByTestId('nav-generate').click();
    const unavailable = page.getByTestId('generate-unavailable');
    await assert.doesNotReject(unavailable.waitFor({ timeout: 10000 }));
    assert.match(await unavailable.textContent(), /^Generation is unavailable: the generator did not load/);
    assert.ok(await page.getByTestId('download').isDisabled(), 'Download stays enabled without a generator');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/// Opens the app with one split module blocked, as a proxy or an offline first visit would.
async function withBlocked(file, hash) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(new RegExp(`/${file.replace('.', '\\.')}$`), (route) => route.abort('blockedbyclient'));
  return { context, ...(await openApp(env, { hash, context })) };
}

test('a part that cannot be fetched says so, and what it would have done is not lost', async () => {
  // A share link: the message says it could not be opened, the link stays in the address bar.
  const link = await withBlocked('split_links.wasm', '#/guide/1');
  const share = '#share=1.eyJjIjoyLCJhIjp7ImNvZGViYXNlLW9uZS1yZXBvIjoieSJ9fQ';
  await link.page.goto(env.url + share);
  const notice = link.page.getByTestId('notice');
  await assert.doesNotReject(notice.getByText(/This link could not be opened/).waitFor({ timeout: 10000 }), 'no message for a link that could not be read');
  assert.ok(link.page.url().endsWith(share), 'the link left the address bar although it was not read');
  assert.deepEqual(link.errors, []);
  await link.context.close();
  // The start screen without its import and checklist boxes: a message where they would be.
  const start = await withBlocked('split_start_boxes.wasm', '#/');
  const part = start.page.getByTestId('part-unavailable');
  await assert.doesNotReject(part.waitFor({ timeout: 10000 }), 'no message for the missing boxes');
  assert.match(await part.textContent(), /could not be loaded/);
  await start.page.getByTestId('start-review').click();
  await start.page.getByTestId('review-screen').waitFor();
  assert.deepEqual(start.errors, []);
  await start.context.close();
  // The page's side of the worker: the generator banner, as when the worker's own files fail.
  const bridge = await withBlocked('split_worker_bridge.wasm', '#/guide/7');
  const banner = bridge.page.getByTestId('worker-unavailable');
  await assert.doesNotReject(banner.waitFor({ timeout: 10000 }), 'no banner without the worker bridge');
  assert.match(await banner.textContent(), /The generator did not load \(split_worker_bridge\.wasm: /);
  assert.deepEqual(bridge.errors, []);
  await bridge.context.close();
});

test('a worker-boot.js that is slow to arrive is waited for, not reported as failed', async () => {
  // Slower than any readiness timeout a page could afford: only a failed load may be reported.
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(/\/worker-boot\.js$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await route.continue();
  });
  const { page, errors } = await openApp(env, { hash: '#/guide/7', context });
  const help = page.getByTestId('question').first().locator('.help');
  await assert.doesNotReject(help.filter({ hasText: /\w{3,}/ }).waitFor({ timeout: 20000 }), 'the help never arrived');
  assert.equal(await page.getByTestId('worker-unavailable').count(), 0, 'a slow worker was reported as failed');
  assert.deepEqual(errors, []);
  await context.close();
});

/// This build's map of each split to the files its loader fetches (tools/finish-build.mjs).
async function splitMap() {
  // The boot script is minified: the map is the object literal whose first list starts with a split file.
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const literal = html.match(/\{"?\w+"?:\["split_[^}]*\}/);
  assert.ok(literal, 'index.html carries no map of splits to files');
  return new Function(`return ${literal[0]}`)();
}

/// Opens `hash` in a fresh context (no service worker) with the first module held back for a
/// moment, and reports, for each split file, how often it was requested and whether the first
/// request started before the first module had arrived.
async function landOn(hash) {
  // No service worker: under one nothing is preloaded (its cache has no round trip to save).
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  let moduleArrived = false;
  await context.route(/\/app_bg\.wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const page = await context.newPage();
  const requests = new Map();
  page.on('request', (request) => {
    const file = new URL(request.url()).pathname.slice(1);
    if (file === 'app_bg.wasm' || !/^(split|chunk)_/.test(file)) return;
    const seen = requests.get(file) || { count: 0, early: !moduleArrived };
    requests.set(file, { ...seen, count: seen.count + 1 });
  });
  page.on('requestfinished', (request) => { if (request.url().endsWith('/app_bg.wasm')) moduleArrived = true; });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.url + hash);
  await page.waitForSelector('main [data-testid$="-screen"]');
  return { context, page, requests, errors };
}

test('the files the landing screen needs download beside the first module, each once', async () => {
  const map = await splitMap();
  const share = '#share=1.eyJjIjoyLCJhIjp7ImNvZGViYXNlLW9uZS1yZXBvIjoieSJ9fQ';
  const cases = [
    { hash: '#/results', splits: ['results'] },
    { hash: '#/present/1', splits: ['present'] },
    { hash: share, splits: ['links'] },
  ];
  for (const { hash, splits } of cases) {
    const { context, requests, errors } = await landOn(hash);
    for (const split of splits) {
      assert.ok(map[split], `no split "${split}" in the build's map: ${Object.keys(map).join(', ')}`);
      for (const file of map[split]) {
        const seen = requests.get(file);
        assert.ok(seen, `${hash}: ${file} (${split}) never requested`);
        assert.ok(seen.early, `${hash}: ${file} (${split}) was requested only after the first module arrived: a round trip more`);
        assert.equal(seen.count, 1, `${hash}: ${file} downloaded ${seen.count} times (the preload was not used)`);
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
  // A first visit to the guide fetches nothing beside its module: every byte goes to the first question.
  const { context, requests } = await landOn('#/guide/1');
  assert.deepEqual([...requests].filter(([, seen]) => seen.early).map(([file]) => file), []);
  await context.close();
});
