// Fault injection: 10,000 events across 5 meetings through the real batcher and
// httpSink to a collector on 127.0.0.1 that deduplicates on eventId and misbehaves:
// 30% 5xx, 5% 429 with Retry-After: 1, 3% dropped connections (0.5% after storing,
// so the response is lost), 0-25 ms latency; three page reloads mid-stream (pagehide:
// beacon + storage, then a new batcher replays from the same storage).
// Pass: every event arrives exactly once after dedup, per-meeting order is kept,
// wire duplicates < 1%. Bounded: the test gives up after 85 s (about 50 s when healthy). Pushes arrive at
// ~1,000 events/s, in bursts of 10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadCore, httpSink, memoryStorage } from '@convene/core';
import { prng } from './helpers.js';

const TOTAL = 10000;
const MEETINGS = 5;
const RELOAD_AT = [2500, 5000, 7500];

function startCollector(seed) {
  const rnd = prng(seed);
  const stats = { requests: 0, ok: 0, s5xx: 0, s429: 0, dropped: 0, droppedAfterStore: 0, aborted: 0, wire: 0, dup: 0 };
  const seen = new Set();
  const order = new Map(); // meetingId -> seqs in first-arrival order
  const store = (events) => {
    for (const e of events) {
      stats.wire++;
      if (seen.has(e.eventId)) {
        stats.dup++;
        continue;
      }
      seen.add(e.eventId);
      const seq = Number(/#(\d+)/.exec(e.payload.message ?? e.payload.displayName ?? '')?.[1]);
      if (!order.has(e.meetingId)) order.set(e.meetingId, []);
      order.get(e.meetingId).push(seq);
    }
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const r = rnd();
      setTimeout(() => {
        if (res.destroyed || req.socket.destroyed) {
          stats.aborted++; // the page went away (pagehide aborts the request in flight)
          return;
        }
        let events;
        try {
          events = JSON.parse(Buffer.concat(chunks).toString('utf8')).events;
        } catch {
          res.writeHead(400).end();
          return;
        }
        if (r < 0.025) {
          stats.dropped++;
          req.socket.destroy();
        } else if (r < 0.03) {
          stats.droppedAfterStore++;
          store(events);
          req.socket.destroy();
        } else if (r < 0.08) {
          stats.s429++;
          res.writeHead(429, { 'retry-after': '1' }).end();
        } else if (r < 0.38) {
          stats.s5xx++;
          res.writeHead([500, 502, 503][Math.floor(r * 1000) % 3]).end();
        } else {
          stats.ok++;
          store(events);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        }
      }, Math.floor(rnd() * 25));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, stats, seen, order, url: `http://127.0.0.1:${server.address().port}/api/meetings/events` }));
  });
}

test('fault injection: 10,000 events, 30% 5xx, 429 + Retry-After, dropped connections, 3 reloads', { timeout: 90000 }, async () => {
  const core = await loadCore();
  const collector = await startCollector(0xc0ffee);
  const storage = memoryStorage();
  const started = Date.now();
  const sink = httpSink(collector.url, { timeoutMs: 5000 });
  const make = () => core.events.createBatcher({
    send: sink, storage, locks: null, lifecycle: null, document: null,
    // Shorter backoff than the defaults (1 s..60 s) so the run stays bounded; same policy.
    backoffBaseMs: 200, backoffMaxMs: 2000,
  });
  let batcher = make();
  await batcher.ready;
  let reloads = 0;
  let replayed = 0;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    for (let i = 0; i < TOTAL; i++) {
      if (RELOAD_AT.includes(i)) {
        batcher.pagehide(); // what the browser fires on reload: beacon + storage
        batcher.abandon(); // the page is gone: timers and memory with it
        batcher = make();
        replayed += await batcher.ready;
        reloads++;
      }
      const meetingId = `meeting-${i % MEETINGS}`;
      if (i % 2) batcher.push('incomingMessage', { from: `p${i % 7}`, nick: 'n', message: `hello #${i}` }, { meetingId });
      else batcher.push('participantJoined', { id: `p${i}`, displayName: `user #${i}` }, { meetingId });
      if (i % 10 === 9) await sleep(10); // ~1,000 events/s: 20x the "typical load" in docs/sources.md#seed-003
    }
    while ((collector.seen.size < TOTAL || batcher.pending > 0) && Date.now() - started < 85000) await sleep(50);
    await batcher.close();
  } finally {
    collector.server.close();
    collector.server.closeAllConnections?.();
  }
  const s = collector.stats;
  const dupPct = (100 * s.dup) / s.wire;
  console.log(`fault injection: ${TOTAL} events, ${MEETINGS} meetings, ${reloads} reloads (${replayed} events replayed from storage), ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  requests ${s.requests}: 200 ${s.ok}, 5xx ${s.s5xx}, 429 ${s.s429}, dropped ${s.dropped}, ` +
    `dropped after store ${s.droppedAfterStore}, aborted by pagehide ${s.aborted}`);
  console.log(`  events on the wire ${s.wire}, unique ${collector.seen.size}, duplicates ${s.dup} (${dupPct.toFixed(2)}%)`);

  assert.equal(reloads, 3);
  assert.equal(collector.seen.size, TOTAL, 'every event arrives');
  for (const [meeting, seqs] of collector.order) {
    for (let k = 1; k < seqs.length; k++) assert.ok(seqs[k] > seqs[k - 1], `${meeting}: #${seqs[k]} after #${seqs[k - 1]}`);
    assert.equal(seqs.length, TOTAL / MEETINGS);
  }
  assert.ok(s.s5xx > 0 && s.s429 > 0 && s.dropped > 0, 'faults were injected');
  assert.ok(dupPct < 1, `duplicates on the wire ${dupPct.toFixed(2)}% < 1%`);
});
