// Two tabs of one browser share the work: neither erases what the other typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// The answer codes a page shows, by question id, for the questions on its screen.
async function shownAnswers(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-testid="question"]')]
    .map((q) => [q.dataset.question, q.querySelector('input[type=radio]:checked')?.dataset.testid ?? null])
    .filter(([, a]) => a !== null)));
}

async function waitForAnswers(page, expected) {
  await page.waitForFunction((want) => Object.entries(want).every(([id, code]) =>
    document.querySelector(`[data-question="${id}"] [data-testid="${code}"]`)?.checked), expected, { timeout: 5000 });
}

test('five answers in one tab and one in the other: all six in both tabs and after reload', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const a = await openApp(env, { context, hash: '#/review' });
  const b = await openApp(env, { context, hash: '#/review' });
  const questions = a.page.getByTestId('question');
  const ids = await questions.evaluateAll((qs) => qs.slice(0, 6).map((q) => q.dataset.question));
  const codes = ['answer-y', 'answer-p', 'answer-n', 'answer-y', 'answer-p'];
  for (const [i, code] of codes.entries()) {
    await a.page.locator(`[data-question="${ids[i]}"]`).getByTestId(code).check();
  }
  // Tab B answers a sixth question; it may not have seen A's answers yet, and must not erase them.
  await b.page.locator(`[data-question="${ids[5]}"]`).getByTestId('answer-n').check();
  const expected = Object.fromEntries([...codes, 'answer-n'].map((c, i) => [ids[i], c]));
  for (const page of [a.page, b.page]) {
    await waitForAnswers(page, expected);
    assert.deepEqual(await shownAnswers(page), expected);
  }
  await a.page.reload();
  await a.page.waitForSelector('main [data-testid="review-screen"]');
  assert.deepEqual(await shownAnswers(a.page), expected);
  assert.match(await a.page.getByTestId('score-chip').textContent(), /6\/\d+ answered/);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test('the later change to one question wins in both tabs; notes typed in the other tab stay', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const a = await openApp(env, { context, hash: '#/review' });
  const b = await openApp(env, { context, hash: '#/review' });
  const id = await a.page.getByTestId('question').first().getAttribute('data-question');
  const cardA = a.page.locator(`[data-question="${id}"]`);
  const cardB = b.page.locator(`[data-question="${id}"]`);
  await cardA.getByTestId('answer-y').check();
  await waitForAnswers(b.page, { [id]: 'answer-y' });
  await cardB.getByTestId('note-toggle').click();
  await cardB.getByTestId('note').fill('Checked with the on-call lead');
  await cardB.getByTestId('answer-n').check();
  await waitForAnswers(a.page, { [id]: 'answer-n' });
  await cardA.getByTestId('note-toggle').click();
  assert.equal(await cardA.getByTestId('note').inputValue(), 'Checked with the on-call lead');
  // "Start over" in one tab clears the other too (a clear is a change like any other).
  a.page.once('dialog', (d) => d.accept());
  await a.page.getByTestId('start-over').click();
  await b.page.waitForFunction(() => !document.querySelector('input[type=radio]:checked'), null, { timeout: 5000 });
  await b.page.reload();
  await b.page.waitForSelector('main [data-testid="review-screen"]');
  assert.deepEqual(await shownAnswers(b.page), {});
  await context.close();
});

test('storage that refuses to save: a notice, work goes on in memory, export offered', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  // A full disk or quota: every write throws, as browsers do (QuotaExceededError).
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  const { page, errors } = await openApp(env, { context, hash: '#/guide/1' });
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  const notice = page.getByTestId('storage-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /not being saved.*Export JSON/s);
  assert.match(await page.getByTestId('score-chip').textContent(), /1\/\d+ answered/);
  await page.getByTestId('question').nth(1).getByTestId('answer-n').check();
  assert.match(await page.getByTestId('score-chip').textContent(), /2\/\d+ answered/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'target/e2e-storage-notice.png' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('storage-export').click()]);
  assert.equal(download.suggestedFilename(), 'twelve-factor-assessment.json');
  assert.deepEqual(errors, []);
  await context.close();
});

test('storage blocked altogether (as in some private windows): the app works and says so', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('Access is denied.', 'SecurityError'); } });
  });
  const { page, errors } = await openApp(env, { context, hash: '#/guide/1' });
  await page.getByTestId('storage-notice').waitFor();
  await page.getByTestId('question').first().getByTestId('answer-p').check();
  assert.match(await page.getByTestId('score-chip').textContent(), /1\/\d+ answered/);
  assert.deepEqual(errors, []);
  await context.close();
});
