// A small static file server for dist/: used by `make serve`, the e2e tests and the benchmark.
// It behaves like a well-configured static host: it sends the headers of dist/_headers
// (Netlify / Cloudflare Pages format: a path pattern, then indented `Name: value` lines) and
// serves the precompressed .br or .gz file when the browser accepts it.
// Usage: node static-server.mjs DIR [HOST] [PORT]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.png': 'image/png', '.webmanifest': 'application/manifest+json', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/// Reads `_headers` into [{ pattern: RegExp, headers: {name: value} }].
function hostHeaders(root) {
  let text;
  try { text = readFileSync(join(root, '_headers'), 'utf8'); } catch { return []; }
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const glob = line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      rules.push({ pattern: new RegExp(`^${glob}$`), headers: {} });
    } else if (rules.length) {
      const at = line.indexOf(':');
      rules[rules.length - 1].headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}

export function startServer(dir, host = '127.0.0.1', port = 0) {
  const root = resolve(dir);
  const rules = hostHeaders(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!path.startsWith(root)) { res.writeHead(403).end(); return; }
      let info = await stat(path).catch(() => null);
      if (info && info.isDirectory()) { path = join(path, 'index.html'); info = await stat(path).catch(() => null); }
      if (!info) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      let body = await readFile(path);
      const headers = { 'content-type': TYPES[extname(path)] || 'application/octet-stream', 'cache-control': 'no-cache' };
      const served = '/' + path.slice(root.length + 1);
      for (const rule of rules) if (rule.pattern.test(served)) Object.assign(headers, rule.headers);
      // Compress text and wasm as every real static host does, so load times are realistic.
      const accepts = req.headers['accept-encoding'] || '';
      const compressible = /\.(html|js|mjs|css|wasm|svg|json|webmanifest)$/.test(path);
      const pre = compressible && [['br', '.br'], ['gzip', '.gz']].find(([enc]) => accepts.includes(enc));
      const preBody = pre && await readFile(path + pre[1]).catch(() => null);
      if (preBody) {
        body = preBody;
        headers['content-encoding'] = pre[0];
      } else if (/gzip/.test(accepts) && compressible) {
        body = gzipSync(body, { level: 6 });
        headers['content-encoding'] = 'gzip';
      }
      if (compressible) headers.vary = 'accept-encoding';
      res.writeHead(200, headers);
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = 'dist', host = '127.0.0.1', port = '8080'] = process.argv.slice(2);
  startServer(dir, host, Number(port)).then(({ url }) => console.log(`Twelve-Factor Studio: ${url}`),
    (e) => { console.error(`Cannot serve on ${host}:${port}: ${e.message}`); process.exit(1); });
}
