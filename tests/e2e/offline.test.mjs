// Offline use: after one visit the app reloads, answers and generates a zip with no network;
// a new deploy is offered politely and keeps the work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { launch, openApp } from './harness.mjs';
import { startServer } from './static-server.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// Waits until the service worker is active (it activates only once everything is cached).
async function serviceWorkerReady(page) {
  return page.evaluate(async () => (await navigator.serviceWorker.ready).active.scriptURL);
}

test('after one visit the app reloads, answers and generates a zip with the network off', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/guide/1' });
  assert.match(await serviceWorkerReady(page), /sw\.js$/);
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('guide-screen').waitFor();
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  assert.match(await page.getByTestId('score-chip').textContent(), /1\/\d+ answered/);
  await page.goto(env.url + '#/generate');
  await page.getByTestId('generate-screen').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  const zip = await JSZip.loadAsync(await readFile(await download.path()));
  assert.ok(zip.file('my-service/Dockerfile'), 'the offline zip holds the Dockerfile');
  const readme = await zip.file('my-service/README.md').async('string');
  assert.match(readme, /my-service/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a new deploy is offered ("A new version is ready — reload"), applied on request, and keeps the work', async () => {
  // A deploy of its own, so the test can publish a "new version" by changing sw.js.
  const dir = await mkdtemp(join(tmpdir(), 'tfstudio-deploy-'));
  await cp('dist', dir, { recursive: true });
  for (const f of ['sw.js.br', 'sw.js.gz']) await unlink(join(dir, f));
  const site = await startServer(dir);
  try {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The guard allows this second server's origin as the page's own.
    context.problems.allowOrigin(new URL(site.url).origin);
    await page.goto(site.url + '#/guide/1');
    await serviceWorkerReady(page);
    await page.reload();
    await page.getByTestId('guide-screen').waitFor();
    await page.getByTestId('question').first().getByTestId('answer-n').check();
    assert.equal(await page.getByTestId('update-prompt').count(), 0, 'no prompt without a new version');

    const sw = join(dir, 'sw.js');
    await writeFile(sw, (await readFile(sw, 'utf8')).replace(/const BUILD = '([0-9a-f]+)'/, "const BUILD = '$1-next'"));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor();
    assert.match(await prompt.textContent(), /A new version is ready — reload.*Your work is saved/s);
    await page.screenshot({ path: 'target/e2e-update-prompt.png' });
    // Nothing changes until the user asks: an answer given now is kept and saved.
    await page.getByTestId('question').nth(1).getByTestId('answer-y').check();
    await Promise.all([page.waitForEvent('load'), prompt.getByTestId('update-reload').click()]);
    await page.getByTestId('guide-screen').waitFor();
    assert.match(await page.evaluate(() => caches.keys().then((k) => k.join(' '))), /-next/);
    assert.match(await page.getByTestId('score-chip').textContent(), /2\/\d+ answered/);
    assert.equal(await page.getByTestId('update-prompt').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    site.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the app can be installed: a manifest with name, start URL and icons', async () => {
  const { page, context } = await openApp(env);
  const href = await page.getAttribute('link[rel="manifest"]', 'href');
  const manifest = await (await page.request.get(env.url + href)).json();
  assert.equal(manifest.name, 'Twelve-Factor Studio');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) {
    const r = await page.request.get(env.url + icon.src);
    assert.equal(r.status(), 200, icon.src);
  }
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
  await context.close();
});

test('a tab of an older version stops saving when a newer version saved the work', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/1' });
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  // Another tab, already on a new questionnaire version, saves the work.
  const newer = await page.evaluate(() => {
    const doc = JSON.parse(localStorage.getItem('tfstudio.work.v1'));
    doc.content_version += 1;
    doc.answers['a-question-of-the-next-version'] = { answer: 'yes' };
    return JSON.stringify(doc);
  });
  const other = await context.newPage();
  await other.goto(env.url + 'manifest.webmanifest');
  await other.evaluate((d) => localStorage.setItem('tfstudio.work.v1', d), newer);
  const notice = page.getByTestId('newer-elsewhere');
  await notice.waitFor();
  await page.getByTestId('question').nth(1).getByTestId('answer-n').check();
  assert.equal(await page.evaluate(() => localStorage.getItem('tfstudio.work.v1')), newer, 'the newer work is left untouched');
  await context.close();
});
