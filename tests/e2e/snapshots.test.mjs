// Snapshots as a team uses them between review meetings: save one (bad input is explained at the
// field), change answers, compare the snapshot with now (score, launch decision, level, answers
// that changed, blockers closed), see the trend, rename and delete with confirmation, keep it all
// across a reload and in the JSON export, and compare with a generated project's version-1
// assessment.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { launch, openApp, axe } from './harness.mjs';

let env;
before(async () => { env = await launch(); await mkdir('tests/out', { recursive: true }); });
after(async () => { await env?.close(); });

/// Answers the first `n` launch blockers shown in review mode; returns their texts.
async function answerBlockers(page, n, code) {
  await page.goto(env.url + '#/review');
  await page.getByTestId('review-screen').waitFor();
  await page.getByTestId('filter-blockers').check();
  const cards = page.locator('[data-testid="question"]:visible');
  const texts = [];
  for (let i = 0; i < n; i++) {
    await cards.nth(i).getByTestId(`answer-${code}`).check();
    texts.push((await cards.nth(i).locator('.q-text').textContent()).trim());
  }
  await page.getByTestId('filter-blockers').uncheck();
  return texts;
}

async function openSnapshots(page) {
  await page.getByTestId('nav-snapshots').click();
  await page.getByTestId('snapshots-screen').waitFor();
}

async function saveSnapshot(page, label) {
  await page.getByTestId('snapshot-label').fill(label);
  await page.getByTestId('snapshot-save').click();
  await page.getByTestId('snapshot-status').getByText(`Saved snapshot “${label}”`).waitFor();
}

test('a snapshot compared with the work after changes shows what moved', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/' });
  const blockers = await answerBlockers(page, 4, 'n');
  await openSnapshots(page);
  assert.match(await page.getByTestId('snapshots-empty').textContent(), /No snapshots yet/);

  // Bad input is explained at the field, and nothing typed is lost.
  await page.getByTestId('snapshot-label').fill('   ');
  await page.getByTestId('snapshot-date').fill('2099-01-01');
  await page.getByTestId('snapshot-save').click();
  assert.match(await page.getByTestId('snapshot-label-msg').textContent(), /Give the snapshot a label/);
  assert.match(await page.getByTestId('snapshot-date-msg').textContent(), /1 Jan 2099 is after today/);
  assert.equal(await page.getByTestId('snapshot-label').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('snapshot-date').inputValue(), '2099-01-01');
  assert.equal(await page.getByTestId('snapshot-row').count(), 0);
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await page.getByTestId('snapshot-date').fill(today);
  await saveSnapshot(page, 'Kick-off review');
  const row = page.getByTestId('snapshot-row');
  assert.equal(await row.count(), 1);
  assert.match(await row.getByTestId('snapshot-row-figures').textContent(), /^\d+% · No-go \(\d+ open\) · Level Not ready$/);

  // After the meeting: two of the four blockers are now met, one question is Partly.
  await page.goto(env.url + '#/review');
  await page.getByTestId('filter-blockers').check();
  const cards = page.locator('[data-testid="question"]:visible');
  await cards.nth(0).getByTestId('answer-y').check();
  await cards.nth(1).getByTestId('answer-y').check();
  await cards.nth(2).getByTestId('answer-p').check();
  await page.getByTestId('filter-blockers').uncheck();
  await openSnapshots(page);

  // The default comparison is the latest snapshot against the current work.
  const cmp = page.getByTestId('comparison');
  await cmp.waitFor();
  assert.match(await page.getByTestId('comparison-title').textContent(), /^“Kick-off review” \(\d+ \w+ \d{4}\) → Current work$/);
  const changes = cmp.getByTestId('answer-change');
  assert.equal(await changes.count(), 3);
  const rows = await changes.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => [r[2], r[3]]), [['No', 'Yes'], ['No', 'Yes'], ['No', 'Partly']]);
  assert.ok(rows[0][0].startsWith(blockers[0]), `${rows[0][0]} / ${blockers[0]}`);
  const closed = await cmp.getByTestId('blockers-closed').locator('li').allTextContents();
  assert.deepEqual(closed, blockers.slice(0, 2));
  assert.equal(await cmp.getByTestId('blockers-opened').count(), 0);
  const [, was, now] = (await cmp.getByTestId('compare-decision').textContent()).match(/^Launch decisionNo-go▲ better \((\d+) → (\d+) open blockers\)$/);
  assert.equal(Number(was) - Number(now), 2);
  assert.match(await cmp.getByTestId('compare-level').textContent(), /Not ready \(0 of 4\)= unchanged/);
  assert.match(await cmp.getByTestId('compare-answered').textContent(), /^Questions answered4 of \d+= unchanged$/);
  assert.ok(await cmp.getByTestId('topic-change').count() >= 1);
  assert.deepEqual(await axe(page), []);
  await cmp.screenshot({ path: 'tests/out/snapshot-compare.png' });
  // The comparison exports as Markdown for the minutes.
  const [md] = await Promise.all([page.waitForEvent('download'), cmp.getByTestId('compare-export').click()]);
  assert.equal(md.suggestedFilename(), 'twelve-factor-comparison.md');
  const text = await readFile(await md.path(), 'utf8');
  assert.match(text, /^# Comparison: “Kick-off review” \(.+\) → Current work\n/);
  assert.match(text, /\n## Launch blockers closed \(2\)\n/);
  assert.match(text, /\n## Answers that changed \(3\)\n/);

  // A second snapshot; the trend shows both and the current work, values written out.
  await saveSnapshot(page, 'Pre-launch review');
  assert.equal(await page.getByTestId('snapshot-row').count(), 2);
  const chart = page.getByTestId('trend-chart');
  assert.equal(await chart.getByTestId('trend-point').count(), 3);
  const label = await chart.getAttribute('aria-label');
  assert.match(label, /^Score and level over time\. Kick-off review \(.+\): score \d+%, level Not ready, No-go; Pre-launch review \(.+\): score \d+%, level Not ready, No-go; Now: score \d+%, level Not ready, No-go\.$/);
  assert.match(await chart.textContent(), /Kick-off review.*No-go \(\d+\).*Pre-launch review.*Now/s);
  await page.getByTestId('trend').screenshot({ path: 'tests/out/snapshot-trend.png' });
  await page.screenshot({ path: 'tests/out/snapshots-screen.png', fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.getByTestId('trend').screenshot({ path: 'tests/out/snapshot-trend-print.png' });
  await page.emulateMedia({ media: 'screen' });

  // Rename: an empty label is refused at the field; a good one replaces it.
  const kickoff = page.getByTestId('snapshot-row').filter({ hasText: 'Kick-off review' });
  await kickoff.getByTestId('snapshot-rename').click();
  await page.getByTestId('rename-input').fill('');
  await page.getByTestId('rename-save').click();
  assert.match(await page.getByTestId('rename-msg').textContent(), /Give the snapshot a label/);
  await page.getByTestId('rename-input').fill('Kick-off');
  await page.getByTestId('rename-save').click();
  await page.getByTestId('snapshot-row-label').getByText('Kick-off', { exact: true }).waitFor();

  // Delete asks first; "Keep it" keeps it.
  const pre = page.getByTestId('snapshot-row').filter({ hasText: 'Pre-launch review' });
  await pre.getByTestId('snapshot-delete').click();
  assert.match(await pre.getByTestId('delete-confirm').textContent(), /Delete the snapshot “Pre-launch review, .+”\?/);
  await pre.getByTestId('delete-confirm-no').click();
  assert.equal(await page.getByTestId('snapshot-row').count(), 2);
  await pre.getByTestId('snapshot-delete').click();
  await pre.getByTestId('delete-confirm-yes').click();
  assert.equal(await page.getByTestId('snapshot-row').count(), 1);

  // Compare "Kick-off" with now, then reload: the snapshot and the chosen pair are still there.
  await page.getByTestId('snapshot-row').getByTestId('snapshot-compare-now').click();
  assert.match(page.url(), /#\/snapshots\?before=s1&after=now$/);
  await page.reload();
  await page.getByTestId('comparison').waitFor();
  assert.match(await page.getByTestId('comparison-title').textContent(), /^“Kick-off” \(.+\) → Current work$/);
  assert.equal(await page.getByTestId('answer-change').count(), 3);

  // The JSON export carries the snapshot with its answers and content version.
  await page.goto(env.url + '#/results');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(doc.snapshots.length, 1);
  assert.equal(doc.snapshots[0].label, 'Kick-off');
  assert.equal(doc.snapshots[0].date, today);
  assert.equal(doc.snapshots[0].content_version, 2);
  assert.equal(Object.values(doc.snapshots[0].answers).filter((r) => r.answer === 'no').length, 4);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the current work compares with a generated project\'s version-1 assessment.json', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/snapshots' });
  assert.match(await page.getByTestId('compare-empty').textContent(), /Choose what to compare/);
  // A file that is not an assessment is refused at the field.
  await page.getByTestId('compare-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await page.getByTestId('compare-file-msg').getByText(/notes\.json: This file is not a Twelve-Factor Studio assessment/).waitFor();
  assert.equal(await page.getByTestId('compare-file').getAttribute('aria-invalid'), 'true');
  await page.getByTestId('compare-file').setInputFiles('tests/fixtures/v1-generated-assessment.json');
  await page.getByTestId('comparison').waitFor();
  assert.equal(await page.getByTestId('compare-file-msg').textContent(), '');
  assert.match(await page.getByTestId('comparison-title').textContent(), /^File v1-generated-assessment\.json → Current work$/);
  assert.match(await page.getByTestId('compare-note').first().textContent(), /written for version 1 of the questionnaire/);
  // The file has answers and the current work has none: every one of its answers is "→ Unanswered".
  const afters = await page.getByTestId('answer-after').allTextContents();
  const [, answered] = (await page.getByTestId('compare-answered').textContent()).match(/^Questions answered(\d+) of (\d+) → 0 of \2▼ worse$/);
  assert.ok(Number(answered) > 5, answered);
  assert.equal(afters.length, Number(answered));
  assert.ok(afters.every((a) => a === 'Unanswered'), afters.join());
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
