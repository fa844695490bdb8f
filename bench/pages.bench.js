#!/usr/bin/env node
// Benchmark of issue #14 (not a test: it prints numbers, PASS/MISS against the targets, and never fails).
// Seeds the local Arkiv node (a child process, so its CPU is apart from the measuring client) through
// the real @arkiv-network/sdk with gatherings (past, upcoming, far-future), RSVPs with their
// confirmations, series with exceptions and 1:1 sessions; measures each page's data load through the
// app's own services (web/src/{gatherings,sessions,series}.js over web/src/arkiv.js) in Node, and the
// gatherings page in headless Chromium from navigation to the list rendered: time, JSON-RPC calls,
// bytes and entities read per page view. Then it seeds FACTOR times as much of what the pages do not
// show (past gatherings with their RSVPs and confirmations, far-future gatherings, sessions between
// other wallets and the viewer's past ones, older series, series' past exceptions) and measures again.
//
//   NODE_PATH=/usr/share/nodejs node bench/pages.bench.js [--scale 1] [--factor 10] [--runs 5] [--no-browser]
//
// --scale multiplies every base count (1 = 5,000 gatherings, 50,000 RSVPs + confirmations, 300 series,
// 2,000 sessions); --factor is "ten times as much of what the page does not show" (the same code path
// seeds any factor); --runs measured page views per page (after one warm-up), medians reported.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCore } from '@convene/core';
import { createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { keccak256, toHex } from 'viem';
import { createArkiv } from '../web/src/arkiv.js';
import { createGatheringService } from '../web/src/gatherings.js';
import { createSessionService } from '../web/src/sessions.js';
import { createSeriesService } from '../web/src/series.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    factor: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    'no-browser': { type: 'boolean', default: false },
    'keep-state': { type: 'boolean', default: false },
  },
});
const SCALE = Number(args.scale);
const FACTOR = Number(args.factor);
const RUNS = Math.max(1, Number(args.runs));
const SPACE = 'local-dev'; // the app's spaceId (web/src/config.js), so the Chromium run sees the same data
const DAY = 86_400_000;
const T0 = performance.now();
const elapsed = () => `${((performance.now() - T0) / 1000).toFixed(0)}s`;
const log = (...a) => console.log(`[${elapsed()}]`, ...a);

// ---- accounts: deterministic keys (keccak of a label), every account has a balance on the node --------
const account = (label) => privateKeyToAccount(keccak256(toHex(`convene-pages-bench:${label}`)));
const ORGANIZERS = Array.from({ length: 4 }, (_, i) => account(`organizer${i}`));
const ATTENDEES = Array.from({ length: 10 }, (_, i) => account(`attendee${i}`)); // one RSVP per attendee per gathering
const VIEWER = ATTENDEES[0]; // RSVPs to every gathering
const SESSION_VIEWER = account('session-viewer'); // many 1:1 sessions, as mentor and as learner
const PEERS = Array.from({ length: 8 }, (_, i) => account(`peer${i}`)); // the session viewer's counterparts and other wallets
const lc = (a) => a.address.toLowerCase();

// ---- the node, as a child process -----------------------------------------------------------------
async function startNode(statePath) {
  const bin = path.join(ROOT, 'tools/arkiv-node/bin/arkiv-node.js');
  // BENCH_NODE_ARGS: extra Node flags for the node's process (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const child = spawn(process.execPath, ['--max-old-space-size=6144', ...(process.env.BENCH_NODE_ARGS || '').split(' ').filter(Boolean), bin, '--port', '0', '--state', statePath, '--block-time-ms', '2000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`arkiv-node exited with ${code}`)));
  });
  return { child, url };
}

// ---- seeding: mutateEntities({creates}) batches, one sequence per account, accounts in parallel --------
const TX_BYTES = 120 * 1024; // the node's cap is 128 KiB on the signed (brotli-compressed) transaction
const MAX_OPS = 400;
const draftBytes = (d) => d.payload.length + d.contentType.length + d.attributes.reduce((n, a) => n + a.key.length + String(a.value).length + 4, 16);

/**
 * fetch for the seeding clients that survives a dropped connection ("fetch failed": a keep-alive socket
 * the node closed while the client reused it): the request is sent again; a raw transaction is first
 * looked up by its hash (keccak of the signed bytes), so one that landed is not sent twice.
 */
const net = { retries: 0 };
async function sturdyFetch(url, init) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (attempt >= 8) throw Object.assign(err, { message: `${err.message} (${err.cause && (err.cause.code || err.cause.message)})` });
      net.retries += 1;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      const body = init && typeof init.body === 'string' ? init.body : '';
      if (body.includes('eth_sendRawTransaction')) {
        const req = JSON.parse(body);
        const hash = keccak256(req.params[0]);
        const seen = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionByHash', params: [hash] }) })
          .then((r) => r.json())
          .catch(() => null);
        if (seen && seen.result) return new Response(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: hash }), { status: 200, headers: { 'content-type': 'application/json' } });
      }
    }
  }
}

function wallets(url) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } };
  const cache = new Map();
  return (acct) => {
    if (!cache.has(acct.address)) cache.set(acct.address, createWalletClient({ chain, transport: http(url, { timeout: 600_000, fetchFn: sturdyFetch }), account: acct, pollingInterval: 50 }));
    return cache.get(acct.address);
  };
}

/** Uncompressed-size batches; brotli makes the signed transaction several times smaller. */
function batches(drafts, budget = TX_BYTES * 3) {
  const out = [];
  let cur = [];
  let bytes = 0;
  for (const d of drafts) {
    const n = draftBytes(d);
    if (cur.length && (bytes + n > budget || cur.length >= MAX_OPS)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(d);
    bytes += n;
  }
  if (cur.length) out.push(cur);
  return out;
}

const phases = []; // { phase, size, entities, seconds, first, last }

/**
 * Writes `jobs` ([{ account, drafts }]) and returns each job's entity keys in draft order. Records
 * writes per second over the first and the last 10% of the phase.
 */
async function seed(walletOf, phase, size, jobs) {
  const total = jobs.reduce((n, j) => n + j.drafts.length, 0);
  if (!total) return jobs.map(() => []);
  const marks = [{ n: 0, t: performance.now() }];
  let done = 0;
  const keysOf = await Promise.all(
    jobs.map(async ({ account: acct, drafts }) => {
      const w = walletOf(acct);
      const keys = [];
      const send = async (batch) => {
        try {
          const { createdEntities } = await w.mutateEntities({ creates: batch });
          keys.push(...createdEntities);
          done += batch.length;
          marks.push({ n: done, t: performance.now() });
        } catch (err) {
          // Too large once compressed: halve (the rejected transaction used no nonce).
          if (batch.length > 1 && /128|too large|oversized|size/i.test(String(err && (err.details || err.message)))) {
            const mid = batch.length >> 1;
            await send(batch.slice(0, mid));
            await send(batch.slice(mid));
          } else throw err;
        }
      };
      for (const b of batches(drafts)) await send(b);
      return keys;
    }),
  );
  // Over whole transactions: from the last mark at or before `from` to the first at or after `to`.
  const rate = (from, to) => {
    const a = marks.findLast((m) => m.n <= from);
    const b = marks.find((m) => m.n >= Math.max(to, a.n + 1));
    return b.t > a.t ? ((b.n - a.n) / (b.t - a.t)) * 1000 : NaN;
  };
  const seconds = (marks.at(-1).t - marks[0].t) / 1000;
  const row = { phase, size, entities: total, seconds, overall: total / seconds, first: rate(0, total * 0.1), last: rate(total * 0.9, total) };
  phases.push(row);
  log(`seeded ${phase} (${size}): ${total} entities in ${seconds.toFixed(1)} s, ${row.overall.toFixed(0)}/s (first 10% ${row.first.toFixed(0)}/s, last 10% ${row.last.toFixed(0)}/s)`);
  return keysOf;
}

/** An SDK-shaped stored entity for a draft written by `signer` (what core.entities.parse reads). */
function asStored(draft, key, signer) {
  return {
    key,
    attributes: draft.attributes,
    payload: draft.payload,
    contentType: draft.contentType,
    creator: lc(signer),
    owner: lc(signer),
    createdAtBlock: 1n,
    lastModifiedAtBlock: 1n,
    transactionIndexInBlock: 0n,
    operationIndexInTransaction: 0n,
    expiresAtBlock: 10_000_000n,
  };
}

// ---- the data ---------------------------------------------------------------------------------------
const COMMUNITIES = ['rust', 'cooking', 'chess', 'hiking', 'poetry'];

/**
 * Gatherings `{ start, builtAt }[]` (one organizer each, round robin), then 10 RSVPs on each (one per
 * attendee, signed by the attendee) and each attendee's confirmation of their RSVP.
 */
async function seedGatherings(ctx, size, label, specs) {
  const { core, walletOf } = ctx;
  const byOrg = ORGANIZERS.map(() => []);
  specs.forEach((s, i) => {
    const org = i % ORGANIZERS.length;
    const draft = core.entities.build(
      'virtual_gathering',
      { organizerWallet: ORGANIZERS[org].address, community: COMMUNITIES[i % COMMUNITIES.length], title: `${label} ${i}`, description: `Gathering ${i} of the pages benchmark.`, sessionDate: new Date(s.start).toISOString(), duration: 60 + (i % 4) * 30 },
      { now: s.builtAt, spaceId: SPACE },
    );
    byOrg[org].push({ draft, spec: s });
  });
  const keys = await seed(walletOf, `${label} gatherings`, size, byOrg.map((list, o) => ({ account: ORGANIZERS[o], drafts: list.map((x) => x.draft) })));
  const parsed = [];
  byOrg.forEach((list, o) => list.forEach((x, j) => parsed.push({ gathering: core.entities.parse(asStored(x.draft, keys[o][j], ORGANIZERS[o])), builtAt: x.spec.builtAt, rsvps: x.spec.rsvps ?? 10 })));
  // RSVPs: attendee a RSVPs to every gathering that takes at least a+1 of them.
  const rsvpJobs = ATTENDEES.map((att) => ({ account: att, items: [] }));
  for (const p of parsed) {
    for (let a = 0; a < Math.min(p.rsvps, ATTENDEES.length); a++) {
      const draft = core.entities.build('gathering_rsvp', { gathering: p.gathering, attendeeWallet: ATTENDEES[a].address }, { now: p.builtAt, spaceId: SPACE });
      rsvpJobs[a].items.push({ draft, builtAt: p.builtAt });
    }
  }
  const rsvpKeys = await seed(walletOf, `${label} RSVPs`, size, rsvpJobs.map((j) => ({ account: j.account, drafts: j.items.map((x) => x.draft) })));
  const confJobs = rsvpJobs.map((j, a) => ({
    account: j.account,
    drafts: j.items.map((x, n) => {
      const session = core.entities.parse(asStored(x.draft, rsvpKeys[a][n], j.account));
      return core.sessions.planConfirmation({ session, by: j.account.address, confirmations: [], jitsi: [] }, { now: x.builtAt, spaceId: SPACE }).confirmation;
    }),
  }));
  await seed(walletOf, `${label} RSVP confirmations`, size, confJobs);
  return parsed.map((p) => p.gathering);
}

/** 1:1 sessions `{ mentor, learner, start, builtAt }[]`, signed by the learner, with the learner's confirmation. */
async function seedSessions(ctx, size, label, specs) {
  const { core, walletOf } = ctx;
  const byLearner = new Map();
  specs.forEach((s, i) => {
    const draft = core.entities.build(
      'session',
      { mentorWallet: s.mentor.address, learnerWallet: s.learner.address, skill: COMMUNITIES[i % COMMUNITIES.length], sessionDate: new Date(s.start).toISOString(), duration: 30 + (i % 3) * 15, notes: `session ${i}`, status: 'pending' },
      { now: s.builtAt, spaceId: SPACE },
    );
    if (!byLearner.has(s.learner.address)) byLearner.set(s.learner.address, { account: s.learner, items: [] });
    byLearner.get(s.learner.address).items.push({ draft, builtAt: s.builtAt });
  });
  const jobs = [...byLearner.values()];
  const keys = await seed(walletOf, `${label} sessions`, size, jobs.map((j) => ({ account: j.account, drafts: j.items.map((x) => x.draft) })));
  await seed(
    walletOf,
    `${label} session confirmations`,
    size,
    jobs.map((j, a) => ({
      account: j.account,
      drafts: j.items.map((x, n) => core.sessions.planConfirmation({ session: core.entities.parse(asStored(x.draft, keys[a][n], j.account)), by: j.account.address, confirmations: [], jitsi: [] }, { now: x.builtAt, spaceId: SPACE }).confirmation),
    })),
  );
}

/** Weekly series (DTSTART ~30 weeks back), `createdAt` = builtAt; returns the parsed series per organizer. */
async function seedSeries(ctx, size, label, specs) {
  const { core, walletOf } = ctx;
  const byOrg = ORGANIZERS.map(() => []);
  specs.forEach((s, i) => {
    const org = i % ORGANIZERS.length;
    const d = new Date(s.dtstart);
    const wall = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}T${String(17 + (i % 4)).padStart(2, '0')}0000`;
    const recurrence = `DTSTART;TZID=Europe/Berlin:${wall}\nRRULE:FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]}`;
    const draft = core.entities.build(
      'event_series',
      { organizerWallet: ORGANIZERS[org].address, community: COMMUNITIES[i % COMMUNITIES.length], title: `${label} series ${i}`, description: `Series ${i} of the pages benchmark.`, duration: 60, recurrence },
      { now: s.builtAt, spaceId: SPACE },
    );
    byOrg[org].push({ draft, recurrence });
  });
  const keys = await seed(walletOf, `${label} series`, size, byOrg.map((list, o) => ({ account: ORGANIZERS[o], drafts: list.map((x) => x.draft) })));
  return byOrg.flatMap((list, o) => list.map((x, j) => ({ org: o, series: core.entities.parse(asStored(x.draft, keys[o][j], ORGANIZERS[o])), recurrence: x.recurrence })));
}

/** Cancelled-occurrence exceptions: `past` occurrences before now and `upcoming` ones after, per series. */
async function seedExceptions(ctx, size, label, seriesList, { past, upcoming, skipPast = 0 }) {
  const { core, walletOf, now } = ctx;
  const byOrg = ORGANIZERS.map(() => []);
  for (const s of seriesList) {
    const before = core.recurrence.expand(s.recurrence, { after: now - 200 * DAY, before: now - DAY });
    const pastIds = before.reverse().slice(skipPast, skipPast + past);
    const upIds = upcoming ? core.recurrence.expand(s.recurrence, { after: now + 8 * DAY, limit: upcoming * 2 }).filter((_, i) => i % 2 === 1) : [];
    for (const recurrenceId of [...pastIds, ...upIds]) {
      byOrg[s.org].push(core.entities.build('event_series_exception', { series: s.series, recurrenceId, kind: 'cancelled', reason: 'bench' }, { now, spaceId: SPACE }));
    }
  }
  await seed(walletOf, `${label} series exceptions`, size, byOrg.map((drafts, o) => ({ account: ORGANIZERS[o], drafts })));
}

// ---- measuring ---------------------------------------------------------------------------------------
/** Counts every JSON-RPC call the services make (by wrapping fetch): calls, arkiv_query calls, bytes, entities by type. */
function counting() {
  const c = { calls: 0, queries: 0, bytes: 0, entities: 0, byType: {} };
  const real = globalThis.fetch;
  globalThis.fetch = async (...a) => {
    const res = await real(...a);
    const body = a[1] && typeof a[1].body === 'string' ? a[1].body : '';
    const text = await res.clone().text();
    c.bytes += Buffer.byteLength(text);
    let reqs = [];
    try {
      reqs = [].concat(JSON.parse(body));
    } catch {}
    c.calls += reqs.length || 1;
    if (body.includes('arkiv_query')) {
      const parsed = JSON.parse(text);
      for (const r of [].concat(parsed)) {
        c.queries += 1;
        for (const e of (r.result && r.result.data) || []) {
          c.entities += 1;
          const t = ((e.stringAttributes || e.string_attributes || []).find((x) => x.key === 'type') || {}).value || '?';
          c.byType[t] = (c.byType[t] || 0) + 1;
        }
      }
    } else if (body.includes('eth_call') || body.includes('getEntity')) {
      // SDK getEntity goes through arkiv_query too in 0.6.8; anything else is counted as a call only.
    }
    return res;
  };
  return { c, restore: () => (globalThis.fetch = real) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(name, fn, pageSize) {
  await fn(); // warm-up
  const rows = [];
  let shown = 0;
  let counted = 0;
  let byType = {};
  for (let r = 0; r < RUNS; r++) {
    const { c, restore } = counting();
    const t = performance.now();
    let out;
    try {
      out = await fn();
    } finally {
      restore();
    }
    rows.push({ ms: performance.now() - t, calls: c.calls, queries: c.queries, bytes: c.bytes, entities: c.entities });
    shown = typeof out === 'number' ? out : out.shown;
    counted = typeof out === 'number' ? 0 : out.counted;
    byType = c.byType;
  }
  const m = { name, pageSize, shown, counted, byType };
  for (const k of ['ms', 'calls', 'queries', 'bytes', 'entities']) m[k] = median(rows.map((x) => x[k]));
  log(`  ${name}: ${m.ms.toFixed(1)} ms, ${m.calls} calls (${m.queries} arkiv_query), ${(m.bytes / 1024).toFixed(1)} KB, ${m.entities} entities ${JSON.stringify(byType)}, shown ${shown}${counted ? `, RSVPs counted on it ${counted}` : ''}`);
  return m;
}

/**
 * A gatherings page as the check counts it: the cards shown, and the RSVPs their counts are made of
 * (each one is read: a count is of RSVPs checked against their signers, docs/trust.md).
 */
function cards(page) {
  const views = [...page.now, ...page.items];
  return { shown: page.items.length, counted: views.reduce((n, v) => n + v.rsvpCount, 0) };
}

async function measureServices(url, keys) {
  const core = await loadCore();
  const arkiv = createArkiv(url);
  const clock = { now: () => Date.now() };
  const config = { spaceId: SPACE };
  const gatherings = createGatheringService({ core, arkiv, clock, config });
  const sessions = createSessionService({ core, arkiv, clock, config });
  const series = createSeriesService({ core, arkiv, clock, config, gatherings });
  const viewer = { address: lc(VIEWER) };
  const sViewer = { address: lc(SESSION_VIEWER) };
  return [
    await measure('gatherings upcoming p1', async () => cards(await gatherings.list({ viewer, tab: 'upcoming' })), 8),
    await measure('gatherings past p1', async () => cards(await gatherings.list({ viewer, tab: 'past' })), 8),
    await measure('one gathering', async () => ((await gatherings.one({ key: keys.gathering, viewer })).gathering ? 1 : 0), 8),
    await measure('sessions upcoming p1', async () => (await sessions.list({ viewer: sViewer, tab: 'upcoming' })).items.length, 12),
    await measure('series list p1', async () => (await series.list({})).items.length, 12),
    await measure('one series page', async () => (await series.page({ seriesKey: keys.series, viewer })).occurrences.length, 12),
  ];
}

// ---- Chromium: #/gatherings from navigation to [data-page="gatherings"][data-state="ready"] -------------
async function browserSetup(nodeUrl) {
  const { builtApp, CHROMIUM, CHROMIUM_ARGS } = await import('../tests/e2e/harness.js');
  const { serveApp } = await import('../web/server.js');
  const { chromium } = await import('playwright-core');
  const t = performance.now();
  const dir = await builtApp();
  log(`app built (or reused) in ${((performance.now() - t) / 1000).toFixed(1)} s: ${path.relative(ROOT, dir)}`);
  const app = await serveApp({ root: dir, port: 0, config: { arkivRpcUrl: nodeUrl } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return { app, browser, close: async () => (await browser.close().catch(() => {}), await app.close().catch(() => {})) };
}

async function measureBrowser(b, nodeUrl) {
  const origin = new URL(nodeUrl).origin;
  const once = async () => {
    const context = await b.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const c = { calls: 0, queries: 0, bytes: 0, entities: 0 };
    const pending = [];
    page.on('response', (res) => {
      const req = res.request();
      if (!req.url().startsWith(origin) || req.method() !== 'POST') return;
      pending.push(
        res.text().then((text) => {
          const body = req.postData() || '';
          let reqs = [];
          try {
            reqs = [].concat(JSON.parse(body));
          } catch {}
          c.calls += reqs.length || 1;
          c.bytes += Buffer.byteLength(text);
          if (body.includes('arkiv_query')) {
            for (const r of [].concat(JSON.parse(text))) {
              c.queries += 1;
              c.entities += ((r.result && r.result.data) || []).length;
            }
          }
        }).catch(() => {}),
      );
    });
    const t = performance.now();
    await page.goto(`${b.app.url}#/gatherings`, { waitUntil: 'commit' });
    await page.waitForSelector('[data-page="gatherings"][data-state="ready"]', { state: 'attached', timeout: 120_000 });
    const ms = performance.now() - t;
    const { cards, counted } = await page.evaluate(() => ({
      cards: document.querySelectorAll('[data-page="gatherings"] li').length,
      counted: [...document.querySelectorAll('[data-page="gatherings"] [data-testid="rsvp-count"]')].reduce((n, el) => n + Number(el.textContent || 0), 0),
    }));
    await Promise.all(pending);
    await context.close();
    return { ms, cards, counted, ...c };
  };
  await once(); // warm-up (the browser's HTTP cache then holds the app; the data is read every time)
  const rows = [];
  for (let r = 0; r < RUNS; r++) rows.push(await once());
  const m = { name: 'Chromium #/gatherings', pageSize: 8, shown: rows.at(-1).cards, counted: rows.at(-1).counted };
  for (const k of ['ms', 'calls', 'queries', 'bytes', 'entities']) m[k] = median(rows.map((x) => x[k]));
  log(`  ${m.name}: ${m.ms.toFixed(0)} ms to ready, ${m.calls} JSON-RPC calls (${m.queries} arkiv_query), ${(m.bytes / 1024).toFixed(1)} KB, ${m.entities} entities, ${m.shown} list items`);
  return m;
}

// ---- the run -----------------------------------------------------------------------------------------
const n = (base) => Math.max(1, Math.round(base * SCALE));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-pages-bench-'));
const statePath = path.join(tmp, 'state.json');
const node = await startNode(statePath);
const core = await loadCore();
const now = Date.now();
const ctx = { core, walletOf: wallets(node.url), now };
console.log(`pages benchmark: scale ${SCALE}, factor ${FACTOR}, ${RUNS} runs per page (median), node ${node.url} (child process), ${os.cpus().length} cores`);

let browser = null;
const results = {};
try {
  // --- base space ---
  const past = Array.from({ length: n(1000) }, (_, i) => {
    const start = now - (1 + (i % 300)) * DAY - (i % 24) * 3600_000;
    return { start, builtAt: start - 2 * DAY };
  });
  const upcoming = Array.from({ length: n(2000) }, (_, i) => ({ start: now + 3600_000 + ((i * 7919) % (60 * 24)) * 3600_000, builtAt: now }));
  const farFuture = Array.from({ length: n(2000) }, (_, i) => ({ start: now + (120 + ((i * 104729) % 200)) * DAY + (i % 24) * 3600_000, builtAt: now }));
  await seedGatherings(ctx, 'base', 'past', past);
  const upGatherings = await seedGatherings(ctx, 'base', 'upcoming', upcoming);
  await seedGatherings(ctx, 'base', 'far-future', farFuture);

  // Series: 300, createdAt within the last 30 days; 3 exceptions each (1 past, 2 upcoming).
  const seriesSpecs = Array.from({ length: n(300) }, (_, i) => ({ dtstart: now - 30 * 7 * DAY, builtAt: now - 30 * DAY + i * 60_000 }));
  const seriesList = await seedSeries(ctx, 'base', 'base', seriesSpecs);
  await seedExceptions(ctx, 'base', 'base', seriesList, { past: 1, upcoming: 2 });
  // The newest series (first page of the list) get their window materialized by the app's own code.
  const arkiv = createArkiv(node.url);
  const seriesSvc = createSeriesService({ core, arkiv, clock: { now: () => Date.now() }, config: { spaceId: SPACE }, gatherings: createGatheringService({ core, arkiv, clock: { now: () => Date.now() }, config: { spaceId: SPACE } }) });
  const newest = [...seriesList].sort((a, b) => b.series.createdAt.localeCompare(a.series.createdAt)).slice(0, 12);
  const tm = performance.now();
  for (const s of newest) await seriesSvc.materialize({ seriesKey: s.series.key, organizer: { address: lc(ORGANIZERS[s.org]), account: ORGANIZERS[s.org] } });
  log(`materialized ${newest.length} series windows through web/src/series.js in ${((performance.now() - tm) / 1000).toFixed(1)} s`);

  // Sessions: 2000; the session viewer in 20% of them (half upcoming, half past; mentor or learner).
  const sessionSpecs = (count, { mine, past: isPast }, offset = 0) =>
    Array.from({ length: count }, (_, k) => {
      const i = k + offset;
      const start = isPast ? now - (1 + (i % 200)) * DAY - (i % 12) * 3600_000 : now + 3600_000 + ((i * 6007) % (90 * 24)) * 3600_000;
      const a = PEERS[i % PEERS.length];
      const b = PEERS[(i + 3) % PEERS.length];
      const [mentor, learner] = mine ? (i % 2 ? [SESSION_VIEWER, a] : [a, SESSION_VIEWER]) : [a, b];
      return { mentor, learner, start, builtAt: isPast ? start - 3 * DAY : now };
    });
  await seedSessions(ctx, 'base', 'base', [...sessionSpecs(n(200), { mine: true, past: false }), ...sessionSpecs(n(200), { mine: true, past: true }), ...sessionSpecs(n(1600), { mine: false, past: false })]);

  const keys = { gathering: upGatherings[Math.floor(upGatherings.length / 2)].key, series: newest[0].series.key };
  log('measuring the base space (services in Node)');
  results.base = await measureServices(node.url, keys);
  if (!args['no-browser']) {
    try {
      browser = await browserSetup(node.url);
      results.base.push(await measureBrowser(browser, node.url));
    } catch (err) {
      log(`Chromium run skipped: ${err.message}`);
      browser = null;
    }
  }

  // --- (FACTOR - 1) times more of what the pages do not show ---
  const more = FACTOR - 1;
  const big = `x${FACTOR}`;
  await seedGatherings(ctx, big, 'more past', Array.from({ length: n(1000) * more }, (_, i) => {
    const start = now - (1 + (i % 330)) * DAY - (i % 24) * 3600_000 - 1800_000;
    return { start, builtAt: start - 2 * DAY };
  }));
  await seedGatherings(ctx, big, 'more far-future', Array.from({ length: n(2000) * more }, (_, i) => ({ start: now + (120 + ((i * 104729) % 200)) * DAY + (i % 24) * 3600_000 + 600_000, builtAt: now, rsvps: 2 })));
  const olderSeries = await seedSeries(ctx, big, 'older', Array.from({ length: n(300) * more }, (_, i) => ({ dtstart: now - 30 * 7 * DAY, builtAt: now - 300 * DAY + i * 60_000 })));
  await seedExceptions(ctx, big, 'older', olderSeries, { past: 1, upcoming: 0 });
  await seedExceptions(ctx, big, 'past', seriesList, { past: more, upcoming: 0, skipPast: 1 });
  await seedSessions(ctx, big, big, [...sessionSpecs(n(200) * more, { mine: true, past: true }, 1000), ...sessionSpecs(n(1600) * more, { mine: false, past: false }, 5000)]);

  log(`measuring the ${FACTOR}x space (services in Node)`);
  results.large = await measureServices(node.url, keys);
  if (browser) results.large.push(await measureBrowser(browser, node.url));
} finally {
  await browser?.close();
  const exited = new Promise((r) => node.child.on('exit', r));
  node.child.kill('SIGTERM');
  await exited;
  if (!args['keep-state']) fs.rmSync(tmp, { recursive: true, force: true });
}

// ---- summary ------------------------------------------------------------------------------------------
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
console.log(`\n== writes per second while seeding (first / last 10% of each phase; last/first near 1 = linear) ==`);
console.log(`${pad('phase', 34)}${pad('size', 6)}${lpad('entities', 9)}${lpad('s', 8)}${lpad('/s', 8)}${lpad('first', 8)}${lpad('last', 8)}${lpad('l/f', 6)}`);
for (const p of phases) console.log(`${pad(p.phase, 34)}${pad(p.size, 6)}${lpad(p.entities, 9)}${lpad(p.seconds.toFixed(1), 8)}${lpad(p.overall.toFixed(0), 8)}${lpad(p.first.toFixed(0), 8)}${lpad(p.last.toFixed(0), 8)}${lpad((p.last / p.first).toFixed(2), 6)}`);
const sum = (size) => phases.filter((p) => p.size === size).reduce((a, p) => ({ e: a.e + p.entities, s: a.s + p.seconds }), { e: 0, s: 0 });
const bs = sum('base');
const ls = sum(`x${FACTOR}`);
console.log(`seeding connections dropped and retried: ${net.retries}`);
console.log(`base seeding: ${bs.e} entities, ${(bs.e / bs.s).toFixed(0)} writes/s; ${FACTOR}x additions: ${ls.e} entities, ${(ls.e / ls.s).toFixed(0)} writes/s (ratio ${((ls.e / ls.s) / (bs.e / bs.s)).toFixed(2)})`);

console.log(`\n== page loads: base vs ${FACTOR}x (medians of ${RUNS}; scale ${SCALE}) ==`);
console.log(`${pad('page', 24)}${lpad('ms', 16)}${lpad('x', 6)}${lpad('calls', 10)}${lpad('queries', 10)}${lpad('KB', 16)}${lpad('x', 6)}${lpad('entities', 12)}${lpad('x', 6)}  ${pad('time<=1.5x', 11)}${pad('ent<=5pg', 9)}ent<=1.5x`);
for (const b of results.base || []) {
  const l = (results.large || []).find((x) => x.name === b.name);
  if (!l) continue;
  const r = (k) => (b[k] ? l[k] / b[k] : l[k] ? Infinity : 1);
  const timeOk = r('ms') <= 1.5;
  const allowed = 5 * b.pageSize + (l.counted || 0);
  const entOk = l.entities <= allowed;
  const entRatioOk = r('entities') <= 1.5;
  console.log(
    `${pad(b.name, 24)}${lpad(`${b.ms.toFixed(1)}/${l.ms.toFixed(1)}`, 16)}${lpad(r('ms').toFixed(2), 6)}${lpad(`${b.calls}/${l.calls}`, 10)}${lpad(`${b.queries}/${l.queries}`, 10)}${lpad(`${(b.bytes / 1024).toFixed(0)}/${(l.bytes / 1024).toFixed(0)}`, 16)}${lpad(r('bytes').toFixed(2), 6)}${lpad(`${b.entities}/${l.entities}`, 12)}${lpad(r('entities').toFixed(2), 6)}  ${pad(timeOk ? 'PASS' : 'MISS', 11)}${pad(entOk ? 'PASS' : `MISS(${allowed})`, 9)}${entRatioOk ? 'PASS' : 'MISS'}`,
  );
}
console.log(`(ent<=5pg: entities read by the ${FACTOR}x page view <= 5 x its page size (8 gatherings, 12 sessions / series / occurrences) + the RSVPs its cards' counts are made of)`);
console.log(`total run time ${elapsed()}`);
