// core.series: event series on Arkiv — occurrences, materialization, propagation, split and handoff (docs/domain.md#event-series).
import { draftFromCore, entitiesToCore, entityToCore, optionsJson } from './entity-io.js';
import { nowOption, toJson, unwrapJson } from './native.js';

/** `{series, exceptions, gatherings, ...rest}` with entities made JSON-safe (payload bytes, BigInt blocks). */
function stateArgs(args) {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  return {
    ...args,
    series: entityToCore(args.series),
    exceptions: entitiesToCore(args.exceptions),
    gatherings: entitiesToCore(args.gatherings),
    ...(args.rsvps !== undefined ? { rsvps: entitiesToCore(args.rsvps) } : {}),
  };
}

const updateFromCore = (u) => ({
  entityKey: u.entityKey,
  recurrenceId: u.recurrenceId,
  draft: draftFromCore(u.draft),
  ...(u.reason ? { reason: u.reason } : {}),
});

/**
 * The core's transactions (index lists into the plan) as `mutateEntities` arguments, reusing the
 * plan's own draft objects: `{creates?, updates?, extensions?}`, each under Arkiv's 128 KB.
 */
function transactionsFromCore(list, plan) {
  return list.map((t) => {
    const creates = [...(t.newSeries ? [plan.newSeries] : []), ...(t.create ?? []).map((i) => plan.create[i])];
    const updates = [
      ...(t.series ? [{ entityKey: plan.seriesKey, ...plan.series }] : []),
      ...(t.cancel ?? []).map((i) => ({ entityKey: plan.cancel[i].entityKey, ...plan.cancel[i].draft })),
      ...(t.update ?? []).map((i) => ({ entityKey: plan.update[i].entityKey, ...plan.update[i].draft })),
    ];
    const extensions = (t.extend ?? []).map((i) => ({ ...plan.extend[i] }));
    return {
      ...(creates.length ? { creates } : {}),
      ...(updates.length ? { updates } : {}),
      ...(extensions.length ? { extensions } : {}),
    };
  });
}

/** The key of the `series` argument, for the transactions that update it. */
const keyOf = (entity) => (entity && typeof entity === 'object' ? entity.key ?? entity.entityKey : undefined);

/** @param {any} M the Emscripten module */
export function makeSeries(M) {
  return Object.freeze({
    /**
     * Occurrences whose RECURRENCE-ID lies in [after, before] (inclusive), with their state.
     * @param {{series: object, exceptions?: object[], gatherings?: object[], after?: string|number|Date,
     *   before?: string|number|Date, limit?: number}} args
     */
    occurrences(args) {
      const { occurrences, ignored } = unwrapJson(M.series_occurrences(toJson(stateArgs(args))));
      // The array stays an array of occurrences; what was left out rides along, not enumerable.
      return Object.defineProperty(occurrences, 'ignored', { value: ignored, enumerable: false });
    },
    /**
     * What to write to keep the rolling window materialized: `{create: EntityDraft[],
     * update: {entityKey, recurrenceId, draft}[], cancel: {entityKey, recurrenceId, draft, reason}[],
     * extend: {entityKey, expiresIn}[], problems: {recurrenceId|null, code, field?, message}[],
     * transactions: {creates?, updates?, extensions?}[], ignored}`. Gatherings are never deleted:
     * `cancel` entries are updates marking them cancelled (reason 'cancelled' | 'orphaned').
     * Pass `currentBlock` (the chain's block number) so the series' extension can be planned.
     * @param {{series: object, exceptions?: object[], gatherings?: object[], horizonDays?: number,
     *   currentBlock?: number|bigint}} args
     * @param {{now?: string|number|Date, spaceId?: string}} [options]
     */
    planMaterialization(args, options = {}) {
      const a = stateArgs(args);
      const core = a && typeof a === 'object' && typeof a.currentBlock === 'bigint' ? { ...a, currentBlock: Number(a.currentBlock) } : a;
      const p = unwrapJson(M.series_planMaterialization(toJson(core), optionsJson(options)));
      const plan = {
        create: p.create.map(draftFromCore),
        update: p.update.map(updateFromCore),
        cancel: p.cancel.map(updateFromCore),
        extend: p.extend,
        problems: p.problems,
      };
      return { ...plan, transactions: transactionsFromCore(p.transactions, plan), ignored: p.ignored };
    },
    /**
     * Template change effective from `from` on (earlier occurrences keep their template):
     * `{series: EntityDraft, update: [...], problems, transactions, ignored}` (series for updateEntity).
     * @param {{series: object, exceptions?: object[], gatherings?: object[], from: string|number|Date,
     *   changes: {title?: string, description?: string, duration?: number}}} args
     */
    planPropagation(args, options = {}) {
      const p = unwrapJson(M.series_planPropagation(toJson(stateArgs(args)), optionsJson(options)));
      const plan = { series: draftFromCore(p.series), update: p.update.map(updateFromCore), problems: p.problems };
      return { ...plan, transactions: transactionsFromCore(p.transactions, { ...plan, seriesKey: keyOf(args?.series) }), ignored: p.ignored };
    },
    /**
     * Split at `at`: `{oldSeries, newSeries, handoff: {exceptions, gatherings}, transactions}` (old for
     * updateEntity, new for createEntity). The occurrences of both together are the original ones.
     * Once both are written, `planHandoff` moves the listed exceptions and gatherings to the new series.
     * @param {{series: object, exceptions?: object[], gatherings?: object[], at: string|number|Date,
     *   changes?: {title?, description?, duration?, rrule?}}} args
     */
    planSplit(args, options = {}) {
      const p = unwrapJson(M.series_planSplit(toJson(stateArgs(args)), optionsJson(options)));
      const plan = { series: draftFromCore(p.oldSeries), newSeries: draftFromCore(p.newSeries), seriesKey: keyOf(args?.series) };
      return {
        oldSeries: plan.series,
        newSeries: plan.newSeries,
        handoff: p.handoff,
        transactions: transactionsFromCore(p.transactions, plan),
        ignored: p.ignored,
      };
    },
    /**
     * After a split: the updates that give `newSeries` the exceptions and gatherings of `series` whose
     * occurrences it now holds (same entity keys, so RSVPs follow): `{update, problems, transactions, ignored}`.
     * @param {{series: object, newSeries: object, exceptions?: object[], gatherings?: object[]}} args
     */
    planHandoff(args, options = {}) {
      const a = stateArgs(args);
      const core = a && typeof a === 'object' ? { ...a, newSeries: entityToCore(a.newSeries) } : a;
      const p = unwrapJson(M.series_planHandoff(toJson(core), optionsJson(options)));
      const plan = { update: p.update.map(updateFromCore), problems: p.problems };
      return { ...plan, transactions: transactionsFromCore(p.transactions, plan), ignored: p.ignored };
    },
    /**
     * The occurrence not cancelled that starts first at or after `now` (by start time: moved ones
     * count wherever their RECURRENCE-ID lies), or null (what to publish to a platform without
     * recurrence, with a link to the series).
     */
    next(args) {
      const a = stateArgs(args);
      return unwrapJson(M.series_next(toJson(a && typeof a === 'object' ? { ...a, now: nowOption(a.now) } : a)));
    },
    /**
     * The next occurrence of every series of a page in one call: `series` (entities), with the
     * exceptions and gatherings of any of them mixed (the core groups them by seriesKey).
     * @returns {{ items: {seriesKey: string, next: object|null}[], ignored: Ignored, unmatched: number }}
     */
    nextMany(args) {
      const a =
        args && typeof args === 'object' && !Array.isArray(args)
          ? { ...args, series: entitiesToCore(args.series), exceptions: entitiesToCore(args.exceptions), gatherings: entitiesToCore(args.gatherings), now: nowOption(args.now) }
          : args;
      return unwrapJson(M.series_nextMany(toJson(a)));
    },
    /**
     * The followers of `seriesKey` among `follows`: one per wallet, only follows signed by their follower.
     * @param {{ follows: object[], seriesKey: string, viewer?: string }} args
     * @returns {{ count: number, followers: {key: string, followerWallet: string, notifications: boolean}[],
     *   viewerFollow: object|null, ignored: Ignored }}
     */
    followers(args) {
      const a = args && typeof args === 'object' ? { ...args, follows: entitiesToCore(args.follows) } : args;
      return unwrapJson(M.series_followers(toJson(a)));
    },
  });
}
