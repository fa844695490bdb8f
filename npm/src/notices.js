// core.notices: what changed for one wallet since a point in time (docs/notices.md).
import { entitiesToCore } from './entity-io.js';
import { nowOption, toJson, unwrapJson } from './native.js';

/** One read of the chain (`{series?, exceptions?, gatherings?}`) made JSON-safe; other values pass on for the core to name. */
function readToCore(read) {
  if (read === null || typeof read !== 'object' || Array.isArray(read)) return read;
  return {
    ...read,
    series: entitiesToCore(read.series),
    exceptions: entitiesToCore(read.exceptions),
    gatherings: entitiesToCore(read.gatherings),
  };
}

/** @param {any} M the Emscripten module */
export function makeNotices(M) {
  return Object.freeze({
    /**
     * The notices of `wallet` between two reads of the chain: series-level ones for the series it
     * follows with notifications on, occurrence-level ones for the gatherings it RSVP'd to.
     * `before` / `after`: `{series, exceptions, gatherings}` read at the earlier block and now;
     * `follows` / `rsvps`: the wallet's own, read now; `currentBlock`: the block observed at `now`.
     * @returns {{ notices: object[], ignored: {unverified: number, conflicting: number, malformed: number, total: number} }}
     */
    since(args) {
      const a =
        args !== null && typeof args === 'object' && !Array.isArray(args)
          ? {
              ...args,
              follows: entitiesToCore(args.follows),
              rsvps: entitiesToCore(args.rsvps),
              before: readToCore(args.before),
              after: readToCore(args.after),
              ...(typeof args.currentBlock === 'bigint' ? { currentBlock: Number(args.currentBlock) } : {}),
              now: nowOption(args.now),
            }
          : args;
      return unwrapJson(M.notices_since(toJson(a)));
    },
  });
}
