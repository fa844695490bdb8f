// Shared by the collector's tests and benchmark (not a test file): backends, signers, meeting logs.
import { loadCore, signBatch } from '@convene/core';
import { openDatabase } from '../../tools/collector/src/db.js';
import { postgresAvailable, startPostgres } from './collector-postgres.js';

/** Fixed test keys (never used for anything real). */
export const KEYS = ['0x' + '11'.repeat(32), '0x' + '22'.repeat(32), '0x' + '33'.repeat(32)];

/** Unlocked signers for `keys` (a cheap KDF: these keystores exist only for the test). */
export async function signers(core, keys = KEYS) {
  const out = [];
  for (const k of keys) {
    const { keystore } = await core.wallet.importKey(k, 'test', { kdf: { opslimit: 1, memlimitKiB: 8 } });
    out.push(await core.wallet.unlock(keystore, 'test'));
  }
  return out;
}

/**
 * The backends the suites run on: PGlite (in memory) always; the PostgreSQL server when postgresql-15 is
 * installed. Each `open()` gives a fresh, empty database; `close()` ends them all.
 */
export async function backends() {
  // PGlite: one instance made (initdb in WASM: many seconds here) and cloned for each database (a few).
  let template = null;
  const list = [{
    name: 'pglite',
    async open() {
      template ??= await openDatabase({ dataDir: 'memory://' }).then(async (db) => db.pglite);
      return openDatabase({ pglite: await template.clone() });
    },
    stop() {
      template?.close();
    },
  }];
  if (postgresAvailable()) {
    let server = null;
    let n = 0;
    list.push({
      name: 'postgres',
      async open() {
        server ??= await startPostgres();
        const name = `c${++n}`;
        const root = await openDatabase({ databaseUrl: server.url });
        await root.query(`CREATE DATABASE ${name}`);
        await root.close();
        return openDatabase({ databaseUrl: server.url.replace(/\/postgres$/, `/${name}`) });
      },
      stop() {
        server?.stop();
      },
    });
  }
  return list;
}

/** POSTs `body` (string) to a collector, signed by `signer` unless it is null. */
export async function post(url, body, { signer = null, signedAt, headers = {} } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (signer) {
    const s = signBatch(signer, body, signedAt ?? Date.now());
    h['convene-signer'] = signer.address;
    h['convene-signature'] = s.signature;
    h['convene-signed-at'] = String(s.signedAt);
  }
  const res = await fetch(`${url}/api/meetings/events`, { method: 'POST', headers: h, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * A meeting as several clients record it, through the real pipeline (core.events.normalize per client):
 * `participants` people join, toggle their microphones, speak, some leave and rejoin, all leave at the end.
 * Each client records its own events and the others' joins and leaves, so most events arrive 1-3 times.
 * @returns {object[]} records (each eventId once)
 */
export function meetingLog(core, { meetingId, room = `room-${meetingId}`, participants = 4, steps = 30, start = Date.UTC(2026, 10, 2, 9), random = Math.random }) {
  const records = [];
  const ids = Array.from({ length: participants }, (_, i) => `${meetingId}-p${i}`);
  let t = start;
  const rec = (observer, name, payload) => records.push(core.events.normalize(name, payload, { meetingId, participantId: observer, now: t }));
  const present = new Set();
  const join = (p) => {
    present.add(p);
    rec(p, 'videoConferenceJoined', { id: p, roomName: room, displayName: `Person ${p}` });
    for (const o of present) if (o !== p && random() < 0.7) rec(o, 'participantJoined', { id: p, displayName: `Person ${p}` });
  };
  const leave = (p) => {
    present.delete(p);
    rec(p, 'videoConferenceLeft', { roomName: room });
    for (const o of present) if (random() < 0.7) rec(o, 'participantLeft', { id: p });
  };
  for (const p of ids) {
    t += 1000 + Math.floor(random() * 5000);
    join(p);
  }
  for (let s = 0; s < steps; s++) {
    t += 200 + Math.floor(random() * 3000);
    const p = ids[Math.floor(random() * ids.length)];
    const x = random();
    if (!present.has(p)) join(p);
    else if (x < 0.35) rec(p, 'audioMuteStatusChanged', { muted: random() < 0.5 });
    else if (x < 0.6) for (const o of present) rec(o, 'dominantSpeakerChanged', { id: p });
    else if (x < 0.7) rec(p, 'displayNameChange', { id: p, displayname: `Renamed ${p} ${s}` });
    else if (x < 0.8) leave(p);
    else rec(p, 'raiseHandUpdated', { id: p, handRaised: x < 0.9 ? 1 : 0 });
  }
  for (const p of [...present]) {
    t += 500;
    leave(p);
  }
  return records;
}

export function shuffle(list, random) {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * What the derived tables hold, and what the fold of the stored log gives, for comparison:
 * `{ stored: {meetingId: meeting+participants}, folded: {...}, events: n }`.
 */
export async function derivedAndFold(db, core) {
  const log = await db.query('SELECT record FROM meeting_events');
  const folded = {};
  for (const m of core.meetings.summarize(log.rows.map((r) => JSON.parse(r.record))).meetings) folded[m.meetingId] = m;
  const stored = {};
  const ms = await db.query('SELECT meeting_id, summary FROM meetings');
  for (const r of ms.rows) stored[r.meeting_id] = { ...JSON.parse(r.summary), participants: [] };
  const ps = await db.query('SELECT meeting_id, summary FROM meeting_participants ORDER BY meeting_id, position');
  for (const r of ps.rows) stored[r.meeting_id]?.participants.push(JSON.parse(r.summary));
  return { stored, folded, events: log.rows.length };
}

export { loadCore };
