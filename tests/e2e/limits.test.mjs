// Oversized input is refused at once with the limit stated, and the work is untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openApp, headerScore } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('a 50 MB file is refused by its size, at once', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/guide/1' });
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  const score = await headerScore(page);
  await page.goto(env.url + '#/');
  const dir = await mkdtemp(join(tmpdir(), 'tfstudio-huge-'));
  const huge = join(dir, 'huge.json');
  await writeFile(huge, Buffer.alloc(50 * 1024 * 1024, 32));
  await page.getByTestId('import-file').setInputFiles(huge);
  await rm(dir, { recursive: true, force: true });
  const message = page.getByTestId('import-message');
  await message.getByText(/huge\.json: This file is 50\.0 MB; files of at most 2\.0 MB are accepted/).waitFor({ timeout: 3000 });
  await page.screenshot({ path: 'target/e2e-import-limit.png' });
  assert.equal(await headerScore(page), score);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link of 100,000 characters is refused with the limit, work unchanged', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/1' });
  await page.getByTestId('question').first().getByTestId('answer-p').check();
  const score = await headerScore(page);
  await page.goto(env.url + '#share=1.' + 'A'.repeat(100_000 - 2));
  const notice = page.getByTestId('notice');
  await notice.waitFor({ timeout: 3000 });
  assert.match(await notice.textContent(), /100,000 characters long; links of at most 60,000 are accepted.*unchanged/);
  assert.equal(await headerScore(page), score);
  await context.close();
});

test('an imported assessment whose project spec has 10,000 variables is refused with the limit', async () => {
  const { page, context } = await openApp(env);
  const vars = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`VAR_${i}`, `value ${i}`]));
  const doc = { format: 'twelve-factor-studio/assessment', document_version: 1, content_id: 'twelve-factor-studio', content_version: 1, answers: {}, project: { name: 'big', env: vars } };
  await page.getByTestId('import-file').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await page.getByTestId('import-message').getByText(/big\.json: This assessment file holds 10,00\d entries; at most 5,000 are accepted/).waitFor({ timeout: 3000 });
  await context.close();
});
