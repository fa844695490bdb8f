// The collector's storage logic: checking records with the WASM core, writing the log exactly once per eventId,
// keeping `meetings` / `meeting_participants` equal to core.meetings.summarize of the log, and the read queries
// (docs/collector.md). Pure of HTTP: server.js calls these.

const encoder = new TextEncoder();

/**
 * Checks records with the core and reads each one's instant, without re-deriving the record rules in JS:
 * a record is valid exactly when core.meetings.summarize accepts it (docs/meetings.md#bad-input), and its
 * instant is the `asOf` the fold gives a meeting made of that instant alone (ISO 8601 UTC, ms). Two fold calls
 * serve a whole batch: the records as they are (all valid when none is counted malformed), and one minimal record
 * per timestamp, each in a meeting of its own (`meetingId` = its index), whose `asOf` is that instant. Only when
 * the first call counts a malformed record are the records folded one by one, to tell which.
 *
 * @param {object} core the loaded @convene/core
 * @param {unknown[]} records the body's `events`
 * @param {{ maxRecordBytes: number }} limits a record's JSON over this many UTF-8 bytes is refused
 * @returns {Array<{ ok: true, record: object, text: string, at: string } | { ok: false, eventId: string|null, status: 400, reason: string }>}
 */
export function checkRecords(core, records, { maxRecordBytes }) {
  const out = new Array(records.length);
  const texts = [];
  const index = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const eventId = r && typeof r === 'object' && typeof r.eventId === 'string' ? r.eventId : null;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      out[i] = { ok: false, eventId, status: 400, reason: 'not a record (docs/events.md#record)' };
      continue;
    }
    const text = JSON.stringify(r);
    if (text.length > maxRecordBytes / 3 && encoder.encode(text).length > maxRecordBytes) {
      out[i] = { ok: false, eventId, status: 400, reason: `record larger than ${maxRecordBytes} bytes` };
      continue;
    }
    out[i] = { ok: null, record: r, text, eventId };
    texts.push(text);
    index.push(i);
  }
  if (!texts.length) return out;
  const refuse = (entry) => ({ ok: false, eventId: entry.eventId, status: 400, reason: 'not a meeting event record (docs/meetings.md#bad-input)' });
  if (core.meetings.summarizeJson(`[${texts.join(',')}]`).ignored.malformed > 0) {
    // Some record is refused: fold each alone (rare: a client of this package does not send such records).
    for (const i of index) {
      const alone = core.meetings.summarizeJson(`[${out[i].text}]`);
      out[i] = alone.meetings.length === 1 ? { ok: true, record: out[i].record, text: out[i].text, at: alone.meetings[0].asOf } : refuse(out[i]);
    }
    return out;
  }
  // Every record is valid, so every timestamp is: one tiny meeting per record gives its instant.
  const probe = index.map((i, k) => JSON.stringify({ eventId: String(k), type: 'instant', meetingId: String(k), timestamp: out[i].record.timestamp }));
  const at = new Array(index.length).fill(null);
  for (const m of core.meetings.summarizeJson(`[${probe.join(',')}]`).meetings) at[Number(m.meetingId)] = m.asOf;
  index.forEach((i, k) => {
    out[i] = at[k] === null ? refuse(out[i]) : { ok: true, record: out[i].record, text: out[i].text, at: at[k] };
  });
  return out;
}

/**
 * Stores a batch of checked records signed by `signer` and brings the derived tables of the meetings it touched
 * to the fold of their log, in one transaction. Per record: 200 stored or already stored (same signer, same
 * record); 409 when the eventId is stored with another signer or another content (the first stays).
 * @param {{ transaction: Function, kind: string }} db
 * @param {object} core
 * @param {Array<{ ok: true, record: object, text: string, at: string }>} valid
 * @param {string} signer checksummed address
 * @returns {Promise<{ results: Array<{ eventId: string, status: number }>, inserted: number }>}
 */
export async function storeBatch(db, core, valid, signer) {
  const byId = new Map();
  const results = [];
  for (const v of valid) {
    const prior = byId.get(v.record.eventId);
    if (prior) {
      results.push({ eventId: v.record.eventId, status: prior.text === v.text ? 200 : 409 });
      continue;
    }
    byId.set(v.record.eventId, v);
  }
  // In eventId order: concurrent batches sharing eventIds (a replay, a forgery) then wait on each other's keys in
  // one order, never crosswise.
  const rows = [...byId.values()].sort((a, b) => (a.record.eventId < b.record.eventId ? -1 : a.record.eventId > b.record.eventId ? 1 : 0));
  if (!rows.length) return { results, inserted: 0 };
  const meetingIds = [...new Set(rows.map((v) => v.record.meetingId))].sort();
  return db.transaction(async (q) => {
    await lockMeetings(db, q, meetingIds);
    const ins = await q.query(
      `INSERT INTO meeting_events (event_id, meeting_id, participant_id, type, at, signer, record)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id, meeting_id`,
      [
        rows.map((v) => v.record.eventId),
        rows.map((v) => v.record.meetingId),
        rows.map((v) => (typeof v.record.participantId === 'string' && v.record.participantId !== '' ? v.record.participantId : null)),
        rows.map((v) => v.record.type),
        rows.map((v) => v.at),
        rows.map(() => signer),
        rows.map((v) => v.text),
      ],
    );
    const inserted = new Set(ins.rows.map((r) => r.event_id));
    const missing = rows.filter((v) => !inserted.has(v.record.eventId));
    const stored = new Map();
    if (missing.length) {
      const prev = await q.query('SELECT event_id, signer, record FROM meeting_events WHERE event_id = ANY($1::text[])',
        [missing.map((v) => v.record.eventId)]);
      for (const r of prev.rows) stored.set(r.event_id, r);
    }
    for (const v of rows) {
      let status = 200;
      if (!inserted.has(v.record.eventId)) {
        const s = stored.get(v.record.eventId);
        status = s && s.signer === signer && s.record === v.text ? 200 : 409;
      }
      results.push({ eventId: v.record.eventId, status });
    }
    const touched = [...new Set(ins.rows.map((r) => r.meeting_id))].sort();
    if (touched.length) await recompute(q, core, touched);
    return { results, inserted: inserted.size };
  });
}

/** On a PostgreSQL server, transactions touching one meeting run one after another (advisory locks, taken in
 *  hash order so that two batches never wait on each other crosswise). PGlite runs one transaction at a time. */
async function lockMeetings(db, q, meetingIds) {
  if (db.kind !== 'postgres') return;
  // One round trip: the locks are taken row by row over the sorted keys.
  await q.query(`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(m, 0) AS h FROM unnest($1::text[]) AS m
                 ORDER BY h) AS keys`, [meetingIds]);
}

/**
 * Replaces the derived rows of `meetingIds` with core.meetings.summarize of their whole stored log.
 * @param {{ query: Function }} q a transaction's query function
 */
export async function recompute(q, core, meetingIds) {
  const { rows } = await q.query('SELECT meeting_id, record FROM meeting_events WHERE meeting_id = ANY($1::text[])', [meetingIds]);
  // The room: the roomName of each meeting's earliest conference.joined record (few rows: parsed here).
  const joined = await q.query(
    `SELECT meeting_id, record FROM meeting_events WHERE meeting_id = ANY($1::text[]) AND type = 'conference.joined'
     ORDER BY meeting_id, at, event_id`, [meetingIds]);
  const rooms = new Map();
  for (const r of joined.rows) {
    if (rooms.has(r.meeting_id)) continue;
    const room = JSON.parse(r.record).payload?.roomName;
    if (typeof room === 'string' && room !== '') rooms.set(r.meeting_id, room);
  }
  // The log's records are JSON text already: folded as one array text, no record objects in between.
  let text = '[';
  for (let i = 0; i < rows.length; i++) text += (i ? ',' : '') + rows[i].record;
  const { meetings } = core.meetings.summarizeJson(`${text}]`);
  const counts = new Map();
  for (const r of rows) counts.set(r.meeting_id, (counts.get(r.meeting_id) ?? 0) + 1);
  await q.query('DELETE FROM meeting_participants WHERE meeting_id = ANY($1::text[])', [meetingIds]);
  if (!meetings.length) return;
  const m = { id: [], room: [], started: [], ended: [], asOf: [], sort: [], n: [], events: [], summary: [] };
  const p = { meeting: [], id: [], pos: [], name: [], role: [], joined: [], left: [], seen: [], sort: [], presence: [], speaking: [], summary: [] };
  for (const meeting of meetings) {
    const { participants, ...rest } = meeting;
    m.id.push(meeting.meetingId);
    m.room.push(rooms.get(meeting.meetingId) ?? null);
    m.started.push(meeting.startedAt);
    m.ended.push(meeting.endedAt);
    m.asOf.push(meeting.asOf);
    m.sort.push(meeting.startedAt ?? meeting.asOf);
    m.n.push(participants.length);
    m.events.push(counts.get(meeting.meetingId) ?? 0);
    m.summary.push(JSON.stringify(rest));
    participants.forEach((x, i) => {
      p.meeting.push(meeting.meetingId);
      p.id.push(x.id);
      p.pos.push(i);
      p.name.push(x.displayName ?? null);
      p.role.push(x.role ?? null);
      p.joined.push(x.intervals[0]?.joinedAt ?? null);
      p.left.push(x.intervals.length ? x.intervals[x.intervals.length - 1].leftAt : null);
      p.seen.push(x.lastSeenAt ?? null);
      p.sort.push(x.intervals[0]?.joinedAt ?? x.lastSeenAt ?? meeting.asOf);
      p.presence.push(x.presenceSeconds);
      p.speaking.push(x.speakingSeconds);
      p.summary.push(JSON.stringify(x));
    });
  }
  await q.query(
    `INSERT INTO meetings (meeting_id, room, started_at, ended_at, as_of, sort_at, participants, events, summary)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                          $7::int[], $8::int[], $9::text[])
     ON CONFLICT (meeting_id) DO UPDATE SET room = EXCLUDED.room, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
       as_of = EXCLUDED.as_of, sort_at = EXCLUDED.sort_at, participants = EXCLUDED.participants, events = EXCLUDED.events,
       summary = EXCLUDED.summary`,
    [m.id, m.room, m.started, m.ended, m.asOf, m.sort, m.n, m.events, m.summary],
  );
  if (p.id.length) {
    await q.query(
      `INSERT INTO meeting_participants (meeting_id, participant_id, position, display_name, role, joined_at, left_at, last_seen_at,
                                        sort_at, presence_seconds, speaking_seconds, summary)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                            $8::timestamptz[], $9::timestamptz[], $10::float8[], $11::float8[], $12::text[])`,
      [p.meeting, p.id, p.pos, p.name, p.role, p.joined, p.left, p.seen, p.sort, p.presence, p.speaking, p.summary],
    );
  }
}

// --- reads --------------------------------------------------------------------------------------

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export const encodeCursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');
export function decodeCursor(text) {
  if (text == null || text === '') return null;
  try {
    const key = JSON.parse(Buffer.from(String(text), 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === 'string')) return key;
  } catch {
    // fall through
  }
  throw Object.assign(new Error('cursor is not one this collector gave out'), { status: 400, field: 'cursor' });
}

const iso = (v) => (v == null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

function page(rows, limit, keyOf, map) {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items: items.map(map), nextCursor: more ? encodeCursor(keyOf(items[items.length - 1])) : null };
}

/**
 * Meetings in order of start (startedAt, else their first record... their asOf when no join was seen), then meetingId.
 * @param {{ room?: string, from?: string, to?: string, limit: number, cursor?: [string, string]|null }} f
 *   from/to: ISO 8601 instants; a meeting is in [from, to) when it started before `to` and had not ended by `from`.
 */
export async function listMeetings(db, f) {
  const where = [];
  const params = [];
  const add = (sql, v) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.room != null) add('room = ?', f.room);
  if (f.to != null) add('sort_at < ?::timestamptz', f.to);
  if (f.from != null) add('(ended_at IS NULL OR ended_at >= ?::timestamptz)', f.from);
  if (f.cursor) {
    params.push(f.cursor[0], f.cursor[1]);
    where.push(`(sort_at, meeting_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(f.limit + 1);
  const { rows } = await db.query(
    `SELECT meeting_id, room, sort_at, events, summary FROM meetings ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY sort_at, meeting_id LIMIT $${params.length}`, params);
  return page(rows, f.limit, (r) => [iso(r.sort_at), r.meeting_id],
    (r) => ({ ...JSON.parse(r.summary), room: r.room, events: r.events }));
}

/** One meeting (the fold's object) with its participants in the fold's order, or null. */
export async function getMeeting(db, meetingId) {
  const m = await db.query('SELECT room, events, summary FROM meetings WHERE meeting_id = $1', [meetingId]);
  if (!m.rows.length) return null;
  const p = await db.query('SELECT summary FROM meeting_participants WHERE meeting_id = $1 ORDER BY position', [meetingId]);
  return { ...JSON.parse(m.rows[0].summary), room: m.rows[0].room, events: m.rows[0].events,
    participants: p.rows.map((r) => JSON.parse(r.summary)) };
}

/**
 * A meeting's records in time order (instant, then eventId), each with its `signer`.
 * @param {{ meetingId: string, types?: string[], participantId?: string, limit: number, cursor?: [string, string]|null }} f
 */
export async function timeline(db, f) {
  const params = [f.meetingId];
  const where = ['meeting_id = $1'];
  if (f.types?.length) {
    params.push(f.types);
    where.push(`type = ANY($${params.length}::text[])`);
  }
  if (f.participantId != null) {
    params.push(f.participantId);
    where.push(`participant_id = $${params.length}`);
  }
  if (f.cursor) {
    params.push(f.cursor[0], f.cursor[1]);
    where.push(`(at, event_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(f.limit + 1);
  const { rows } = await db.query(
    `SELECT event_id, at, signer, record FROM meeting_events WHERE ${where.join(' AND ')}
     ORDER BY at, event_id LIMIT $${params.length}`, params);
  return page(rows, f.limit, (r) => [iso(r.at), r.event_id], (r) => ({ ...JSON.parse(r.record), signer: r.signer }));
}

/** One participant's stays across meetings, in order of first join (else last sign of life), then meetingId. */
export async function participantHistory(db, f) {
  const params = [f.participantId];
  const where = ['participant_id = $1'];
  if (f.cursor) {
    params.push(f.cursor[0], f.cursor[1]);
    where.push(`(sort_at, meeting_id) > ($2::timestamptz, $3)`);
  }
  params.push(f.limit + 1);
  const { rows } = await db.query(
    `SELECT meeting_id, sort_at, summary FROM meeting_participants WHERE ${where.join(' AND ')}
     ORDER BY sort_at, meeting_id LIMIT $${params.length}`, params);
  return page(rows, f.limit, (r) => [iso(r.sort_at), r.meeting_id],
    (r) => ({ meetingId: r.meeting_id, ...JSON.parse(r.summary) }));
}
