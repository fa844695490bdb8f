// The collector's HTTP surface (tools/collector/README.md#http): POST /api/meetings/events (docs/events.md#collector-contract-httpsink)
// and the read queries. node:http only; the storage is store.js, the signature check auth.js.
import http from 'node:http';
import { signatureOf, verifyBatch } from './auth.js';
import { createFoldState, decodeCursor, getMeeting, ingest, listMeetings, participantHistory, timeline } from './store.js';

/** Defaults: a batcher body is at most 60 KiB (docs/events.md#delivery-policy); a record's payload at most 8 KB. */
export const DEFAULTS = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxRecordBytes: 16 * 1024,
  maxAgeMs: 10 * 60 * 1000,
  foldCacheRecords: 200_000,
  /** Groups of batches being stored at once: null = by backend (1 on PGlite, which runs one statement at a time; 2 on a server). */
  writeConcurrency: null,
  defaultLimit: 100,
  maxLimit: 1000,
});

class HttpError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads the body up to `limit` bytes; a larger one is refused with 413 before it is all read. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `body larger than ${limit} bytes`));
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function limitOf(url, { defaultLimit, maxLimit }) {
  const v = url.searchParams.get('limit');
  if (v == null) return defaultLimit;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > maxLimit) throw new HttpError(400, `limit must be 1 to ${maxLimit}`, 'limit');
  return Number(v);
}

function instantOf(url, name) {
  const v = url.searchParams.get(name);
  if (v == null) return null;
  if (Number.isNaN(Date.parse(v))) throw new HttpError(400, `${name} must be an ISO 8601 instant`, name);
  return v;
}

/**
 * The request handler.
 * @param {{ db: object, core: object, allow?: Set<string>|null, maxBodyBytes?: number, maxRecordBytes?: number,
 *           maxAgeMs?: number, foldCacheRecords?: number, writeConcurrency?: number|null, now?: () => number, corsOrigin?: string,
 *           log?: (line: string) => void }} options
 *   foldCacheRecords: records the fold state holds in WASM memory at most (docs/collector.md#storage);
 *   writeConcurrency: groups of batches stored at once, the batches arriving meanwhile wait and form the next group
 *   (docs/collector.md#group-commit); null: 1 on PGlite, 2 on a server
 * @returns {(req: http.IncomingMessage, res: http.ServerResponse) => void} with `.stats` = { batches, stored, unauthorized,
 *   forbidden, invalidRecords, fold: { foldMs, groups, fallbacks, groupFailures, rebuilds, rebuiltRecords, evicted } } and `.close()` (frees the fold state)
 */
export function collectorHandler(options) {
  const o = { ...DEFAULTS, allow: null, now: Date.now, corsOrigin: '*', log: () => {}, ...options };
  const { db, core } = o;
  const state = createFoldState(core, { maxRecords: o.foldCacheRecords, writeConcurrency: o.writeConcurrency ?? (db.kind === 'pglite' ? 1 : 2) });
  const stats = { batches: 0, stored: 0, unauthorized: 0, forbidden: 0, invalidRecords: 0, fold: state.stats };
  const cors = {
    'access-control-allow-origin': o.corsOrigin,
    'access-control-allow-headers': 'content-type, convene-signer, convene-signature, convene-signed-at',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-max-age': '600',
  };

  async function postEvents(req, res, url) {
    const body = await readBody(req, o.maxBodyBytes);
    const verdict = await verifyBatch(body, signatureOf(req, url), { now: o.now(), maxAgeMs: o.maxAgeMs, allow: o.allow, core });
    if (!verdict.ok) {
      if (verdict.status === 401) stats.unauthorized++;
      else stats.forbidden++;
      send(res, verdict.status, { error: verdict.error }, cors);
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'body is not JSON', 'body');
    }
    if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.events)) {
      throw new HttpError(400, 'body must be {"events":[record, ...]}', 'events');
    }
    const { refused, results } = await ingest(db, core, parsed.events, verdict.signer, state, o);
    stats.batches++;
    stats.stored += results.filter((r) => r.status === 200).length;
    stats.invalidRecords += refused.length;
    const all = [...refused, ...results];
    if (all.every((r) => r.status === 200)) send(res, 200, { stored: all.length }, cors);
    else send(res, 207, { results: all }, cors);
  }

  async function route(req, res) {
    const url = new URL(req.url, 'http://collector');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (path === '/api/meetings/events') {
      if (req.method !== 'POST') throw new HttpError(405, 'POST {"events":[...]} here');
      await postEvents(req, res, url);
      return;
    }
    if (req.method !== 'GET') throw new HttpError(405, 'read-only');
    if (path === '/healthz') {
      send(res, 200, { ok: true, database: db.kind }, cors);
      return;
    }
    if (path === '/api/meetings') {
      send(res, 200, await listMeetings(db, {
        room: url.searchParams.get('room'), from: instantOf(url, 'from'), to: instantOf(url, 'to'),
        limit: limitOf(url, o), cursor: decodeCursor(url.searchParams.get('cursor')),
      }), cors);
      return;
    }
    let m = /^\/api\/meetings\/([^/]+)$/.exec(path);
    if (m) {
      const meeting = await getMeeting(db, decodeURIComponent(m[1]));
      if (!meeting) throw new HttpError(404, 'no such meeting');
      send(res, 200, meeting, cors);
      return;
    }
    m = /^\/api\/meetings\/([^/]+)\/events$/.exec(path);
    if (m) {
      const types = url.searchParams.getAll('type').flatMap((t) => t.split(',')).filter(Boolean);
      send(res, 200, await timeline(db, {
        meetingId: decodeURIComponent(m[1]), types, participantId: url.searchParams.get('participant'),
        limit: limitOf(url, o), cursor: decodeCursor(url.searchParams.get('cursor')),
      }), cors);
      return;
    }
    m = /^\/api\/participants\/([^/]+)\/meetings$/.exec(path);
    if (m) {
      send(res, 200, await participantHistory(db, {
        participantId: decodeURIComponent(m[1]), limit: limitOf(url, o), cursor: decodeCursor(url.searchParams.get('cursor')),
      }), cors);
      return;
    }
    throw new HttpError(404, 'not found');
  }

  const handler = (req, res) => {
    route(req, res).catch((err) => {
      const status = err.status ?? 500;
      if (status >= 500) o.log(`collector: ${req.method} ${req.url}: ${err.stack ?? err}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A 413 answered before the body was read: close, so the client stops sending.
      const headers = status === 413 ? { ...cors, connection: 'close' } : status === 503 ? { ...cors, 'retry-after': '1' } : cors;
      send(res, status, { error: status >= 500 ? 'internal error' : err.message, ...(err.field ? { field: err.field } : {}) }, headers);
    });
  };
  handler.stats = stats;
  handler.close = () => state.dispose();
  return handler;
}

/**
 * Starts a collector: `{ server, url, close() }`.
 * @param {Parameters<typeof collectorHandler>[0] & { host?: string, port?: number }} options
 */
export async function startCollector(options) {
  const handler = collectorHandler(options);
  const server = http.createServer(handler);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    server,
    stats: handler.stats,
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => {
      server.close(() => {
        handler.close();
        resolve();
      });
      server.closeAllConnections?.();
    }),
  };
}
