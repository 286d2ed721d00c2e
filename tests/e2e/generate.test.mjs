// The generator screen: settings with explained constraints, live preview, and a zip whose tree
// matches the settings, byte-identical for the same inputs, and that runs once unpacked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { launch, openApp } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function download(page) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

test('impossible combinations are prevented with the reason shown', async () => {
  const { page, context } = await openApp(env, { hash: '#/generate' });
  const release = page.getByTestId('proc-release');
  assert.equal(await release.isDisabled(), true);
  await assert.doesNotReject(page.getByText('Needs PostgreSQL: migrations need a database.').waitFor());
  await page.getByTestId('svc-postgres').check();
  assert.equal(await release.isDisabled(), false);
  await release.check();
  // Removing the database also removes what depended on it.
  await page.getByTestId('svc-postgres').uncheck();
  assert.equal(await release.isChecked(), false);
  // A port below 1024 is explained next to the field, named in the summary under the download
  // button, and blocks the download.
  await page.getByTestId('port').fill('80');
  await assert.doesNotReject(page.locator('#port-msg').getByText(/1024 or above/).waitFor());
  assert.equal(await page.getByTestId('port').getAttribute('aria-describedby'), 'port-msg');
  await assert.doesNotReject(page.getByRole('listitem').filter({ hasText: /HTTP port: .*1024/ }).waitFor());
  assert.equal(await page.getByTestId('download').isDisabled(), true);
  await context.close();
});

test('the preview lists the files, shows their content and the consistency status', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/generate' });
  await page.getByTestId('svc-postgres').check();
  await page.getByTestId('proc-release').check();
  const tree = page.getByTestId('file-tree');
  await assert.doesNotReject(tree.getByText('docker-compose.yml', { exact: true }).waitFor());
  await tree.getByText('Procfile', { exact: true }).click();
  await assert.doesNotReject(page.getByTestId('file-content').getByText(/release:/).waitFor());
  await assert.doesNotReject(page.getByTestId('consistency').getByText(/Consistent/).waitFor());
  // The app and its own tests follow the stack.
  await page.getByTestId('stack').selectOption('go');
  await assert.doesNotReject(page.getByTestId('app-summary').getByText('go test ./...').waitFor());
  await assert.doesNotReject(tree.getByText('main_test.go', { exact: true }).waitFor());
  assert.deepEqual(errors, []);
  await context.close();
});

test('the zip holds the project under <name>/, matches the settings and is reproducible', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/generate' });
  await page.getByTestId('project-name').fill('orders-api');
  await page.getByTestId('stack').selectOption('python');
  await page.getByTestId('svc-postgres').check();
  await page.getByTestId('svc-redis').check();
  await page.getByTestId('proc-worker').check();
  await page.getByTestId('proc-release').check();
  await page.getByTestId('ci-gitlab').check();
  const first = await download(page);
  assert.equal(first.name, 'orders-api.zip');
  const zip = await JSZip.loadAsync(first.bytes);
  const paths = Object.keys(zip.files).filter((p) => !zip.files[p].dir);
  for (const p of paths) assert.ok(p.startsWith('orders-api/'), p);
  for (const expected of ['Dockerfile', '.dockerignore', 'docker-compose.yml', 'docker-compose.prod.yml', '.gitlab-ci.yml',
    'Procfile', '.env.example', 'README.md', '.gitattributes', '.gitignore', '.twelve-factor/assessment.json']) {
    assert.ok(paths.includes(`orders-api/${expected}`), `missing ${expected} in ${paths.join(', ')}`);
  }
  assert.ok(!paths.includes('orders-api/.github/workflows/ci.yml'), 'GitLab chosen: no GitHub workflow');
  const procfile = await zip.file('orders-api/Procfile').async('string');
  assert.match(procfile, /^web: /m);
  assert.match(procfile, /^worker: /m);
  assert.match(procfile, /^release: /m);
  const env_ = await zip.file('orders-api/.env.example').async('string');
  assert.match(env_, /^DATABASE_URL=/m);
  assert.match(env_, /^REDIS_URL=/m);
  const doc = JSON.parse(await zip.file('orders-api/.twelve-factor/assessment.json').async('string'));
  assert.equal(doc.format, 'twelve-factor-studio/assessment');
  assert.equal(doc.project.name, 'orders-api');
  for (const p of paths.filter((p) => p.endsWith('.sh'))) {
    assert.equal((zip.files[p].unixPermissions & 0o111) !== 0, true, `${p} is executable`);
  }
  const second = await download(page);
  assert.ok(first.bytes.equals(second.bytes), 'same inputs give a byte-identical zip');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the downloaded project runs: its own tests pass and it serves /health on $PORT', async () => {
  const { page, context, errors } = await openApp(env, { hash: '#/generate' });
  await page.getByTestId('project-name').fill('downloaded-api');
  await page.getByTestId('stack').selectOption('node');
  await page.getByTestId('svc-redis').check();
  const zip = await JSZip.loadAsync((await download(page)).bytes);
  const root = await mkdtemp(path.join(os.tmpdir(), 'tfstudio-download-'));
  try {
    for (const [name, entry] of Object.entries(zip.files)) {
      if (entry.dir) continue;
      const target = path.join(root, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await entry.async('nodebuffer'));
    }
    const dir = path.join(root, 'downloaded-api');
    // The starter pins its drivers in package-lock.json: install exactly those, as the README says.
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: dir, stdio: 'pipe' });
    execFileSync('npm', ['test', '--silent'], { cwd: dir, stdio: 'pipe' });
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    const app = spawn('node', ['src/server.js'], {
      cwd: dir, env: { PATH: process.env.PATH, PORT: String(port), REDIS_URL: 'redis://127.0.0.1:1/0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => app.on('exit', (code) => resolve(code)));
    try {
      let health;
      for (let i = 0; i < 50 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health, 200);
      // Nothing listens on the Redis port, and /ready says so.
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      assert.equal(ready.status, 503);
      assert.notEqual((await ready.json()).checks.redis, 'ok');
    } finally {
      app.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
  await context.close();
});
