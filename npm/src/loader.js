// Loads the WASM module once, in Node (>= 18) or a browser, and builds the core facade.
import createConveneModule from '../dist/convene.mjs';
import { makeEntities } from './entities.js';
import { makeGatherings } from './gatherings.js';
import { makeJitsi } from './jitsi.js';
import { makeSessions } from './sessions.js';
import { makeRecurrence } from './recurrence.js';
import { makeSeries } from './series.js';
import { makeWallet } from './wallet.js';
import { makeEvents } from './events.js';
import { makeMeetings } from './meetings.js';
import { makeBluesky } from './bluesky.js';
import { makeNotices } from './notices.js';
import { moduleArgs } from './module-args.js';

let pending = null;

async function instantiate(options) {
  const M = await createConveneModule(await moduleArgs(new URL('../dist/convene.wasm', import.meta.url), options));
  return Object.freeze({
    jitsi: makeJitsi(M),
    entities: makeEntities(M),
    sessions: makeSessions(M),
    gatherings: makeGatherings(M),
    recurrence: makeRecurrence(M),
    series: makeSeries(M),
    wallet: makeWallet(M),
    events: makeEvents(M),
    meetings: makeMeetings(M),
    bluesky: makeBluesky(M),
    notices: makeNotices(M),
  });
}

/**
 * Loads the core. Resolves to the same instance on every call (the module is
 * instantiated once per JS realm).
 * @param {{ wasmBinary?: Uint8Array|ArrayBuffer, wasmUrl?: string, onLog?: (line: string) => void }} [options]
 *   `wasmBinary`: the module's bytes (skips fetching); `wasmUrl`: where a browser fetches it from.
 */
export function loadCore(options = {}) {
  if (!pending) {
    pending = instantiate(options).catch((err) => {
      pending = null;
      throw err;
    });
  }
  return pending;
}
