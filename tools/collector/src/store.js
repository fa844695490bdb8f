// The collector's storage logic: checking records with the WASM core, writing the log exactly once per eventId,
// keeping `meetings` / `meeting_participants` equal to core.meetings.summarize of the log, and the read queries
// (docs/collector.md). Pure of HTTP: server.js calls these.

const encoder = new TextEncoder();

/** U+0000 as JSON.stringify writes it: `\u0000` after an even number of backslashes (an odd one escapes a
 *  backslash: `\\u0000` is a backslash and the text "u0000"). */
const NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/** The checks made in JS before the core: an object, no U+0000 in any string, at most `maxRecordBytes` of JSON. */
function precheck(records, maxRecordBytes) {
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
    if (text.includes('\\u0000') && NUL.test(text)) {
      // PostgreSQL's text (and json's ->> on it) cannot hold U+0000: refused here, alone, rather than failing the
      // statement of the whole group the record would join.
      out[i] = { ok: false, eventId, status: 400, reason: 'a string of the record contains U+0000, which the log cannot store' };
      continue;
    }
    if (text.length > maxRecordBytes / 3 && encoder.encode(text).length > maxRecordBytes) {
      out[i] = { ok: false, eventId, status: 400, reason: `record larger than ${maxRecordBytes} bytes` };
      continue;
    }
    out[i] = { ok: null, record: r, text, eventId };
    texts.push(text);
    index.push(i);
  }
  return { out, texts, index };
}

const refusal = (entry, error) => ({ ok: false, eventId: entry.eventId, status: 400,
  reason: `not a meeting event record (docs/meetings.md#bad-input): ${error.message}` });

/**
 * The collector's fold state (docs/collector.md#storage): a core MeetingFolds holding the records of the meetings
 * this process wrote recently, so that a batch folds its meetings from memory instead of reading their logs back.
 * Per meeting it holds exactly the records of the log as this process last committed them; the `events` column of
 * `meetings` (the log's row count, written in the same statement or transaction as the rows) tells whether someone
 * else wrote since: then the meeting is rebuilt from its log. Batches of one meeting run one after another in this process (`lock`), so
 * the state is never read while another transaction of the same meeting is undecided; a failed transaction forgets
 * the meetings it touched.
 * It also holds the write queue of ingest() (group commit, docs/collector.md#group-commit).
 * @param {object} core the loaded @convene/core
 * @param {{ maxRecords?: number, writeConcurrency?: number, maxGroupRecords?: number }} [options]
 *   maxRecords: records held at most (least recently written meetings are forgotten);
 *   writeConcurrency: groups of batches being stored at once (default 2; 1 on PGlite changes nothing: it runs one
 *   statement at a time); maxGroupRecords: records in a group at most (default 2000)
 */
export function createFoldState(core, { maxRecords = 200_000, writeConcurrency = 2, maxGroupRecords = 2000 } = {}) {
  // A concurrency below 1 (or NaN) would store nothing and leave every request waiting.
  for (const [name, v] of [['writeConcurrency', writeConcurrency], ['maxGroupRecords', maxGroupRecords]]) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a whole number of at least 1 (got ${v})`);
  }
  const folds = core.meetings.createFolds();
  /** meetingId -> the tail of its in-process queue (a Promise settled when that batch is done). */
  const queues = new Map();
  /** Meetings held, least recently written first (a Map keeps insertion order). */
  const used = new Map();
  // groupFailures: groups of several batches whose statement failed (not stale), each batch then stored alone.
  const stats = { foldMs: 0, groups: 0, fallbacks: 0, groupFailures: 0, rebuilds: 0, rebuiltRecords: 0, evicted: 0 };
  return {
    folds,
    stats,
    maxRecords,
    /** Batches waiting to be stored ({ batch, resolve, reject }, in arrival order) and the groups being stored. */
    pending: [],
    writes: { inFlight: 0, concurrency: writeConcurrency, maxGroupRecords },
    /** Runs `fn` once every earlier batch of these meetings in this process has finished. A batch registers on all
     *  its meetings at once (synchronously), so the registrations are totally ordered and no two batches wait on
     *  each other crosswise. */
    async lock(meetingIds, fn) {
      const prior = meetingIds.map((m) => queues.get(m)).filter(Boolean);
      let release;
      const mine = new Promise((resolve) => { release = resolve; });
      for (const m of meetingIds) queues.set(m, mine);
      try {
        await Promise.all(prior);
        return await fn();
      } finally {
        for (const m of meetingIds) if (queues.get(m) === mine) queues.delete(m);
        release();
      }
    },
    touch(meetingIds) {
      for (const m of meetingIds) {
        used.delete(m);
        used.set(m, true);
      }
    },
    forget(meetingIds) {
      folds.forget(meetingIds);
      for (const m of meetingIds) used.delete(m);
    },
    /** Forgets the least recently written meetings (not `keep`) while more than maxRecords are held. */
    trim(keep) {
      if (folds.size <= maxRecords) return;
      const drop = [];
      let size = folds.size;
      for (const m of used.keys()) {
        if (size <= maxRecords) break;
        if (keep.has(m) || queues.has(m)) continue;
        size -= folds.count(m);
        drop.push(m);
      }
      if (drop.length) {
        this.forget(drop);
        stats.evicted += drop.length;
      }
    },
    dispose: () => folds.dispose(),
  };
}

/**
 * The fallback of ingest(), once the in-process lock of `meetingIds` is held: one transaction that locks the meetings
 * (server), inserts `rows` (checked records, each eventId once, in eventId order: concurrent batches sharing eventIds
 * wait on each other's keys in one order), reads each meeting's log count as committed before it, and brings the
 * derived rows of the meetings that gained rows to the fold of their log (refold). Appends a status per row to
 * `results`: 200 stored or stored already (same signer, same record); 409 stored with another signer or content.
 */
async function storeLocked(db, rows, results, meetingIds, signer, state) {
  let added = [];
  try {
    return await db.transaction(async (q) => {
      await lockMeetings(db, q, meetingIds);
      // One statement: the insert, and each meeting's log count as committed before it (the statement's snapshot
      // is taken after the locks above, so it includes every earlier writer of these meetings).
      const ins = await q.query(
        `WITH ins AS (
           INSERT INTO meeting_events (event_id, meeting_id, participant_id, type, at, signer, record)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id, meeting_id)
         SELECT event_id, meeting_id, NULL::int AS events FROM ins
         UNION ALL SELECT NULL, meeting_id, events FROM meetings WHERE meeting_id = ANY($8::text[])`,
        [
          rows.map((v) => v.record.eventId),
          rows.map((v) => v.record.meetingId),
          rows.map((v) => (typeof v.record.participantId === 'string' && v.record.participantId !== '' ? v.record.participantId : null)),
          rows.map((v) => v.record.type),
          rows.map((v) => v.at),
          rows.map(() => signer),
          rows.map((v) => v.text),
          meetingIds,
        ],
      );
      const inserted = new Set();
      const before = new Map();
      for (const r of ins.rows) {
        if (r.event_id === null) before.set(r.meeting_id, r.events);
        else inserted.add(r.event_id);
      }
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
      const fresh = rows.filter((v) => inserted.has(v.record.eventId));
      if (fresh.length) {
        added = [...new Set(fresh.map((v) => v.record.meetingId))].sort();
        await refold(q, state, added, fresh, before);
      }
      return { results, inserted: inserted.size };
    });
  } catch (err) {
    // The transaction did not commit (or it is unknown whether it did): what the state holds of these meetings
    // may not be in the log. Rebuilt from the log when next written.
    if (added.length) state.forget(added);
    throw err;
  } finally {
    state.trim(new Set(meetingIds));
  }
}

/**
 * Checks and stores a batch (the body's `events`, signed by `signer`) and brings the derived tables of the meetings it
 * touched to the fold of their log; the collector's whole path after the signature (docs/collector.md#storage).
 * Batches are written in groups (group commit, docs/collector.md#group-commit): at most `writeConcurrency` groups are
 * being stored at once (createFoldState), and the batches that arrive meanwhile wait and are stored together as the
 * next group. A group is usually one core call and one statement: the core checks every record of the group and
 * folds the new ones into the fold state in one call (`addNewJson`), and `collector_store_group` (db.js) stores the records
 * (each with its own batch's signer) and the fold's rows at once, after checking that the log was what the state
 * holds. When it was not (another collector wrote, a restart, a replay of rows the state does not hold), or the
 * statement failed on one batch's data (dataFault), each batch of the group runs as one transaction (storeLocked),
 * which rebuilds its meetings from the log, so that a batch the database refuses fails alone. Any other failure (the
 * database is down) fails every batch of the group: each request answers 5xx and its sender retries (the log keeps
 * each eventId once).
 * @returns {Promise<{ refused: Array<{ eventId: string|null, status: 400, error: string }>,
 *   results: Array<{ eventId: string, status: number }> }>} per record: 400 refused; 200 stored or stored already
 *   (same signer, same record); 409 the eventId is stored with another signer or another content (the first stays)
 */
export function ingest(db, core, records, signer, state, { maxRecordBytes }) {
  const batch = { ...precheck(records, maxRecordBytes), signer, results: [] };
  if (!batch.texts.length) return Promise.resolve(answer(batch));
  return new Promise((resolve, reject) => {
    state.pending.push({ batch, resolve, reject });
    pump(db, state);
  });
}

/** A batch's answer: the records refused (in the JS checks or by the core) and the statuses of the others. */
function answer(batch) {
  const refused = batch.out.filter((c) => !c.ok).map((c) => ({ eventId: c.eventId, status: c.status, error: c.reason }));
  return { refused, results: batch.results };
}

/** Starts groups of waiting batches while fewer than `writeConcurrency` are being stored; in arrival order, each at
 *  most `maxGroupRecords` records (a larger batch is a group of its own). */
function pump(db, state) {
  const w = state.writes;
  while (w.inFlight < w.concurrency && state.pending.length) {
    const group = [];
    let records = 0;
    while (state.pending.length && (!group.length || records + state.pending[0].batch.texts.length <= w.maxGroupRecords)) {
      const next = state.pending.shift();
      group.push(next);
      records += next.batch.texts.length;
    }
    w.inFlight++;
    state.stats.groups++;
    storeGroup(db, state, group.map((g) => g.batch)).then(
      () => group.forEach((g) => (g.batch.error ? g.reject(g.batch.error) : g.resolve(answer(g.batch)))),
      (err) => group.forEach((g) => g.reject(err)),
    ).finally(() => {
      w.inFlight--;
      pump(db, state);
    });
  }
}

/** Stores a group of batches (see ingest); fills each batch's `out` (refusals) and `results`. */
function storeGroup(db, state, group) {
  const meetingIds = [...new Set(group.flatMap((b) => b.index.map((i) => b.out[i].record.meetingId))
    .filter((m) => typeof m === 'string'))].sort();
  return state.lock(meetingIds, async () => {
    const t = performance.now();
    const fold = state.folds.addNewJson(`[${group.map((b) => b.texts.join(',')).join(',')}]`);
    state.stats.foldMs += performance.now() - t;
    const valid = [];
    const fresh = [];
    let k = 0;
    for (const b of group) {
      for (const i of b.index) {
        const e = fold.entries[k++];
        if (e.error) {
          b.out[i] = refusal(b.out[i], e.error);
          continue;
        }
        b.out[i] = { ok: true, record: b.out[i].record, text: b.out[i].text, at: e.at, added: e.added, signer: b.signer, batch: b };
        valid.push(b.out[i]);
        if (e.added) fresh.push(b.out[i]);
      }
    }
    if (!valid.length) return;
    const freshMeetings = [...new Set(fresh.map((v) => v.record.meetingId))].sort();
    try {
      await storeOnce(db, state, valid, fresh, freshMeetings, fold.meetings);
      state.touch(freshMeetings);
      return;
    } catch (err) {
      // Not stored: what the state now holds of these meetings is not the log.
      state.forget(freshMeetings);
      const stale = /^collector: stale/.test(err.message ?? '');
      // Batch by batch only when one batch's data may be the cause: a database that is down or shutting down
      // would fail every batch again, one after another, while the group holds its meetings' locks.
      if (!stale && (group.length === 1 || !dataFault(err))) throw err;
      if (stale) state.stats.fallbacks++;
      else state.stats.groupFailures++;
    } finally {
      state.trim(new Set(meetingIds));
    }
    // The state was behind the log, or the group's statement failed: each batch as its own transaction (which
    // rebuilds its meetings from the log), so that a batch the database refuses fails alone.
    for (const b of group) {
      b.results = [];
      const mine = valid.filter((v) => v.batch === b);
      if (!mine.length) continue;
      try {
        const { rows, twins } = firstPerEventId(mine, false, (v, status) => b.results.push({ eventId: v.record.eventId, status }));
        const ids = [...new Set(rows.map((v) => v.record.meetingId))].sort();
        await storeLocked(db, rows, b.results, ids, b.signer, state); // pushes each row's status to b.results
        const byId = new Map(b.results.map((r) => [r.eventId, r.status]));
        for (const [v, prior] of twins) b.results.push({ eventId: v.record.eventId, status: byId.get(prior.record.eventId) });
      } catch (err) {
        b.error = err;
      }
    }
  });
}

/**
 * An error a statement can get from one batch's data (SQLSTATE classes 22 data exception, 23 integrity constraint
 * violation, 54 program limit exceeded; PostgreSQL appendix A), as opposed to the connection (08), the server
 * shutting down or out of resources (57, 53) and the rest, which would fail every batch the same way.
 */
const dataFault = (err) => typeof err?.code === 'string' && /^(22|23|54)/.test(err.code);

const byEventId = (a, b) => (a.record.eventId < b.record.eventId ? -1 : a.record.eventId > b.record.eventId ? 1 : 0);

/**
 * The rows of a group to store, in eventId order (concurrent statements then wait on keys in one order): the first
 * valid record of each eventId, and what to answer for later ones. A later record that is the same text from the
 * same signer as the first is its `twin` (it gets the first one's answer, once known). A different one gets 409
 * through `answer` when the first is new to the log (the first is what will be stored); when the first is stored
 * already, `compareInDb` puts it among the rows too, so that the statement compares it with the stored row
 * (200 when it is that row), else it gets 409.
 * @returns {{ rows: object[], twins: Array<[object, object]> }}
 */
function firstPerEventId(valid, compareInDb, answer) {
  const byId = new Map();
  const rows = [];
  const twins = [];
  for (const v of valid) {
    const prior = byId.get(v.record.eventId);
    if (!prior) {
      byId.set(v.record.eventId, v);
      rows.push(v);
    } else if (prior.text === v.text && prior.signer === v.signer) {
      twins.push([v, prior]);
    } else if (compareInDb && !prior.added) {
      rows.push(v);
    } else {
      answer(v, 409);
    }
  }
  return { rows: rows.sort(byEventId), twins };
}

/** A group in one `collector_store_group` statement; throws `collector: stale ...` when the state was behind the log.
 *  Pushes each record's status to its batch's `results`. */
async function storeOnce(db, state, valid, fresh, freshMeetings, meetings) {
  const push = (v, status) => v.batch.results.push({ eventId: v.record.eventId, status });
  const { rows, twins } = firstPerEventId(valid, true, push);
  const perMeeting = new Map();
  for (const v of fresh) perMeeting.set(v.record.meetingId, (perMeeting.get(v.record.meetingId) ?? 0) + 1);
  const counts = new Map(freshMeetings.map((m) => [m, state.folds.count(m)]));
  const before = freshMeetings.map((m) => counts.get(m) - perMeeting.get(m));
  const roomIds = [...new Set(fresh.filter((v) => v.record.type === 'conference.joined').map((v) => v.record.meetingId))];
  const { m, p } = derivedRows(meetings, counts);
  const { rows: missing } = await db.query(
    `SELECT row_index, same FROM collector_store_group($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
       $7::json, $8::text[], $9::text[], $10::int[], $11::boolean, $12::text[], $13::text[], $14::timestamptz[],
       $15::timestamptz[], $16::timestamptz[], $17::timestamptz[], $18::int[], $19::int[], $20::text[], $21::text[], $22::text[],
       $23::int[], $24::text[], $25::text[], $26::timestamptz[], $27::timestamptz[], $28::timestamptz[], $29::timestamptz[],
       $30::float8[], $31::float8[], $32::text[])`,
    [
      rows.map((v) => v.record.eventId),
      rows.map((v) => v.record.meetingId),
      rows.map((v) => (typeof v.record.participantId === 'string' && v.record.participantId !== '' ? v.record.participantId : null)),
      rows.map((v) => v.record.type),
      rows.map((v) => v.at),
      rows.map((v) => v.signer),
      `[${rows.map((v) => v.text).join(',')}]`,
      fresh.map((v) => v.record.eventId),
      freshMeetings, before, db.kind === 'postgres', roomIds,
      m.id, m.started, m.ended, m.asOf, m.sort, m.n, m.events, m.summary,
      p.meeting, p.id, p.pos, p.name, p.role, p.joined, p.left, p.seen, p.sort, p.presence, p.speaking, p.summary,
    ],
    'collector_store_group', // prepared once per connection (db.js)
  );
  const same = new Map(missing.map((r) => [r.row_index, r.same]));
  const status = new Map();
  rows.forEach((v, k) => {
    status.set(v, v.added || same.get(k + 1) ? 200 : 409);
    push(v, status.get(v));
  });
  for (const [v, prior] of twins) push(v, status.get(prior));
}

/** The rows of `meetings` (summaries) and their participants as column arrays; `counts`: meetingId -> log rows. */
function derivedRows(meetings, counts) {
  const m = { id: [], started: [], ended: [], asOf: [], sort: [], n: [], events: [], summary: [] };
  const p = { meeting: [], id: [], pos: [], name: [], role: [], joined: [], left: [], seen: [], sort: [], presence: [], speaking: [], summary: [] };
  for (const meeting of meetings) {
    const { participants, ...rest } = meeting;
    m.id.push(meeting.meetingId);
    m.started.push(meeting.startedAt);
    m.ended.push(meeting.endedAt);
    m.asOf.push(meeting.asOf);
    m.sort.push(meeting.startedAt ?? meeting.asOf);
    m.n.push(participants.length);
    m.events.push(counts.get(meeting.meetingId));
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
  return { m, p };
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
 * Brings the derived rows of `meetingIds` (the meetings that gained `fresh` rows in this transaction) to the fold of
 * their log: from the fold state when it holds exactly the log as it was before this transaction (`before`: the
 * `events` column, the log's row count), else from the whole log read back (a restart, another collector wrote,
 * or the meeting was forgotten).
 */
async function refold(q, state, meetingIds, fresh, before) {
  const { folds, stats } = state;
  const current = new Set(meetingIds.filter((m) => folds.count(m) === (before.get(m) ?? 0)));
  const stale = meetingIds.filter((m) => !current.has(m));
  let text = '';
  for (const v of fresh) if (current.has(v.record.meetingId)) text += (text ? ',' : '') + v.text;
  if (stale.length) {
    state.forget(stale);
    const { rows } = await q.query('SELECT record FROM meeting_events WHERE meeting_id = ANY($1::text[])', [stale]);
    for (const r of rows) text += (text ? ',' : '') + r.record;
    stats.rebuilds += stale.length;
    stats.rebuiltRecords += rows.length;
  }
  // The room: the roomName of the meeting's earliest conference.joined record that has one. Read again only when
  // it may have changed (such a record arrived, or a rebuild); else the stored one stays (a room is never unset).
  const joins = new Set(stale);
  for (const v of fresh) if (v.record.type === 'conference.joined') joins.add(v.record.meetingId);
  const rooms = new Map();
  if (joins.size) {
    const joined = await q.query(
      `SELECT meeting_id, record FROM meeting_events WHERE meeting_id = ANY($1::text[]) AND type = 'conference.joined'
       ORDER BY meeting_id, at, event_id`, [[...joins]]);
    for (const r of joined.rows) {
      if (rooms.has(r.meeting_id)) continue;
      const room = JSON.parse(r.record).payload?.roomName;
      if (typeof room === 'string' && room !== '') rooms.set(r.meeting_id, room);
    }
  }
  const t = performance.now();
  state.touch(meetingIds);
  const { meetings } = folds.addJson(`[${text}]`);
  stats.foldMs += performance.now() - t;
  const { m, p } = derivedRows(meetings, new Map(meetings.map((x) => [x.meetingId, folds.count(x.meetingId)])));
  m.room = m.id.map((id) => rooms.get(id) ?? null);
  // One statement for both tables. Participants are upserted, never deleted: adding records to a meeting never
  // removes a participant from its fold (the log only grows), so every row of the meeting is rewritten.
  await q.query(
    `WITH m AS (
       INSERT INTO meetings (meeting_id, room, started_at, ended_at, as_of, sort_at, participants, events, summary)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                            $7::int[], $8::int[], $9::text[])
       ON CONFLICT (meeting_id) DO UPDATE SET room = COALESCE(EXCLUDED.room, meetings.room), started_at = EXCLUDED.started_at,
         ended_at = EXCLUDED.ended_at, as_of = EXCLUDED.as_of, sort_at = EXCLUDED.sort_at, participants = EXCLUDED.participants,
         events = EXCLUDED.events, summary = EXCLUDED.summary
       RETURNING 1)
     INSERT INTO meeting_participants (meeting_id, participant_id, position, display_name, role, joined_at, left_at, last_seen_at,
                                       sort_at, presence_seconds, speaking_seconds, summary)
     SELECT * FROM unnest($10::text[], $11::text[], $12::int[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[],
                          $17::timestamptz[], $18::timestamptz[], $19::float8[], $20::float8[], $21::text[])
     ON CONFLICT (meeting_id, participant_id) DO UPDATE SET position = EXCLUDED.position, display_name = EXCLUDED.display_name,
       role = EXCLUDED.role, joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at, last_seen_at = EXCLUDED.last_seen_at,
       sort_at = EXCLUDED.sort_at, presence_seconds = EXCLUDED.presence_seconds, speaking_seconds = EXCLUDED.speaking_seconds,
       summary = EXCLUDED.summary`,
    [m.id, m.room, m.started, m.ended, m.asOf, m.sort, m.n, m.events, m.summary,
      p.meeting, p.id, p.pos, p.name, p.role, p.joined, p.left, p.seen, p.sort, p.presence, p.speaking, p.summary],
  );
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
