// Minifies the text files of the release build in dist/ (issue 15, part 5: on slow 4G the first
// visit is bound by transfer, and the JavaScript glue and the CSS were shipped as written).
// Called by tools/finish-build.mjs before it hashes, lists and precompresses the files.
//
//  - JavaScript with terser: wasm-bindgen's app.js and the split loader __wasm_split.js as ES
//    modules (their exports stay: index.html imports `init` from app.js, __wasm_split.js
//    imports `initSync`), Trunk's worker.js and worker-boot.js as classic scripts (their
//    top-level `wasm_bindgen` stays a global, which worker-boot.js calls).
//  - index.html's inline scripts with terser too (before finish-build hashes them for the
//    policy); the rest of index.html is left as written.
//  - The CSS with lightningcss, and its `integrity` in index.html recomputed. Not Trunk's own
//    `minify` option: it cannot minify the CSS alone, it would also rewrite index.html (and
//    the boot script in it) and minify the worker glue with minify-js, where terser is the
//    well-proven choice; one step here minifies every text file the same way.
// No source maps: dist/ is deployed as it is.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';
import { transform } from 'lightningcss';

/// Every JavaScript file the build ships and how a browser loads it. A file missing here (a
/// new one) is an error, so nothing ships unminified by oversight.
const SCRIPTS = {
  'app.js': 'module',
  '__wasm_split.js': 'module',
  'worker.js': 'script',
  'worker-boot.js': 'script',
  // Filled in by finish-build after this step; minified there would hide its __FILES__ marker.
  'sw.js': 'skip',
};

async function minifyScript(path, kind) {
  const source = await readFile(path, 'utf8');
  const result = await minify(source, { module: kind === 'module', compress: true, mangle: true, sourceMap: false });
  await writeFile(path, result.code);
  return [source.length, result.code.length];
}

/// index.html's inline scripts (a `<script>` without `src`): groups are the attributes and the
/// code. One pattern for the minifier and the policy, so the scripts hashed are the ones minified.
export const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g;

async function minifyStyle(path) {
  const source = await readFile(path);
  const { code } = transform({ filename: path, code: source, minify: true, sourceMap: false });
  await writeFile(path, code);
  return [source.length, code.length];
}

/// index.html: its inline scripts minified too (the page's first request; finish-build hashes
/// them for the policy afterwards), and the `integrity` Trunk writes for the files it links (the
/// CSS) recomputed from the file as now shipped, or the browser would refuse it.
async function minifyPage(dist) {
  const path = join(dist, 'index.html');
  let html = await readFile(path, 'utf8');
  for (const [tag, attributes, source] of html.matchAll(INLINE_SCRIPT)) {
    const { code } = await minify(source, { module: /type="module"/.test(attributes), sourceMap: false });
    // A function, so that a `$` in the code is not read as a replacement pattern.
    html = html.replace(tag, () => `<script${attributes}>${code}</script>`);
  }
  const linked = [...html.matchAll(/href="([^"]+)"\s+integrity="(sha256|sha384|sha512)-[^"]+"/g)];
  for (const [tag, href, algorithm] of linked) {
    const digest = createHash(algorithm).update(await readFile(join(dist, href.replace(/^\.?\//, '')))).digest('base64');
    html = html.replace(tag, () => `href="${href}" integrity="${algorithm}-${digest}"`);
  }
  await writeFile(path, html);
  return linked.length;
}

export async function minifyDist(dist) {
  const sizes = [];
  for (const f of (await readdir(dist)).sort()) {
    const path = join(dist, f);
    if (f.endsWith('.css')) sizes.push([f, ...(await minifyStyle(path))]);
    if (!f.endsWith('.js')) continue;
    const kind = SCRIPTS[f];
    if (!kind) throw new Error(`minify: ${f} is not in SCRIPTS (tools/minify.mjs): say how it loads, module or script`);
    if (kind !== 'skip') sizes.push([f, ...(await minifyScript(path, kind))]);
  }
  const linked = await minifyPage(dist);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`minify: ${sizes.map(([f, before, after]) => `${f} ${kb(before)} -> ${kb(after)}`).join(', ')}; index.html's inline scripts; ${linked} integrity attribute(s) updated`);
}
