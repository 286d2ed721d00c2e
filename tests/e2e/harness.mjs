// Shared setup for the browser tests: serve dist/ on a free port, launch Debian's Chromium.
//
// Every browser context a test opens is guarded: a `securitypolicyviolation` event in any page,
// a "Refused to …" Content-Security-Policy console message, or any request to another origin
// makes the test fail when it closes the context (or, for a context left open, at `env.close()`).
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Schemes that never leave the machine.
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-extension:']);

/// Adds the policy and origin guard to a fresh context. Returns a function listing problems.
async function guard(context, origin) {
  const problems = [];
  const origins = new Set([origin]);
  // A test serving a second copy of the app (a "new deploy") names that origin as its own.
  problems.allowOrigin = (other) => origins.add(other);
  await context.exposeBinding('__tfViolation', (_source, text) => { problems.push(`CSP violation: ${text}`); });
  await context.addInitScript(() => {
    const report = (e) => window.__tfViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile || 'page'}:${e.lineNumber}`);
    document.addEventListener('securitypolicyviolation', report);
  });
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (!LOCAL_SCHEMES.has(url.protocol) && !origins.has(url.origin)) problems.push(`request left the origin: ${request.method()} ${request.url()}`);
  });
  const watchConsole = (page) => page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.push(`CSP console: ${m.text()}`);
  });
  context.pages().forEach(watchConsole);
  context.on('page', watchConsole);
  return problems;
}

export async function launch() {
  const { server, url } = await startServer('dist');
  const origin = new URL(url).origin;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const open = new Set();
  const check = (problems) => {
    if (problems.length) throw new Error(`The page broke the security policy or left the origin:\n  ${problems.join('\n  ')}`);
  };
  // Tests use `env.browser.newContext` as they would Playwright's; the context comes guarded.
  const guarded = {
    async newContext(options = {}) {
      const context = await browser.newContext(options);
      const problems = await guard(context, origin);
      const close = context.close.bind(context);
      open.add(problems);
      context.close = async (...args) => {
        // Let reports still on their way (bindings are asynchronous) arrive first.
        await new Promise((ok) => setTimeout(ok, 50));
        await close(...args);
        open.delete(problems);
        check(problems);
      };
      context.problems = problems;
      return context;
    },
    version: () => browser.version(),
  };
  return {
    url,
    origin,
    browser: guarded,
    async close() {
      await browser.close();
      server.close();
      for (const problems of open) check(problems);
    },
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
  // Evaluated through the DevTools protocol: an injected <script> tag would (rightly) be refused
  // by the app's content security policy.
  await page.evaluate(await readFile('node_modules/axe-core/axe.min.js', 'utf8'));
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/// The overall score as the header shows it, e.g. "42%".
export async function headerScore(page) {
  return (await page.getByTestId('score-chip').locator('.chip-score').textContent()).trim();
}
