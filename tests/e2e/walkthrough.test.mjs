// The walkthrough as people use it: guided by keyboard, review with shortcuts, results,
// autosave and reload, share links, export and re-import, and accessibility on every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openApp, axe, headerScore } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const active = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), testid: el.getAttribute('data-testid'),
    answered: !!el.closest('[data-testid="question"]')?.querySelector('input[type=radio]:checked'),
  };
});

test('a full guided walkthrough by keyboard only reaches the results', async () => {
  const { page, context, errors } = await openApp(env);
  // From the start screen, Tab to "Start guided walkthrough" and press Enter.
  for (let i = 0; i < 30 && (await active(page)).testid !== 'start-guided'; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByTestId('guide-screen').waitFor();
  let steps = 0;
  let answered = 0;
  for (let guard = 0; guard < 3000; guard++) {
    await page.keyboard.press('Tab');
    const a = await active(page);
    if (a.type === 'radio' && !a.answered) {
      await page.keyboard.press('Space'); // the first radio of the group: Yes
      answered++;
    } else if (a.testid === 'next') {
      steps++;
      const text = await page.getByTestId('next').textContent();
      await page.keyboard.press('Enter');
      if (text.includes('results')) break;
      await page.getByTestId('step-count').getByText(`Step ${steps + 1} of`).waitFor();
    }
  }
  await page.getByTestId('results-screen').waitFor();
  assert.equal(steps, 28, 'walked through 12 factors and 16 readiness sections');
  assert.equal(answered, 150);
  assert.equal((await page.getByTestId('overall-score').textContent()).trim(), '100%');
  assert.equal((await page.getByTestId('launch-decision').textContent()).trim(), 'Go');
  assert.equal((await page.getByTestId('level').textContent()).trim(), 'Exemplary');
  assert.equal((await page.getByTestId('coverage').textContent()).trim(), '150 of 150');
  assert.deepEqual(errors, []);
  await context.close();
});

test('review mode: shortcuts answer, move, open notes, filter and show help', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/review' });
  const questions = page.getByTestId('question');
  await page.keyboard.press('1'); // Yes to the first question
  await page.keyboard.press('j');
  await page.keyboard.press('3'); // No to the second
  await page.keyboard.press('j');
  await page.keyboard.press('2'); // Partly to the third
  assert.equal(await questions.nth(0).locator('input[value="Yes"]').isChecked(), true);
  assert.equal(await questions.nth(1).locator('input[value="No"]').isChecked(), true);
  assert.equal(await questions.nth(2).locator('input[value="Partly"]').isChecked(), true);
  await page.keyboard.press('k');
  await page.keyboard.press('n');
  const note = questions.nth(1).getByTestId('note');
  await note.waitFor();
  await page.keyboard.type('Owner: platform team');
  assert.equal(await note.inputValue(), 'Owner: platform team');
  await page.keyboard.press('Escape');
  await page.keyboard.press('4'); // N/A asks for a reason
  const reason = questions.nth(1).getByTestId('na-reason');
  await reason.waitFor();
  await assert.doesNotReject(page.waitForFunction(() => document.activeElement?.dataset.testid === 'na-reason'));
  await page.keyboard.type('No database in this service');
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts').waitFor();
  // Filters: unanswered only hides the three answered questions.
  await page.getByTestId('filter-unanswered').check();
  const visible = await page.locator('[data-testid="question"]:visible').count();
  assert.equal(visible, 147, "150 questions less the three answered");
  await page.getByTestId('filter-unanswered').uncheck();
  await page.getByTestId('filter-blockers').check();
  const blockers = await page.locator('[data-testid="question"]:visible').count();
  assert.ok(blockers >= 5 && blockers < 30, `${blockers} blockers shown`);
  await page.getByTestId('large-type').check();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('large-type')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('reload resumes exactly where the user was, notes and all', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/3' });
  const q = page.getByTestId('question').first();
  await q.getByTestId('answer-n').check();
  await q.getByTestId('note-toggle').click();
  await q.getByTestId('note').fill('Secrets live in config/prod.yml today');
  const score = await headerScore(page);
  await page.reload();
  await page.getByTestId('guide-screen').waitFor();
  assert.match(await page.getByTestId('step-count').textContent(), /Step 3 of 28/);
  const q2 = page.getByTestId('question').first();
  assert.equal(await q2.getByTestId('answer-n').isChecked(), true);
  assert.equal(await q2.getByTestId('note').inputValue(), 'Secrets live in config/prod.yml today');
  assert.equal(await headerScore(page), score);
  // The start screen now offers to resume.
  await page.getByTestId('nav-guided').waitFor();
  await page.goto(env.url + '#/');
  await page.getByTestId('resume').waitFor();
  await context.close();
});

async function answerSome(page) {
  await page.goto(page.url().split('#')[0] + '#/review');
  await page.getByTestId('review-screen').waitFor();
  const qs = page.getByTestId('question');
  for (let i = 0; i < 12; i++) await qs.nth(i).getByTestId(i % 3 === 2 ? 'answer-p' : 'answer-y').check();
  await qs.nth(12).getByTestId('answer-x').check();
  await qs.nth(12).getByTestId('na-reason').fill('Single-tenant batch tool');
}

test('a share link opened in a fresh browser restores the same score; different work is asked about', async () => {
  const a = await openApp(env);
  await answerSome(a.page);
  await a.page.goto(env.url + '#/results');
  await a.page.getByTestId('share-link').click();
  const link = await a.page.getByTestId('share-url').inputValue();
  assert.match(link, /#share=1\./);
  const score = await a.page.getByTestId('overall-score').textContent();
  const coverage = await a.page.getByTestId('coverage').textContent();

  const b = await openApp(env, { hash: '#' + link.split('#')[1] });
  await b.page.getByTestId('results-screen').waitFor();
  assert.equal(await b.page.getByTestId('overall-score').textContent(), score);
  assert.equal(await b.page.getByTestId('coverage').textContent(), coverage);
  assert.equal(b.page.url().includes('share='), false, 'the link is removed from the address bar once read');

  // A browser holding different work asks first, and "Keep my work" keeps it.
  const c = await openApp(env, { hash: '#/guide/1' });
  await c.page.getByTestId('question').first().getByTestId('answer-n').check();
  const mine = await headerScore(c.page);
  await c.page.goto(link);
  await c.page.getByTestId('share-dialog').waitFor();
  await c.page.getByTestId('share-keep').click();
  assert.equal(await headerScore(c.page), mine);
  await c.page.goto(link);
  await c.page.getByTestId('share-replace').click();
  await c.page.getByTestId('results-screen').waitFor();
  assert.equal(await c.page.getByTestId('overall-score').textContent(), score);
  for (const x of [a, b, c]) await x.context.close();
});

test('a corrupt or truncated link shows a clear message and loses nothing', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/1' });
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  const score = await headerScore(page);
  for (const bad of ['#share=1.eyJjIjoxLCJhIjoieX', '#share=garbage', '#share=1.!!!']) {
    await page.goto(env.url + bad);
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), /(damaged|cannot read|can read).*unchanged/);
    assert.equal(await headerScore(page), score);
  }
  await page.reload();
  await page.waitForSelector('main [data-testid$="-screen"]');
  assert.equal(await headerScore(page), score);
  await context.close();
});

test('export Markdown and JSON, then re-import the JSON elsewhere with the same score', async () => {
  const a = await openApp(env);
  await answerSome(a.page);
  await a.page.goto(env.url + '#/results');
  const score = await a.page.getByTestId('overall-score').textContent();
  const [md] = await Promise.all([a.page.waitForEvent('download'), a.page.getByTestId('export-md').click()]);
  assert.equal(md.suggestedFilename(), 'twelve-factor-assessment.md');
  const mdText = await readFile(await md.path(), 'utf8');
  assert.match(mdText, /^# Twelve-factor assessment/m);
  assert.match(mdText, /\| Topic \| Score \|/);
  assert.match(mdText, /Single-tenant batch tool/);
  assert.ok(mdText.includes(score.trim()), `the report carries the score ${score}`);
  const [json] = await Promise.all([a.page.waitForEvent('download'), a.page.getByTestId('export-json').click()]);
  const jsonPath = await json.path();
  const doc = JSON.parse(await readFile(jsonPath, 'utf8'));
  assert.equal(doc.format, 'twelve-factor-studio/assessment');

  const b = await openApp(env);
  await b.page.getByTestId('import-file').setInputFiles(jsonPath);
  await b.page.getByTestId('results-screen').waitFor();
  assert.equal(await b.page.getByTestId('overall-score').textContent(), score);
  // A broken file is refused with a message next to the picker; work stays.
  await b.page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "nope"}') });
  await assert.doesNotReject(b.page.getByTestId('import-message').getByText(/not a Twelve-Factor Studio assessment/).waitFor());
  assert.equal(await b.page.getByTestId('overall-score').textContent(), score);
  await a.context.close();
  await b.context.close();
});

test('no serious or critical accessibility violations on any screen, phone or projector', async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1920, height: 1080 }]) {
    for (const scheme of ['light', 'dark']) {
      const context = await env.browser.newContext({ viewport, colorScheme: scheme });
      for (const hash of ['#/', '#/guide/1', '#/review', '#/results', '#/generate']) {
        const { page } = await openApp(env, { context, hash });
        if (hash === '#/review') await page.keyboard.press('?');
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${hash} at ${viewport.width}px, ${scheme}`);
        await page.close();
      }
      await context.close();
    }
  }
});

test('the browser back button moves between screens without losing answers', async () => {
  const { page, context } = await openApp(env);
  await page.getByTestId('start-guided').click();
  await page.getByTestId('question').first().getByTestId('answer-y').check();
  await page.getByTestId('next').click();
  await page.getByTestId('step-count').getByText('Step 2 of').waitFor();
  await page.goBack();
  await page.getByTestId('step-count').getByText('Step 1 of').waitFor();
  assert.equal(await page.getByTestId('question').first().getByTestId('answer-y').isChecked(), true);
  await page.goBack();
  await page.getByTestId('start-screen').waitFor();
  await context.close();
});
