// The verdict as a meeting sees it: the launch decision moves with the blockers alone (Partly
// keeps it at No-go), the header and the results agree, plan items open the exact generated
// file, and a version-1 export loads with every left-out answer explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, axe } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const chip = (page) => page.getByTestId('chip-decision');

test('blockers alone decide Go, Partly keeps No-go, and header and results agree', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/review' });
  await page.getByTestId('filter-blockers').check();
  const blockers = page.locator('[data-testid="question"]:visible');
  const count = await blockers.count();
  assert.ok(count >= 10, `${count} launch blockers shown`);
  assert.match((await chip(page).textContent()).trim(), new RegExp(`^No-go · ${count} open$`));
  // Answer every blocker Yes from the keyboard: 1 answers, j moves on.
  await blockers.first().locator('input[value="Yes"]').focus();
  for (let i = 0; i < count; i++) { await page.keyboard.press('1'); await page.keyboard.press('j'); }
  await assert.doesNotReject(chip(page).getByText(/^Go$/).waitFor());
  // One blocker Partly: No-go again, with one open blocker everywhere.
  await page.getByTestId('filter-blockers').uncheck();
  await page.getByTestId('filter-blockers').check();
  await blockers.nth(2).locator('input[value="Partly"]').check();
  await assert.doesNotReject(chip(page).getByText('No-go · 1 open').waitFor());
  await page.goto(env.url + '#/results');
  await page.getByTestId('results-screen').waitFor();
  assert.equal((await page.getByTestId('launch-decision').textContent()).trim(), 'No-go');
  assert.match(await page.getByTestId('launch-reasons').textContent(), /No-go: 1 open launch blocker.*1 answered Partly.*Partly leaves it open/s);
  assert.equal(await page.getByTestId('blockers').locator('li').count(), 1);
  assert.match(await page.getByTestId('blockers').locator('h2').textContent(), /Open launch blockers \(1\)/);
  // The next actions start with the open blocker, with its effort.
  const first = page.getByTestId('next-action').first();
  assert.match(await first.textContent(), /Launch blocker/);
  assert.match(await first.locator('.plan-meta').textContent(), /Partly · weight 3 · effort (small|medium|large)/);
  assert.equal(await page.getByTestId('next-action').count(), 5);
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'tests/out/results-verdict.png', fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a plan item opens the exact generated file it names', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/results' });
  const link = page.getByTestId('plan-item').locator('a.file-link').first();
  const path = (await link.textContent()).trim();
  await link.click();
  await page.getByTestId('generate-screen').waitFor();
  assert.match(page.url(), /#\/generate\?file=/);
  await assert.doesNotReject(page.getByTestId('file-name').getByText(path, { exact: true }).waitFor());
  // The generator worker fills the file view once it has rendered the project.
  await assert.doesNotReject(page.waitForFunction(() => document.querySelector('[data-testid="file-content"]')?.textContent.length > 20));
  await page.screenshot({ path: 'tests/out/plan-link-file.png', fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a version-1 export loads and says which answers were left out and why', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/results' });
  await page.getByTestId('import-file').setInputFiles('tests/fixtures/v1-assessment.json');
  const notice = page.getByTestId('notice');
  await assert.doesNotReject(notice.getByText(/written for an earlier version of the questionnaire: \d+ answers? could not be carried over/).waitFor());
  await notice.getByText('Which answers, and why').click();
  const items = notice.getByTestId('notice-details').locator('li');
  assert.ok(await items.count() > 0);
  assert.match(await items.first().textContent(), /^".+": .+\./);
  assert.match(await page.getByTestId('coverage').textContent(), /^\d+ of 150$/);
  await page.screenshot({ path: 'tests/out/import-v1.png', fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});
