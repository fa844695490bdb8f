// The meeting's timeline: meeting_event entities read back from Arkiv through core.events.fromEntities,
// which keeps only the events signed by the meeting's own people (docs/trust.md) and deduplicates by
// eventId (a retried batch can land twice); filtered by type and participant.
import { eq } from '@arkiv-network/sdk/query';

/**
 * The wallets allowed to write this meeting's events: a session's mentor and learner (the session must be
 * signed by one of them), or a gathering's organizer and the attendees whose RSVP they signed themselves.
 * Anything else (an unknown key, an entity that is no evidence) allows nobody.
 */
async function meetingSigners({ core, arkiv, spaceId, meetingId }) {
  const raw = await arkiv.get(meetingId).catch(() => null);
  if (!raw) return [];
  let m;
  try {
    m = core.entities.parse(raw);
    if (m.type === 'session') {
      core.sessions.status({ session: m }); // UNVERIFIED_ENTITY unless a participant signed it
      return [m.mentorWallet, m.learnerWallet];
    }
  } catch (err) {
    console.warn('meeting entity is no evidence', meetingId, err);
    return [];
  }
  if (m.type !== 'virtual_gathering') return [];
  if (!core.gatherings.upcoming([raw], { now: 0 }).gatherings.length) return []; // not signed by its organizer
  const rsvps = await arkiv.byType('session', spaceId, eq('gatheringKey', meetingId));
  return [m.organizerWallet, ...(core.gatherings.rsvps({ rsvps }).attendees[meetingId] || [])];
}

/**
 * The timeline: events signed by the meeting's people, plus the viewer's own (what a person wrote
 * themselves is evidence of their own actions, whatever the meeting is).
 * @param {{ core: any, arkiv: any, spaceId: string, meetingId: string, signersOf?: string, viewer?: string }} deps
 *   `meetingId`: the records' meetingId; `signersOf`: the meeting whose people may write them (default
 *   `meetingId`; a replay's records, `<meeting>/replay/<run>`, are trusted as the meeting's own).
 * @returns {Promise<{ events: object[], ignored: { total: number } }>}
 */
export async function readTimeline({ core, arkiv, spaceId, meetingId, signersOf = meetingId, viewer }) {
  const [signers, entities] = await Promise.all([
    meetingSigners({ core, arkiv, spaceId, meetingId: signersOf }),
    arkiv.byType('meeting_event', spaceId, eq('meetingId', meetingId)),
  ]);
  return core.events.fromEntities(entities, { signers: viewer ? [...signers, viewer] : signers });
}

/** A meeting event's payload in a few words ("displayName: Ada, muted: true"). */
export function describeEvent(e) {
  const p = e.payload || {};
  const bits = [];
  for (const k of ['displayName', 'muted', 'isMuted', 'sourceType', 'mode', 'nick', 'message', 'final', 'stable', 'roomName', 'role', 'handRaised']) {
    if (p[k] !== undefined && p[k] !== '') bits.push(`${k}: ${typeof p[k] === 'string' ? p[k] : JSON.stringify(p[k])}`);
  }
  return bits.join(', ');
}

/**
 * What a meeting id names: a session or a gathering on Arkiv (title, the room the core gives it and
 * where its page is), or nothing known (then only the room from the link can be used).
 * @returns {Promise<{ kind: 'session'|'gathering'|null, title: string, room: string, href: string }>}
 */
export async function meetingInfo({ core, arkiv, spaceId, meetingId }) {
  const none = { kind: null, title: '', room: '', href: '' };
  const raw = await arkiv.get(meetingId).catch(() => null);
  if (!raw) return none;
  try {
    const m = core.entities.parse(raw);
    if (m.type === 'virtual_gathering') {
      const g = core.gatherings.upcoming([raw], { now: 0 }).gatherings[0];
      return g ? { kind: 'gathering', title: g.title, room: g.videoRoomName || '', href: `/gatherings/${g.key}` } : none;
    }
    if (m.type === 'session') {
      const jitsi = await arkiv.byType('session_jitsi', spaceId, eq('sessionKey', meetingId));
      const st = core.sessions.status({ session: raw, jitsi });
      return { kind: 'session', title: m.skill, room: st.videoRoomName || '', href: `/sessions/${m.key}` };
    }
  } catch (err) {
    console.warn('meeting entity is no evidence', meetingId, err);
  }
  return none;
}
