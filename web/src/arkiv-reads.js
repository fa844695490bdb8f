// Reads through the Arkiv SDK's query builder, shared by the app (web/src/arkiv.js) and the series
// steward (tools/steward/): every entity with attributes, payload and signer metadata (the core's
// readers need signer and chain position, docs/trust.md), filtered at the node.
import { and, eq, gt, gte, lt, lte, not, or } from '@arkiv-network/sdk/query';

/** Results per query page when reading every page. */
const PAGE = 200;
/** Keys per `||` query when reading entities for a page's keys (the query string stays a few KB). */
export const KEYS_PER_QUERY = 40;

/** The value of attribute `key` of an entity as the SDK returns it, or undefined: a claim (the core checks it); used only to choose what to read. */
export const attrOf = (entity, key) => (entity?.attributes || []).find((a) => a.key === key)?.value;

/** `attribute = v1 || attribute = v2 …` as one predicate (just `attribute = v1` for one value). */
export const anyOf = (attribute, values) => (values.length === 1 ? eq(attribute, values[0]) : or(values.map((v) => eq(attribute, v))));

/** anyOf over the distinct `values`, KEYS_PER_QUERY per predicate: one query each. */
export function inBatches(attribute, values) {
  const distinct = [...new Set(values)];
  const out = [];
  for (let i = 0; i < distinct.length; i += KEYS_PER_QUERY) out.push(anyOf(attribute, distinct.slice(i, i + KEYS_PER_QUERY)));
  return out;
}

/**
 * @param {{ buildQuery: () => any }} publicClient an SDK public client
 */
export function createReads(publicClient) {
  /**
   * Every entity matching all `predicates` (AND), all pages. `signedBy` filters at the node to entities
   * created and still owned by that wallet, where the trust rule fixes the signer.
   */
  async function query(predicates, { signedBy } = {}) {
    let builder = publicClient
      .buildQuery()
      .where(predicates.length === 1 ? predicates[0] : and(predicates))
      .withAttributes(true)
      .withPayload(true)
      .withMetadata(true);
    if (signedBy) builder = builder.createdBy(signedBy).ownedBy(signedBy);
    const result = await builder.limit(PAGE).fetch();
    const out = [...result.entities];
    while (result.hasNextPage()) {
      await result.next();
      out.push(...result.entities);
    }
    return out;
  }

  /** Entities of one type in one space, plus extra predicates. */
  const byType = (type, spaceId, ...predicates) => query([eq('type', type), eq('spaceId', spaceId), ...predicates]);

  /** Entities of one type in one space created and owned by `signer`, plus extra predicates. */
  const byTypeSignedBy = (type, spaceId, signer, ...predicates) => query([eq('type', type), eq('spaceId', spaceId), ...predicates], { signedBy: signer });

  /**
   * Entities of one type in one space whose `attribute` is one of `values` (for example the RSVPs of the
   * gatherings on a page: `gatheringKey`), plus extra predicates: `KEYS_PER_QUERY` values per query,
   * joined with `||`, every page of each. Never reads the whole space.
   */
  async function byTypeFor(type, spaceId, attribute, values, ...predicates) {
    const results = await Promise.all(inBatches(attribute, values).map((p) => query([eq('type', type), eq('spaceId', spaceId), p, ...predicates])));
    return results.flat();
  }

  /**
   * Entities by key (`$key = a || …`, KEYS_PER_QUERY keys per query, every page of each), whatever
   * their type or space. `keys` must be entity keys (0x + 64 hex digits); missing ones are left out.
   */
  async function byKeys(keys) {
    const results = await Promise.all(inBatches('$key', keys).map((p) => query([p])));
    return results.flat();
  }

  return { query, byType, byTypeSignedBy, byTypeFor, byKeys };
}

const COMPARE = { '>': gt, '>=': gte, '<': lt, '<=': lte };

/**
 * A read kept for the app session, per key, and read again after a failure: the fallback reads of
 * entities written before the time attributes existed (docs/domain.md#time-attributes), which the
 * node can only find by looking at every candidate, and which no Convene version writes any more.
 * @returns {<T>(key: string, read: () => Promise<T>) => Promise<T>}
 */
export function readOnce() {
  const kept = new Map();
  return (key, read) => {
    if (!kept.has(key)) {
      const p = read();
      kept.set(key, p);
      p.catch(() => kept.delete(key));
    }
    return kept.get(key);
  };
}

/**
 * A time window as SDK predicates and orderBy (core.entities.timeQuery: the core decides what the
 * window means; this only spells it for the SDK).
 * @param {{ where: {attribute: string, op: string, value: number}[], orderBy: {attribute: string, descending: boolean} }} q
 * @returns {{ where: import('@arkiv-network/sdk/query').Predicate[], orderBy: [string, 'number', 'asc' | 'desc'] }}
 */
export function timePredicates(q) {
  return {
    where: q.where.map((b) => COMPARE[b.op](b.attribute, b.value)),
    orderBy: [q.orderBy.attribute, 'number', q.orderBy.descending ? 'desc' : 'asc'],
  };
}

/** The `skill` of a gathering RSVP session (docs/domain.md#gathering-rsvps). */
export const RSVP_SKILL = 'virtual_gathering_rsvp';

/**
 * The exceptions of the series `seriesKeys` that can still change an occurrence at `now` (epoch ms), as
 * a page needs them (docs/domain.md#time-attributes): first those whose `endsAtSec` is later than now
 * (core.entities.timeQuery 'endsLater') or that were written before exceptions carried it; then the
 * other exceptions of the RECURRENCE-IDs found (those that have ended: `endsAtSec` at or before the
 * same bound), because the newest wins and may end earlier than an older one (an occurrence moved
 * later, then back). Each exception comes from the node once. A RECURRENCE-ID whose every exception
 * has ended is not read: its occurrence is over either way. `signedBy` filters at the node to the
 * organizer's (the core checks again).
 * @returns {Promise<any[]>} exception entities as the SDK returns them
 */
export async function readLiveExceptions(core, reads, spaceId, seriesKeys, now, { signedBy } = {}) {
  if (!seriesKeys.length) return [];
  const ofSeries = anyOf('seriesKey', seriesKeys);
  const read = (...predicates) =>
    signedBy ? reads.byTypeSignedBy('event_series_exception', spaceId, signedBy, ...predicates) : reads.byType('event_series_exception', spaceId, ...predicates);
  const window = core.entities.timeQuery({ when: 'endsLater', now });
  const [endsLater] = timePredicates(window).where;
  const bound = window.where[0];
  const live = await read(ofSeries, or([endsLater, not(bound.attribute)]));
  if (!live.length) return [];
  // What the first read left out of those RECURRENCE-IDs: the exceptions with the attribute at or before the bound.
  const ended = lte(bound.attribute, bound.value);
  const rids = live.map((e) => attrOf(e, 'recurrenceId')).filter(Boolean);
  const earlier = (await Promise.all(inBatches('recurrenceId', rids).map((p) => read(ofSeries, p, ended)))).flat();
  return [...live, ...earlier];
}

/**
 * Everything the core needs to plan one series (core.series.planMaterialization): the series entity,
 * the exceptions and gatherings of it its organizer signed (filtered at the node; the core checks
 * again), and the RSVPs of gatherings that share a RECURRENCE-ID (the core retires a duplicate nobody
 * RSVP'd to; none are read when there are no such gatherings).
 * With `notOverAt` (epoch ms) it reads what a page about occurrences not yet over needs, not the
 * series' whole year: the exceptions readLiveExceptions returns, and the gatherings not ended then
 * (core.entities.timeQuery 'notEnded') plus those written before gatherings carried time attributes.
 * Plans and writes read without it.
 * @param {ReturnType<typeof createReads> & { get: (key: string) => Promise<any> }} reads
 * @returns {Promise<{ raw: any, series: any, exceptions: any[], gatherings: any[], rsvps: any[] }>}
 */
export async function readSeriesState(core, reads, spaceId, seriesKey, { notOverAt } = {}) {
  const raw = await reads.get(seriesKey);
  const series = core.entities.parse(raw);
  const organizer = series.organizerWallet;
  const notEnded = notOverAt === undefined ? null : timePredicates(core.entities.timeQuery({ when: 'notEnded', now: notOverAt })).where;
  const [exceptions, gatherings] = await Promise.all([
    notEnded
      ? readLiveExceptions(core, reads, spaceId, [seriesKey], notOverAt, { signedBy: organizer })
      : reads.byTypeSignedBy('event_series_exception', spaceId, organizer, eq('seriesKey', seriesKey)),
    notEnded
      ? Promise.all([
          reads.byTypeSignedBy('virtual_gathering', spaceId, organizer, eq('seriesKey', seriesKey), ...notEnded),
          reads.byTypeSignedBy('virtual_gathering', spaceId, organizer, eq('seriesKey', seriesKey), not('startsAtSec')),
        ]).then((parts) => parts.flat())
      : reads.byTypeSignedBy('virtual_gathering', spaceId, organizer, eq('seriesKey', seriesKey)),
  ]);
  const byRid = new Map();
  for (const g of gatherings) {
    const rid = attrOf(g, 'recurrenceId');
    if (rid) byRid.set(rid, [...(byRid.get(rid) || []), g.key]);
  }
  const shared = [...byRid.values()].filter((keys) => new Set(keys).size > 1).flat();
  const rsvps = shared.length ? await reads.byTypeFor('session', spaceId, 'gatheringKey', shared, eq('skill', RSVP_SKILL)) : [];
  return { raw, series, exceptions, gatherings, rsvps };
}
