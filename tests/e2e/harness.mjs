// Shared setup for the browser tests: serve dist/ on a free port, launch Debian's Chromium.
import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  const { server, url } = await startServer('dist');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    url,
    browser,
    async close() { await browser.close(); server.close(); },
  };
}

/// Opens the app in a fresh context (or `context`) and waits until a screen is shown.
export async function openApp(env, { viewport = { width: 1280, height: 900 }, hash = '', context = null } = {}) {
  context = context || await env.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.url + hash);
  await page.waitForSelector('main [data-testid$="-screen"]');
  return { context, page, errors };
}

/// Runs axe-core on the page; returns serious and critical violations.
export async function axe(page) {
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/// The overall score as the header shows it, e.g. "42%".
export async function headerScore(page) {
  return (await page.getByTestId('score-chip').locator('.chip-score').textContent()).trim();
}
