// Reading entities back: SDK entity -> core.entities.parse, skipping what the core cannot parse.

/**
 * Parses every entity it can; one malformed entity on the chain must not hide the rest
 * (each skipped one is logged with its key and the core's error).
 * @param {any} core the loaded @convene/core
 * @param {object[]} entities as the Arkiv SDK returns them
 * @returns {object[]} parsed entities, in input order
 */
export function parseAll(core, entities) {
  const out = [];
  for (const e of entities) {
    try {
      out.push(core.entities.parse(e));
    } catch (err) {
      console.warn('skipping an entity the core cannot parse', e.key, err);
    }
  }
  return out;
}
