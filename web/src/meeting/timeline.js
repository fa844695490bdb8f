// The meeting's timeline: meeting_event entities read back from Arkiv through core.events.fromEntities,
// which keeps only the events signed by the meeting's own people (docs/trust.md) and deduplicates by
// eventId (a retried batch can land twice); filtered by type and participant.
import { eq } from '@arkiv-network/sdk/query';
import { h, replace } from '../ui/dom.js';

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
 * @param {{ core: any, arkiv: any, spaceId: string, meetingId: string, viewer?: string }} deps
 * @returns {Promise<{ events: object[], ignored: { total: number } }>}
 */
export async function readTimeline({ core, arkiv, spaceId, meetingId, viewer }) {
  const [signers, entities] = await Promise.all([
    meetingSigners({ core, arkiv, spaceId, meetingId }),
    arkiv.byType('meeting_event', spaceId, eq('meetingId', meetingId)),
  ]);
  return core.events.fromEntities(entities, { signers: viewer ? [...signers, viewer] : signers });
}

function describe(e) {
  const p = e.payload || {};
  const bits = [];
  for (const k of ['displayName', 'muted', 'isMuted', 'sourceType', 'mode', 'nick', 'message', 'final', 'stable', 'roomName', 'role', 'handRaised']) {
    if (p[k] !== undefined && p[k] !== '') bits.push(`${k}: ${typeof p[k] === 'string' ? p[k] : JSON.stringify(p[k])}`);
  }
  return bits.join(', ');
}

function fillSelect(select, values) {
  const current = select.value;
  replace(select, h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, v)));
  if (values.includes(current)) select.value = current;
}

/**
 * Renders `events` into the list, keeping the filters' choices.
 * @param {{ list: HTMLElement, typeSelect: HTMLSelectElement, participantSelect: HTMLSelectElement, status: HTMLElement }} ui
 */
export function renderTimeline(ui, { events, ignored }) {
  fillSelect(ui.typeSelect, [...new Set(events.map((e) => e.type))].sort());
  fillSelect(ui.participantSelect, [...new Set(events.map((e) => e.participantId).filter(Boolean))].sort());
  const type = ui.typeSelect.value;
  const participant = ui.participantSelect.value;
  const shown = events.filter((e) => (!type || e.type === type) && (!participant || e.participantId === participant));
  replace(ui.list, ...shown.map((e) => h('li', { testid: 'timeline-event', dataset: { type: e.type, participant: e.participantId || '', eventId: e.eventId } },
    h('time', { datetime: e.timestamp }, e.timestamp.slice(11, 19)), ' ',
    h('strong', {}, e.type), e.participantId ? ` · ${e.participantId}` : '', ' ',
    h('span', { class: 'muted' }, describe(e)))));
  replace(ui.status, `${shown.length} of ${events.length} events${ignored && ignored.total ? ` · ${ignored.total} ignored (not signed by this meeting's people, or unreadable)` : ''}`);
  ui.status.dataset.total = String(events.length);
}
