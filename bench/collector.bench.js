// Benchmark (not a test): events per second through the collector (HTTP, signature check, core validation,
// log insert, derived tables brought to the fold) against the same rows inserted directly with node-postgres / PGlite in one
// multi-row `INSERT ... ON CONFLICT DO NOTHING` per batch, into the same database in the same run, on PGlite and on
// a PostgreSQL 15 server started in a temporary folder. Prints events/s and the ratio (direct / collector) as the
// median of BENCH_ROUNDS interleaved rounds (default 5, after a warm-up round of each), the senders (HTTP clients
// standing for browsers) in a worker thread, node:http (SENDER) or prebuilt requests (RAW_SENDER); and once, the
// senders in the collector's process.
// It also measures the collector's group commit (docs/collector.md#group-commit) against the same collector storing one
// batch per statement (writeConcurrency = the senders' concurrency), in the same run.
//   NODE_PATH=/usr/share/nodejs node bench/collector.bench.js [events=20000] [batch=50] [eventsPerMeeting=500] [concurrency=8]
//   (batch=5 is what the package's batcher sends: 5 events or 2 seconds)
//   BENCH_BACKENDS=postgres (or pglite) runs one backend only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { loadCore, signBatch } from '@convene/core';
import { verifyBatch } from '../tools/collector/src/auth.js';
import { startCollector } from '../tools/collector/src/server.js';
import { createFoldState, ingest } from '../tools/collector/src/store.js';
import { backends, signers } from '../tests/node/collector-helpers.js';

const [EVENTS = 20000, BATCH = 50, PER_MEETING = 500, CONCURRENCY = 8] = process.argv.slice(2).map(Number);
const core = await loadCore();
const [signer] = await signers(core);

/** Records of EVENTS / PER_MEETING meetings, the meeting mix of a real call, grouped into batches of one meeting. */
function batches(tag) {
  const meetings = Math.max(1, Math.round(EVENTS / PER_MEETING));
  const out = [];
  const names = [['audioMuteStatusChanged', (i) => ({ muted: i % 2 === 0 })], ['dominantSpeakerChanged', (i) => ({ id: `p${i % 6}` })],
    ['raiseHandUpdated', (i) => ({ id: `p${i % 6}`, handRaised: i % 2 })], ['participantJoined', (i) => ({ id: `p${i % 6}`, displayName: `P ${i % 6}` })]];
  const t0 = Date.UTC(2026, 10, 2, 9);
  for (let k = 0; k < EVENTS; k += BATCH) {
    const meetingId = `${tag}-m${(k / BATCH) % meetings}`;
    const events = [];
    for (let i = k; i < Math.min(EVENTS, k + BATCH); i++) {
      const [name, payload] = names[i % names.length];
      events.push(core.events.normalize(name, payload(i), { meetingId, participantId: `p${i % 6}`, now: t0 + i * 10 }));
    }
    out.push(events);
  }
  return out;
}

// CPU time per batch (Linux: /proc), to see where a path's work goes on this machine's cores: this process's
// threads by name — the main thread, the sender Worker when there is one, V8's helpers (garbage collection,
// compilation) and libuv's pool — and PostgreSQL's processes (server backend only; PGlite runs in the main thread).
const TICK_MS = 10; // USER_HZ = 100 on Linux
function threadTicks() {
  const out = new Map();
  if (!existsSync('/proc/self/task')) return out;
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(id, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended
    }
  }
  return out;
}
function postgresTicks() {
  let t = 0;
  if (!existsSync('/proc')) return t;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (!st.includes('(postgres)')) continue;
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended
    }
  }
  return t;
}
const MAIN_TID = existsSync('/proc/self/task') ? String(process.pid) : null;
/** Starts a CPU measurement; the returned function gives ms of CPU per batch: { main, otherThreads, postgres }. */
function cpuMeter() {
  const t0 = threadTicks();
  const p0 = postgresTicks();
  return (batches) => {
    const t1 = threadTicks();
    let main = 0;
    let other = 0;
    for (const [id, ticks] of t1) {
      const d = (ticks - (t0.get(id) ?? 0)) * TICK_MS;
      if (id === MAIN_TID) main += d;
      else other += d;
    }
    return { main: main / batches, otherThreads: other / batches, postgres: ((postgresTicks() - p0) * TICK_MS) / batches };
  };
}
const cpuText = (c) => `main thread ${c.main.toFixed(2)}, other threads of this process ${c.otherThreads.toFixed(2)}, PostgreSQL ${c.postgres.toFixed(2)}`;
const cpu = {};
/** Runs so far: each run's records get ids of their own (`batches(tag)`), so every round inserts fresh rows. */
let runs = 0;

async function pool(items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

// The senders stand for browsers, which run elsewhere: the collector's work is the same whoever sends. Two forms:
// - 'process': fetch in the collector's own process (the bench's first form): the client's CPU (undici's fetch, about
//   0.6 ms a batch here) shares the collector's event loop and core, and is counted as the collector's;
// - 'worker': a worker thread (its own event loop) posting with node:http and a keep-alive agent, a lighter client
//   than fetch. Its CPU still comes from this machine's cores, as PostgreSQL's does, so the client is not free;
// - 'raw': a worker thread writing each request's bytes, built before the clock starts, on CONCURRENCY keep-alive
//   sockets and reading the answers' status and length only: what HTTP load generators such as wrk do, the
//   lightest client (about half of node:http's CPU per batch here), the nearest this machine gets to senders that
//   run elsewhere. The collector's own work is the same as with the others (same requests, same answers).
// The same pool of CONCURRENCY senders over the same signed bodies in every form.
const SENDER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
function post(url, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
parentPort.on('message', async ({ url, bodies, concurrency }) => {
  try {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const { body, headers } = bodies[next++];
        const status = await post(url, body, headers);
        if (status !== 200) throw new Error('collector answered ' + status);
      }
    }));
    parentPort.postMessage({ ok: true });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err) });
  }
});`;
const RAW_SENDER = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
function connection(host, port) {
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let waiting = null;
  socket.on('error', (err) => waiting?.reject(err));
  socket.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      const end = buf.indexOf('\\r\\n\\r\\n');
      if (end < 0) return;
      const head = buf.latin1Slice(0, end);
      const m = /content-length: *(\\d+)/i.exec(head);
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (buf.length < total) return;
      buf = buf.subarray(total);
      const w = waiting;
      waiting = null;
      w.resolve(Number(head.slice(9, 12)));
    }
  });
  return {
    send: (bytes) => new Promise((resolve, reject) => { waiting = { resolve, reject }; socket.write(bytes); }),
    close: () => socket.end(),
  };
}
parentPort.on('message', async ({ host, port, requests, concurrency }) => {
  try {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      const c = connection(host, port);
      try {
        while (next < requests.length) {
          const status = await c.send(requests[next++]);
          if (status !== 200) throw new Error('collector answered ' + status);
        }
      } finally {
        c.close();
      }
    }));
    parentPort.postMessage({ ok: true });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err) });
  }
});`;
const workers = {};
function inWorker(kind, message) {
  workers[kind] ??= new Worker(kind === 'raw' ? RAW_SENDER : SENDER, { eval: true });
  return new Promise((resolve, reject) => {
    workers[kind].once('message', (m) => (m.ok ? resolve() : reject(new Error(m.error))));
    workers[kind].postMessage(message);
  });
}
/** A request's bytes as the raw sender writes them: HTTP/1.1, keep-alive (the default), the batch's headers. */
function requestBytes(url, { body, headers }) {
  const u = new URL(url);
  const lines = Object.entries({ ...headers, 'content-length': Buffer.byteLength(body) }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return Buffer.from(`POST ${u.pathname} HTTP/1.1\r\nhost: ${u.host}\r\n${lines}\r\n${body}`);
}

/** Events/s through the collector; `senders`: 'process' (the collector's own), 'worker' (a worker thread, node:http)
 *  or 'raw' (a worker thread writing prebuilt requests);
 *  `writeConcurrency`: the collector's (default: its default, group commit; CONCURRENCY: as many statements in flight
 *  as senders, so no batch waits for another: one statement per batch). */
async function viaCollector(db, senders = 'process', writeConcurrency = undefined) {
  const c = await startCollector({ db, core, writeConcurrency });
  const tag = senders === 'raw' ? 'r' : senders === 'worker' ? (writeConcurrency ? 'g' : 'w') : 'c';
  const run = `${tag}${++runs}`;
  const bodies = batches(run).map((events) => {
    const body = JSON.stringify({ events });
    const s = signBatch(signer, body);
    return { body, headers: { 'content-type': 'application/json', 'convene-signer': signer.address, 'convene-signature': s.signature, 'convene-signed-at': String(s.signedAt) } };
  });
  const url = `${c.url}/api/meetings/events`;
  const requests = senders === 'raw' ? bodies.map((b) => requestBytes(url, b)) : null;
  const meter = cpuMeter();
  const t = performance.now();
  if (senders === 'raw') {
    const u = new URL(c.url);
    await inWorker('raw', { host: u.hostname, port: Number(u.port), requests, concurrency: CONCURRENCY });
  } else if (senders === 'worker') {
    await inWorker('worker', { url, bodies, concurrency: CONCURRENCY });
  } else {
    await pool(bodies, async ({ body, headers }) => {
      const r = await fetch(url, { method: 'POST', body, headers });
      await r.text();
      if (r.status !== 200) throw new Error(`collector answered ${r.status}`);
    });
  }
  const s = (performance.now() - t) / 1000;
  cpu[tag] = meter(bodies.length);
  await c.close();
  return EVENTS / s;
}

async function direct(db) {
  const rows = batches(`d${++runs}`);
  const meter = cpuMeter();
  const t = performance.now();
  await pool(rows, async (events) => {
    const params = [];
    const values = events.map((r) => {
      params.push(r.eventId, r.meetingId, r.participantId ?? null, r.type, r.timestamp, signer.address, JSON.stringify(r));
      const b = params.length - 7;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
    });
    await db.query(`INSERT INTO meeting_events (event_id, meeting_id, participant_id, type, at, signer, record) VALUES ${values.join(', ')}
                    ON CONFLICT (event_id) DO NOTHING`, params);
  });
  const w = performance.now() - t;
  cpu.d = meter(rows.length);
  return EVENTS / (w / 1000);
}

/** Where one batch's time goes on the collector (ms per batch, same steps as a request, without HTTP), and the cost
 *  of a batch that finds its meeting's log ahead of the fold state (after a restart, or when another collector
 *  wrote): the statement is refused and the batch runs as a transaction that rebuilds the meeting from its log. */
async function stages(db) {
  const T = { 'signature (recover)': 0, 'store (check + fold + one statement)': 0, 'of which check + fold (core)': 0 };
  const list = batches('s');
  const state = createFoldState(core);
  for (const events of list) {
    const body = Buffer.from(JSON.stringify({ events }));
    const s = signBatch(signer, body);
    let t = performance.now();
    const v = await verifyBatch(body, { claimed: signer.address, signature: s.signature, signedAt: String(s.signedAt) },
      { now: Date.now(), maxAgeMs: 600_000, allow: null, core });
    T['signature (recover)'] += performance.now() - t;
    t = performance.now();
    await ingest(db, core, JSON.parse(body.toString('utf8')).events, v.signer, state, { maxRecordBytes: 16384 });
    T['store (check + fold + one statement)'] += performance.now() - t;
  }
  T['of which check + fold (core)'] = state.stats.foldMs;
  // Rebuilds: the last batch of each meeting again, with new eventIds, after forgetting the meeting.
  const meetings = new Map();
  for (const events of list) meetings.set(events[0].meetingId, events);
  let rebuild = 0;
  for (const [meetingId, events] of meetings) {
    state.forget([meetingId]);
    const again = events.map((r) => ({ ...r, eventId: `${r.eventId}-again` }));
    const t = performance.now();
    await ingest(db, core, again, signer.address, state, { maxRecordBytes: 16384 });
    rebuild += performance.now() - t;
  }
  const { fallbacks, rebuilds } = state.stats;
  state.dispose();
  return `${Object.entries(T).map(([k, v]) => `${k} ${(v / list.length).toFixed(2)}`).join(', ')}; a batch that rebuilds its meeting ${(rebuild / meetings.size).toFixed(2)} (fallbacks ${fallbacks}, rebuilds ${rebuilds})`;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(2)}x-${Math.max(...xs).toFixed(2)}x`;
console.log(`collector bench: ${EVENTS} events, batches of ${BATCH}, ${PER_MEETING} events per meeting, ${CONCURRENCY} concurrent senders, ${ROUNDS} rounds`);
const only = process.env.BENCH_BACKENDS?.split(',');
const list = (await backends()).filter((b) => !only || only.includes(b.name));
for (const b of list) {
  const db = await b.open();
  // A warm-up round of each path first (the first run of a path is always the slower: the JIT, the tables' first
  // pages), not counted. Then ROUNDS rounds of the direct insert and the collector with the two worker-thread
  // senders (node:http, raw), in an order that rotates from round to round so that a drift of this shared
  // machine's speed, or the tables growing (every run adds fresh ids), falls on every path: the result is the
  // median of the rounds' ratios. Then, once each: the senders in the collector's process, and the collector
  // storing one batch per statement (group commit's baseline).
  await direct(db);
  await viaCollector(db, 'worker');
  await viaCollector(db, 'raw');
  const rounds = [];
  const paths = ['direct', 'worker', 'raw'];
  for (let r = 0; r < ROUNDS; r++) {
    const got = {};
    for (let k = 0; k < paths.length; k++) {
      const path = paths[(r + k) % paths.length];
      got[path] = path === 'direct' ? await direct(db) : await viaCollector(db, path);
      got[`cpu-${path}`] = path === 'direct' ? cpu.d : cpu[path === 'raw' ? 'r' : 'w'];
    }
    rounds.push(got);
  }
  const c = await viaCollector(db, 'process');
  const g = await viaCollector(db, 'worker', CONCURRENCY);
  const d = median(rounds.map((x) => x.direct));
  const report = (path, label) => {
    const ratios = rounds.map((x) => x.direct / x[path]);
    const m = median(ratios);
    const mid = rounds[ratios.indexOf(m)];
    console.log(`${b.name.padEnd(8)} rounds, ${label} (direct / collector events/s): ${rounds.map((x) => `${x.direct.toFixed(0)} / ${x[path].toFixed(0)} = ${(x.direct / x[path]).toFixed(2)}x`).join('; ')}`);
    console.log(`${b.name.padEnd(8)} direct INSERT ${d.toFixed(0).padStart(7)} events/s   collector ${median(rounds.map((x) => x[path])).toFixed(0).padStart(7)} events/s (medians)   ratio ${m.toFixed(2)}x (median of ${ROUNDS} rounds; ${range(ratios)})   senders: ${label}`);
    if (MAIN_TID) console.log(`${b.name.padEnd(8)} CPU ms per batch (that median round): direct INSERT ${cpuText(mid['cpu-direct'])}; collector ${cpuText(mid[`cpu-${path}`])}`);
    return median(rounds.map((x) => x[path]));
  };
  const w = report('worker', 'a worker thread, node:http');
  report('raw', 'a worker thread, prebuilt requests on keep-alive sockets (like wrk)');
  console.log(`${b.name.padEnd(8)} ms per batch: direct INSERT ${(1000 * BATCH / d).toFixed(2)} (at its median throughput); collector steps one batch at a time: ${await stages(db)}`);
  console.log(`${b.name.padEnd(8)} collector ${c.toFixed(0).padStart(7)} events/s with the senders in the collector's process (fetch): ${(d / c).toFixed(2)}x the median direct INSERT`);
  console.log(`${b.name.padEnd(8)} group commit: ${(w / g).toFixed(2)}x the collector storing one batch per statement (${g.toFixed(0)} events/s; senders in a worker thread, node:http)`);
  await db.close();
}
for (const b of list) b.stop?.();
await Promise.all(Object.values(workers).map((w) => w.terminate()));
