// Publishing Convene's gatherings to a Bluesky (ATProto) repo and reading RSVPs back (docs/bluesky.md).
// The records, their keys and the counting are the core's (core.bluesky); this module is the I/O: it
// writes with `com.atproto.repo.putRecord` under the core's record key, with `swapRecord` set to the CID
// Convene stored, so a record someone else changed is reported (RECORD_CHANGED), never overwritten.
// `agent` is an `@atproto/api` AtpAgent (logged in as the repo's account for writes).
import { eq } from '@arkiv-network/sdk/query';
import { readSeriesState } from './arkiv-reads.js';

/**
 * An error of publishing or reading on a PDS, with a stable `code`:
 * - `RECORD_CHANGED`: the record in the repo is not the one Convene stored (its CID differs) and not the
 *   one Convene would write: someone edited it with another client. `uri` and `cid` are the record's now.
 * - `PDS_UNREACHABLE`: the PDS did not answer (network error).
 * - `PDS_ERROR`: the PDS refused the request (`status`, `error` as the XRPC response gave them).
 * - `NOT_LOGGED_IN`: no repo DID (the agent has no session and none was given).
 */
export class BlueskyError extends Error {
  /**
   * @param {'RECORD_CHANGED' | 'PDS_UNREACHABLE' | 'PDS_ERROR' | 'NOT_LOGGED_IN'} code
   * @param {string} message
   * @param {{ uri?: string, cid?: string, status?: number, error?: string, cause?: unknown }} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause ? { cause: details.cause } : undefined);
    this.name = 'BlueskyError';
    this.code = code;
    for (const k of ['uri', 'cid', 'status', 'error']) if (details[k] !== undefined) this[k] = details[k];
  }
}

/** An XRPC failure as a BlueskyError (network errors have no HTTP status: @atproto/xrpc reports 1, "Unknown"). */
function fromXrpc(err, what) {
  if (err instanceof BlueskyError) return err;
  const status = typeof err?.status === 'number' ? err.status : undefined;
  if (status === undefined || status < 100) return new BlueskyError('PDS_UNREACHABLE', `${what}: the PDS did not answer (${err?.message || err})`, { cause: err });
  return new BlueskyError('PDS_ERROR', `${what}: the PDS refused it (${status} ${err.error || ''} ${err.message || ''})`.trim(), { status, error: err.error, cause: err });
}

/** JSON with object members in sorted order (a record read back from a repo has DAG-CBOR's key order, not ours). */
function canonical(x) {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object') {
    return `{${Object.keys(x).filter((k) => x[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`).join(',')}}`;
  }
  return JSON.stringify(x);
}

/** Whether two event records say the same thing: equal once `createdAt` (when it was first published) is set aside. */
function sameEvent(a, b) {
  return canonical({ ...a, createdAt: undefined }) === canonical({ ...b, createdAt: undefined });
}

/**
 * Every record of `collection` in repo `did` (all pages of `com.atproto.repo.listRecords`), as the core takes
 * them: `{ did, rkey, cid, uri, record }`.
 * @param {import('@atproto/api').AtpAgent} agent any agent (listing public repos needs no login)
 * @returns {Promise<{ did: string, rkey: string, cid: string, uri: string, record: object }[]>}
 * @throws {BlueskyError} PDS_UNREACHABLE, PDS_ERROR
 */
export async function listRepoRecords(agent, did, collection) {
  const out = [];
  let cursor;
  do {
    let res;
    try {
      res = await agent.com.atproto.repo.listRecords({ repo: did, collection, limit: 100, cursor });
    } catch (err) {
      throw fromXrpc(err, `listing ${collection} of ${did}`);
    }
    for (const r of res.data.records) out.push({ did, rkey: r.uri.slice(r.uri.lastIndexOf('/') + 1), cid: r.cid, uri: r.uri, record: r.value });
    cursor = res.data.records.length ? res.data.cursor : undefined;
  } while (cursor);
  return out;
}

/**
 * @param {object} deps
 * @param {import('@convene/core').Core} deps.core
 * @param {import('@atproto/api').AtpAgent} deps.agent
 * @param {string} [deps.did] the repo written to (default: the agent's logged-in DID).
 */
export function createBlueskyPublisher({ core, agent, did }) {
  const repo = () => {
    const d = did || agent.did || agent.session?.did;
    if (!d) throw new BlueskyError('NOT_LOGGED_IN', 'publishing needs a repo: log the agent in or pass `did`');
    return d;
  };

  /**
   * Publishes a gathering (or a series occurrence's gathering) as a `community.lexicon.calendar.event`
   * record under the core's deterministic record key (core.bluesky.gatheringEvent), so a retry, a second
   * device or two publishers at once leave one record.
   * - First publication (`published` null): written only if the record does not exist. If it does (another
   *   device or publisher was first) and says the same thing, it is adopted; otherwise RECORD_CHANGED.
   * - Later ones (`published` = what this returned last time): written to its record key with `swapRecord` =
   *   its CID, keeping its `createdAt`. If the record was changed since: adopted when it already says what Convene would
   *   write, RECORD_CHANGED otherwise (nothing is written).
   * @param {{ gathering: object, pageUrl?: string, createdAt?: string, published?: { uri: string, cid: string, rkey: string, createdAt: string } | null }} args
   *   `gathering`: the virtual_gathering entity as read with metadata (the core checks its signer);
   *   `createdAt`: for a first publication (ISO 8601; default now).
   * @returns {Promise<{ uri: string, cid: string, rkey: string, createdAt: string, record: object, unchanged: boolean }>}
   *   what to store (at-uri, CID, record key, createdAt, the record as it now reads); `unchanged`: the record was already this one.
   * @throws {import('@convene/core').ConveneError} from the core (UNVERIFIED_ENTITY, …) for a gathering it refuses
   * @throws {BlueskyError} RECORD_CHANGED, PDS_UNREACHABLE, PDS_ERROR, NOT_LOGGED_IN
   */
  async function publishGathering({ gathering, pageUrl, createdAt, published = null }) {
    const built = core.bluesky.gatheringEvent({
      gathering,
      ...(pageUrl ? { pageUrl } : {}),
      ...(published?.createdAt || createdAt ? { createdAt: published?.createdAt || createdAt } : {}),
    });
    const { collection, record } = built;
    // Once published, the record lives at the stored at-uri: a standalone gathering's key carries its start
    // at first publication (core.bluesky.gatheringEvent), and a move must update that record, not add one.
    const rkey = published?.rkey || built.rkey;
    const did = repo();
    const uri = `at://${did}/${collection}/${rkey}`;
    try {
      const res = await agent.com.atproto.repo.putRecord({ repo: did, collection, rkey, record, swapRecord: published ? published.cid : null });
      return { uri: res.data.uri, cid: res.data.cid, rkey, createdAt: record.createdAt, record, unchanged: Boolean(published && res.data.cid === published.cid) };
    } catch (err) {
      if (err?.error !== 'InvalidSwap') throw fromXrpc(err, `publishing ${uri}`);
    }
    // The record is not what Convene stored (or exists when Convene stored nothing): read it as it is now.
    let current;
    try {
      current = (await agent.com.atproto.repo.getRecord({ repo: did, collection, rkey })).data;
    } catch (err) {
      throw fromXrpc(err, `reading ${uri}`);
    }
    if (sameEvent(current.value, record)) {
      return { uri: current.uri, cid: current.cid, rkey, createdAt: current.value.createdAt, record: { ...record, createdAt: current.value.createdAt }, unchanged: true };
    }
    throw new BlueskyError('RECORD_CHANGED', `${uri} was changed outside Convene (its CID is ${current.cid}); not overwritten`, { uri: current.uri, cid: current.cid });
  }

  /**
   * RSVP counts of an event from the `community.lexicon.calendar.rsvp` records in the repos of `dids`
   * (all pages of each), counted by the core: one per DID, the newest by record key, only those whose
   * subject is `subject`. Without an AppView or a firehose consumer, the repos to look in must be known
   * (the app's connected accounts and those it has seen RSVP); docs/bluesky.md.
   * @param {{ subject: string, dids: string[] }} args `subject`: the event's at-uri.
   * @returns {Promise<{ going: number, interested: number, notGoing: number, ignored: number }>}
   * @throws {BlueskyError} PDS_UNREACHABLE, PDS_ERROR
   */
  async function rsvpCounts({ subject, dids }) {
    const rsvps = [];
    for (const d of new Set(dids)) rsvps.push(...(await listRepoRecords(agent, d, core.bluesky.collections.rsvp)));
    return core.bluesky.countRsvps({ subject, rsvps });
  }

  /**
   * Publishes a series one occurrence at a time (docs/bluesky.md#publishing-state), as planned by the core
   * (core.bluesky.planSeries): creates the record of the occurrence not yet ended when it has none, updates
   * the records of published occurrences that changed (moved, cancelled, retitled) with `swapRecord` = the
   * stored CID, and records each publication on Arkiv as the organizer's own `bluesky_publication` entity
   * (updated in place), so another device or the steward continues from it. A record changed outside
   * Convene is reported in `problems` (RECORD_CHANGED), not overwritten; a publication whose note on Arkiv could not
   * be written (another device wrote the same at once) is reported as PUBLICATION_NOT_RECORDED and completed by the
   * next run. The other actions still run.
   * @param {{ arkiv: object, spaceId: string, seriesKey: string, save: (tx: { creates?: object[], updates?: object[] }) => Promise<unknown>, now?: number, pageUrl?: string }} args
   *   `arkiv`: reads (`get`, `byTypeSignedBy`, `byTypeFor`: web/src/arkiv.js or the steward's); `save`: writes one
   *   Arkiv transaction signed by the series' organizer (`mutateEntities` shape); `now`: epoch ms (default Date.now()).
   * @returns {Promise<{ created: string[], updated: string[], problems: { recurrenceId: string, code: string, message: string, uri?: string, cid?: string }[], orphaned: object[] }>}
   *   at-uris created and updated
   * @throws {BlueskyError} PDS_UNREACHABLE, NOT_LOGGED_IN; ConveneError from the core for a series it refuses
   */
  async function publishSeries({ arkiv, spaceId, seriesKey, save, now = Date.now(), pageUrl }) {
    const st = await readSeriesState(core, arkiv, spaceId, seriesKey);
    const publications = await arkiv.byTypeSignedBy('bluesky_publication', spaceId, st.series.organizerWallet, eq('seriesKey', seriesKey));
    const plan = core.bluesky.planSeries({ series: st.raw, exceptions: st.exceptions, gatherings: st.gatherings, publications, now, ...(pageUrl ? { pageUrl } : {}) });
    const did = repo();
    const out = { created: [], updated: [], problems: [], orphaned: plan.orphaned };
    for (const a of plan.actions) {
      const uri = `at://${did}/${core.bluesky.collections.event}/${a.rkey}`;
      let cid;
      let written = a.record;
      try {
        cid = (await agent.com.atproto.repo.putRecord({ repo: did, collection: core.bluesky.collections.event, rkey: a.rkey, record: a.record, swapRecord: a.swapRecord })).data.cid;
      } catch (err) {
        if (err?.error !== 'InvalidSwap') throw fromXrpc(err, `publishing ${uri}`);
        // The record is not the one stored (or exists though nothing was stored): adopt it when it already says
        // what Convene would write (another device or steward run was first), report it otherwise.
        let current;
        try {
          current = (await agent.com.atproto.repo.getRecord({ repo: did, collection: core.bluesky.collections.event, rkey: a.rkey })).data;
        } catch (e) {
          throw fromXrpc(e, `reading ${uri}`);
        }
        if (!sameEvent(current.value, a.record)) {
          out.problems.push({ recurrenceId: a.recurrenceId, code: 'RECORD_CHANGED', message: `${uri} was changed outside Convene; not overwritten`, uri: current.uri, cid: current.cid });
          continue;
        }
        cid = current.cid;
        written = { ...a.record, createdAt: current.value.createdAt };
      }
      const draft = core.entities.build('bluesky_publication', {
        organizerWallet: st.series.organizerWallet, did, uri, cid, record: written, seriesKey, recurrenceId: a.recurrenceId,
      }, { now, spaceId });
      (a.kind === 'create' ? out.created : out.updated).push(uri);
      try {
        await save(a.publicationKey ? { updates: [{ entityKey: a.publicationKey, ...draft }] } : { creates: [draft] });
      } catch (err) {
        // The record is on Bluesky; only Convene's note of it is missing. The next run finds the record under
        // its key, sees it says the same, and writes the note then.
        out.problems.push({ recurrenceId: a.recurrenceId, code: 'PUBLICATION_NOT_RECORDED', message: `${uri} is published, but its record on Arkiv was not written: ${err?.message || err}`, uri, cid });
      }
    }
    return out;
  }

  return { publishGathering, publishSeries, rsvpCounts };
}
