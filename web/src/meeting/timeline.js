// The meeting's timeline: meeting_event entities read back from Arkiv, deduplicated by eventId
// (a retried batch can land twice), filtered by type and participant.
import { meetingEventsFromEntities } from '@convene/core';
import { eq } from '@arkiv-network/sdk/query';
import { h, replace } from '../ui/dom.js';

/** @param {{ arkiv: any, spaceId: string, meetingId: string }} deps */
export async function readTimeline({ arkiv, spaceId, meetingId }) {
  const entities = await arkiv.byType('meeting_event', spaceId, eq('meetingId', meetingId));
  return meetingEventsFromEntities(entities);
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
export function renderTimeline(ui, events) {
  fillSelect(ui.typeSelect, [...new Set(events.map((e) => e.type))].sort());
  fillSelect(ui.participantSelect, [...new Set(events.map((e) => e.participantId).filter(Boolean))].sort());
  const type = ui.typeSelect.value;
  const participant = ui.participantSelect.value;
  const shown = events.filter((e) => (!type || e.type === type) && (!participant || e.participantId === participant));
  replace(ui.list, ...shown.map((e) => h('li', { testid: 'timeline-event', dataset: { type: e.type, participant: e.participantId || '', eventId: e.eventId } },
    h('time', { datetime: e.timestamp }, e.timestamp.slice(11, 19)), ' ',
    h('strong', {}, e.type), e.participantId ? ` · ${e.participantId}` : '', ' ',
    h('span', { class: 'muted' }, describe(e)))));
  replace(ui.status, `${shown.length} of ${events.length} events`);
  ui.status.dataset.total = String(events.length);
}
