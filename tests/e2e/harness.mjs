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

/// Opens the app in a fresh context and waits until the first screen is interactive.
export async function openApp(env, { viewport = { width: 1280, height: 900 }, hash = '' } = {}) {
  const context = await env.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.url + hash);
  await page.waitForSelector('[data-testid="question"]');
  return { context, page, errors };
}
