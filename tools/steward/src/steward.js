// One steward run: for each of the organizer's event series, read its state exactly as the app does
// (web/src/series.js state(): the series, the organizer's own exceptions and gatherings of it,
// filtered at the node with createdBy/ownedBy), plan with core.series.planMaterialization (with
// currentBlock, for the series' extension), write plan.transactions in order, and say what was written.
//
// Duplicates. Two materializations at once (two machines, or the app and a steward) can both create a
// gathering for one occurrence. The core then treats the one created last as the occurrence's and keeps
// the others "in step" (docs/domain.md#event-series: updated like it, and a retired one restored); it
// never retires them. The steward retires such a duplicate itself (an update marking it cancelled, key
// kept, never a delete) when nobody has RSVPed to it, and leaves retired duplicates out of the state it
// plans with, so that the core does not restore them. A duplicate with RSVPs is left to the core (kept
// in step, so those RSVPs stay valid) and reported.
import { eq } from '@arkiv-network/sdk/query';

/** The `skill` of a gathering RSVP session (web/src/gatherings.js RSVP_SKILL). */
export const RSVP_SKILL = 'virtual_gathering_rsvp';
/** Retirement updates per transaction (each a small gathering draft; well under Arkiv's 128 KB and 1000 operations). */
const RETIREMENTS_PER_TX = 50;
/** Attempts per series when a write loses a race (nonce taken by a concurrent run): re-read, re-plan, write. */
const MAX_ATTEMPTS = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const attrsOf = (entity) => Object.fromEntries((entity.attributes || []).map((a) => [a.key, a.value]));
const ms = (iso) => Date.parse(iso);
const lc = (a) => String(a || '').toLowerCase();

/** A write that failed because a concurrent writer of the same account used the nonce (retry after re-reading). */
export function isRaceError(err) {
  const text = `${err && err.message} ${err && err.cause && err.cause.message} ${err && err.details}`;
  return /nonce|already known|replacement transaction/i.test(text);
}

/** The series state as the app reads it (web/src/series.js state()). */
export async function readState(core, arkiv, spaceId, seriesKey) {
  const raw = await arkiv.get(seriesKey);
  const series = core.entities.parse(raw);
  if (series.type !== 'event_series') throw Object.assign(new Error(`${seriesKey} is a ${series.type}, not an event_series`), { code: 'NOT_A_SERIES' });
  const organizer = series.organizerWallet;
  const [exceptions, gatherings] = await Promise.all([
    arkiv.byTypeSignedBy('event_series_exception', spaceId, organizer, eq('seriesKey', seriesKey)),
    arkiv.byTypeSignedBy('virtual_gathering', spaceId, organizer, eq('seriesKey', seriesKey)),
  ]);
  return { raw, series, exceptions, gatherings };
}

/**
 * Gatherings of one RECURRENCE-ID beyond the occurrence's own (the one the core attaches: created last).
 * @returns {{ live: {raw, parsed, recurrenceId}[], retired: Set<string> }} live duplicates of live, not-ended
 *   occurrences (to retire), and keys of duplicates already retired (left out of the planning state).
 */
export function findDuplicates(core, st, now) {
  const byRid = new Map();
  for (const g of st.gatherings) {
    const rid = ms(attrsOf(g).recurrenceId);
    if (!Number.isFinite(rid)) continue;
    if (!byRid.has(rid)) byRid.set(rid, []);
    byRid.get(rid).push(g);
  }
  const groups = [...byRid].filter(([, list]) => new Set(list.map((g) => g.key)).size > 1);
  const out = { live: [], retired: new Set() };
  if (!groups.length) return out;
  const rids = groups.map(([rid]) => rid);
  // The core says which gathering is the occurrence's (and whether the occurrence is live).
  const occurrences = core.series.occurrences({
    series: st.raw,
    exceptions: st.exceptions,
    gatherings: st.gatherings,
    after: new Date(Math.min(...rids)).toISOString(),
    before: new Date(Math.max(...rids)).toISOString(),
  });
  const occByRid = new Map(occurrences.map((o) => [ms(o.recurrenceId), o]));
  for (const [rid, list] of groups) {
    const o = occByRid.get(rid);
    // Cancelled or orphaned occurrences: the core retires every gathering of them itself.
    if (!o || !o.gatheringKey || o.state === 'cancelled') continue;
    for (const g of list) {
      if (g.key === o.gatheringKey) continue;
      const parsed = core.entities.parse(g);
      if (parsed.status === 'cancelled') out.retired.add(g.key);
      else if (ms(o.endsAt) > now) out.live.push({ raw: g, parsed, recurrenceId: o.recurrenceId });
    }
  }
  return out;
}

/** The update that retires a duplicate: the gathering as it is, `status: 'cancelled'`, no room (as the core's retirements). */
function retirementDraft(core, dup, series, opts) {
  const p = dup.parsed;
  const a = attrsOf(dup.raw);
  const draft = core.entities.build(
    'virtual_gathering',
    {
      organizerWallet: p.organizerWallet,
      community: p.community || series.community,
      ...(p.communityName ? { communityName: p.communityName } : {}),
      title: p.title,
      description: p.description || '',
      sessionDate: p.sessionDate,
      duration: p.duration,
      videoProvider: p.videoProvider || 'jitsi',
      seriesKey: a.seriesKey,
      recurrenceId: a.recurrenceId,
      status: 'cancelled',
    },
    opts,
  );
  return { entityKey: dup.raw.key, ...draft };
}

/**
 * Plans one series: the core's plan, plus retirements of duplicates nobody RSVPed to.
 * @returns {Promise<{ plan: object, transactions: object[], retire: object[], keptDuplicates: object[], series: object }>}
 */
export async function planSeries({ core, arkiv, config, seriesKey, now, currentBlock }) {
  const opts = { now, spaceId: config.spaceId };
  const st = await readState(core, arkiv, config.spaceId, seriesKey);
  const dups = findDuplicates(core, st, now);
  const gatherings = dups.retired.size ? st.gatherings.filter((g) => !dups.retired.has(g.key)) : st.gatherings;
  const plan = core.series.planMaterialization({ series: st.raw, exceptions: st.exceptions, gatherings, horizonDays: config.horizonDays, currentBlock }, opts);

  let retire = [];
  const keptDuplicates = [];
  if (dups.live.length) {
    const rsvps = await arkiv.byTypeFor('session', config.spaceId, 'gatheringKey', dups.live.map((d) => d.raw.key), eq('skill', RSVP_SKILL));
    const rsvpCount = new Map();
    for (const r of rsvps) {
      const k = attrsOf(r).gatheringKey;
      rsvpCount.set(k, (rsvpCount.get(k) || 0) + 1);
    }
    for (const d of dups.live) {
      const n = rsvpCount.get(d.raw.key) || 0;
      if (n) keptDuplicates.push({ entityKey: d.raw.key, recurrenceId: d.recurrenceId, rsvps: n });
      else retire.push({ entityKey: d.raw.key, recurrenceId: d.recurrenceId, reason: 'duplicate', draft: retirementDraft(core, d, st.series, opts) });
    }
  }
  // A duplicate being retired gets no other update from the core's plan in the same run.
  const retiring = new Set(retire.map((r) => r.entityKey));
  const transactions = [];
  for (const tx of plan.transactions) {
    const updates = tx.updates ? tx.updates.filter((u) => !retiring.has(u.entityKey)) : undefined;
    const t = { ...tx };
    if (updates) {
      if (updates.length) t.updates = updates;
      else delete t.updates;
    }
    if ((t.creates && t.creates.length) || (t.updates && t.updates.length) || (t.extensions && t.extensions.length)) transactions.push(t);
  }
  for (let i = 0; i < retire.length; i += RETIREMENTS_PER_TX) transactions.push({ updates: retire.slice(i, i + RETIREMENTS_PER_TX).map((r) => r.draft) });
  const update = plan.update.filter((u) => !retiring.has(u.entityKey));
  return { series: st.series, plan: { ...plan, update }, transactions, retire, keptDuplicates };
}

function emptyResult(seriesKey) {
  return {
    seriesKey,
    title: null,
    status: 'nothing to do',
    created: [],
    updated: [],
    cancelled: [],
    extended: [],
    duplicatesRetired: [],
    duplicatesKept: [],
    problems: [],
    transactions: 0,
    attempts: 0,
    error: null,
  };
}

/**
 * Adds what one transaction holds (written, or in a dry run planned) to the result. Updates are told
 * apart by key: the core's retirements (`cancel`), the steward's (`duplicate`), the core's updates.
 */
function recordTransaction(result, planned, tx, createdKeys) {
  const cancels = new Map(planned.plan.cancel.map((c) => [c.entityKey, c]));
  const retires = new Map(planned.retire.map((r) => [r.entityKey, r]));
  const updates = new Map(planned.plan.update.map((u) => [u.entityKey, u]));
  (tx.creates || []).forEach((draft, i) => {
    const a = attrsOf(draft);
    result.created.push({ recurrenceId: a.recurrenceId, sessionDate: a.sessionDate ?? null, entityKey: createdKeys ? createdKeys[i] ?? null : null });
  });
  for (const u of tx.updates || []) {
    const rid = attrsOf(u).recurrenceId;
    if (cancels.has(u.entityKey)) result.cancelled.push({ entityKey: u.entityKey, recurrenceId: cancels.get(u.entityKey).recurrenceId, reason: cancels.get(u.entityKey).reason });
    else if (retires.has(u.entityKey)) result.duplicatesRetired.push({ entityKey: u.entityKey, recurrenceId: retires.get(u.entityKey).recurrenceId });
    else result.updated.push({ entityKey: u.entityKey, recurrenceId: updates.get(u.entityKey)?.recurrenceId ?? rid });
  }
  for (const e of tx.extensions || []) result.extended.push({ entityKey: e.entityKey, expiresIn: e.expiresIn });
}

/**
 * Materializes one series. Never throws: a failure is the result's `status: 'failed'` and `error`.
 * A write that loses a race with a concurrent run of the same wallet (nonce already used) re-reads the
 * series and plans again; what was written before counts.
 */
export async function stewardSeries({ core, arkiv, config, seriesKey, address, clock = Date.now, log = () => {} }) {
  const result = emptyResult(seriesKey);
  let wrote = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    result.attempts = attempt;
    let planned;
    try {
      const currentBlock = await arkiv.blockNumber();
      planned = await planSeries({ core, arkiv, config, seriesKey, now: clock(), currentBlock });
    } catch (e) {
      result.status = 'failed';
      result.error = { stage: 'read', code: e.code || e.name || 'ERROR', message: e.message };
      return result;
    }
    result.title = planned.series.title ?? null;
    result.problems = planned.plan.problems;
    result.duplicatesKept = planned.keptDuplicates;
    if (lc(planned.series.organizerWallet) !== lc(address)) {
      result.status = 'failed';
      result.error = { stage: 'read', code: 'NOT_ORGANIZER', message: `the series is organized by ${planned.series.organizerWallet}, not by this keystore's wallet ${address}` };
      return result;
    }
    if (!planned.transactions.length) {
      result.status = wrote ? 'written' : 'nothing to do';
      return result;
    }
    if (config.dryRun) {
      for (const tx of planned.transactions) recordTransaction(result, planned, tx, null);
      result.transactions = planned.transactions.length;
      result.status = 'planned';
      return result;
    }
    // Test hook (tests/node/steward.test.js): hold a planned write so that two runs without the lock
    // surely plan from the same state. Not for production use.
    if (config.testWriteDelayMs && attempt === 1) await sleep(config.testWriteDelayMs);
    // Write the transactions in order (extensions, retirements, updates, creates: the core's order).
    let done = 0;
    try {
      for (const tx of planned.transactions) {
        const r = await arkiv.writeTransaction(tx);
        recordTransaction(result, planned, tx, r.createdEntities);
        done += 1;
        wrote = true;
        result.transactions += 1;
      }
      result.status = 'written';
      return result;
    } catch (e) {
      if (isRaceError(e) && attempt < MAX_ATTEMPTS) {
        // Another run of this wallet took the nonce: what it wrote (and what we did) is read again.
        log(`series ${seriesKey}: a write raced with another writer of this wallet (${String(e.message).split('\n')[0]}); reading the series again`);
        await sleep(150 + Math.floor(Math.random() * 600));
        continue;
      }
      result.status = 'failed';
      result.error = {
        stage: 'write',
        code: e.code || e.name || 'ERROR',
        message: String(e.message).split('\n')[0],
        transactionsWritten: done,
        transactionsPlanned: planned.transactions.length,
      };
      return result;
    }
  }
  // Still something to write after MAX_ATTEMPTS: a writer keeps racing.
  if (result.status !== 'written') {
    result.status = 'failed';
    result.error = result.error || { stage: 'write', code: 'RACE', message: `still racing with another writer after ${MAX_ATTEMPTS} attempts` };
  }
  return result;
}

/** The series this run looks after: `--series` keys, or every event_series in the space the wallet created and owns. */
export async function seriesToSteward({ core, arkiv, config, address }) {
  if (config.series.length) return [...new Set(config.series)];
  const raw = await arkiv.byTypeSignedBy('event_series', config.spaceId, address);
  const keys = [];
  for (const s of raw) {
    try {
      if (lc(core.entities.parse(s).organizerWallet) === lc(address)) keys.push(s.key);
    } catch {
      // Not a series the core can read: nothing to materialize.
    }
  }
  return keys;
}
