// The content security policy: strict, complete, and enforced by every e2e test (harness.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('the page carries the strict policy in a <meta>, and the host headers add the rest', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/1' });
  const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const directive of ["default-src 'none'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "'wasm-unsafe-eval'"]) {
    assert.ok(meta.includes(directive), `policy has ${directive}: ${meta}`);
  }
  assert.doesNotMatch(meta, /'unsafe-inline'|'unsafe-eval'|\*|https?:/, 'no wildcard, no inline, no other origin');
  assert.match(meta, /script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+'){2}/);
  const response = await page.request.get(env.url);
  const headers = response.headers();
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  await context.close();
});

test('the guard fails a test on an injected inline script', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/1' });
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.append(s);
  });
  assert.equal(await page.evaluate(() => window.injected), undefined, 'the policy blocked the script');
  await assert.rejects(context.close(), /CSP violation: script-src-elem/);
});

test('the guard fails a test on a request to another origin', async () => {
  const { page, context } = await openApp(env, { hash: '#/guide/1' });
  // Made from the test (not the page, whose policy would block it) to prove the guard sees it.
  await page.evaluate(() => new Promise((done) => { const i = new Image(); i.onerror = i.onload = done; i.src = 'http://example.invalid/pixel.png'; }));
  await assert.rejects(context.close(), /(request left the origin: GET http:\/\/example\.invalid|CSP violation: img-src)/);
});
