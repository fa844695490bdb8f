// Type-checks the package's declarations the way a TypeScript user would consume them.
// Run by scripts/test.sh: `tsc -p tests/types`. It is compiled, never executed.
import { loadCore, ConveneError, type Core, type EntityDraft, type SessionStatus } from '@convene/core';

async function demo(): Promise<void> {
  const core: Core = await loadCore();
  const room: string = core.jitsi.roomName('test-session-key');
  const url: string = core.jitsi.joinUrl(room, 'https://meet.jit.si');
  const draft: EntityDraft = core.entities.build(
    'session',
    { mentorWallet: '0x1', learnerWallet: '0x2', skill: 'go', sessionDate: '2026-01-01T00:00:00Z', duration: 30 },
    { now: Date.now(), spaceId: 'local-dev' },
  );
  const bytes: Uint8Array = draft.payload;
  const parsed = core.entities.parse({ key: '0xk', attributes: draft.attributes, payload: bytes });
  const st: SessionStatus = core.sessions.status({ session: parsed, confirmations: [], rejections: [], now: new Date() });
  const plan = core.sessions.planConfirmation({ session: parsed, by: '0x1' });
  if (plan.jitsi) bytes.set(plan.jitsi.payload);
  const n: number = core.gatherings.rsvpCount([], '0xg');
  const up = core.gatherings.upcoming([], { community: 'spanish' });
  void [url, st.status, n, up.gatherings.length];
  const body = new Uint8Array(64 * 1024);
  const records: Uint8Array = core.events.normalizeManyBytes([['participantJoined', { id: 'p1' }]], { meetingId: 'm', now: Date.now(), into: body });
  const text: string = core.events.normalizeManyJson([['participantJoined', { id: 'p1' }]], { meetingId: 'm' });
  // @ts-expect-error: `into` is a Uint8Array
  core.events.normalizeManyBytes([], { meetingId: 'm', into: [1, 2] });
  void [records, text];
  try {
    // @ts-expect-error: unknown entity types are rejected by the compiler too
    core.entities.build('nope', {});
  } catch (e) {
    if (e instanceof ConveneError) console.log(e.code, e.field);
  }
}
void demo;
