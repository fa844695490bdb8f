// Faults and load (issue #13): 50 simulated clients, each the package's real batcher + httpSink signing with its own
// wallet, send 100,000 events of 200 meetings through a proxy that drops 30% of connections (half before the
// collector sees the request, half after it answered), answers 5% with 503 and 5% with 429, and forwards 5% twice;
// an attacker replays captured batches as they were, re-signed with its own key, altered, unsigned, and sends
// forged batches claiming the clients' addresses; the collector process is killed with SIGKILL and restarted twice
// mid-run. Afterwards: every event is in the log exactly once with its client's signer, nothing of the attacker's
// is, and the derived tables equal core.meetings.summarize of the log. Prints the counts.
// Backend: the PostgreSQL server by default; COLLECTOR_FAULTS_BACKEND=pglite runs it on the embedded one.
// Size: COLLECTOR_FAULTS_EVENTS (100000), COLLECTOR_FAULTS_CLIENTS (50).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpSink, signBatch } from '@convene/core';
import { openDatabase } from '../../tools/collector/src/db.js';
import { derivedAndFold, loadCore } from './collector-helpers.js';
import { prng } from './helpers.js';
import { postgresAvailable, startPostgres } from './collector-postgres.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EVENTS = Number(process.env.COLLECTOR_FAULTS_EVENTS ?? 100000);
const CLIENTS = Number(process.env.COLLECTOR_FAULTS_CLIENTS ?? 50);
const MEETINGS = Math.max(CLIENTS, Math.round(EVENTS / 500));
const BACKEND = process.env.COLLECTOR_FAULTS_BACKEND ?? (postgresAvailable() ? 'postgres' : 'pglite');

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

/** The collector as a child process on a fixed port, so that it can be killed and started again. */
function collectorProcess(port, env) {
  let child = null;
  const start = () => new Promise((resolve, reject) => {
    child = spawn(process.execPath, [path.join(ROOT, 'tools/collector/bin/collector.js'), '--port', String(port), ...env.args],
      { cwd: ROOT, env: { ...process.env, ...env.vars }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('collector listening on')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`collector exited (${code ?? signal}) before listening: ${out}`)));
  });
  return {
    start,
    kill() {
      const c = child;
      return new Promise((resolve) => {
        c.once('exit', resolve);
        c.kill('SIGKILL');
      });
    },
    stop() {
      const c = child;
      if (!c || c.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        c.once('exit', resolve);
        c.kill('SIGTERM');
      });
    },
  };
}

test(`faults and load: ${CLIENTS} clients, ${EVENTS} events, ${MEETINGS} meetings, drops, 5xx/429, replays, forgeries, two SIGKILLs (${BACKEND})`, { timeout: 600_000 }, async () => {
  const t0 = Date.now();
  const core = await loadCore();
  const random = prng(13);
  let pg = null;
  let dataDir = null;
  const env = { args: [], vars: { DATABASE_URL: '' } };
  if (BACKEND === 'postgres') {
    pg = await startPostgres();
    env.vars.DATABASE_URL = pg.url;
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'convene-collector-'));
    env.args.push('--data-dir', dataDir);
  }
  const upstreamPort = await freePort();
  const collector = collectorProcess(upstreamPort, env);
  await collector.start();

  // --- the proxy ------------------------------------------------------------------------------------
  const n = { requests: 0, dropBefore: 0, dropAfter: 0, s503: 0, s429: 0, doubled: 0, upstreamDown: 0, forwarded: 0 };
  const captured = []; // signed batches the collector answered 200: material for the attacker
  const forward = (req, bodyBuf) => new Promise((resolve, reject) => {
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url,
      headers: { ...req.headers, host: `127.0.0.1:${upstreamPort}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    up.on('error', reject);
    up.end(bodyBuf);
  });
  const proxy = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      n.requests++;
      const bodyBuf = Buffer.concat(chunks);
      const x = random();
      if (x < 0.15) {
        n.dropBefore++;
        req.socket.destroy();
        return;
      }
      if (x < 0.20) {
        n.s503++;
        res.writeHead(503, { 'retry-after': '0' }).end();
        return;
      }
      if (x < 0.25) {
        n.s429++;
        res.writeHead(429, { 'retry-after': '0' }).end();
        return;
      }
      try {
        if (x < 0.30) {
          n.doubled++;
          await forward(req, bodyBuf).catch(() => {});
        }
        const r = await forward(req, bodyBuf);
        n.forwarded++;
        if (r.status === 200 && captured.length < 400 && random() < 0.3) captured.push({ body: bodyBuf, headers: req.headers });
        if (x < 0.45) {
          n.dropAfter++; // stored, but the answer is lost: the client sends it again
          req.socket.destroy();
          return;
        }
        res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers['retry-after'] ? { 'retry-after': r.headers['retry-after'] } : {}) });
        res.end(r.body);
      } catch {
        n.upstreamDown++; // the collector is down (killed): a network failure for the client
        req.socket.destroy();
      }
    });
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${proxy.address().port}/api/meetings/events`;

  // --- clients --------------------------------------------------------------------------------------
  const wallets = [];
  for (let i = 0; i < CLIENTS + 1; i++) {
    const key = `0x${(i + 1).toString(16).padStart(64, '0')}`;
    const { keystore } = await core.wallet.importKey(key, 'faults', { kdf: { opslimit: 1, memlimitKiB: 8 } });
    wallets.push(await core.wallet.unlock(keystore, 'faults'));
  }
  const attacker = wallets.pop();
  const owner = new Map(); // eventId -> address of the client that pushed it
  let pushed = 0;
  let delivered = 0;
  const perClient = Math.ceil(EVENTS / CLIENTS);
  const batchers = wallets.map((w) => core.events.createBatcher({
    send: httpSink(proxyUrl, { signer: w, timeoutMs: 10_000 }),
    // Batches of up to 250 events (about 48 KB, under the 60 KiB body cap): fewer, fuller requests keep the run short.
    flushAt: 250, maxBatchEvents: 250, flushIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 300,
    lifecycle: null, document: null,
    onRejected: (records, status) => assert.fail(`a batch of ${records.length} was given up with ${status}`),
  }));
  // Each client is one participant's browser in MEETINGS / CLIENTS meetings, its events spread over them.
  const meetingsOf = (c) => Array.from({ length: MEETINGS / CLIENTS }, (_, k) => `fm-${k * CLIENTS + c}`);
  async function runClient(c) {
    const b = batchers[c];
    const me = `p${c}`;
    const meetings = meetingsOf(c);
    let i = 0;
    const push = (name, payload, meetingId) => {
      const id = b.push(name, payload, { meetingId, participantId: me });
      if (!owner.has(id)) { // a push the batcher took as a duplicate returns the earlier event's id
        owner.set(id, wallets[c].address);
        pushed++;
        i++;
      }
    };
    for (const m of meetings) push('videoConferenceJoined', { id: me, roomName: m, displayName: `Client ${c}` }, m);
    while (i < perClient - meetings.length) {
      const m = meetings[Math.floor(random() * meetings.length)];
      const y = random();
      if (y < 0.4) push('audioMuteStatusChanged', { muted: (i & 1) === 0 }, m);
      else if (y < 0.6) push('dominantSpeakerChanged', { id: `p${(c + i) % CLIENTS}` }, m);
      else if (y < 0.8) push('participantJoined', { id: `g${i}`, displayName: `Guest ${i}` }, m);
      else push('raiseHandUpdated', { id: me, handRaised: i & 1 }, m);
      if (i % 250 === 0) await new Promise((resolve) => setTimeout(resolve, 5)); // a client is not a firehose
    }
    for (const m of meetings) push('videoConferenceLeft', { roomName: m }, m);
    for (;;) {
      const { pending } = await b.flush();
      if (pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await b.close();
    delivered += 1;
  }

  // --- the attacker ---------------------------------------------------------------------------------
  const a = { replayed: 0, replayed200: 0, resigned: 0, resigned409: 0, altered: 0, unsigned: 0, claimed: 0, refused: 0 };
  const forgedIds = new Set();
  const direct = (body, headers) => fetch(`http://127.0.0.1:${upstreamPort}/api/meetings/events`, { method: 'POST', body, headers })
    .then(async (r) => ({ status: r.status, body: await r.text() })).catch(() => null);
  const plain = { 'content-type': 'application/json' };
  async function attack() {
    if (!captured.length) return;
    const { body, headers } = captured[Math.floor(random() * captured.length)];
    const sig = { 'convene-signer': headers['convene-signer'], 'convene-signature': headers['convene-signature'], 'convene-signed-at': headers['convene-signed-at'] };
    let r = await direct(body, { ...plain, ...sig });
    if (r) {
      a.replayed++;
      if (r.status === 200) a.replayed200++;
    }
    const resigned = signBatch(attacker, body);
    r = await direct(body, { ...plain, 'convene-signer': attacker.address, 'convene-signature': resigned.signature, 'convene-signed-at': String(resigned.signedAt) });
    if (r) {
      a.resigned++;
      if (r.status === 207 && JSON.parse(r.body).results.every((x) => x.status === 409)) a.resigned409++;
    }
    // Fresh events the attacker makes up: altered under a client's signature, unsigned, and signed by the attacker
    // while claiming a client's address.
    const fake = core.events.normalize('participantLeft', { id: `victim-${a.altered}` }, { meetingId: 'fm-0', participantId: 'x', now: Date.now() });
    forgedIds.add(fake.eventId);
    const text = JSON.stringify({ events: [fake] });
    for (const [kind, h] of [['altered', sig], ['unsigned', {}],
      ['claimed', { 'convene-signer': headers['convene-signer'], 'convene-signature': signBatch(attacker, text).signature, 'convene-signed-at': String(Date.now()) }]]) {
      r = await direct(text, { ...plain, ...h });
      if (r) {
        a[kind]++;
        if (r.status === 401) a.refused++;
      }
    }
  }

  // --- run, with two SIGKILLs ---------------------------------------------------------------------------
  const kills = [];
  let running = true;
  const chaos = (async () => {
    // Mid-delivery: after about 30% and 60% of the batches the run needs (EVENTS / 250) were forwarded.
    for (const at of [0.3, 0.6]) {
      const mark = Math.max(3, Math.round((EVENTS / 250) * at));
      while (running && n.forwarded < mark) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!running) break;
      await collector.kill();
      kills.push({ atRequests: n.requests, forwarded: n.forwarded });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await collector.start();
    }
  })();
  const attacks = (async () => {
    while (running) {
      await attack();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await Promise.all(batchers.map((_, c) => runClient(c)));
  running = false;
  await chaos;
  await attacks;
  for (let k = 0; k < 20; k++) await attack();
  const runMs = Date.now() - t0;
  await collector.stop();
  await new Promise((resolve) => proxy.close(resolve));

  // --- what is stored -------------------------------------------------------------------------------
  const db = await openDatabase(BACKEND === 'postgres' ? { databaseUrl: pg.url } : { dataDir });
  try {
    const rows = (await db.query('SELECT event_id, signer FROM meeting_events')).rows;
    const dupes = (await db.query('SELECT count(*)::int AS n FROM (SELECT event_id FROM meeting_events GROUP BY event_id HAVING count(*) > 1) d')).rows[0].n;
    let wrongSigner = 0;
    let unknown = 0;
    for (const r of rows) {
      const want = owner.get(r.event_id);
      if (want === undefined) unknown++;
      else if (want !== r.signer) wrongSigner++;
    }
    const forgedStored = rows.filter((r) => forgedIds.has(r.event_id) || r.signer === attacker.address).length;
    const { stored, folded, events } = await derivedAndFold(db, core);
    console.log(`faults (${BACKEND}): ${CLIENTS} clients, ${MEETINGS} meetings, ${pushed} events pushed, ${rows.length} in the log, `
      + `${dupes} duplicated, ${unknown} unknown, ${wrongSigner} with a wrong signer, ${forgedStored} forged; `
      + `${Object.keys(stored).length} meetings derived (${Object.keys(folded).length} in the fold of the log)`);
    console.log(`faults proxy: ${n.requests} requests, ${n.dropBefore} dropped before the collector, ${n.dropAfter} dropped after it answered, `
      + `${n.s503} 503, ${n.s429} 429, ${n.doubled} forwarded twice, ${n.upstreamDown} while the collector was down; `
      + `SIGKILL at requests ${kills.map((k) => `${k.atRequests} (${k.forwarded} forwarded)`).join(', ')}`);
    console.log(`faults attacker: ${a.replayed} replays (${a.replayed200} answered 200, storing nothing new), ${a.resigned} re-signed (${a.resigned409} all-409), `
      + `${a.altered} altered + ${a.unsigned} unsigned + ${a.claimed} claiming a client's address (${a.refused} refused with 401); run ${(runMs / 1000).toFixed(1)} s`);
    assert.equal(pushed, EVENTS);
    assert.equal(rows.length, pushed, 'every event once');
    assert.equal(events, pushed);
    assert.equal(dupes, 0);
    assert.equal(unknown, 0);
    assert.equal(wrongSigner, 0);
    assert.equal(forgedStored, 0);
    assert.equal(kills.length, 2);
    assert.equal(a.refused, a.altered + a.unsigned + a.claimed);
    assert.equal(a.resigned409, a.resigned);
    assert.equal(a.replayed200, a.replayed);
    // Dropped connections as the clients see them: by the proxy (30% of requests), and while the collector was down.
    assert.ok(n.dropBefore + n.dropAfter + n.upstreamDown > 0.25 * n.requests, 'at least 25% of connections dropped');
    assert.deepEqual(stored, folded, 'derived tables = the fold of the log');
  } finally {
    await db.close();
    pg?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});
