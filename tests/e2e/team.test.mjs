// A team review in separate browser contexts: the facilitator invites three participants who
// answer blind (two agree, one disagrees), merges their responses, settles the dispute in
// review mode and shows it in the presenter view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, axe } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const SHOTS = process.env.SHOTS_DIR;

/// Joins by the invitation link, enters a name, and returns the participant's page.
async function join(invitation, name) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(invitation);
  await page.getByTestId('team-screen').waitFor();
  await page.getByTestId('team-name').fill(name);
  return { context, page, errors };
}

async function answer(page, questionId, code, note) {
  const card = page.locator(`[data-testid="question"][data-question="${questionId}"]`);
  await card.getByTestId(`answer-${code}`).check();
  if (note) {
    await card.getByTestId('note-toggle').click();
    await card.getByTestId('note').fill(note);
  }
}

async function responseCode(page) {
  await page.getByTestId('nav-team').click();
  const code = await page.getByTestId('team-response').inputValue();
  assert.match(code, /^r1\.[A-Za-z0-9_-]+$/);
  return code;
}

async function paste(page, code) {
  await page.getByTestId('team-paste').fill(code);
  await page.getByTestId('team-add').click();
  return (await page.getByTestId('team-paste-msg').textContent()).trim();
}

test('three participants vote blind, the facilitator merges, settles and presents', async () => {
  const fac = await openApp(env, { hash: '#/team', viewport: { width: 1920, height: 1080 } });
  const page = fac.page;

  // Bad input is explained at the field.
  await page.getByTestId('team-start').click();
  assert.match(await page.getByTestId('team-title-msg').textContent(), /title/);

  await page.getByTestId('team-title').fill('billing-api pre-launch');
  await page.locator('.team-topics summary').click();
  await page.getByTestId('team-topic').first().check();
  await page.getByTestId('team-start').click();
  assert.equal((await page.getByTestId('team-heading').textContent()).trim(), 'billing-api pre-launch');
  const invitation = await page.getByTestId('team-invitation').inputValue();
  assert.ok(invitation.startsWith(env.url) && invitation.includes('#join=t1.'), invitation);
  assert.deepEqual(await axe(page), []);

  // The first topic's questions, as the participants will see them.
  const ana = await join(invitation, 'Ana');
  await ana.page.getByTestId('team-answer-review').click();
  const ids = await ana.page.locator('[data-testid="question"]:visible').evaluateAll(
    (els) => els.map((e) => e.dataset.question));
  assert.ok(ids.length >= 2, `questions in scope: ${ids}`);
  // Only the chosen topic is shown, and a participant never sees votes.
  assert.equal(await ana.page.locator('[data-testid="topic-panel"]:visible').count(), 1);
  await answer(ana.page, ids[0], 'y');
  await answer(ana.page, ids[1], 'y');
  assert.equal(await ana.page.getByTestId('votes').count(), 0);
  const anaCode = await responseCode(ana.page);

  const bo = await join(invitation, 'Bo');
  await bo.page.getByTestId('team-answer-review').click();
  // Blind: Ana's answers are not in Bo's browser.
  assert.equal(await bo.page.locator(`[data-question="${ids[0]}"] [data-testid="answer-y"]`).isChecked(), false);
  await answer(bo.page, ids[0], 'y');
  await answer(bo.page, ids[1], 'y');
  const boCode = await responseCode(bo.page);

  // Cy answers step by step, disagrees on the first question and says why.
  const cy = await join(invitation, 'Cy');
  await cy.page.getByTestId('team-answer-guided').click();
  await cy.page.getByTestId('guide-screen').waitFor();
  await answer(cy.page, ids[0], 'n', 'Nobody owns the on-call rota yet');
  await answer(cy.page, ids[1], 'y');
  const cyCode = await responseCode(cy.page);

  // The facilitator merges. A damaged code or one for another review changes nothing.
  await page.getByTestId('nav-team').click();
  assert.match(await paste(page, anaCode.slice(0, -9)), /damaged|cut short/);
  assert.match(await paste(page, 'hello'), /not a Twelve-Factor Studio response/);
  assert.equal(await page.getByTestId('participant').count(), 0);
  assert.equal(await page.getByTestId('team-paste').inputValue(), 'hello', 'what was pasted stays');
  assert.match(await paste(page, anaCode), /Added the response from Ana/);
  assert.match(await paste(page, anaCode), /Replaced the earlier response from Ana/);
  // Cy's response arrives as a text file dropped on the field.
  const dt = await page.evaluateHandle((code) => {
    const d = new DataTransfer();
    d.items.add(new File([code], 'cy-response.txt', { type: 'text/plain' }));
    return d;
  }, cyCode);
  await page.getByTestId('team-paste').dispatchEvent('drop', { dataTransfer: dt });
  await page.getByTestId('team-paste-msg').getByText(/Added the response from Cy \(2 answered\)/).waitFor();
  // A response also arrives as a link opened in the facilitator's browser.
  await page.goto(`${env.url}#response=${boCode}`);
  await page.getByTestId('team-screen').waitFor();
  // The link's part of the app loads on demand: wait for its message rather than read at once.
  await page.getByTestId('notice').getByText(/Added the response from Bo/).waitFor();
  assert.equal(await page.getByTestId('participant').count(), 3);
  assert.match(await page.getByTestId('team-summary').textContent(),
    /2 of \d+ questions have votes: 1 unanimous, 1 with disagreement \(0 settled, 1 open\)/);

  // A response for another review is refused.
  const other = await openApp(env, { hash: '#/team' });
  await other.page.getByTestId('team-title').fill('another review');
  await other.page.getByTestId('team-start').click();
  const otherInvite = await other.page.getByTestId('team-invitation').inputValue();
  const dee = await join(otherInvite, 'Dee');
  const deeCode = await responseCode(dee.page);
  assert.match(await paste(page, deeCode), /belongs to another team review/);
  assert.equal(await page.getByTestId('participant').count(), 3);

  // Review the disagreements: the spread, the flag and Cy's note under Cy's name.
  await page.getByTestId('team-review-disagreements').click();
  await page.getByTestId('review-screen').waitFor();
  const cards = page.locator('[data-testid="sorted-list"] [data-testid="question"]');
  assert.equal(await cards.count(), 1);
  assert.equal(await cards.first().getAttribute('data-question'), ids[0]);
  const votes = cards.first().getByTestId('votes');
  assert.equal((await votes.getByTestId('spread').textContent()).trim(), 'Yes 2 · No 1');
  assert.equal(await votes.getByTestId('disagreement-flag').count(), 1);
  assert.match(await votes.getByTestId('vote-notes').textContent(), /Cy: Nobody owns the on-call rota yet/);
  assert.deepEqual(await axe(page), []);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/facilitator-review.png`, fullPage: false });

  // One key press settles the team answer (the keyboard cursor is on the first question).
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('3');
  assert.equal(await cards.first().getByTestId('answer-n').isChecked(), true);

  // The unanimous one is recorded with one button; the results count both.
  await page.getByTestId('nav-team').click();
  await page.getByTestId('team-apply-unanimous').click();
  await page.getByTestId('nav-results').click();
  assert.equal((await page.getByTestId('team-unanimous').textContent()).trim(), '1 unanimous');
  assert.equal((await page.getByTestId('team-settled').textContent()).trim(), '1 settled');

  // Presenter view of the disputed question at 1920x1080.
  await page.goto(`${env.url}#/review`);
  await page.getByTestId('review-screen').waitFor();
  await page.getByTestId('filter-disagreements').uncheck();
  await page.getByTestId('order-disagreement').uncheck();
  const n = await page.evaluate((id) => [...document.querySelectorAll('[data-testid="question"]')]
    .findIndex((e) => e.dataset.question === id) + 1, ids[0]);
  await page.goto(`${env.url}#/present/${n}`);
  await page.getByTestId('presenter-screen').waitFor();
  const size = await page.getByTestId('present-question').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 40, `question text is ${size}px`);
  assert.equal(await page.locator('.topbar').isVisible(), false);
  assert.equal((await page.getByTestId('present-question').textContent()).length > 10, true);
  assert.equal((await page.getByTestId('presenter-screen').getByTestId('spread').textContent()).trim(), 'Yes 2 · No 1');
  assert.equal(await page.getByTestId('present-answer-n').getAttribute('aria-pressed'), 'true');
  assert.match(await page.getByTestId('present-progress').textContent(), /Topic 1 of 1 · question 1 of \d+/);
  await page.keyboard.press('h');
  await page.getByTestId('present-help').waitFor();
  assert.deepEqual(await axe(page), []);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/presenter-1920.png` });

  // Keyboard: settle again with a key, move on, reload, and Back.
  await page.keyboard.press('1');
  assert.equal(await page.getByTestId('present-answer-y').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('j');
  await page.waitForFunction((m) => location.hash === `#/present/${m}`, n + 1);
  const second = await page.getByTestId('present-question').textContent();
  await page.reload();
  await page.getByTestId('presenter-screen').waitFor();
  assert.equal(await page.getByTestId('present-question').textContent(), second);
  assert.equal((await page.getByTestId('presenter-screen').getByTestId('spread').textContent()).trim(), 'Yes 3');
  await page.goBack();
  await page.waitForFunction((m) => location.hash === `#/present/${m}`, n);
  await page.getByTestId('present-answer-y').waitFor();
  assert.equal(await page.getByTestId('present-answer-y').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Escape');
  await page.getByTestId('review-screen').waitFor();

  for (const p of [fac, ana, bo, cy, other, dee]) assert.deepEqual(p.errors, []);
  for (const p of [fac, ana, bo, cy, other, dee]) await p.context.close();
});

test('a damaged invitation is refused with a message and the page still works', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#join=t1.not-really' });
  await page.getByTestId('team-screen').waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /damaged|not a Twelve-Factor Studio invitation/);
  assert.equal(await page.getByTestId('team-start').isVisible(), true);
  assert.deepEqual(errors, []);
  await context.close();
});
