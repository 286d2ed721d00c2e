// The thin vertical slice: answer questions, see the score move, download a named project zip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { launch, openApp } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('answering a question updates the visible score', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/guide/1' });
  const score = page.getByTestId('topic-score');
  const before = await score.textContent();
  const first = page.getByTestId('question').first();
  await first.getByTestId('answer-y').check();
  await assert.doesNotReject(page.waitForFunction(
    (prev) => document.querySelector('[data-testid="topic-score"]').textContent !== prev, before));
  const after = await score.textContent();
  assert.match(after, /\d+%/);
  assert.notEqual(after, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an invalid project name is explained next to the field and blocks the download', async () => {
  const { page, context } = await openApp(env, { hash: '#/generate' });
  const name = page.getByTestId('project-name');
  await name.fill('My Service');
  await assert.doesNotReject(page.getByTestId('project-name-error').getByText(/lowercase/).waitFor());
  assert.equal(await page.getByTestId('download').isDisabled(), true);
  await context.close();
});

test('Download project saves <name>.zip with a Dockerfile that carries the name', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/generate' });
  const name = page.getByTestId('project-name');
  await name.fill('');
  await name.pressSequentially('billing-api');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'billing-api.zip');
  const zip = await JSZip.loadAsync(await readFile(await download.path()));
  const dockerfile = zip.file('billing-api/Dockerfile');
  assert.ok(dockerfile, `zip holds ${Object.keys(zip.files).join(', ')}`);
  const text = await dockerfile.async('string');
  assert.match(text, /billing-api/);
  assert.match(text, /^FROM /m);
  assert.deepEqual(errors, []);
  await context.close();
});
