// A small static server for the built app (web/dist) with an optional runtime config:
// GET /config.json answers { arkivRpcUrl, jitsiBaseUrl? }, so one build can talk to a node on any port.
// Used by the browser e2e test (free ports) and usable by hand:
//   node web/server.js [--root web/dist] [--host 127.0.0.1] [--port 0] [--rpc http://127.0.0.1:8545]
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/**
 * @param {{ root?: string, host?: string, port?: number, config?: { arkivRpcUrl?: string, jitsiBaseUrl?: string } }} [options]
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function serveApp({ root = fileURLToPath(new URL('./dist', import.meta.url)), host = '127.0.0.1', port = 0, config } = {}) {
  const base = path.resolve(root);
  await fs.access(path.join(base, 'index.html'));
  const server = http.createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://x');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      if (pathname === '/config.json' && config) {
        res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(JSON.stringify(config));
        return;
      }
      let file = path.join(base, decodeURIComponent(pathname));
      if (!file.startsWith(base)) {
        res.writeHead(403).end();
        return;
      }
      if (pathname.endsWith('/')) file = path.join(file, 'index.html');
      const body = await fs.readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(err && err.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain' }).end(err && err.code === 'ENOENT' ? 'not found' : 'error');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const rpc = arg('rpc', process.env.VITE_ARKIV_RPC_URL);
  const app = await serveApp({
    root: arg('root', undefined),
    host: arg('host', '127.0.0.1'),
    port: Number(arg('port', '5173')),
    config: rpc ? { arkivRpcUrl: rpc } : undefined,
  });
  console.log(`convene app on ${app.url}${rpc ? ` (Arkiv node ${rpc})` : ''}`);
  const stop = () => app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
