// `make bench`: sizes of the release build, first-question time in headless Chromium (localhost
// and emulated slow 4G), and generation time in the browser. Prints figures; asserts nothing.
import { readdir, readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launch } from '../e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 10);
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function sizes() {
  const files = (await readdir('dist')).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  const rows = [];
  for (const f of files) {
    const body = await readFile(join('dist', f));
    rows.push({ f, raw: body.length, gz: gzipSync(body, { level: 9 }).length });
  }
  rows.sort((a, b) => a.f.localeCompare(b.f));
  const worker = (r) => /^worker/.test(r.f);
  console.log('Release build sizes (dist/):');
  for (const r of rows) console.log(`  ${r.f.padEnd(40)} raw ${kb(r.raw)}   gzip ${kb(r.gz)}`);
  const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
  const first = rows.filter((r) => !worker(r));
  console.log(`  first screen (html+css+app js+wasm)      raw ${kb(sum(first, 'raw'))}   gzip ${kb(sum(first, 'gz'))}   budget 150 KB gzip`);
  console.log(`  everything                               raw ${kb(sum(rows, 'raw'))}   gzip ${kb(sum(rows, 'gz'))}   budget 350 KB gzip`);
}

async function loads(env, label, throttle) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    if (throttle) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
      });
    }
    await page.goto(env.url + '#/guide/1');
    await page.waitForFunction(() => window.__tf && window.__tf.firstQuestion !== null, null, { timeout: 60000 });
    times.push(await page.evaluate(() => window.__tf.firstQuestion));
    await context.close();
  }
  console.log(`  ${label.padEnd(34)} median ${median(times).toFixed(0).padStart(5)} ms   (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${RUNS} loads)`);
}

async function generation(env) {
  // The largest combination: every process and service, GitHub Actions.
  const project = {
    name: 'bench-largest', description: 'Largest combination for the benchmark', stack: 'java', runtime_version: '',
    port: 8080, processes: { worker: true, scheduler: true, release: true }, services: { postgres: true, redis: true },
    ci: 'github_actions', registry: 'ghcr',
  };
  const doc = { format: 'twelve-factor-studio/assessment', document_version: 1, content_id: 'twelve-factor-studio', content_version: 1, answers: {}, project };
  const context = await env.browser.newContext({ acceptDownloads: true });
  await context.addInitScript((d) => { if (!sessionStorage.getItem('seeded')) { localStorage.setItem('tfstudio.work.v1', d); sessionStorage.setItem('seeded', '1'); } }, JSON.stringify(doc));
  const page = await context.newPage();
  await page.goto(env.url + '#/generate');
  await page.getByTestId('generate-screen').waitFor();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => document.querySelector('[data-testid="download-status"]').removeAttribute('data-millis'));
    await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    await page.waitForSelector('[data-testid="download-status"][data-millis]');
    times.push(Number(await page.getByTestId('download-status').getAttribute('data-millis')));
  }
  console.log(`  generate + zip, largest combination    median ${median(times).toFixed(2)} ms in the worker (${RUNS} runs; goal 10 ms)`);
  await context.close();
}

await sizes();
const env = await launch();
try {
  console.log('First question visible (navigation start to first question in the DOM):');
  await loads(env, 'localhost', false);
  await loads(env, 'slow 4G (1.6 Mbit/s, 150 ms RTT)', true);
  console.log('Generation in the browser:');
  await generation(env);
} finally {
  await env.close();
}
