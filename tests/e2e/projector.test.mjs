// The header on the screens a review meeting uses: projectors are often 1024 or 1280 px wide.
// Every header item keeps one line (a brand or a status chip broken over two lines reads as two
// things from the back of the room) and nothing makes the page scroll sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { launch, openApp } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const shots = process.env.SCREENSHOTS || 'tests/out/screenshots';

for (const [width, height] of [[1024, 768], [1280, 720], [1920, 1080]]) {
  test(`at ${width}×${height} every header item keeps one line`, async () => {
    await mkdir(shots, { recursive: true });
    const { page, context, errors } = await openApp(env, { viewport: { width, height }, hash: '#/generate' });
    const items = await page.evaluate(() => {
      const selectors = ['.brand', '.mainnav a', '.score-chip > *'];
      return selectors.flatMap((s) => [...document.querySelectorAll(s)]).map((el) => {
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.5;
        return { text: el.textContent.trim(), height: el.getBoundingClientRect().height, lineHeight };
      });
    });
    assert.ok(items.length >= 9, `the header has its brand, six links and the chips (found ${items.length})`);
    for (const item of items) {
      // Padding and borders add well under one line; a second line of text adds a whole one.
      assert.ok(item.height < item.lineHeight * 1.9, `"${item.text}" is on one line at ${width} px (height ${item.height}, line ${item.lineHeight})`);
    }
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(sideways <= 0, `the page does not scroll sideways at ${width} px (${sideways} px too wide)`);
    await page.screenshot({ path: `${shots}/header-${width}.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
}
