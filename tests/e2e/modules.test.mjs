// The split between the two wasm modules of the release build (dist/): the first screen's module
// carries no template text and no template engine, the generator worker's carries both. A change
// that links the generator into the page again (issue 15, part 5) fails here, not in a bench.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const DIST = process.env.BENCH_DIST || 'dist';

async function module(pattern) {
  const name = (await readdir(DIST)).find((f) => pattern.test(f));
  assert.ok(name, `no file matching ${pattern} in ${DIST}/: run make build`);
  return readFile(join(DIST, name));
}

/// The longest line of every file under templates/: text only that template has.
async function templateLines(dir = 'templates') {
  const lines = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      lines.push(...(await templateLines(path)));
    } else {
      const longest = (await readFile(path, 'utf8')).split('\n').reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '');
      if (longest.trim().length >= 16) lines.push({ path, line: longest });
    }
  }
  return lines;
}

// Messages only the template engine (tera) has.
const ENGINE_TEXT = ['is a reserved keyword of Tera', '__tera_loop_index'];

test('the first screen module holds no template text and no template engine; the worker holds both', async () => {
  const [app, worker, lines] = await Promise.all([module(/^app-.*_bg\.wasm$/), module(/^worker_bg\.wasm$/), templateLines()]);
  assert.ok(lines.length > 30, `only ${lines.length} templates found`);
  const inApp = lines.filter(({ line }) => app.includes(line)).map(({ path }) => path);
  assert.deepEqual(inApp, [], 'template texts linked into the first screen module');
  const missingInWorker = lines.filter(({ line }) => !worker.includes(line)).map(({ path }) => path);
  assert.deepEqual(missingInWorker, [], 'templates the worker cannot render');
  for (const text of ENGINE_TEXT) {
    assert.ok(!app.includes(text), `the template engine ("${text}") is linked into the first screen module`);
    assert.ok(worker.includes(text), `"${text}" not found in the worker: update ENGINE_TEXT`);
  }
});
