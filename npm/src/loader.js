// Loads the core once per JS realm, in Node (>= 18) or a browser, and builds the core facade
// (docs/architecture.md#parts). The core comes in parts, each its own WASM module:
// - the main part, the domain core (npm/dist/convene.wasm): entities, sessions, gatherings, Jitsi — always loaded;
// - `recurrence` (npm/dist/recurrence.wasm): `core.recurrence`, `core.series`, `core.notices`, `core.bluesky`, the
//   time-zone database, and the entity types whose rules read them (series, occurrence RSVPs, Bluesky records:
//   `core.entities.build` / `parse` / `types` run in its catalogue, which holds every type, once it is loaded);
// - `events` (npm/dist/events.wasm): `core.events` and `core.meetings`, the event pipeline and the meetings fold;
// - `wallet` (npm/dist/wallet.wasm, the module the wallet Worker runs): `core.wallet` on the main thread.
// `loadCore()` loads every part; `loadCore({ parts: [] })` only the main one, and a page adds a part later with
// `core.load('events')` (or another `loadCore({ parts: ['events'] })`). A member of a part that is not loaded
// throws PART_NOT_LOADED naming the part, at once.
import { ConveneError } from './errors.js';
import { makeEntities } from './entities.js';
import { makeGatherings } from './gatherings.js';
import { makeJitsi } from './jitsi.js';
import { makeSessions } from './sessions.js';
import { createModule, moduleArgs } from './module-args.js';

/** The parts a page may leave out: the namespaces each one provides, and each namespace's members (a test checks
 *  these lists against the loaded namespaces). */
const OPTIONAL_PARTS = Object.freeze({
  recurrence: {
    recurrence: ['expand', 'expandEpochMs', 'parse', 'serialize', 'tzdataVersion', 'describe', 'inferRule'],
    series: ['occurrences', 'planMaterialization', 'planPropagation', 'planSplit', 'planHandoff', 'next', 'nextMany', 'followers'],
    notices: ['since'],
    bluesky: ['collections', 'gatheringEvent', 'parseEventRecord', 'countRsvps', 'walletLinkRecord', 'claims', 'publications',
      'occurrenceRkey', 'proposeSeries', 'classifyEvents', 'planSeries'],
  },
  events: {
    events: ['fromEntities', 'normalize', 'normalizeMany', 'normalizeManyJson', 'normalizeManyBytes', 'catalogue', 'createBatcher'],
    meetings: ['summarize', 'summarizeJson', 'checkJson', 'createFolds'],
  },
  wallet: {
    wallet: ['defaultKdf', 'create', 'importKey', 'inspect', 'unlock', 'changePassphrase', 'recoverSigner', 'exportKey'],
  },
});

/** The key under which a part's namespaces keep its Emscripten module (core.entities calls its catalogue). */
const MODULE = Symbol('module');

/** Loads one optional part's module: resolves to its namespaces ({ name: namespace }). Each module is a separate
 *  chunk for bundlers (a dynamic import): fetched only when its part is asked for. Unlike the main module's, a part's
 *  .wasm is read and compiled after its glue is imported: overlapping the two, as instantiate() does, measured no
 *  faster here (2026-12-03, 11 interleaved runs: every part 96.0 against 92.1 ms, recurrence 59.9 against 57.8 ms). */
const LOADERS = {
  async recurrence(options) {
    const [{ default: createRecurrenceModule }, { makeRecurrence }, { makeSeries }, { makeNotices }, { makeBluesky }] =
      await Promise.all([import('../dist/recurrence.mjs'), import('./recurrence.js'), import('./series.js'),
        import('./notices.js'), import('./bluesky.js')]);
    const M = await createModule(createRecurrenceModule, await moduleArgs(new URL('../dist/recurrence.wasm', import.meta.url),
      { onLog: options.onLog, wasmBinary: options.recurrenceWasmBinary, wasmUrl: options.recurrenceWasmUrl }));
    return { recurrence: makeRecurrence(M), series: makeSeries(M), notices: makeNotices(M), bluesky: makeBluesky(M), [MODULE]: M };
  },
  async events(options) {
    const [{ default: createEventsModule }, { makeEvents }, { makeMeetings }] = await Promise.all([
      import('../dist/events.mjs'), import('./events.js'), import('./meetings.js')]);
    const M = await createModule(createEventsModule, await moduleArgs(new URL('../dist/events.wasm', import.meta.url),
      { onLog: options.onLog, wasmBinary: options.eventsWasmBinary, wasmUrl: options.eventsWasmUrl }));
    return { events: makeEvents(M), meetings: makeMeetings(M) };
  },
  async wallet(options) {
    const [{ default: createWalletModule }, { makeWallet }] = await Promise.all([import('../dist/wallet.mjs'), import('./wallet.js')]);
    const M = await createModule(createWalletModule, await moduleArgs(new URL('../dist/wallet.wasm', import.meta.url),
      { onLog: options.onLog, wasmBinary: options.walletWasmBinary, wasmUrl: options.walletWasmUrl }));
    return { wallet: makeWallet(M) };
  },
};

/**
 * The namespace of a part that is not loaded: each of its members is a getter that throws PART_NOT_LOADED; any
 * other key reads as undefined (so JSON.stringify, String(), devtools and `typeof x.member` checks keep working).
 */
function notLoaded(part, namespace, members) {
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
  // The module's JS glue is imported while its .wasm is read and compiled (npm/src/module-args.js).
  const [{ default: createConveneModule }, args] = await Promise.all([import('../dist/convene.mjs'),
    moduleArgs(new URL('../dist/convene.wasm', import.meta.url), options)]);
  const M = await createModule(createConveneModule, args);
  const loaded = new Map(); // part -> { namespace name: namespace }
  const loading = new Map(); // part -> Promise
  const facade = {
    jitsi: makeJitsi(M),
    entities: makeEntities(M, () => loaded.get('recurrence')?.[MODULE] ?? null),
    sessions: makeSessions(M),
    gatherings: makeGatherings(M),
    /**
     * Loads an optional part (once; later calls resolve at once). Resolves to the core.
     * @param {'recurrence'|'events'|'wallet'} part
     * @param {{ recurrenceWasmBinary?: Uint8Array|ArrayBuffer, recurrenceWasmUrl?: string,
     *   eventsWasmBinary?: Uint8Array|ArrayBuffer, eventsWasmUrl?: string, walletWasmBinary?: Uint8Array|ArrayBuffer, walletWasmUrl?: string, onLog?: (line: string) => void }} [partOptions]
     *   where the part's module comes from, over the options the core was first loaded with (a later
     *   `loadCore(options)` passes its own here)
     * @returns {Promise<object>} rejects with ConveneError UNKNOWN_PART (field `part`), or the module's own error when it
     *   cannot be fetched or instantiated (the part stays unloaded: a later call tries again)
     */
    load(part, partOptions = {}) {
      try {
        checkParts([part], 'part');
      } catch (err) {
        return Promise.reject(err);
      }
      if (loaded.has(part)) return Promise.resolve(core);
      if (!loading.has(part)) {
        loading.set(part, LOADERS[part]({ ...options, ...partOptions }).then((ns) => {
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
  for (const [part, namespaces] of Object.entries(OPTIONAL_PARTS)) {
    for (const [namespace, members] of Object.entries(namespaces)) {
      const placeholder = notLoaded(part, namespace, members);
      Object.defineProperty(facade, namespace, { enumerable: true, get: () => loaded.get(part)?.[namespace] ?? placeholder });
    }
  }
  const core = Object.freeze(facade);
  return core;
}

/**
 * Loads the core. Resolves to the same instance on every call (the main module is instantiated once per JS realm);
 * a later call that names more parts loads them into that instance.
 * @param {{ parts?: Array<'recurrence'|'events'|'wallet'>, wasmBinary?: Uint8Array|ArrayBuffer, wasmUrl?: string,
 *   recurrenceWasmBinary?: Uint8Array|ArrayBuffer, recurrenceWasmUrl?: string, eventsWasmBinary?: Uint8Array|ArrayBuffer, eventsWasmUrl?: string,
 *   walletWasmBinary?: Uint8Array|ArrayBuffer, walletWasmUrl?: string, onLog?: (line: string) => void }} [options]
 *   `parts`: the optional parts to load as well (default: all of them; `[]`: the main part only);
 *   `wasmBinary`: the main module's bytes (skips fetching); `wasmUrl`: where a browser fetches it from;
 *   `recurrenceWasmBinary` / `recurrenceWasmUrl`, `eventsWasmBinary` / `eventsWasmUrl`, `walletWasmBinary` /
 *   `walletWasmUrl`: the same for the recurrence part's module (`dist/recurrence.wasm`), the events part's
 *   (`dist/events.wasm`) and the wallet part's (`dist/wallet.wasm`).
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
  // A later call's options say where its parts' modules are (the first call's are the default).
  await Promise.all(parts.map((p) => core.load(p, options)));
  return core;
}
