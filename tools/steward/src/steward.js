// One steward run: for each of the organizer's event series, read its state exactly as the app does
// (web/src/series.js state(): the series, the organizer's own exceptions and gatherings of it,
// filtered at the node with createdBy/ownedBy), plan with core.series.planMaterialization (with
// currentBlock, for the series' extension), write plan.transactions in order, and say what was written.
//
// Duplicates. Two materializations at once (two machines, or the app and a steward) can both create a
// gathering for one occurrence. The rule for them is the core's (core/series/plan.h): given the RSVPs
// of such gatherings, planMaterialization retires a duplicate nobody RSVP'd to (reason "duplicate",
// marked cancelled under its key, never deleted, never restored) and keeps one with RSVPs in step with
// its occurrence. The steward reads those RSVPs as the app does and reports what the plan did.
//
// Splits. A split whose handoff was never written (the app stopped between its two writes) is
// completed before the series is planned (web/src/series-handoff.js): otherwise the old series would
// retire the later dates' gatherings as orphans and the new series would make fresh ones without
// their RSVPs.
import { readSeriesState } from '../../../web/src/arkiv-reads.js';
import { pendingHandoffs } from '../../../web/src/series-handoff.js';

/** Attempts per series when a write loses a race (nonce taken by a concurrent run): re-read, re-plan, write. */
const MAX_ATTEMPTS = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const attrsOf = (entity) => Object.fromEntries((entity.attributes || []).map((a) => [a.key, a.value]));
const lc = (a) => String(a || '').toLowerCase();

/** A write that failed because a concurrent writer of the same account used the nonce (retry after re-reading). */
export function isRaceError(err) {
  const text = `${err && err.message} ${err && err.cause && err.cause.message} ${err && err.details}`;
  return /nonce|already known|replacement transaction/i.test(text);
}

/** The series state as the app reads it (web/src/arkiv-reads.js readSeriesState). */
export async function readState(core, arkiv, spaceId, seriesKey) {
  const st = await readSeriesState(core, arkiv, spaceId, seriesKey);
  if (st.series.type !== 'event_series') throw Object.assign(new Error(`${seriesKey} is a ${st.series.type}, not an event_series`), { code: 'NOT_A_SERIES' });
  return st;
}

/**
 * Plans one series with the core (core.series.planMaterialization, RSVPs of duplicates included).
 * @returns {Promise<{ plan: object, transactions: object[], series: object }>}
 */
export async function planSeries({ core, arkiv, config, seriesKey, now, currentBlock }) {
  const opts = { now, spaceId: config.spaceId };
  const st = await readState(core, arkiv, config.spaceId, seriesKey);
  const plan = core.series.planMaterialization(
    { series: st.raw, exceptions: st.exceptions, gatherings: st.gatherings, rsvps: st.rsvps, horizonDays: config.horizonDays, currentBlock },
    opts,
  );
  return { series: st.series, plan, transactions: plan.transactions };
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
    handedOver: [],
    problems: [],
    transactions: 0,
    attempts: 0,
    error: null,
  };
}

/**
 * Adds what one transaction holds (written, or in a dry run planned) to the result. Updates are told
 * apart by key: the core's retirements (`cancel`: of duplicates, reason "duplicate", or of cancelled and
 * orphaned occurrences) and the core's updates.
 */
function recordTransaction(result, planned, tx, createdKeys) {
  const cancels = new Map(planned.plan.cancel.map((c) => [c.entityKey, c]));
  const updates = new Map(planned.plan.update.map((u) => [u.entityKey, u]));
  (tx.creates || []).forEach((draft, i) => {
    const a = attrsOf(draft);
    result.created.push({ recurrenceId: a.recurrenceId, sessionDate: a.sessionDate ?? null, entityKey: createdKeys ? createdKeys[i] ?? null : null });
  });
  for (const u of tx.updates || []) {
    const rid = attrsOf(u).recurrenceId;
    const c = cancels.get(u.entityKey);
    if (c && c.reason === 'duplicate') result.duplicatesRetired.push({ entityKey: u.entityKey, recurrenceId: c.recurrenceId });
    else if (c) result.cancelled.push({ entityKey: u.entityKey, recurrenceId: c.recurrenceId, reason: c.reason });
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
    // A pending handoff of a split that involves this series is written first, then the series is
    // planned from what the node holds after it. A dry run lists it and plans nothing more: the
    // materialization depends on the handoff being written.
    let pending;
    try {
      pending = await pendingHandoffs(core, arkiv, config.spaceId, seriesKey, { now: clock(), spaceId: config.spaceId });
    } catch (e) {
      result.status = 'failed';
      result.error = { stage: 'read', code: e.code || e.name || 'ERROR', message: e.message };
      return result;
    }
    if (pending.handoffs.length && lc(pending.organizer) === lc(address)) {
      const handed = pending.handoffs.flatMap((h) => h.update.map((u) => ({ entityKey: u.entityKey, recurrenceId: u.recurrenceId, from: h.from, to: h.to })));
      if (config.dryRun) {
        result.title = pending.title ?? null;
        result.handedOver.push(...handed);
        result.transactions = pending.handoffs.reduce((n, h) => n + h.transactions.length, 0);
        result.status = 'planned';
        return result;
      }
      try {
        for (const h of pending.handoffs) for (const tx of h.transactions) await arkiv.writeTransaction(tx);
      } catch (e) {
        if (isRaceError(e) && attempt < MAX_ATTEMPTS) {
          log(`series ${seriesKey}: a handoff write raced with another writer of this wallet; reading again`);
          await sleep(150 + Math.floor(Math.random() * 600));
          continue;
        }
        result.status = 'failed';
        result.error = { stage: 'write', code: e.code || e.name || 'ERROR', message: String(e.message).split('\n')[0] };
        return result;
      }
      result.handedOver.push(...handed);
      result.transactions += pending.handoffs.reduce((n, h) => n + h.transactions.length, 0);
      wrote = true;
    }
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
    result.problems = [
      ...pending.skipped.map((k) => ({ recurrenceId: '', code: k.code, field: 'splitFrom', message: `split handoff ${k.from} -> ${k.to} not planned: ${k.message}` })),
      ...planned.plan.problems,
    ];
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
