// Loads the core once per JS realm, in Node (>= 18) or a browser, and builds the core facade
// (docs/architecture.md#parts). The core comes in parts, each its own WASM module:
// - the main part (npm/dist/convene.wasm): entities, sessions, gatherings, Jitsi, recurrence, series, events,
//   meetings, Bluesky, notices — always loaded;
// - `wallet` (npm/dist/wallet.wasm, the module the wallet Worker runs): `core.wallet` on the main thread.
// `loadCore()` loads every part; `loadCore({ parts: [] })` only the main one, and a page adds a part later with
// `core.load('wallet')` (or another `loadCore({ parts: ['wallet'] })`). A member of a part that is not loaded
// throws PART_NOT_LOADED naming the part, at once.
import createConveneModule from '../dist/convene.mjs';
import { ConveneError } from './errors.js';
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

/** The parts a page may leave out: the namespace each one provides, and that namespace's members. */
const OPTIONAL_PARTS = Object.freeze({
  wallet: { namespace: 'wallet', members: ['defaultKdf', 'create', 'importKey', 'inspect', 'unlock', 'changePassphrase', 'recoverSigner', 'exportKey'] },
});

/** Loads one optional part's module: resolves to its namespace. */
const LOADERS = {
  async wallet(options) {
    // A separate chunk for bundlers: fetched only when the part is asked for.
    const { default: createWalletModule } = await import('../dist/wallet.mjs');
    const M = await createWalletModule(await moduleArgs(new URL('../dist/wallet.wasm', import.meta.url),
      { onLog: options.onLog, wasmBinary: options.walletWasmBinary, wasmUrl: options.walletWasmUrl }));
    return makeWallet(M);
  },
};

/**
 * The namespace of a part that is not loaded: each of its members is a getter that throws PART_NOT_LOADED; any
 * other key reads as undefined (so JSON.stringify, String(), devtools and `typeof x.member` checks keep working).
 */
function notLoaded(part, { namespace, members }) {
  const placeholder = {};
  for (const key of members) {
    Object.defineProperty(placeholder, key, {
      enumerable: true,
      get() {
        throw new ConveneError('PART_NOT_LOADED',
          `core.${namespace}.${key} is in the "${part}" part, which is not loaded: await core.load('${part}') first (or loadCore({ parts: ['${part}'] }))`,
          part);
      },
    });
  }
  Object.defineProperty(placeholder, 'toJSON', { value: () => ({ notLoaded: part }) });
  return Object.freeze(placeholder);
}

function checkParts(parts, field = 'options.parts') {
  if (parts === undefined) return Object.keys(OPTIONAL_PARTS);
  if (!Array.isArray(parts)) {
    throw new ConveneError('INVALID_TYPE', `${field} must be an array of part names (${Object.keys(OPTIONAL_PARTS).join(', ')})`, field);
  }
  for (const [i, p] of parts.entries()) {
    if (!Object.prototype.hasOwnProperty.call(OPTIONAL_PARTS, p)) {
      const at = field === 'part' ? field : `${field}[${i}]`;
      throw new ConveneError('UNKNOWN_PART', `${at} is ${JSON.stringify(p)}: the parts are ${Object.keys(OPTIONAL_PARTS).map((x) => `"${x}"`).join(', ')}`, at);
    }
  }
  return parts;
}

let pending = null;

async function instantiate(options) {
  const M = await createConveneModule(await moduleArgs(new URL('../dist/convene.wasm', import.meta.url), options));
  const loaded = new Map(); // part -> namespace
  const loading = new Map(); // part -> Promise
  const facade = {
    jitsi: makeJitsi(M),
    entities: makeEntities(M),
    sessions: makeSessions(M),
    gatherings: makeGatherings(M),
    recurrence: makeRecurrence(M),
    series: makeSeries(M),
    events: makeEvents(M),
    meetings: makeMeetings(M),
    bluesky: makeBluesky(M),
    notices: makeNotices(M),
    /**
     * Loads an optional part (once; later calls resolve at once). Resolves to the core.
     * @param {'wallet'} part
     * @returns {Promise<object>} rejects with ConveneError UNKNOWN_PART (field `part`)
     */
    load(part) {
      try {
        checkParts([part], 'part');
      } catch (err) {
        return Promise.reject(err);
      }
      if (loaded.has(part)) return Promise.resolve(core);
      if (!loading.has(part)) {
        loading.set(part, LOADERS[part](options).then((ns) => {
          loaded.set(part, ns);
          return core;
        }, (err) => {
          loading.delete(part);
          throw err;
        }));
      }
      return loading.get(part);
    },
    /** True once `part` is loaded. */
    loaded: (part) => loaded.has(part),
  };
  for (const [part, spec] of Object.entries(OPTIONAL_PARTS)) {
    const placeholder = notLoaded(part, spec);
    Object.defineProperty(facade, spec.namespace, { enumerable: true, get: () => loaded.get(part) ?? placeholder });
  }
  const core = Object.freeze(facade);
  return core;
}

/**
 * Loads the core. Resolves to the same instance on every call (the main module is instantiated once per JS realm);
 * a later call that names more parts loads them into that instance.
 * @param {{ parts?: Array<'wallet'>, wasmBinary?: Uint8Array|ArrayBuffer, wasmUrl?: string,
 *   walletWasmBinary?: Uint8Array|ArrayBuffer, walletWasmUrl?: string, onLog?: (line: string) => void }} [options]
 *   `parts`: the optional parts to load as well (default: all of them; `[]`: the main part only);
 *   `wasmBinary`: the main module's bytes (skips fetching); `wasmUrl`: where a browser fetches it from;
 *   `walletWasmBinary` / `walletWasmUrl`: the same for the wallet part's module (`dist/wallet.wasm`).
 * @throws ConveneError INVALID_TYPE / UNKNOWN_PART (`options.parts`)
 */
export async function loadCore(options = {}) {
  const parts = checkParts(options.parts);
  if (!pending) {
    pending = instantiate(options).catch((err) => {
      pending = null;
      throw err;
    });
  }
  const core = await pending;
  await Promise.all(parts.map((p) => core.load(p)));
  return core;
}
