// The collector's database: an embedded PostgreSQL (PGlite) by default, a PostgreSQL server (node-postgres)
// when a connection string is given. Both are used through one small interface:
//   db.query(text, params, name?) -> { rows }     db.transaction(async (q) => ...)     db.close()
// `name` makes a statement that runs at every batch a prepared one on a server (parsed and planned once per
// connection); PGlite, in process, takes it as an unnamed one.
// Sessions run in UTC, so instants render and parse alike on both.

/**
 * Opens the database and creates the schema when missing.
 * @param {{ databaseUrl?: string, dataDir?: string, pglite?: object, poolSize?: number }} options
 *   databaseUrl: `postgres://...` (node-postgres); else PGlite in `dataDir` (a folder; created when missing),
 *   or in memory when dataDir is absent or 'memory://'; or `pglite`, an open PGlite instance to use (tests clone one).
 * @returns {Promise<{ kind: 'pglite'|'postgres', query: Function, transaction: Function, close: Function }>}
 */
export async function openDatabase(options = {}) {
  const db = options.databaseUrl ? await openServer(options) : await openEmbedded(options);
  await db.query(SCHEMA);
  return db;
}

async function openEmbedded({ dataDir, pglite }) {
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = pglite ?? (dataDir && dataDir !== 'memory://' ? await PGlite.create(dataDir) : await PGlite.create());
  await pg.exec("SET TIME ZONE 'UTC'");
  return {
    kind: 'pglite',
    async query(text, params) {
      // PGlite's query() takes one statement with parameters; exec() several without.
      if (params === undefined && text.includes(';')) {
        await pg.exec(text);
        return { rows: [] };
      }
      return pg.query(text, params);
    },
    // One connection: PGlite runs one transaction at a time (its own mutex), so meetings need no locks here.
    transaction(fn) {
      return pg.transaction((tx) => fn({ query: (text, params) => tx.query(text, params) }));
    },
    close: () => pg.close(),
    /** The PGlite instance itself (tests clone it). */
    pglite: pg,
  };
}

async function openServer({ databaseUrl, poolSize }) {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({ connectionString: databaseUrl, max: poolSize ?? 8, options: '-c TimeZone=UTC' });
  pool.on('error', () => {}); // an idle client lost (server restart): the next query gets a new one
  return {
    kind: 'postgres',
    query: (text, params, name) => (name ? pool.query({ name, text, values: params }) : pool.query(text, params)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: (text, params) => client.query(text, params) });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The schema (docs/collector.md#storage). `meeting_events` is the log: one row per eventId, the record as
 * received (`record`, JSON text: exact, and free of jsonb's limits), its signer, and the columns queries filter
 * on. `meetings` and `meeting_participants` are derived: core.meetings.summarize of each meeting's log rows,
 * written in the statement or transaction that adds rows to that meeting (`summary` = the fold's object as JSON
 * text; `events` = the meeting's log row count, which the collector's fold state checks itself against).
 *
 * `collector_store_group` is a group of batches in one statement (store.js `ingest`), each row with its batch's
 * signer (`e_signer`; an eventId may come twice when the log holds it already): the collector folded the group's new records
 * from its fold state before calling it, and passes which eventIds it expects to be new (`fresh`), how many log rows
 * it believes each of their meetings had (`m_before`) and the derived rows of that fold. The function takes the
 * meetings' advisory locks (server), checks both beliefs, inserts, writes the derived rows and the room, and returns
 * for every row not inserted (by its position) whether the stored one has the same signer and record. A wrong belief (another
 * collector wrote, a replay of rows the state does not hold) raises `collector: stale` and rolls the statement back:
 * the collector then forgets those meetings and runs the batch as a transaction that rebuilds them from the log.
 */
export const SCHEMA = `
-- Collectors starting together: one creates, the others wait (the schema runs as one implicit transaction).
SELECT pg_advisory_xact_lock(7245013001);
CREATE TABLE IF NOT EXISTS meeting_events (
  event_id       text PRIMARY KEY,
  meeting_id     text NOT NULL,
  participant_id text,
  type           text NOT NULL,
  at             timestamptz NOT NULL,
  signer         text NOT NULL,
  record         text NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS meeting_events_meeting ON meeting_events (meeting_id, at, event_id);
CREATE INDEX IF NOT EXISTS meeting_events_participant ON meeting_events (participant_id, at, event_id);
CREATE TABLE IF NOT EXISTS meetings (
  meeting_id   text PRIMARY KEY,
  room         text,
  started_at   timestamptz,
  ended_at     timestamptz,
  as_of        timestamptz NOT NULL,
  sort_at      timestamptz NOT NULL,
  participants integer NOT NULL,
  events       integer NOT NULL,
  summary      text NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_sort ON meetings (sort_at, meeting_id);
CREATE INDEX IF NOT EXISTS meetings_room ON meetings (room, sort_at, meeting_id);
CREATE TABLE IF NOT EXISTS meeting_participants (
  meeting_id       text NOT NULL,
  participant_id   text NOT NULL,
  position         integer NOT NULL,
  display_name     text,
  role             text,
  joined_at        timestamptz,
  left_at          timestamptz,
  last_seen_at     timestamptz,
  sort_at          timestamptz NOT NULL,
  presence_seconds double precision NOT NULL,
  speaking_seconds double precision NOT NULL,
  summary          text NOT NULL,
  PRIMARY KEY (meeting_id, participant_id)
);
CREATE INDEX IF NOT EXISTS meeting_participants_history ON meeting_participants (participant_id, sort_at, meeting_id);
-- collector_store_group replaces collector_store (one signer for all rows: a statement stored one batch), which
-- is left in place: a collector of the older version still running beside a newer one keeps working.
CREATE OR REPLACE FUNCTION collector_store_group(
  e_id text[], e_meeting text[], e_participant text[], e_type text[], e_at timestamptz[], e_signer text[], e_records json,
  fresh text[], m_id text[], m_before int[], with_locks boolean, room_ids text[],
  d_id text[], d_started timestamptz[], d_ended timestamptz[], d_as_of timestamptz[], d_sort timestamptz[], d_n int[],
  d_events int[], d_summary text[],
  p_meeting text[], p_id text[], p_pos int[], p_name text[], p_role text[], p_joined timestamptz[], p_left timestamptz[],
  p_seen timestamptz[], p_sort timestamptz[], p_presence float8[], p_speaking float8[], p_summary text[])
RETURNS TABLE (row_index int, same boolean) LANGUAGE plpgsql AS $fn$
DECLARE
  inserted_fresh int;
  inserted_all int;
  -- The records' texts, exactly as sent: one JSON array (cheaper to send than a text[] of JSON texts, whose quotes
  -- would all be escaped); json (not jsonb) keeps each element's text as it is.
  e_record text[] := ARRAY(SELECT r.value::text FROM json_array_elements(e_records) WITH ORDINALITY AS r(value, i) ORDER BY r.i);
BEGIN
  IF with_locks THEN
    PERFORM pg_advisory_xact_lock(k.h) FROM (SELECT DISTINCT hashtextextended(m, 0) AS h FROM unnest(m_id) AS m ORDER BY h) AS k;
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(m_id, m_before) AS x(id, n) LEFT JOIN meetings AS mt ON mt.meeting_id = x.id
             WHERE coalesce(mt.events, 0) <> x.n) THEN
    RAISE EXCEPTION 'collector: stale (a meeting''s log is not what the fold state holds)';
  END IF;
  WITH ins AS (
    INSERT INTO meeting_events (event_id, meeting_id, participant_id, type, at, signer, record)
    SELECT u.a, u.b, u.c, u.d, u.e, u.f, u.g FROM unnest(e_id, e_meeting, e_participant, e_type, e_at, e_signer, e_record) AS u(a, b, c, d, e, f, g)
    ON CONFLICT (event_id) DO NOTHING RETURNING meeting_events.event_id AS id)
  SELECT count(*) FILTER (WHERE ins.id = ANY(fresh)), count(*) INTO inserted_fresh, inserted_all FROM ins;
  IF inserted_fresh <> cardinality(fresh) OR inserted_all <> cardinality(fresh) THEN
    RAISE EXCEPTION 'collector: stale (an eventId the fold state did not hold is stored already)';
  END IF;
  IF cardinality(d_id) > 0 THEN
    INSERT INTO meetings (meeting_id, room, started_at, ended_at, as_of, sort_at, participants, events, summary)
    SELECT u.a, NULL, u.b, u.c, u.d, u.e, u.f, u.g, u.h FROM unnest(d_id, d_started, d_ended, d_as_of, d_sort, d_n, d_events, d_summary)
      AS u(a, b, c, d, e, f, g, h)
    ON CONFLICT (meeting_id) DO UPDATE SET started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, as_of = EXCLUDED.as_of,
      sort_at = EXCLUDED.sort_at, participants = EXCLUDED.participants, events = EXCLUDED.events, summary = EXCLUDED.summary;
    INSERT INTO meeting_participants (meeting_id, participant_id, position, display_name, role, joined_at, left_at, last_seen_at,
                                      sort_at, presence_seconds, speaking_seconds, summary)
    SELECT * FROM unnest(p_meeting, p_id, p_pos, p_name, p_role, p_joined, p_left, p_seen, p_sort, p_presence, p_speaking, p_summary)
    ON CONFLICT (meeting_id, participant_id) DO UPDATE SET position = EXCLUDED.position, display_name = EXCLUDED.display_name,
      role = EXCLUDED.role, joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at, last_seen_at = EXCLUDED.last_seen_at,
      sort_at = EXCLUDED.sort_at, presence_seconds = EXCLUDED.presence_seconds, speaking_seconds = EXCLUDED.speaking_seconds,
      summary = EXCLUDED.summary;
  END IF;
  IF cardinality(room_ids) > 0 THEN
    -- The room: the roomName of the meeting's earliest conference.joined record that has a non-empty one.
    UPDATE meetings SET room = r.room
    FROM (SELECT DISTINCT ON (me.meeting_id) me.meeting_id AS id, (me.record::json -> 'payload') ->> 'roomName' AS room
          FROM meeting_events AS me
          WHERE me.meeting_id = ANY(room_ids) AND me.type = 'conference.joined'
            AND json_typeof((me.record::json -> 'payload') -> 'roomName') = 'string'
            AND (me.record::json -> 'payload') ->> 'roomName' <> ''
          ORDER BY me.meeting_id, me.at, me.event_id) AS r
    WHERE meetings.meeting_id = r.id;
  END IF;
  IF cardinality(fresh) < cardinality(e_id) THEN
    -- Rows not inserted (stored already), by position (an eventId may come twice, from two signers): one
    -- primary-key lookup each.
    RETURN QUERY SELECT u.i::int, (me.signer = u.f AND me.record = u.g)
      FROM unnest(e_id, e_signer, e_record) WITH ORDINALITY AS u(a, f, g, i)
      CROSS JOIN LATERAL (SELECT x.signer, x.record FROM meeting_events AS x WHERE x.event_id = u.a) AS me
      WHERE NOT (u.a = ANY(fresh));
  END IF;
END
$fn$;
`;
