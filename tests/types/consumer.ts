// Type-checks the package's declarations the way a TypeScript user would consume them.
// Run by scripts/test.sh: `tsc -p tests/types`. It is compiled, never executed.
import { loadCore as loadSlim, ConveneError as SlimError } from '@convene/core/core';
import { loadCore, ConveneError, attachJitsi, type Core, type EntityDraft, type SessionStatus, type MeetingSummary, type NoticeKind, type EntityLike } from '@convene/core';

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
  const record = core.events.normalize('someFutureEvent', { a: 1 }, { meetingId: 'm' });
  const { meetings, ignored } = core.meetings.summarize([record, { not: 'a record' }]);
  const first: MeetingSummary | undefined = meetings[0];
  const left: string | null | undefined = first?.participants[0]?.intervals[0]?.leftAt;
  const seconds: number = ignored.total + (first?.participants[0]?.speakingSeconds ?? 0);
  void [left, seconds];
  // The incremental fold and the batch check (a collector's entry points).
  const folds = core.meetings.createFolds();
  const change = folds.add([record]);
  const changed: MeetingSummary[] = change.meetings;
  const held: number = folds.count('m') + folds.size + folds.forget(['m']);
  const check = core.meetings.checkJson(JSON.stringify([record]))[0];
  const at: string | undefined = check?.at;
  const code: string | undefined = check?.error?.code;
  // @ts-expect-error: size is read-only
  folds.size = 1;
  folds.dispose();
  void [changed, change.removed, held, at, code];
  // Bluesky: a gathering's calendar record and RSVP counts.
  const published = core.bluesky.gatheringEvent({ gathering: parsed, pageUrl: 'https://convene.example/', createdAt: new Date() });
  const rkey: string = published.rkey;
  const status: string = published.record.status;
  const read = core.bluesky.parseEventRecord(published.record);
  const when: string | null = read.startsAt;
  const counts = core.bluesky.countRsvps({ subject: 'at://did:plc:x/community.lexicon.calendar.event/3l', rsvps: [] });
  const going: number = counts.going + counts.notGoing + counts.ignored;
  // @ts-expect-error: the status is one of the lexicon's tokens' names
  const wrong: 'maybe' = read.status;
  const proposed = core.bluesky.proposeSeries({ events: [{ uri: 'at://x', did: 'did:plc:x', record: published.record }], tzid: 'Europe/Berlin' });
  const confidence: number = proposed.proposals.length ? proposed.proposals[0].confidence : proposed.ignored;
  // @ts-expect-error: a proposal's rule is text, not a parsed set
  const rule: number = proposed.proposals[0].ical;
  const kinds = core.bluesky.classifyEvents({ events: [{ uri: 'at://x', did: 'did:plc:x', cid: 'bafy', record: published.record }], appUrl: 'https://convene.example/' });
  const kind: 'echo' | 'edited' | 'linked' | 'foreign' = kinds.events[0].provenance;
  void [rkey, status, when, going, wrong, confidence, rule, kind, proposed.echoes];
  const api = { addListener() {}, removeListener() {} };
  attachJitsi(api, { push: () => 'id' }, { meetingId: 'm', extraEvents: ['someFutureEvent'] });
  // @ts-expect-error: extraEvents lists names
  attachJitsi(api, { push: () => 'id' }, { meetingId: 'm', extraEvents: 'someFutureEvent' });
  // Pages: the node-side time window, the next occurrence of a page of series, community names.
  const window = core.entities.timeQuery({ when: 'notEnded', now: Date.now() });
  const firstBound: 'startsAtSec' | 'endsAtSec' | undefined = window.where[0]?.attribute;
  const descending: boolean = window.orderBy.descending;
  // @ts-expect-error: the windows are a closed set
  core.entities.timeQuery({ when: 'soon' });
  const page = core.series.nextMany({ series: [], exceptions: [], gatherings: [] });
  const nextStart: string | undefined = page.items[0]?.next?.startsAt;
  const unmatched: number = page.unmatched;
  const g = core.entities.build('virtual_gathering', { organizerWallet: '0x1', title: 't', community: 'Rust Berlin', communityName: 'Rust Berlin', sessionDate: '2026-12-01T18:00:00Z' });
  // Notices: two reads of the chain compared for one wallet; the kinds are a closed set.
  const inbox = core.notices.since({ wallet: '0x1', follows: [], rsvps: [], before: {}, after: { series: [] }, currentBlock: 10n });
  const firstKind: NoticeKind | undefined = inbox.notices[0]?.kind;
  const movedTo: string | undefined = inbox.notices.find((n) => n.kind === 'occurrenceMoved')?.to;
  // @ts-expect-error: `before` is required
  core.notices.since({ wallet: '0x1', after: {}, currentBlock: 1 });
  void [firstBound, descending, nextStart, unmatched, g, firstKind, movedTo];
  try {
    // @ts-expect-error: unknown entity types are rejected by the compiler too
    core.entities.build('nope', {});
  } catch (e) {
    if (e instanceof ConveneError) console.log(e.code, e.field);
  }
}
void demo;

// An RSVP to an occurrence of a series, materialized or not (docs/domain.md#occurrence-rsvps).
export async function occurrenceRsvp(seriesEntity: EntityLike, gatherings: EntityLike[]) {
  const core = await loadCore();
  const draft = core.entities.build('gathering_rsvp', { series: seriesEntity, recurrenceId: '2027-04-15T17:00:00Z', attendeeWallet: '0x2222222222222222222222222222222222222222', gatherings });
  const summary = core.gatherings.rsvps({ rsvps: [], gatherings, series: [seriesEntity] });
  const mine: Record<string, { key?: string }> = summary.viewerOccurrenceRsvps;
  return { draft, mine };
}

/** Parts: the main part alone, the recurrence, events and wallet parts later. */
export async function parts(): Promise<boolean> {
  const core = await loadCore({ parts: [], eventsWasmUrl: '/assets/events.wasm', recurrenceWasmUrl: '/assets/recurrence.wasm' });
  // @ts-expect-error the optional parts are 'recurrence', 'events' and 'wallet'
  await loadCore({ parts: ['tz'] });
  await core.load('recurrence', { recurrenceWasmUrl: '/assets/recurrence.wasm' });
  const version: string = core.recurrence.tzdataVersion;
  // The loader alone (@convene/core/core): the same loadCore and types.
  const slim: Core = await loadSlim({ parts: ['recurrence'] });
  const typed = (e: unknown): boolean => e instanceof SlimError && e instanceof ConveneError;
  if (!(version && slim.loaded('recurrence') && !typed(null))) throw new Error('unreachable');
  await core.load('events');
  const summary = core.meetings.summarize([]);
  await core.load('wallet');
  return core.loaded('events') && summary.meetings.length === 0 && core.loaded('wallet') && core.wallet.defaultKdf.opslimit > 0;
}
