// core.series: event series on Arkiv — occurrences, materialization, propagation, split (docs/domain.md#event-series).
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
  };
}

const updateFromCore = (u) => ({ entityKey: u.entityKey, recurrenceId: u.recurrenceId, draft: draftFromCore(u.draft) });

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
     * update: {entityKey, recurrenceId, draft}[], cancel: {entityKey, recurrenceId}[]}`.
     * @param {{series: object, exceptions?: object[], gatherings?: object[], horizonDays?: number}} args
     * @param {{now?: string|number|Date, spaceId?: string}} [options]
     */
    planMaterialization(args, options = {}) {
      const p = unwrapJson(M.series_planMaterialization(toJson(stateArgs(args)), optionsJson(options)));
      return { create: p.create.map(draftFromCore), update: p.update.map(updateFromCore), cancel: p.cancel, ignored: p.ignored };
    },
    /**
     * Template change from `from` on: `{series: EntityDraft, update: [...]}` (series for updateEntity).
     * @param {{series: object, exceptions?: object[], gatherings?: object[], from: string|number|Date,
     *   changes: {title?: string, description?: string, duration?: number}}} args
     */
    planPropagation(args, options = {}) {
      const p = unwrapJson(M.series_planPropagation(toJson(stateArgs(args)), optionsJson(options)));
      return { series: draftFromCore(p.series), update: p.update.map(updateFromCore), ignored: p.ignored };
    },
    /**
     * Split at `at`: `{oldSeries, newSeries}` drafts (old for updateEntity, new for createEntity).
     * @param {{series: object, at: string|number|Date, changes?: {title?, description?, duration?, rrule?}}} args
     */
    planSplit(args, options = {}) {
      const p = unwrapJson(M.series_planSplit(toJson(stateArgs(args)), optionsJson(options)));
      return { oldSeries: draftFromCore(p.oldSeries), newSeries: draftFromCore(p.newSeries) };
    },
    /**
     * The next occurrence not cancelled starting at or after `now`, or null (what to publish to a
     * platform without recurrence, with a link to the series).
     */
    next(args) {
      const a = stateArgs(args);
      return unwrapJson(M.series_next(toJson(a && typeof a === 'object' ? { ...a, now: nowOption(a.now) } : a)));
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
