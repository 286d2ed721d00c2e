// The explorer on the Generate screen: a real tree the keyboard can drive, the selected file in
// the URL, copy and per-file download, room for 100 columns of code, what changed since the
// last download (also after importing a generated project's assessment.json), why each file
// exists, and the layout at 390 px and 1440 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { launch, openApp, axe } from './harness.mjs';

let env;
before(async () => { env = await launch(); await mkdir('tests/out', { recursive: true }); });
after(async () => { await env?.close(); });

const row = (page, p) => page.locator(`[role=treeitem][data-path="${p}"]`);
/// Waits until keyboard focus is on the tree row of `p` (focus moves once the row is drawn).
async function focusIs(page, p) {
  try {
    await page.waitForFunction((want) => document.activeElement?.getAttribute('data-path') === want, p, { timeout: 3000 });
  } catch {
    const actual = await page.evaluate(() => document.activeElement?.getAttribute('data-path'));
    assert.fail(`focus is on ${actual}, expected ${p}`);
  }
}

async function openGenerate(options = {}) {
  const viewport = options.viewport || { width: 1440, height: 900 };
  const context = await env.browser.newContext({ viewport, acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] });
  const opened = await openApp(env, { context, hash: options.hash || '#/generate' });
  await opened.page.getByTestId('file-tree').locator('[role=treeitem]').first().waitFor();
  return opened;
}

/// Whether a 100-character line fits the file view without horizontal scrolling: a probe line
/// with the view's own styling (line-number gutter included) is added to the selected file.
async function hundredColumnsFit(page) {
  return page.evaluate(() => {
    const pre = document.querySelector('[data-testid="file-content"]');
    const longest = Math.max(...pre.textContent.split('\n').map((l) => l.length));
    const probe = document.createElement('span');
    probe.className = 'line';
    probe.textContent = 'x'.repeat(100) + '\n';
    pre.querySelector('code').append(probe);
    const fits = pre.scrollWidth <= pre.clientWidth;
    probe.remove();
    return { fits, longest, width: pre.clientWidth };
  });
}

test('the tree opens, closes and is driven by the keyboard; the file is in the URL', async () => {
  const { page, context, errors } = await openGenerate();
  await page.getByTestId('deploy-kubernetes').check();
  const tree = page.getByRole('tree', { name: 'Generated files' });
  await row(page, 'deploy/kubernetes/base/deployment.yaml').waitFor();
  // One tab stop in the tree (roving tabindex), on the selected file.
  assert.equal(await tree.locator('[role=treeitem][tabindex="0"]').count(), 1);
  await row(page, 'Procfile').click();
  assert.match(page.url(), /#\/generate\?file=Procfile$/);
  assert.equal(await row(page, 'Procfile').getAttribute('aria-selected'), 'true');
  await assert.doesNotReject(page.getByTestId('file-content').getByText(/^web: /m).waitFor());
  // Arrows move the selection with the focus; Home goes to the first folder.
  await page.keyboard.press('ArrowDown');
  await focusIs(page, 'README.md');
  assert.match(page.url(), /file=README\.md$/);
  await page.keyboard.press('Home');
  await focusIs(page, '.github');
  assert.equal(await row(page, '.github').getAttribute('aria-expanded'), 'true');
  // Left closes the folder (its files leave the tree), Right opens it, Right again enters it.
  await page.keyboard.press('ArrowLeft');
  assert.equal(await row(page, '.github').getAttribute('aria-expanded'), 'false');
  assert.equal(await row(page, '.github/workflows/ci.yml').count(), 0);
  await page.keyboard.press('ArrowRight');
  await row(page, '.github/workflows/ci.yml').waitFor();
  await page.keyboard.press('ArrowRight');
  await focusIs(page, '.github/workflows');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await focusIs(page, '.github/workflows/ci.yml');
  assert.match(page.url(), /file=\.github%2Fworkflows%2Fci\.yml$/);
  await page.keyboard.press('End');
  await focusIs(page, 'README.md');
  // A click on a folder closes it too.
  await row(page, 'deploy').click();
  assert.equal(await row(page, 'deploy/kubernetes').count(), 0);
  await row(page, 'deploy').click();
  await row(page, 'deploy/kubernetes').waitFor();

  // Copy and per-file download give the file's exact text.
  await row(page, 'Dockerfile').click();
  await page.getByTestId('file-content').getByText(/^FROM /m).first().waitFor();
  await page.getByTestId('copy-file').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^# syntax=|^FROM |^ARG /m);
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-file').click()]);
  assert.equal(saved.suggestedFilename(), 'Dockerfile');
  assert.equal(await readFile(await saved.path(), 'utf8'), copied);
  // Why this file: its purpose, the factors and the review questions that name it.
  const why = page.getByTestId('why-file');
  await assert.doesNotReject(why.getByText(/^Serves: /).waitFor());
  assert.match(await why.textContent(), /Helps close \d+ of the \d+ review questions that name it\./);
  assert.ok(await why.locator('.why-questions a[href^="#/guide/"]').count() > 0);

  // 100 columns of code without horizontal scrolling at 1440 px and at 1280 px.
  await row(page, 'Procfile').click();
  await page.getByTestId('file-content').getByText(/^web: /m).waitFor();
  for (const width of [1440, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const fit = await hundredColumnsFit(page);
    assert.ok(fit.longest <= 100, `the Procfile has a line of ${fit.longest} characters`);
    assert.ok(fit.fits, `100 columns do not fit at ${width} px (file view ${fit.width} px wide)`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await row(page, 'Dockerfile').click();
  await page.getByTestId('explorer').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: 'tests/out/explorer-1440.png', fullPage: false });
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link opens the file it names, on a phone the tree and the file stack', async () => {
  const { page, context, errors } = await openGenerate({ viewport: { width: 390, height: 844 }, hash: '#/generate?file=.env.example' });
  await assert.doesNotReject(page.getByTestId('file-name').getByText('.env.example', { exact: true }).waitFor());
  assert.equal(await row(page, '.env.example').getAttribute('aria-selected'), 'true');
  await assert.doesNotReject(page.getByTestId('file-content').getByText(/^PORT=/m).waitFor());
  const tree = await page.locator('nav.file-tree').boundingBox();
  const file = await page.getByTestId('file-content').boundingBox();
  assert.ok(tree.y + tree.height <= file.y, 'the file view is below the tree');
  assert.ok(file.x + file.width <= 390, 'the file view fits the phone');
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= 390, `the page scrolls sideways (${pageWidth} px)`);
  await page.getByTestId('explorer').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'tests/out/explorer-390.png', fullPage: false });
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

async function downloadZip(page, how) {
  const [zip] = await Promise.all([page.waitForEvent('download'), how()]);
  return JSZip.loadAsync(await readFile(await zip.path()));
}

test('after a download, a changed setting marks the files it changes and shows the line diff', async () => {
  const { page, context, errors } = await openGenerate({ hash: '#/generate?file=Dockerfile' });
  const summary = page.getByTestId('change-summary');
  await assert.doesNotReject(summary.getByText(/Download the project and later changes/).waitFor());
  // Ctrl+Enter downloads the zip from anywhere on the screen.
  await page.getByTestId('project-name').click();
  await downloadZip(page, () => page.keyboard.press('Control+Enter'));
  await assert.doesNotReject(summary.getByText(/^Since your last download \(my-service\.zip, \d+ \w+ \d{4}, \d\d:\d\d\): no changes\.$/).waitFor());

  await page.getByTestId('port').fill('9090');
  await assert.doesNotReject(summary.getByText(/changed\.$/).waitFor());
  const dockerfile = row(page, 'Dockerfile');
  await assert.doesNotReject(dockerfile.locator('.mark').getByText('M', { exact: true }).waitFor());
  assert.match(await dockerfile.textContent(), /changed since your last download/);
  assert.doesNotMatch(await row(page, '.dockerignore').textContent(), /since your last download/);
  assert.equal(await page.getByTestId('file-status').textContent(), 'Changed since your last download');
  const diff = page.getByTestId('file-diff');
  await assert.doesNotReject(diff.locator('.dl-del').getByText(/8080/).first().waitFor());
  await assert.doesNotReject(diff.locator('.dl-add').getByText(/9090/).first().waitFor());
  await page.getByTestId('show-file').click();
  await assert.doesNotReject(page.getByTestId('file-content').getByText(/9090/).first().waitFor());
  await page.getByTestId('show-changes').click();

  // A new deploy target adds the Kubernetes files and removes the Swarm stack.
  await page.getByTestId('deploy-kubernetes').check();
  const deployment = row(page, 'deploy/kubernetes/base/deployment.yaml');
  await assert.doesNotReject(deployment.locator('.mark').getByText('A', { exact: true }).waitFor());
  assert.match(await row(page, 'deploy').textContent(), /holds changes since your last download/);
  const removed = row(page, 'docker-compose.prod.yml');
  await assert.doesNotReject(removed.locator('.mark').getByText('D', { exact: true }).waitFor());
  await removed.click();
  assert.match(await page.getByTestId('file-status').textContent(), /^Removed since your last download/);
  assert.ok(await page.getByTestId('file-diff').locator('.dl-del').count() > 10);
  await page.screenshot({ path: 'tests/out/explorer-diff.png', fullPage: false });
  assert.deepEqual(await axe(page), []);

  // The last download is part of the saved work: a reload keeps the comparison.
  await page.reload();
  await assert.doesNotReject(page.getByTestId('change-summary').getByText(/^Since your last download .*added.*removed\.$/).waitFor());
  assert.deepEqual(errors, []);
  await context.close();
});

test("importing a generated project's assessment.json makes that project the baseline", async () => {
  const first = await openGenerate();
  await first.page.getByTestId('project-name').fill('orders-api');
  await first.page.getByTestId('svc-postgres').check();
  const zip = await downloadZip(first.page, () => first.page.getByTestId('download').click());
  const assessment = await zip.file('orders-api/.twelve-factor/assessment.json').async('string');
  await first.context.close();
  const file = path.join(os.tmpdir(), `tf-explorer-${process.pid}.json`);
  await writeFile(file, assessment);

  // Another browser, another day: the team imports the file their repository holds.
  const { page, context, errors } = await openApp(env, { hash: '#/results' });
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('notice').waitFor();
  await page.goto(`${env.url}#/generate`);
  const summary = page.getByTestId('change-summary');
  await assert.doesNotReject(summary.getByText(/^Since your last download \(orders-api\.zip\): no changes\.$/).waitFor());
  await page.getByTestId('svc-redis').check();
  await assert.doesNotReject(summary.getByText(/changed\.$/).waitFor());
  await assert.doesNotReject(row(page, 'docker-compose.yml').locator('.mark').getByText('M', { exact: true }).waitFor());
  assert.deepEqual(errors, []);
  await context.close();
});
