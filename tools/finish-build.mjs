// The last step of `make build`, run on Trunk's output (dist/):
//  0. the map of each split (a screen or part in its own wasm chunk) to the files its loader
//     fetches, read from __wasm_split.js and written into index.html's preload script, which
//     fetches the landing screen's files beside the first module;
//     then the JavaScript and CSS minified (tools/minify.mjs): everything below hashes them;
//  1. the content security policy, with the hash of every inline script of this build, as a
//     <meta> in index.html and, with the headers only a server can send, in dist/_headers
//     (Netlify / Cloudflare Pages format; `make serve` and the tests apply it too);
//  2. dist/sw.js from public/sw.js with this build's file list and id (offline use);
//  3. Brotli (.br) and gzip (.gz) copies of every text and wasm file, for hosts that serve
//     precompressed files.
// Usage: node tools/finish-build.mjs [dist]
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { INLINE_SCRIPT, minifyDist } from './minify.mjs';

const dist = process.argv[2] || 'dist';
const COMPRESSIBLE = /\.(html|js|css|wasm|svg|webmanifest|json)$/;
const PRECOMPRESSED = /\.(br|gz)$/;
const NOT_CACHED = new Set(['sw.js', '_headers']);

const sha = (algorithm, data, encoding = 'base64') => createHash(algorithm).update(data).digest(encoding);

/// Every policy directive the app needs, and nothing more. `frame-ancestors` only works as a
/// header (browsers ignore it, with a warning, in a <meta>).
export function policy(inlineScriptHashes) {
  return [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${inlineScriptHashes.map((h) => `'sha256-${h}'`).join(' ')}`,
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

async function addPolicy() {
  const path = join(dist, 'index.html');
  let html = await readFile(path, 'utf8');
  html = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  // The line that tells Trunk not to build the page's module (the Makefile does) has no use here.
  html = html.replace(/\s*<link data-trunk[^>]*data-trunk-skip[^>]*>/, '');
  const inline = [...html.matchAll(INLINE_SCRIPT)].map(([, , code]) => sha('sha256', code));
  const csp = policy(inline);
  html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${csp}">`);
  await writeFile(path, html);
  await writeFile(join(dist, '_headers'), [
    '/*',
    `  Content-Security-Policy: ${csp}; frame-ancestors 'none'`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: no-referrer',
    '/sw.js',
    '  Cache-Control: no-cache',
    '/index.html',
    '  Cache-Control: no-cache',
    // Files without a content hash in their name (the page's split modules, the worker): a
    // browser must not mix a cached one with a new deploy's others.
    ...['/app.js', '/app_bg.wasm', '/__wasm_split.js', '/split_*', '/chunk_*', '/worker*'].flatMap((path) => [path, '  Cache-Control: no-cache']),
    '',
  ].join('\n'));
  return inline.length;
}

/// `{ split: [files] }` from wasm-split-cli's loader: each `__wasm_split_load_<split>` fetches
/// its `split_<split>.wasm` and loads the shared `chunk_<n>.wasm` modules it lists.
function splitFiles(loader) {
  const chunkFile = new Map([...loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.]+)"/g)]
    .map((m) => [m[1], m[2]]));
  const splits = [...loader.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.]+)"[\s\S]*?\n, \[([^\]]*)\]\)\);/g)];
  if (splits.length === 0) throw new Error('finish-build: no split loaders found in __wasm_split.js (has its format changed?)');
  return Object.fromEntries(splits.map(([, split, file, deps]) => {
    const chunks = deps.split(',').map((d) => d.trim()).filter(Boolean).map((d) => {
      if (!chunkFile.has(d)) throw new Error(`finish-build: ${split} loads ${d}, which __wasm_split.js does not define`);
      return chunkFile.get(d);
    });
    return [split, [file, ...chunks]];
  }));
}

async function addSplitMap() {
  const map = splitFiles(await readFile(join(dist, '__wasm_split.js'), 'utf8'));
  const path = join(dist, 'index.html');
  const html = await readFile(path, 'utf8');
  const placeholder = '{} /* __SPLIT_CHUNKS__ */';
  if (!html.includes(placeholder)) throw new Error(`finish-build: index.html has no ${placeholder}`);
  await writeFile(path, html.replace(placeholder, JSON.stringify(map)));
  return Object.keys(map).length;
}

async function writeServiceWorker() {
  const files = (await readdir(dist)).filter((f) => !PRECOMPRESSED.test(f) && !NOT_CACHED.has(f)).sort();
  const build = createHash('sha256');
  for (const f of files) build.update(f).update(await readFile(join(dist, f)));
  const id = build.digest('hex').slice(0, 16);
  const template = await readFile('public/sw.js', 'utf8');
  const list = JSON.stringify(['./', ...files.filter((f) => f !== 'index.html')], null, 0);
  await writeFile(join(dist, 'sw.js'), template.replace('__BUILD__', id).replace('__FILES__', list));
  return { id, count: files.length };
}

async function precompress() {
  for (const f of await readdir(dist)) {
    if (PRECOMPRESSED.test(f)) await unlink(join(dist, f));
  }
  for (const f of await readdir(dist)) {
    if (!COMPRESSIBLE.test(f)) continue;
    const body = await readFile(join(dist, f));
    await writeFile(join(dist, `${f}.br`), brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }));
    await writeFile(join(dist, `${f}.gz`), gzipSync(body, { level: 9 }));
  }
}

// The map first: it reads __wasm_split.js and fills a placeholder comment, both as built.
const splits = await addSplitMap();
await minifyDist(dist);
const hashes = await addPolicy();
const sw = await writeServiceWorker();
await precompress();
console.log(`finish-build: ${splits} splits mapped for preloading; policy with ${hashes} inline script hash(es); sw.js build ${sw.id} precaches ${sw.count} files; .br and .gz written`);
