// Fault injection: 10,000 events across 5 meetings through the real batcher and
// httpSink to a collector on 127.0.0.1 that deduplicates on eventId and misbehaves:
// 30% 5xx, 5% 429 with Retry-After: 1, 3% dropped connections (0.5% after storing,
// so the response is lost), 0-25 ms latency; three page reloads mid-stream (pagehide:
// beacon + storage, then a new batcher replays from the same storage).
// Pass: every event arrives exactly once after dedup, per-meeting order is kept, the
// unload beacons stay within the keepalive quota, and every duplicate on the wire is one
// that at-least-once delivery must send (docs/events.md#unload-persistence-tabs): a resend
// of events whose earlier copy was stored while its response never reached the live page
// (dropped after storing, or the request cancelled by pagehide), or the next load's replay
// of events beaconed on pagehide (they also stay stored). A duplicate of an acknowledged
// send is a defect. (How many there are depends on the batches the faults hit: a lost
// response of a 400-event backlog body is 400 duplicates; an earlier version of this test
// bounded them at 1% of the wire and failed when a large body's response was lost.)
// "Acknowledged" is judged where the acknowledgement lands, in the page: the sends are
// logged on the client (a 2xx the sink returned before the page's pagehide), and a defect is
// another copy of an acknowledged event sent after that send began, or two sends of one event
// in flight at once (pagehide ends the requests it cancels). The collector cannot
// tell: a request cancelled by pagehide may still be stored and answered 200 when the
// collector sees the cancellation only later (same process, next poll); an earlier version
// judged on the collector's side and, about one run in five, counted such a batch's
// replay as a defect.
// Bounded: the test gives up after 85 s (about 50 s when healthy). Pushes arrive at
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
  const stats = { requests: 0, ok: 0, s5xx: 0, s429: 0, dropped: 0, droppedAfterStore: 0, aborted: 0, wire: 0, dup: 0,
    dupOfLost: 0, dupOfBeaconed: 0, beaconedEvents: 0 };
  const seen = new Set();
  // eventId -> why a copy of it was stored that the sender could not know of: 'lost' (stored, then the response
  // was lost) or 'beacon' (fire-and-forget on pagehide, also kept for the next load).
  const unacknowledged = new Map();
  const order = new Map(); // meetingId -> seqs in first-arrival order
  /** `why`: null for an acknowledged send, else 'lost' or 'beacon' (above). */
  const store = (events, why) => {
    for (const e of events) {
      stats.wire++;
      if (why === 'beacon') stats.beaconedEvents++;
      const prior = unacknowledged.get(e.eventId);
      if (why) unacknowledged.set(e.eventId, why);
      if (seen.has(e.eventId)) {
        stats.dup++;
        if (prior === 'lost') stats.dupOfLost++;
        else if (prior === 'beacon') stats.dupOfBeaconed++;
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
        const viaBeacon = req.url.includes('via=beacon');
        if (r < 0.025) {
          stats.dropped++;
          req.socket.destroy();
        } else if (r < 0.03) {
          stats.droppedAfterStore++;
          store(events, viaBeacon ? 'beacon' : 'lost');
          req.socket.destroy();
        } else if (r < 0.08) {
          stats.s429++;
          res.writeHead(429, { 'retry-after': '1' }).end();
        } else if (r < 0.38) {
          stats.s5xx++;
          res.writeHead([500, 502, 503][Math.floor(r * 1000) % 3]).end();
        } else {
          stats.ok++;
          store(events, viaBeacon ? 'beacon' : null);
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
  // navigator.sendBeacon as a browser has it: fire-and-forget, true when queued. Marked in the URL so that the
  // collector can tell the beacons' events from the sends', and measured against the keepalive quota per reload.
  const beaconBytes = [0];
  const sendBeacon = (target, data) => {
    const isText = typeof data === 'string';
    beaconBytes[beaconBytes.length - 1] += isText ? Buffer.byteLength(data) : data.size;
    (isText ? Promise.resolve(data) : data.text()).then((text) => {
      const req = http.request(`${target}${target.includes('?') ? '&' : '?'}via=beacon`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', () => {});
      req.on('response', (res) => res.resume());
      req.end(text);
    });
    return true;
  };
  const sink = httpSink(collector.url, { timeoutMs: 5000, sendBeacon });
  // The page's own record of its sends: per eventId, each copy as [sent, ended, acked] on a logical clock.
  // `generation` counts pagehides: a 2xx that returns after the page went away acknowledges nothing.
  const ledger = new Map();
  let clock = 0;
  let generation = 0;
  const inFlight = new Set(); // the copies of each send not settled yet
  const logCopy = (events, ended, acked) => {
    for (const e of events) {
      if (!ledger.has(e.eventId)) ledger.set(e.eventId, []);
      ledger.get(e.eventId).push({ sent: clock, ended, acked, beacon: true });
    }
  };
  const send = async (events, options) => {
    const copies = events.map(() => ({ sent: ++clock, ended: Infinity, acked: false, beacon: false }));
    events.forEach((e, k) => {
      if (!ledger.has(e.eventId)) ledger.set(e.eventId, []);
      ledger.get(e.eventId).push(copies[k]);
    });
    const sentIn = generation;
    inFlight.add(copies);
    try {
      const res = await sink(events, options);
      const acked = res.status >= 200 && res.status < 300 && sentIn === generation;
      for (const c of copies) Object.assign(c, { ended: Math.min(c.ended, ++clock), acked });
      return res;
    } catch (err) {
      for (const c of copies) c.ended = Math.min(c.ended, ++clock);
      throw err;
    } finally {
      inFlight.delete(copies);
    }
  };
  /** pagehide cancels every request in flight: for the page they end there, whenever their promises settle. */
  const cancelInFlight = () => {
    ++clock;
    for (const copies of inFlight) for (const c of copies) c.ended = Math.min(c.ended, clock);
  };
  send.beacon = (body) => {
    const accepted = sink.beacon(body);
    if (accepted) logCopy(JSON.parse(body).events, ++clock, false); // fire-and-forget: handed off at once
    return accepted;
  };
  const make = () => core.events.createBatcher({
    send, storage, locks: null, lifecycle: null, document: null,
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
        generation++;
        cancelInFlight();
        batcher.pagehide(); // what the browser fires on reload: beacon + storage
        beaconBytes.push(0);
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
  const others = s.dup - s.dupOfLost - s.dupOfBeaconed; // the collector's guess (see the header): logged, not judged
  // The defects: a copy of an acknowledged event sent after, or still in flight when, the acknowledged send began;
  // and two sends of one event in flight at once, acknowledged or not (a beacon is handed to the browser at pagehide,
  // when the cancelled request has not settled yet: only sends through the sink are compared).
  const defects = [];
  for (const [eventId, copies] of ledger) {
    for (const a of copies.filter((c) => c.acked)) {
      for (const c of copies) if (c !== a && c.ended > a.sent) defects.push(`${eventId}: a copy sent at ${c.sent} next to the one sent at ${a.sent} and acknowledged at ${a.ended}`);
    }
    const sends = copies.filter((c) => !c.beacon);
    for (let k = 1; k < sends.length; k++) {
      if (sends[k].sent < sends[k - 1].ended) defects.push(`${eventId}: sent at ${sends[k].sent} while the copy sent at ${sends[k - 1].sent} was in flight`);
    }
  }
  const sends = [...ledger.values()].reduce((n, copies) => n + copies.length, 0);
  console.log(`fault injection: ${TOTAL} events, ${MEETINGS} meetings, ${reloads} reloads (${replayed} events replayed from storage), ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  requests ${s.requests}: 200 ${s.ok}, 5xx ${s.s5xx}, 429 ${s.s429}, dropped ${s.dropped}, ` +
    `dropped after store ${s.droppedAfterStore}, aborted by pagehide ${s.aborted}`);
  console.log(`  events on the wire ${s.wire}, unique ${collector.seen.size}, duplicates ${s.dup} (${dupPct.toFixed(2)}%): ` +
    `${s.dupOfLost} resends after a lost response, ${s.dupOfBeaconed} replays of beaconed events, ${others} others ` +
    `(stored from a request the page had cancelled); beaconed ${s.beaconedEvents} events, bytes per reload ${beaconBytes.slice(0, -1).join(', ')}`);
  console.log(`  the page sent ${sends} event copies, ${ledger.size} events; copies of acknowledged events sent again: ${defects.length}`);

  assert.equal(reloads, 3);
  assert.equal(collector.seen.size, TOTAL, 'every event arrives');
  for (const [meeting, seqs] of collector.order) {
    for (let k = 1; k < seqs.length; k++) assert.ok(seqs[k] > seqs[k - 1], `${meeting}: #${seqs[k]} after #${seqs[k - 1]}`);
    assert.equal(seqs.length, TOTAL / MEETINGS);
  }
  assert.ok(s.s5xx > 0 && s.s429 > 0 && s.dropped > 0, 'faults were injected');
  for (const bytes of beaconBytes.slice(0, -1)) assert.ok(bytes <= 64 * 1024, `a reload beaconed ${bytes} bytes: within the 64 KiB keepalive quota`);
  assert.equal(beaconBytes.at(-1), 0, 'nothing beaconed but on pagehide');
  assert.equal(ledger.size, TOTAL, 'the page sent every event');
  assert.deepEqual(defects.slice(0, 5), [], 'every duplicate resends a copy whose acknowledgement the page never had');
});
