// core.entities: build and parse every Arkiv entity the app writes (docs/domain.md#entities-on-arkiv and docs/domain.md#expiry).
import { draftFromCore, entitiesToCore, entityToCore, optionsJson } from './entity-io.js';
import { ConveneError } from './errors.js';
import { requireString, toJson, unwrapJson } from './native.js';

/** Entity-valued fields of build inputs (companions' `session`, RSVPs' `gathering`, ...). */
function inputToCore(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out = { ...input };
  if ('session' in out) out.session = entityToCore(out.session);
  if ('gathering' in out) out.gathering = entityToCore(out.gathering);
  if ('series' in out) out.series = entityToCore(out.series);
  if ('existingRsvps' in out) out.existingRsvps = entitiesToCore(out.existingRsvps);
  if ('existingFollows' in out) out.existingFollows = entitiesToCore(out.existingFollows);
  if ('exceptions' in out) out.exceptions = entitiesToCore(out.exceptions);
  if ('gatherings' in out) out.gatherings = entitiesToCore(out.gatherings);
  return out;
}

/**
 * Calls `name` on the recurrence part's module when it is loaded (its catalogue, core/catalogue.h, holds every type),
 * else on the main module `M`, whose domain catalogue answers PART_NOT_LOADED for the recurrence part's types
 * (core/entities/catalogue.h): that error then names the part (field 'recurrence'), as every PART_NOT_LOADED does.
 */
function callCatalogue(M, recurrenceModule, name, ...args) {
  const R = recurrenceModule();
  if (R) return unwrapJson(R[name](...args));
  try {
    return unwrapJson(M[name](...args));
  } catch (err) {
    if (!(err instanceof ConveneError) || err.code !== 'PART_NOT_LOADED') throw err;
    throw new ConveneError('PART_NOT_LOADED',
      `${err.message}: await core.load('recurrence') first (or loadCore({ parts: ['recurrence'] }))`, 'recurrence');
  }
}

/**
 * @param {any} M the main part's Emscripten module
 * @param {() => any} [recurrenceModule] the recurrence part's module once it is loaded, else null: it builds and
 *   parses the types the main part does not (docs/architecture.md#parts)
 */
export function makeEntities(M, recurrenceModule = () => null) {
  return Object.freeze({
    /**
     * Builds an entity for `walletClient.createEntity` / `mutateEntities`.
     * @param {string} type e.g. 'session', 'session_confirmation', 'virtual_gathering', 'gathering_rsvp'
     * @param {object} input the type's fields (see index.d.ts)
     * @param {{ now?: string|number|Date, spaceId?: string }} [options]
     * @returns {{ payload: Uint8Array, contentType: string, attributes: {key: string, value: string|number}[], expiresIn: number }}
     */
    build(type, input, options = {}) {
      requireString(type, 'type');
      return draftFromCore(callCatalogue(M, recurrenceModule, 'entities_build', type, toJson(inputToCore(input)), optionsJson(options)));
    },
    /**
     * Parses an entity as the SDK returns it (attributes array or object; payload bytes, text or object)
     * into one typed plain object: attributes and payload merged, `key`, wallets lowercase.
     */
    parse(entity) {
      return callCatalogue(M, recurrenceModule, 'entities_parse', toJson(entityToCore(entity)));
    },
    /** p2pmentor's skill slug: "C++ Programming" -> "c-programming", "Node.js" -> "nodejs". */
    skillSlug(name) {
      return unwrapJson(M.entities_skillSlug(requireString(name, 'name')));
    },
    /**
     * The node-side query of a list page by time (docs/domain.md#time-attributes): `when` 'notEnded'
     * (happening or upcoming, soonest first), 'happening' (ending soonest first), 'past' (most recent
     * first) or 'endsLater' (entities with only an end, series exceptions: end later than now) at `now`. Returns `{where: [{attribute, op, value}], orderBy: {attribute, descending}}`:
     * comparisons on the numeric startsAtSec / endsAtSec attributes (Unix seconds) to AND with the page's
     * other predicates, including bounds that let the node start and stop at the window.
     */
    timeQuery({ when, now } = {}) {
      return unwrapJson(M.entities_timeQuery(optionsJson({ when, now })));
    },
    /** The entity type names `build` accepts: the main part's, and the recurrence part's once it is loaded. */
    types() {
      return callCatalogue(M, recurrenceModule, 'entities_types');
    },
    /**
     * When an entity read with `expiresAtBlock` expires (ISO 8601 UTC), given the current block
     * observed at `now`: now + (expiresAtBlock - currentBlock) * 2 s.
     */
    expiresAt({ expiresAtBlock, currentBlock, now } = {}) {
      return unwrapJson(
        M.entities_expiresAt(optionsJson({ expiresAtBlock: Number(expiresAtBlock), currentBlock: Number(currentBlock), now })),
      );
    },
  });
}
