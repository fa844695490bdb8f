// Virtual gatherings: create, list (happening now, upcoming, past; by community), one gathering, RSVP,
// cancel. Writes: core.entities.build -> SDK. Reads (with signer metadata): SDK -> core.gatherings.upcoming /
// core.gatherings.rsvps / core.sessions.status.
import { eq } from '@arkiv-network/sdk/query';
import { appError } from './errors.js';

export const RSVP_SKILL = 'virtual_gathering_rsvp';

/**
 * Where a gathering stands at `now`: 'upcoming' before its start, 'now' from its start until its end,
 * 'past' after. The start and the duration are the core's (parsed sessionDate, validated minutes); the
 * core has no reader that returns a gathering's end, so it is added here (see web/README.md).
 */
export function phaseOf({ startsAt, endsAt }, now) {
  if (now < Date.parse(startsAt)) return 'upcoming';
  if (now < Date.parse(endsAt)) return 'now';
  return 'past';
}

/** startsAt / endsAt (ISO 8601 UTC) of a parsed gathering. */
export function windowOf(g) {
  const start = Date.parse(g.sessionDate);
  return { startsAt: g.sessionDate, endsAt: new Date(start + Number(g.duration) * 60_000).toISOString() };
}

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any }} deps
 */
export function createGatheringService({ core, arkiv, clock, config }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });

  /** The zone of a series (its DTSTART's TZID), for showing an occurrence in the organizer's time. */
  function seriesInfo(raw) {
    try {
      const s = core.entities.parse(raw);
      const tzid = core.recurrence.parse(s.recurrence).dtstart.tzid || 'UTC';
      return { key: s.key, title: s.title, tzid };
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

  /** Verified gatherings (any date) among `raw`, with the series their claims were checked against. */
  async function verified(raw) {
    // The series the gatherings claim to belong to, so the core can check those claims.
    const seriesKeys = raw.flatMap((e) => (e.attributes || []).filter((a) => a.key === 'seriesKey').map((a) => String(a.value)));
    const series = await arkiv.getMany(seriesKeys);
    // now: 0 -> every gathering its organizer signed, whatever its date (the app groups them itself).
    const result = core.gatherings.upcoming(raw, { now: 0, series });
    const seriesByKey = new Map(series.map(seriesInfo).filter(Boolean).map((s) => [s.key, s]));
    return { ...result, seriesByKey };
  }

  function view(g, now, summary, myConfirmations, seriesByKey) {
    const mine = summary.viewerRsvps[g.key];
    const live = mine && mine.status !== 'cancelled' ? mine : null;
    const myStatus = live ? core.sessions.status({ session: live, confirmations: myConfirmations, now }) : null;
    const win = windowOf(g);
    return {
      gathering: g,
      ...win,
      phase: phaseOf(win, now),
      series: (g.seriesKey && seriesByKey.get(g.seriesKey)) || null,
      rsvpCount: summary.counts[g.key] || 0,
      attendees: summary.attendees[g.key] || [],
      myRsvp: live,
      myStatus,
    };
  }

  /**
   * Every gathering in the space, grouped: happening now (ending soonest first), upcoming (soonest
   * first), past (most recent first), optionally of one community (by its slug); each with its
   * distinct RSVP count and the viewer's own RSVP (with the status the core computes), if any.
   * Only evidence counts (docs/trust.md): gatherings signed by their organizer, RSVPs signed by their
   * attendee, the viewer's own confirmations (filtered at the node); `ignored` says how many entities
   * were left out and why.
   */
  async function list({ community, viewer }) {
    const now = clock.now();
    const [raw, rsvpRaw, myConfirmations] = await Promise.all([
      arkiv.byType('virtual_gathering', config.spaceId),
      arkiv.byType('session', config.spaceId, eq('skill', RSVP_SKILL)),
      arkiv.byTypeSignedBy('session_confirmation', config.spaceId, viewer.address, eq('learnerWallet', viewer.address)),
    ]);
    const all = await verified(raw);
    const slug = community && community.trim() ? core.entities.skillSlug(community) : '';
    const summary = core.gatherings.rsvps({ rsvps: rsvpRaw, viewer: viewer.address });
    const communities = [...new Set(all.gatherings.map((g) => g.community).filter(Boolean))].sort();
    const views = all.gatherings.filter((g) => !slug || g.community === slug).map((g) => view(g, now, summary, myConfirmations, all.seriesByKey));
    const byStart = (a, b) => a.startsAt.localeCompare(b.startsAt) || a.gathering.key.localeCompare(b.gathering.key);
    return {
      ignored: { gatherings: all.ignored, rsvps: summary.ignored },
      communities,
      now: views.filter((v) => v.phase === 'now').sort((a, b) => a.endsAt.localeCompare(b.endsAt) || byStart(a, b)),
      upcoming: views.filter((v) => v.phase === 'upcoming').sort(byStart),
      past: views.filter((v) => v.phase === 'past').sort((a, b) => byStart(b, a)),
    };
  }

  /**
   * One gathering with its attendees; `gathering` is null when the key is unknown or the entity is no
   * evidence (then `ignored` says why).
   */
  async function one({ key, viewer }) {
    const now = clock.now();
    const raw = await arkiv.get(key).catch(() => null);
    if (!raw) return { gathering: null, ignored: null, missing: true };
    const [rsvpRaw, myConfirmations] = await Promise.all([
      arkiv.byType('session', config.spaceId, eq('gatheringKey', key)),
      arkiv.byTypeSignedBy('session_confirmation', config.spaceId, viewer.address, eq('learnerWallet', viewer.address)),
    ]);
    let all;
    try {
      all = await verified([raw]);
    } catch (err) {
      // A seriesKey claim contradicted by the series: no evidence (docs/trust.md).
      return { gathering: null, ignored: { unverified: 1, conflicting: 0, malformed: 0, total: 1 }, error: err };
    }
    const g = all.gatherings[0];
    if (!g) return { gathering: null, ignored: all.ignored };
    const summary = core.gatherings.rsvps({ rsvps: rsvpRaw, viewer: viewer.address });
    return { ...view(g, now, summary, myConfirmations, all.seriesByKey), ignored: summary.ignored, isOrganizer: g.organizerWallet === viewer.address };
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
