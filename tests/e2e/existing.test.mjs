// Existing-service mode: deploy files fitted to a service the team already has, with its own
// start commands and variable names; an unsafe start command is refused at the field with the
// explicit `sh -c` offer, and nothing is downloadable until the settings are valid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { launch, openApp, axe } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const shots = process.env.SCREENSHOTS || 'tests/out/screenshots';

async function download(page) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

test('an existing service gets deploy files with its own commands and names', async () => {
  await mkdir(shots, { recursive: true });
  const { page, context, errors } = await openApp(env, { hash: '#/generate' });
  await page.getByTestId('project-name').fill('billing-api');
  await page.getByTestId('stack').selectOption('python');
  await page.getByTestId('mode-existing').check();
  await page.getByTestId('existing-preset').selectOption('poetry');
  await page.getByTestId('svc-postgres').check();
  await page.getByTestId('svc-redis').check();
  await page.getByTestId('proc-worker').check();

  // An unsafe start command: refused at the field, shown as exec form would run it, with sh -c offered.
  const web = page.getByTestId('existing-start-web');
  await web.fill('alembic upgrade head && gunicorn billing:app');
  const webError = page.getByTestId('existing-start-web-error');
  await assert.doesNotReject(webError.getByText(/`&&` runs a second command/).waitFor());
  assert.match(await webError.innerText(), /\["alembic", "upgrade", "head", "&&", "gunicorn", "billing:app"\]/);
  assert.equal(await web.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('download').isDisabled(), true);
  const summary = page.getByTestId('error-summary');
  await assert.doesNotReject(summary.getByText(/web start command: /).waitFor());
  assert.match(await summary.innerText(), /No download until 2 settings above are fixed:/);
  // The summary takes the user to the field (from the bottom of a long form, on a projector).
  await page.getByTestId('project-name').focus();
  await summary.getByRole('link', { name: /web start command: / }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'existing-start-web');
  assert.match(page.url(), /#\/generate$/, 'the link moves focus without leaving the screen');
  // An existing service brings its own server: the stack list names languages only.
  assert.equal((await page.getByTestId('stack').locator('option:checked').innerText()).trim(), 'Python');
  await page.screenshot({ path: `${shots}/existing-refused-command.png`, fullPage: true });
  assert.deepEqual(await axe(page), []);
  // Taking the offer makes it explicit and valid; then the team types the plain command instead.
  await page.getByTestId('existing-start-web-wrap').click();
  assert.equal(await web.inputValue(), "sh -c 'alembic upgrade head && gunicorn billing:app'");
  assert.equal(await web.getAttribute('aria-invalid'), 'false');
  await web.fill('gunicorn --config gunicorn.conf.py billing.wsgi:app');
  await page.getByTestId('existing-start-worker').fill('celery --app billing.tasks worker');

  // The team's own names; a bad one is refused next to its field.
  await page.getByTestId('existing-database-var').fill('billing db');
  await assert.doesNotReject(page.getByTestId('existing-database-var-error').getByText(/not a valid variable name/).waitFor());
  await page.getByTestId('existing-database-var').fill('BILLING_DB_URL');
  await page.getByTestId('existing-redis-var').fill('CELERY_BROKER_URL');
  await page.getByTestId('existing-health-path').fill('healthz');
  await assert.doesNotReject(page.getByTestId('existing-health-path-error').getByText(/Start the health path with \//).waitFor());
  await page.getByTestId('existing-health-path').fill('/healthz');
  await page.getByTestId('add-variable').click();
  await page.getByTestId('variable-name-0').fill('STRIPE_API_KEY');
  await page.getByTestId('variable-example-0').fill('sk_test_placeholder');
  await page.getByTestId('variable-secret-0').check();
  await page.getByTestId('existing-source-folders').fill('billing, migrations, ');
  assert.equal(await page.getByTestId('download').isDisabled(), false);

  // The preview has no starter app, and the consistency check covers the user's names.
  const tree = page.getByTestId('file-tree');
  await assert.doesNotReject(tree.getByText('Dockerfile', { exact: true }).waitFor());
  await assert.doesNotReject(page.getByTestId('consistency').getByText(/Consistent/).waitFor());
  await page.screenshot({ path: `${shots}/existing-settings.png`, fullPage: true });
  assert.deepEqual(await axe(page), []);

  const { bytes } = await download(page);
  const zip = await JSZip.loadAsync(bytes);
  const paths = Object.keys(zip.files).filter((p) => !zip.files[p].dir);
  assert.ok(!paths.some((p) => p.startsWith('billing-api/app/') || p.endsWith('pyproject.toml')), `no starter app: ${paths.join(', ')}`);
  const read = (p) => zip.file(`billing-api/${p}`).async('string');
  const dockerfile = await read('Dockerfile');
  assert.match(dockerfile, /COPY poetry\.lock \.\/poetry\.lock/);
  assert.match(dockerfile, /--mount=type=cache,target=\/root\/\.cache\/pypoetry/);
  assert.match(dockerfile, /COPY billing \.\/billing\nCOPY migrations \.\/migrations/);
  // The app reads plain variables (the default): its credentials come through env-from-files.
  assert.match(dockerfile, /CMD \["\/usr\/local\/bin\/env-from-files", "gunicorn", "--config", "gunicorn\.conf\.py", "billing\.wsgi:app"\]/);
  const shim = await read('scripts/env-from-files.sh');
  for (const name of ['BILLING_DB_URL', 'CELERY_BROKER_URL', 'STRIPE_API_KEY']) assert.match(shim, new RegExp(`^from_file ${name}$`, 'm'));
  assert.match(dockerfile, /GET \/healthz/);
  const procfile = await read('Procfile');
  assert.match(procfile, /^worker: celery --app billing\.tasks worker$/m);
  const envExample = await read('.env.example');
  for (const name of ['BILLING_DB_URL=', 'CELERY_BROKER_URL=', 'STRIPE_API_KEY=sk_test_placeholder']) assert.ok(envExample.includes(name), name);
  assert.ok(!envExample.includes('DATABASE_URL='), 'our default name is gone');
  const prod = await read('docker-compose.prod.yml');
  assert.match(prod, /STRIPE_API_KEY_FILE: \/run\/secrets\/stripe_api_key/);
  const readme = await read('README.md');
  assert.match(readme, /## What these files expect of your app[\s\S]*Answers `\/healthz`[\s\S]*## Run locally/);
  // The settings travel with the project and come back on import.
  const saved = JSON.parse(await read('.twelve-factor/assessment.json'));
  assert.equal(saved.project.mode, 'existing');
  assert.equal(saved.project.existing.database_var, 'BILLING_DB_URL');
  assert.deepEqual(saved.project.existing.source_folders, ['billing', 'migrations']);

  // An app that reads NAME_FILE itself needs no script: the preview marks it removed since the
  // download, and the Dockerfile starts the command as typed.
  const shimRow = page.locator('[role=treeitem][data-path="scripts/env-from-files.sh"]');
  await page.getByTestId('existing-reads-secret-files').check();
  await assert.doesNotReject(shimRow.locator('.mark').getByText('D', { exact: true }).waitFor());

  // Nothing typed is lost: back to a new service and again, and after a reload.
  await page.getByTestId('mode-new').check();
  await page.getByTestId('mode-existing').check();
  assert.equal(await page.getByTestId('existing-redis-var').inputValue(), 'CELERY_BROKER_URL');
  await page.reload();
  await page.getByTestId('existing-settings').waitFor();
  assert.equal(await page.getByTestId('existing-start-worker').inputValue(), 'celery --app billing.tasks worker');
  assert.equal(await page.getByTestId('variable-name-0').inputValue(), 'STRIPE_API_KEY');
  assert.equal(await page.getByTestId('existing-reads-secret-files').isChecked(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the existing-service form at phone width', async () => {
  await mkdir(shots, { recursive: true });
  const { page, context, errors } = await openApp(env, { hash: '#/generate', viewport: { width: 390, height: 844 } });
  await page.getByTestId('mode-existing').check();
  await page.getByTestId('existing-start-web').fill('node server.js | tee app.log');
  await assert.doesNotReject(page.getByTestId('existing-start-web-error').getByText(/pipes into a second command/).waitFor());
  await page.getByTestId('existing-start-web').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/existing-phone.png` });
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
