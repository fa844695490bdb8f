// Virtual gatherings: create, list upcoming (by community), RSVP. Writes: core.entities.build -> SDK.
// Reads (with signer metadata): SDK -> core.gatherings.upcoming / core.gatherings.rsvps / core.sessions.status.
import { eq } from '@arkiv-network/sdk/query';

export const RSVP_SKILL = 'virtual_gathering_rsvp';

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any }} deps
 */
export function createGatheringService({ core, arkiv, clock, config }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });

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
   * Upcoming gatherings (future only, soonest first, optionally one community), each with its
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
    // The series the gatherings claim to belong to, so the core can check those claims.
    const seriesKeys = raw.flatMap((e) => (e.attributes || []).filter((a) => a.key === 'seriesKey').map((a) => String(a.value)));
    const series = await arkiv.getMany(seriesKeys);
    const slug = community && community.trim() ? core.entities.skillSlug(community) : undefined;
    const upcoming = core.gatherings.upcoming(raw, { community: slug, now, series });
    const all = slug ? core.gatherings.upcoming(raw, { now, series }) : upcoming;
    const summary = core.gatherings.rsvps({ rsvps: rsvpRaw, viewer: viewer.address });
    const communities = [...new Set(all.gatherings.map((g) => g.community))].sort();
    return {
      skipped: upcoming.skipped,
      ignored: { gatherings: upcoming.ignored, rsvps: summary.ignored },
      communities,
      gatherings: upcoming.gatherings.map((g) => {
        const mine = summary.viewerRsvps[g.key];
        const live = mine && mine.status !== 'cancelled' ? mine : null;
        const myStatus = live ? core.sessions.status({ session: live, confirmations: myConfirmations, now }) : null;
        return { gathering: g, rsvpCount: summary.counts[g.key] || 0, myRsvp: live, myStatus };
      }),
    };
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

  return { create, list, rsvp };
}
