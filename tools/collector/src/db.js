// The collector's database: an embedded PostgreSQL (PGlite) by default, a PostgreSQL server (node-postgres)
// when a connection string is given. Both are used through one small interface:
//   db.query(text, params) -> { rows }     db.transaction(async (q) => ...)     db.close()
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
    query: (text, params) => pool.query(text, params),
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
 * recomputed in the transaction that adds rows to that meeting (`summary` = the fold's object as JSON text).
 */
export const SCHEMA = `
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
`;
