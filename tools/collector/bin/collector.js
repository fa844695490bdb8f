#!/usr/bin/env node
// The meeting-events collector (tools/collector/README.md):
//   node tools/collector/bin/collector.js [--host 127.0.0.1] [--port 8546] [--data-dir .collector/pglite]
//        [--allow 0xabc..,0xdef..] [--max-body-bytes N] [--max-record-bytes N] [--max-age-s N] [--fold-cache-records N]
//        [--write-concurrency N]
// Environment: DATABASE_URL (a PostgreSQL server instead of the embedded PGlite), COLLECTOR_ALLOW (allow-list),
// COLLECTOR_HOST, COLLECTOR_PORT, COLLECTOR_DATA_DIR, COLLECTOR_FOLD_CACHE_RECORDS, COLLECTOR_WRITE_CONCURRENCY. Prints "collector listening on <url> (<database>)".
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadCore } from '@convene/core';
import { parseAllowList } from '../src/auth.js';
import { openDatabase } from '../src/db.js';
import { DEFAULTS, startCollector } from '../src/server.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: process.env.COLLECTOR_HOST ?? '127.0.0.1' },
    port: { type: 'string', default: process.env.COLLECTOR_PORT ?? '8546' },
    'data-dir': { type: 'string', default: process.env.COLLECTOR_DATA_DIR ?? '.collector/pglite' },
    allow: { type: 'string', default: process.env.COLLECTOR_ALLOW ?? '' },
    'max-body-bytes': { type: 'string', default: String(DEFAULTS.maxBodyBytes) },
    'max-record-bytes': { type: 'string', default: String(DEFAULTS.maxRecordBytes) },
    'max-age-s': { type: 'string', default: String(DEFAULTS.maxAgeMs / 1000) },
    'fold-cache-records': { type: 'string', default: process.env.COLLECTOR_FOLD_CACHE_RECORDS ?? String(DEFAULTS.foldCacheRecords) },
    // Empty: by backend (1 on PGlite, 2 on a server; docs/collector.md#group-commit).
    'write-concurrency': { type: 'string', default: process.env.COLLECTOR_WRITE_CONCURRENCY ?? '' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: collector.js [--host H] [--port P] [--data-dir DIR] [--allow 0x..,0x..] [--max-body-bytes N] [--max-record-bytes N] [--max-age-s N] [--fold-cache-records N] [--write-concurrency N]\n'
    + 'DATABASE_URL=postgres://... uses a PostgreSQL server instead of the embedded PGlite in --data-dir.');
  process.exit(0);
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = values['data-dir'] === 'memory://' ? 'memory://' : path.resolve(values['data-dir']);
if (!databaseUrl && dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });

const core = await loadCore();
const db = await openDatabase({ databaseUrl, dataDir });
const collector = await startCollector({
  db,
  core,
  host: values.host,
  port: Number(values.port),
  allow: parseAllowList(values.allow),
  maxBodyBytes: Number(values['max-body-bytes']),
  maxRecordBytes: Number(values['max-record-bytes']),
  maxAgeMs: Number(values['max-age-s']) * 1000,
  foldCacheRecords: Number(values['fold-cache-records']),
  writeConcurrency: values['write-concurrency'] === '' ? null : Number(values['write-concurrency']),
  log: (line) => console.error(line),
});
const where = databaseUrl ? 'postgresql server' : `pglite ${dataDir}`;
console.log(`collector listening on ${collector.url} (${where})`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await collector.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
