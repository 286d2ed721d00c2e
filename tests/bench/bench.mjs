// `make bench`: sizes of the release build, first-question time in headless Chromium (localhost
// and emulated slow 4G), and generation time in the browser. Prints figures; asserts nothing.
import { readdir, readFile } from 'node:fs/promises';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { launch } from '../e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 10);
const DIST = process.env.BENCH_DIST || 'dist';
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const brotli = (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
// Goals from the issue; every figure is printed with its goal.
const GOALS = { firstGzip: 150, allGzip: 350, localhost: 150, slow4g: 1500, secondVisit: 150 };
const verdict = (value, goal) => (value <= goal ? 'meets goal' : 'over goal');

async function sizes() {
  // What the browser fetches: not the precompressed copies, not the install icons.
  const files = (await readdir(DIST)).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  const rows = [];
  for (const f of files) {
    const body = await readFile(join(DIST, f));
    rows.push({ f, raw: body.length, gz: gzipSync(body, { level: 9 }).length, br: brotli(body) });
  }
  rows.sort((a, b) => a.f.localeCompare(b.f));
  // The first screen is index.html, the CSS and the app module (app.js, its split loader
  // __wasm_split.js, app_bg.wasm); the other screens' chunks (split_*, chunk_*) load on
  // navigation, the generator worker and the service worker after the first screen.
  const later = (r) => /^worker|^sw\.js$|^split_|^chunk_/.test(r.f);
  console.log(`Release build sizes (${DIST}/):`);
  for (const r of rows) console.log(`  ${r.f.padEnd(40)} raw ${kb(r.raw)}   gzip ${kb(r.gz)}   brotli ${kb(r.br)}`);
  const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
  const first = rows.filter((r) => !later(r));
  const line = (label, rs, goal) => {
    const gz = sum(rs, 'gz');
    const against = goal ? `   goal ${goal} KB gzip: ${verdict(gz / 1024, goal)}` : '';
    console.log(`  ${label.padEnd(40)} raw ${kb(sum(rs, 'raw'))}   gzip ${kb(gz)}   brotli ${kb(sum(rs, 'br'))}${against}`);
  };
  line('first screen (html+css+app js+wasm)', first, GOALS.firstGzip);
  line('other screens (split_*, chunk_*)', rows.filter((r) => /^split_|^chunk_/.test(r.f)), null);
  line('everything', rows, GOALS.allGzip);
}

const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
}

const firstQuestion = async (page) => {
  await page.waitForFunction(() => window.__tf && window.__tf.firstQuestion !== null, null, { timeout: 60000 });
  return page.evaluate(() => window.__tf.firstQuestion);
};

function report(label, times, goal) {
  const m = median(times);
  console.log(`  ${label.padEnd(44)} median ${m.toFixed(0).padStart(5)} ms   (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${times.length} loads)   goal ${goal} ms: ${verdict(m, goal)}`);
}

async function loads(env, label, slow, goal) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    if (slow) await throttle(context, page);
    await page.goto(env.url + '#/guide/1');
    times.push(await firstQuestion(page));
    await context.close();
  }
  report(label, times, goal);
}

/// A returning visitor: the service worker has cached the build, so the network (even slow 4G)
/// is not used at all. Goal: static-page speed.
async function secondVisits(env, label, slow) {
  const times = [];
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.url + '#/guide/1');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  if (slow) await throttle(context, page);
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    times.push(await firstQuestion(page));
  }
  await context.close();
  report(label, times, GOALS.secondVisit);
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
if (process.env.BENCH_SIZES_ONLY) process.exit(0);
const env = await launch();
try {
  console.log('First question visible (navigation start to first question in the DOM):');
  await loads(env, 'first visit, localhost', false, GOALS.localhost);
  await loads(env, 'first visit, slow 4G (1.6 Mbit/s, 150 ms RTT)', true, GOALS.slow4g);
  await secondVisits(env, 'second visit (service worker), localhost', false);
  await secondVisits(env, 'second visit (service worker), slow 4G', true);
  console.log('Generation in the browser:');
  await generation(env);
} finally {
  await env.close();
}
