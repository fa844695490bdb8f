// Virtual gatherings: create, list (happening now, upcoming, past; by community), one gathering, RSVP,
// cancel. Writes: core.entities.build -> SDK. Reads (with signer metadata): SDK -> core.gatherings.upcoming /
// core.gatherings.rsvps / core.sessions.status.
import { eq, not } from '@arkiv-network/sdk/query';
import { anyOf, attrOf, readOnce, RSVP_SKILL, timePredicates } from './arkiv-reads.js';
import { appError } from './errors.js';
import { communityName } from './format.js';

export { RSVP_SKILL };

/** Gatherings per page of a list ("Load more" reads the next page). */
export const GATHERINGS_PER_PAGE = 8;

/** Whole Unix seconds (UTC) of `ms`, as the startsAtSec / endsAtSec attributes hold them. */
const seconds = (ms) => Math.floor(ms / 1000);

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any }} deps
 */
export function createGatheringService({ core, arkiv, clock, config }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });

  /** The zone of a series (its DTSTART's TZID), for showing an occurrence in the organizer's time; the series it continues after a split (`splitFrom`, a claim the core checks where it counts RSVPs). */
  function seriesInfo(raw) {
    try {
      const s = core.entities.parse(raw);
      const tzid = core.recurrence.parse(s.recurrence).dtstart.tzid || 'UTC';
      return { key: s.key, title: s.title, tzid, splitFrom: s.splitFrom || null };
    } catch {
      return null;
    }
  }

  /**
   * Writes a virtual_gathering; its Jitsi room is made by the core and exists at once.
   * @param {{ organizer: import('./wallets.js').Identity, title: string, community: string, description: string, sessionDate: string, duration: number }} input
   */
  async function create({ organizer, title, community, description, sessionDate, duration }) {
    const draft = core.entities.build(
      'virtual_gathering',
      {
        organizerWallet: organizer.address,
        title,
        community,
        description,
        sessionDate,
        duration,
        ...(config.jitsiBaseUrl ? { jitsiBaseUrl: config.jitsiBaseUrl } : {}),
      },
      opts(),
    );
    const { entityKeys } = await arkiv.write(organizer, [draft]);
    return entityKeys[0];
  }

  /**
   * Verified gatherings among `raw`, grouped and ordered by the core (`core.gatherings.list`: happening,
   * upcoming soonest first, past most recent first; `when` keeps one group), with the series their
   * claims were checked against.
   */
  async function verified(raw, { when = 'all', community = '', limit } = {}) {
    // The series the gatherings claim to belong to, so the core can check those claims.
    const seriesKeys = raw.flatMap((e) => (e.attributes || []).filter((a) => a.key === 'seriesKey').map((a) => String(a.value)));
    const series = await arkiv.getMany(seriesKeys);
    const result = core.gatherings.list(raw, { now: clock.now(), series, when, community, limit: Math.max(1, Math.min(limit || raw.length || 1, 10000)) });
    const seriesByKey = new Map(series.map(seriesInfo).filter(Boolean).map((s) => [s.key, s]));
    // A cancelled gathering is kept on the chain for its RSVPs but is not listed (docs/domain.md#virtual-gatherings).
    return { ...result, gatherings: result.gatherings.filter((g) => g.status !== 'cancelled'), seriesByKey, seriesRaw: series.filter(Boolean) };
  }

  /** A card's data: the gathering, its window and time state (from the core), counts and the viewer's RSVP. */
  function view(g, now, summary, myConfirmations, seriesByKey) {
    const mine = summary.viewerRsvps[g.key];
    const live = mine && mine.status !== 'cancelled' ? mine : null;
    const myStatus = live ? core.sessions.status({ session: live, confirmations: myConfirmations, now }) : null;
    const startsAt = g.sessionDate;
    const endsAt = new Date(Date.parse(startsAt) + Number(g.duration) * 60_000).toISOString();
    return {
      gathering: g,
      startsAt,
      endsAt,
      phase: g.timeState === 'happening' ? 'now' : g.timeState,
      series: (g.seriesKey && seriesByKey.get(g.seriesKey)) || null,
      rsvpCount: summary.counts[g.key] || 0,
      attendees: summary.attendees[g.key] || [],
      myRsvp: live,
      myStatus,
    };
  }

  /**
   * The RSVPs of the gatherings on a page (batched by gatheringKey, never the whole space) and the
   * viewer's own confirmations of their RSVPs among them. Series dates among them (`occurrences`: the
   * raw gatherings that carry a RECURRENCE-ID) also count the RSVPs made to their date before it had a
   * gathering: those name the series (or the series it continues after a split; `lineage` holds the
   * series entities as read) and the RECURRENCE-ID, and are read for the page's series and dates only
   * (docs/domain.md#occurrence-rsvps; the core decides which gathering each belongs to and whether a
   * split link holds).
   * @param {string[]} keys the page's gathering keys
   * @param {{ address: string }} viewer
   * @param {{ occurrences?: object[], lineage?: object[] }} [of]
   */
  async function rsvpsFor(keys, viewer, { occurrences = [], lineage = [] } = {}) {
    if (!keys.length) return { summary: core.gatherings.rsvps({ rsvps: [], viewer: viewer.address }), myConfirmations: [] };
    const dates = [...new Set(occurrences.map((g) => attrOf(g, 'recurrenceId')).filter(Boolean).map(String))];
    const seriesKeys = dates.length ? [...new Set(lineage.map((s) => s.key))] : [];
    const [byKey, byOccurrence] = await Promise.all([
      arkiv.byTypeFor('session', config.spaceId, 'gatheringKey', keys, eq('skill', RSVP_SKILL)),
      seriesKeys.length
        ? arkiv.byTypeFor('session', config.spaceId, 'seriesKey', seriesKeys, eq('skill', RSVP_SKILL), anyOf('recurrenceId', dates))
        : [],
    ]);
    const rsvpRaw = [...new Map([...byKey, ...byOccurrence].map((e) => [e.key, e])).values()];
    const summary = core.gatherings.rsvps({ rsvps: rsvpRaw, viewer: viewer.address, ...(occurrences.length ? { gatherings: occurrences, series: lineage } : {}) });
    const mine = Object.values(summary.viewerRsvps).map((r) => r.key);
    const myConfirmations = mine.length
      ? await arkiv.byTypeFor('session_confirmation', config.spaceId, 'sessionKey', mine, eq('learnerWallet', viewer.address))
      : [];
    return { summary, myConfirmations };
  }

  /**
   * The node-side query of one tab (core.entities.timeQuery, docs/domain.md#time-attributes) and the
   * group the core keeps of what it reads: upcoming reads what has not ended (happening first, then
   * soonest start; the page shows the happening ones apart).
   */
  function tabQuery(tab, nowMs) {
    const window = tab === 'past' ? 'past' : tab === 'now' ? 'happening' : 'notEnded';
    const when = tab === 'past' ? 'past' : tab === 'now' ? 'happening' : 'all';
    return { ...timePredicates(core.entities.timeQuery({ when: window, now: nowMs })), when };
  }

  /**
   * Gatherings written before the time attributes existed (`!startsAtSec`; docs/domain.md#time-attributes),
   * of one community or all. The node finds them only by looking at every gathering of the space, so
   * they are read once per app session and community (no Convene version writes such entities any
   * more; a live change to one reloads the page, which drops the copy the page itself now returns).
   */
  const legacyOnce = readOnce();
  const legacyGatherings = (slug, base) => legacyOnce(slug, () => arkiv.query([...base, not('startsAtSec')]));

  /**
   * One page of a tab of the gatherings list: 'upcoming' (happening now first, then soonest first),
   * 'now' (ending soonest first) or 'past' (most recent first), optionally of one community (its slug),
   * each with its distinct RSVP count and the viewer's own RSVP (with the status the core computes).
   * The node filters by time and community, orders and cuts the page (startsAtSec / endsAtSec); the
   * RSVPs and confirmations read are those of the page's gatherings. `cursor` continues a list (null:
   * the last page). Gatherings written before the time attributes existed are read once per app
   * session (legacyGatherings), joined to first pages and placed by the core (the fallback in
   * docs/domain.md#time-attributes).
   * Only evidence counts (docs/trust.md); `ignored` says how many entities were left out and why.
   * @returns {Promise<{ tab: string, now: object[], items: object[], cursor: string | null, communities: {slug: string, name: string}[], ignored: object }>}
   */
  async function list({ community, viewer, tab = 'upcoming', cursor = null, limit = GATHERINGS_PER_PAGE }) {
    const now = clock.now();
    const slug = community && community.trim() ? core.entities.skillSlug(community) : '';
    // A later page repeats the first page's query exactly (the node's cursor is bound to it): the
    // instant the tab was cut at travels in the cursor.
    const cut = cursor ? cursor.indexOf('|') : -1;
    const at = cut > 0 ? Number(cursor.slice(0, cut)) : seconds(now);
    const q = tabQuery(tab, at * 1000);
    const base = [eq('type', 'virtual_gathering'), eq('spaceId', config.spaceId), ...(slug ? [eq('community', slug)] : [])];
    const [pageRead, legacy] = await Promise.all([
      arkiv.page([...base, ...q.where], { orderBy: q.orderBy, limit, cursor: cut > 0 ? cursor.slice(cut + 1) : null }),
      cursor ? [] : legacyGatherings(slug, base),
    ]);
    // A legacy entity updated since (with the attributes now) comes from the page itself.
    const paged = new Set(pageRead.entities.map((e) => e.key));
    const raw = [...pageRead.entities, ...legacy.filter((e) => !paged.has(e.key))];
    const all = await verified(raw, { when: q.when, community: slug, limit: raw.length || 1 });
    const shown = new Set(all.gatherings.map((g) => g.key));
    const occurrences = raw.filter((e) => shown.has(e.key) && attrOf(e, 'recurrenceId'));
    const { summary, myConfirmations } = await rsvpsFor([...shown], viewer, { occurrences, lineage: await lineageOfMany(all.seriesRaw) });
    const views = all.gatherings.map((g) => view(g, now, summary, myConfirmations, all.seriesByKey));
    // The communities seen on this page, by slug, with the name as typed (web/src/format.js communityLabel).
    const names = new Map();
    for (const v of views) if (v.gathering.community && !names.get(v.gathering.community)) names.set(v.gathering.community, v.gathering.communityName || '');
    const communities = [...names].map(([slug, name]) => ({ slug, name: name || communityName(slug) })).sort((a, b) => a.slug.localeCompare(b.slug));
    return {
      tab,
      now: tab === 'upcoming' ? views.filter((v) => v.phase === 'now') : [],
      items: tab === 'upcoming' ? views.filter((v) => v.phase === 'upcoming') : views,
      cursor: pageRead.cursor ? `${at}|${pageRead.cursor}` : null,
      communities,
      ignored: { gatherings: all.ignored, rsvps: summary.ignored },
    };
  }

  /**
   * When the viewer's wallet is unlocked and their gathering moved later, extends their own RSVP and
   * confirmation so they outlive the new time (core.sessions.planRsvpExtension; only their owner may).
   * @returns {Promise<{ extended: number } | { error: unknown } | null>} null when there was nothing to do
   */
  async function keepRsvp({ raw, rsvp, myConfirmations, viewer, now }) {
    if (!rsvp || !viewer.account) return null;
    try {
      const plan = core.sessions.planRsvpExtension({ session: rsvp, gathering: raw, confirmations: myConfirmations, currentBlock: await arkiv.blockNumber(), now });
      if (!plan.extend.length) return null;
      await arkiv.writeTransactions(viewer, [{ extensions: plan.extend }]);
      return { extended: plan.extend.length };
    } catch (error) {
      console.warn('keeping the RSVP for the moved gathering', error);
      return { error };
    }
  }

  /** The series a gathering claims (and the one it continues after a split), as read; [] for a one-off gathering. */
  async function lineageOf(raw) {
    const seriesKey = attrOf(raw, 'seriesKey');
    if (!seriesKey) return [];
    const series = await arkiv.get(String(seriesKey)).catch(() => null);
    if (!series) return [];
    const from = attrOf(series, 'splitFrom');
    const parent = from ? await arkiv.get(String(from)).catch(() => null) : null;
    return parent ? [series, parent] : [series];
  }

  /** The series of a page as read, with the ones they continue after a split (read in one batch). */
  async function lineageOfMany(series) {
    const have = new Set(series.map((s) => s.key));
    const parents = [...new Set(series.map((s) => attrOf(s, 'splitFrom')).filter((k) => k && !have.has(String(k))).map(String))];
    return parents.length ? [...series, ...(await arkiv.getMany(parents)).filter(Boolean)] : series;
  }

  /**
   * One gathering with its attendees; `gathering` is null when the key is unknown or the entity is no
   * evidence (then `ignored` says why).
   */
  async function one({ key, viewer }) {
    const now = clock.now();
    const raw = await arkiv.get(key).catch(() => null);
    if (!raw) return { gathering: null, ignored: null, missing: true };
    const { summary, myConfirmations } = await rsvpsFor([key], viewer, { occurrences: [raw], lineage: await lineageOf(raw) });
    let all;
    try {
      all = await verified([raw]);
    } catch (err) {
      // A seriesKey claim contradicted by the series: no evidence (docs/trust.md).
      return { gathering: null, ignored: { unverified: 1, conflicting: 0, malformed: 0, total: 1 }, error: err };
    }
    const g = all.gatherings[0];
    if (!g) return { gathering: null, ignored: all.ignored };
    const rsvpKept = await keepRsvp({ raw, rsvp: summary.viewerRsvps[key], myConfirmations, viewer, now });
    return { ...view(g, now, summary, myConfirmations, all.seriesByKey), rsvpKept, ignored: summary.ignored, isOrganizer: g.organizerWallet === viewer.address };
  }

  /**
   * RSVP: the core builds the RSVP session (refusing a second one by the same attendee), then the
   * attendee's own confirmation from core.sessions.planConfirmation; no organizer confirmation is needed.
   */
  async function rsvp({ gathering, attendee }) {
    const existingRsvps = await arkiv.byTypeSignedBy('session', config.spaceId, attendee.address, eq('gatheringKey', gathering.key));
    const draft = core.entities.build('gathering_rsvp', { gathering, attendeeWallet: attendee.address, existingRsvps }, opts());
    const { entityKeys } = await arkiv.write(attendee, [draft]);
    const session = core.entities.parse(await arkiv.get(entityKeys[0]));
    const plan = core.sessions.planConfirmation({ session, by: attendee.address, confirmations: [], jitsi: [] }, opts());
    const drafts = [plan.confirmation, plan.jitsi].filter(Boolean);
    if (drafts.length) await arkiv.write(attendee, drafts);
    return session.key;
  }

  /**
   * The organizer cancels a gathering that is not part of a series: the entity is deleted (as a
   * cancelled series occurrence is), so it leaves every list and takes no more RSVPs. RSVPs already
   * written stay on the node, pointing at a deleted gathering. A series occurrence is cancelled on its
   * series page instead (an exception keeps it shown as cancelled there).
   */
  async function cancel({ gathering, organizer }) {
    if (gathering.seriesKey) throw appError('NOT_AN_OCCURRENCE', '', 'a series occurrence is cancelled on its series page');
    await arkiv.mutate(organizer, { deletes: [gathering.key] });
  }

  return { create, list, one, rsvp, cancel };
}
