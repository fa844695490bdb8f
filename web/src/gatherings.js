// Virtual gatherings: create, list upcoming (by community), RSVP. Writes: core.entities.build -> SDK.
// Reads: SDK -> core.gatherings.upcoming / core.gatherings.rsvpCount / core.entities.parse / core.sessions.status.
import { eq } from '@arkiv-network/sdk/query';

export const RSVP_SKILL = 'virtual_gathering_rsvp';

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any }} deps
 */
export function createGatheringService({ core, arkiv, clock, config }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });

  /** Parses what can be parsed; one bad entity on the chain must not hide the rest. */
  function parseAll(entities) {
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
   */
  async function list({ community, viewer }) {
    const now = clock.now();
    const [raw, rsvpRaw, myConfirmations] = await Promise.all([
      arkiv.byType('virtual_gathering', config.spaceId),
      arkiv.byType('session', config.spaceId, eq('skill', RSVP_SKILL)),
      arkiv.byType('session_confirmation', config.spaceId, eq('learnerWallet', viewer.address)),
    ]);
    const slug = community && community.trim() ? core.entities.skillSlug(community) : undefined;
    const { gatherings, skipped } = core.gatherings.upcoming(raw, { community: slug, now });
    const rsvps = parseAll(rsvpRaw);
    const confirmations = parseAll(myConfirmations);
    const communities = [...new Set(core.gatherings.upcoming(raw, { now }).gatherings.map((g) => g.community))].sort();
    return {
      skipped,
      communities,
      gatherings: gatherings.map((g) => {
        const mine = rsvps.find((r) => r.gatheringKey === g.key && r.learnerWallet === viewer.address && r.status !== 'cancelled');
        const myStatus = mine
          ? core.sessions.status({ session: mine, confirmations: confirmations.filter((c) => c.sessionKey === mine.key), rejections: [], now })
          : null;
        return { gathering: g, rsvpCount: core.gatherings.rsvpCount(rsvpRaw, g.key), myRsvp: mine || null, myStatus };
      }),
    };
  }

  /**
   * RSVP: the core builds the RSVP session (refusing a second one by the same attendee), then the
   * attendee's own confirmation from core.sessions.planConfirmation; no organizer confirmation is needed.
   */
  async function rsvp({ gathering, attendee }) {
    const existingRsvps = await arkiv.byType('session', config.spaceId, eq('gatheringKey', gathering.key), eq('learnerWallet', attendee.address));
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
