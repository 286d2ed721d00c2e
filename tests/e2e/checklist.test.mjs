// The team's own questions: a checklist file is refused with its problems named and the work
// untouched, then added, answered in review, exported, and re-imported elsewhere with the same
// verdict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openApp, axe } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('a team checklist is added, answered, exported and re-imported', async () => {
  const a = await openApp(env, { hash: '#/results' });
  const box = a.page.getByTestId('checklist-box');
  const example = await readFile('examples/team-checklist.json', 'utf8');
  const broken = example.replace('"weight": 3', '"weight": 9');
  await box.getByTestId('checklist-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await assert.doesNotReject(box.getByTestId('checklist-message').getByText('topics[0].questions[1].weight').waitFor());
  assert.match(await box.getByTestId('checklist-message').textContent(), /not added.*current work is unchanged.*expected 1, 2 or 3, found 9/s);
  assert.match(await a.page.getByTestId('coverage').textContent(), /of 150$/, 'nothing was added');

  await box.getByTestId('checklist-file').setInputFiles('examples/team-checklist.json');
  await assert.doesNotReject(box.getByTestId('checklist-current').getByText(/Acme platform requirements.*2 topics, 3 questions/).waitFor());
  assert.match(await a.page.getByTestId('coverage').textContent(), /of 153$/);
  assert.match(await a.page.getByTestId('chart').getAttribute('aria-label'), /Acme observability \(team\)/);
  await a.page.screenshot({ path: 'tests/out/checklist-added.png', fullPage: false });

  // Answer the team's launch blocker in review mode.
  await a.page.goto(env.url + '#/review');
  const card = a.page.locator('[data-question="acme-catalogue-entry"]');
  await card.scrollIntoViewIfNeeded();
  assert.match(await card.textContent(), /Launch blocker/);
  await card.locator('input[value="Yes"]').check();
  assert.match(await a.page.locator('[data-topic="acme-observability"]').textContent(), /Team checklist 1/);

  // Export, then import in a fresh browser: the checklist and the answer come along.
  await a.page.goto(env.url + '#/results');
  const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByTestId('export-json').click()]);
  const path = await download.path();
  const exported = JSON.parse(await readFile(path, 'utf8'));
  assert.equal(exported.checklist.id, 'acme-platform');
  assert.equal(exported.answers['acme-catalogue-entry'].answer, 'yes');
  const decision = await a.page.getByTestId('launch-decision').textContent();

  const b = await openApp(env, { hash: '#/results' });
  await b.page.getByTestId('import-file').setInputFiles(path);
  await assert.doesNotReject(b.page.getByTestId('checklist-current').waitFor());
  assert.match(await b.page.getByTestId('coverage').textContent(), /^1 of 153$/);
  assert.equal(await b.page.getByTestId('launch-decision').textContent(), decision);
  await b.page.reload();
  await b.page.getByTestId('results-screen').waitFor();
  assert.match(await b.page.getByTestId('coverage').textContent(), /^1 of 153$/, 'the checklist is part of the saved work');
  assert.deepEqual(await axe(b.page), []);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close();
  await b.context.close();
});
