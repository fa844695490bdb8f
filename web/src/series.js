// Event series (docs/domain.md#event-series): the rule editor's iCalendar text and preview, create, materialize
// the rolling window, exceptions (cancel / modify one occurrence), follow / unfollow.
// Writes: core.entities.build / core.series.planMaterialization -> SDK. Reads: SDK -> core.series.*.
//
// The window of gatherings is materialized by the organizer's browser when the series is created,
// when the organizer opens the series page and after each change (and by the steward, tools/steward).
// A cancelled occurrence's gathering is retired under its key (marked cancelled, RSVPs kept) and
// restored when the date is reinstated; a modified one is updated in place and keeps its Jitsi room.
// Template changes from a date (core.series.planPropagation) and rule changes from a date
// (core.series.planSplit + planHandoff) are written as the core plans them.
import { eq } from '@arkiv-network/sdk/query';
import { RSVP_SKILL } from './gatherings.js';
import { parseAll as parseEntities } from './parse.js';
import { anyOf, readLiveExceptions, readSeriesState } from './arkiv-reads.js';
import { pendingHandoffs } from './series-handoff.js';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** How many days ahead occurrences become gatherings (core default: 28). */
export const HORIZON_DAYS = 28;
/** Series per page of the list ("Load more" reads the next page). */
export const SERIES_PER_PAGE = 12;

/** `YYYY-MM-DDTHH:MM` (datetime-local) -> iCalendar local DATE-TIME `YYYYMMDDTHHMMSS`. */
export function icalWallTime(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(value || ''));
  if (!m) return String(value || '').replace(/[-:]/g, ''); // the core names what is wrong (INVALID_RRULE, DTSTART)
  return `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6] || '00'}`;
}

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any, gatherings: ReturnType<import('./gatherings.js').createGatheringService> }} deps
 */
export function createSeriesService({ core, arkiv, clock, config, gatherings }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });

  const parseAll = (entities) => parseEntities(core, entities);

  /** UTC instant of a wall time in `tzid`, computed by the core (a DTSTART with no rule is its own instance). */
  function wallToUtc(wall, tzid) {
    return core.recurrence.expand(`DTSTART;TZID=${tzid}:${wall}`, { limit: 1 })[0];
  }

  /**
   * The rule editor's fields -> iCalendar text (DTSTART with TZID + one RRULE). Lines typed by hand
   * in `previous` other than DTSTART and RRULE (RDATE, EXDATE, ...) are kept, so changing a field
   * never drops an exception date someone added.
   * @param {{ start: string, tzid: string, freq: string, interval: number, weekdays: string[], monthly: 'day'|'nth',
   *   monthDay: number, nth: number, nthDay: string, end: 'never'|'count'|'until', count: number, until: string }} r
   * @param {string} [previous] the text as it is now
   */
  function toIcal(r, previous = '') {
    const parts = [`FREQ=${r.freq}`];
    // Any interval but 1 is written as given: INTERVAL=0 (or a non-number) is the core's typed error (INVALID_RRULE, RRULE.INTERVAL).
    if (Number(r.interval) !== 1) parts.push(`INTERVAL=${r.interval}`);
    if (r.freq === 'WEEKLY' && r.weekdays.length) parts.push(`BYDAY=${WEEKDAYS.filter((d) => r.weekdays.includes(d)).join(',')}`);
    if (r.freq === 'MONTHLY') {
      if (r.monthly === 'nth') parts.push(`BYDAY=${r.nth}${r.nthDay}`);
      else if (r.monthDay) parts.push(`BYMONTHDAY=${r.monthDay}`);
    }
    if (r.end === 'count') parts.push(`COUNT=${r.count}`);
    if (r.end === 'until' && r.until) {
      // UNTIL must be UTC when DTSTART has a TZID (RFC 5545): the end of that day in the series' zone.
      const wall = `${String(r.until).replace(/-/g, '')}T235959`;
      let until = `${wall}Z`;
      try {
        until = wallToUtc(wall, r.tzid).replace(/[-:]/g, '');
      } catch {
        // An unknown zone: the preview reports it (UNKNOWN_TIME_ZONE) from DTSTART.
      }
      parts.push(`UNTIL=${until}`);
    }
    const kept = String(previous)
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l && !/^(DTSTART|RRULE)[;:]/i.test(l));
    return [`DTSTART;TZID=${r.tzid}:${icalWallTime(r.start)}`, `RRULE:${parts.join(';')}`, ...kept].join('\n');
  }

  /**
   * The next `limit` instants of `ical` (ISO UTC), computed by the core.
   * @throws ConveneError INVALID_RRULE / UNKNOWN_TIME_ZONE / UNBOUNDED_RECURRENCE …
   */
  function preview(ical, limit = 10) {
    const set = core.recurrence.parse(ical);
    const instants = core.recurrence.expand(ical, { limit });
    let text = '';
    try {
      text = core.recurrence.describe(ical).text;
    } catch {
      // The dates are what matter; a rule the describer cannot word is still previewed.
    }
    return { instants, tzid: set.dtstart.tzid || 'UTC', text };
  }

  /** The rule in a person's words ("every Thursday at 19:00 (Europe/Berlin time), 8 times"), from the core. */
  function ruleText(s) {
    try {
      return core.recurrence.describe(s.recurrence).text;
    } catch {
      return '';
    }
  }

  /** The series' zone (its DTSTART's TZID). */
  function zoneOf(s) {
    try {
      return core.recurrence.parse(s.recurrence).dtstart.tzid || 'UTC';
    } catch {
      return 'UTC';
    }
  }

  /**
   * Everything the core needs about one series: the series, its exceptions and materialized gatherings
   * signed by its organizer, and the RSVPs of shared occurrences (web/src/arkiv-reads.js readSeriesState,
   * the steward's reads too).
   */
  async function state(seriesKey, { notOverAt } = {}) {
    const { series, exceptions, gatherings, rsvps } = await readSeriesState(core, arkiv, config.spaceId, seriesKey, { notOverAt });
    return { series, exceptions, gatherings, rsvps };
  }

  /**
   * Runs core.series.planMaterialization and writes its transactions as the organizer: creates, updates
   * (same entity key, same Jitsi room), retirements (a cancelled or orphaned occurrence's gathering is
   * marked cancelled under its key, so its RSVPs stay and read `cancelled`) and the series' extension.
   * Occurrences the core could not plan come back in `problems` (the rest is written). A split of this
   * series whose handoff was never written is completed first (web/src/series-handoff.js, as the
   * steward does), so its later dates move with their RSVPs instead of being retired.
   */
  async function materialize({ seriesKey, organizer }) {
    const pending = await pendingHandoffs(core, arkiv, config.spaceId, seriesKey, opts());
    let handedOver = 0;
    if (String(pending.organizer).toLowerCase() === String(organizer.address).toLowerCase()) {
      for (const h of pending.handoffs) {
        await arkiv.writeTransactions(organizer, h.transactions);
        handedOver += h.update.length;
      }
    }
    const [st, currentBlock] = await Promise.all([state(seriesKey), arkiv.blockNumber()]);
    const plan = core.series.planMaterialization({ ...st, horizonDays: HORIZON_DAYS, currentBlock }, opts());
    await arkiv.writeTransactions(organizer, plan.transactions);
    return { created: plan.create.length, updated: plan.update.length, cancelled: plan.cancel.length, extended: plan.extend.length, handedOver, problems: plan.problems };
  }

  /** Writes an event_series and materializes its first window. */
  async function create({ organizer, title, community, description, duration, recurrence }) {
    const draft = core.entities.build(
      'event_series',
      {
        organizerWallet: organizer.address,
        community,
        title,
        description,
        duration,
        recurrence,
        ...(config.jitsiBaseUrl ? { jitsiBaseUrl: config.jitsiBaseUrl } : {}),
      },
      opts(),
    );
    const { entityKeys } = await arkiv.write(organizer, [draft]);
    const plan = await materialize({ seriesKey: entityKeys[0], organizer });
    return { seriesKey: entityKeys[0], ...plan };
  }

  /**
   * One page of the space's series, newest first (`createdAt`, ordered at the node), each with its next
   * occurrence. The series and their exceptions not yet over place each next date (one core call for
   * the page, core.series.nextMany); then only those dates' gatherings are read (by seriesKey and
   * RECURRENCE-ID), not each series' whole materialized window, and the same call attaches them. A
   * gathering follows its date (docs/domain.md#event-series): it never moves or cancels one, so it
   * cannot change which date is next. `cursor` continues the list (null: the last page).
   * @returns {Promise<{ items: object[], cursor: string | null, ignored: object, unmatched: number }>}
   */
  async function list({ cursor = null, limit = SERIES_PER_PAGE } = {}) {
    const now = clock.now();
    const { entities: raw, cursor: next } = await arkiv.page([eq('type', 'event_series'), eq('spaceId', config.spaceId)], {
      orderBy: ['createdAt', 'string', 'desc'],
      limit,
      cursor,
    });
    const keys = raw.map((e) => e.key);
    const exceptions = keys.length ? await readLiveExceptions(core, arkiv, config.spaceId, keys, now) : [];
    const placed = keys.length ? core.series.nextMany({ series: raw, exceptions, now }).items : [];
    const dates = [...new Set(placed.filter((i) => i.next).map((i) => i.next.recurrenceId))];
    const gatheringsRaw = dates.length
      ? await arkiv.byTypeFor('virtual_gathering', config.spaceId, 'seriesKey', keys, anyOf('recurrenceId', dates))
      : [];
    const result = core.series.nextMany({ series: raw, exceptions, gatherings: gatheringsRaw, now });
    const nextByKey = new Map(result.items.map((i) => [i.seriesKey, i.next]));
    const items = parseAll(raw)
      .filter((s) => nextByKey.has(s.key))
      .map((s) => ({ series: s, next: nextByKey.get(s.key), ruleText: ruleText(s), tzid: zoneOf(s) }));
    return { items, cursor: next, ignored: result.ignored, unmatched: result.unmatched };
  }

  /**
   * The series page: occurrences not yet over (one that started and has not ended is "happening now"),
   * with their states, RSVP counts of materialized ones, the viewer's RSVPs and follow, and the next
   * occurrence; `ignored` counts what the core left out.
   */
  async function page({ seriesKey, viewer, limit = 12 }) {
    const now = clock.now();
    // Only what occurrences not yet over need (their exceptions and gatherings); plans and writes read it all.
    const st = await state(seriesKey, { notOverAt: now });
    const organizer = st.series.organizerWallet;
    // The series this one continues after a split (its occurrence RSVPs may name it), and the one that
    // continues this one (signed by the same organizer; the core checks both: nextMany, split links).
    const [parentRaw, childrenRaw] = await Promise.all([
      st.series.splitFrom ? arkiv.get(st.series.splitFrom).catch(() => null) : null,
      arkiv.byTypeSignedBy('event_series', config.spaceId, organizer, eq('splitFrom', seriesKey)),
    ]);
    const lineage = [st.series, ...(parentRaw ? [parentRaw] : [])];
    const seriesKeys = [seriesKey, ...(parentRaw ? [st.series.splitFrom] : [])];
    // Occurrences from a day back, so one that is running now is still listed until it ends.
    const list = core.series.occurrences({ ...st, after: now - 24 * 3600_000, limit: limit + 8 });
    const current = list.filter((o) => Date.parse(o.endsAt) > now).slice(0, limit);
    // RSVPs of the dates shown only: to their gatherings, and to the dates themselves (an RSVP made before
    // the date had a gathering names the series and the RECURRENCE-ID). Those naming the series this one
    // was split from are all read: their dates may have moved with the split, and that series has ended.
    const gatheringKeys = current.map((o) => o.gatheringKey).filter(Boolean);
    const rids = current.map((o) => o.recurrenceId);
    const [byGathering, byOccurrence, byParent, follows] = await Promise.all([
      gatheringKeys.length ? arkiv.byTypeFor('session', config.spaceId, 'gatheringKey', gatheringKeys, eq('skill', RSVP_SKILL)) : [],
      rids.length ? arkiv.byTypeFor('session', config.spaceId, 'recurrenceId', rids, eq('skill', RSVP_SKILL), eq('seriesKey', seriesKey)) : [],
      parentRaw ? arkiv.byTypeFor('session', config.spaceId, 'seriesKey', [st.series.splitFrom], eq('skill', RSVP_SKILL)) : [],
      arkiv.byType('event_series_follow', config.spaceId, eq('seriesKey', seriesKey)),
    ]);
    const rsvpRaw = [...new Map([...byGathering, ...byOccurrence, ...byParent].map((e) => [e.key, e])).values()];
    // Occurrence RSVPs count for their occurrence's gathering once it has one (docs/domain.md#occurrence-rsvps).
    const summary = core.gatherings.rsvps({ rsvps: rsvpRaw, viewer: viewer.address, gatherings: st.gatherings, series: lineage });
    const myKeys = [...Object.values(summary.viewerRsvps), ...Object.values(summary.viewerOccurrenceRsvps)].map((r) => r.key);
    const myConfirmations = myKeys.length ? await arkiv.byTypeFor('session_confirmation', config.spaceId, 'sessionKey', myKeys, eq('learnerWallet', viewer.address)) : [];
    const parsedGatherings = new Map(parseAll(st.gatherings).map((g) => [g.key, g]));
    const rawGatherings = new Map(st.gatherings.map((g) => [g.key, g]));
    const occurrences = current.map((o) => {
      const gathering = o.gatheringKey && o.state !== 'cancelled' ? parsedGatherings.get(o.gatheringKey) || null : null;
      const mine = o.gatheringKey
        ? summary.viewerRsvps[o.gatheringKey]
        : seriesKeys.map((k) => summary.viewerOccurrenceRsvps[`${k} ${o.recurrenceId}`]).find(Boolean);
      const phase = Date.parse(o.startsAt) <= now ? 'now' : 'upcoming';
      // A cancelled date keeps its retired gathering and the RSVPs to it (they count again when it is reinstated).
      const rsvpCount = o.gatheringKey ? summary.counts[o.gatheringKey] || 0 : 0;
      // The viewer's RSVP as it stands now: the core reads it with the occurrence's gathering (its time, its cancellation).
      let myStatus = null;
      if (mine && mine.status !== 'cancelled') {
        try {
          const g = o.gatheringKey ? rawGatherings.get(o.gatheringKey) : undefined;
          myStatus = core.sessions.status({ session: mine, confirmations: myConfirmations, ...(g ? { gathering: g, series: lineage } : {}), now }).status;
        } catch (err) {
          console.warn('status of an occurrence RSVP', err);
        }
      }
      const attendees = o.gatheringKey ? summary.attendees[o.gatheringKey] || [] : [];
      return { occurrence: o, phase, gathering, rsvpCount, attendees, myRsvp: mine && mine.status !== 'cancelled' ? mine : null, myStatus };
    });
    const continued = childrenRaw.length ? core.series.nextMany({ series: childrenRaw, now }).items : [];
    const continuedBy = continued.length ? { key: continued[continued.length - 1].seriesKey, next: continued[continued.length - 1].next } : null;
    const followers = core.series.followers({ follows, seriesKey, viewer: viewer.address });
    return {
      series: st.series,
      state: st,
      rsvpCounts: summary.counts,
      ruleText: ruleText(st.series),
      tzid: zoneOf(st.series),
      occurrences,
      next: core.series.next({ ...st, now }),
      followers: followers.count,
      myFollow: followers.viewerFollow,
      isOrganizer: st.series.organizerWallet === viewer.address,
      continuedBy,
      splitFrom: parentRaw ? st.series.splitFrom : null,
      ignored: { occurrences: list.ignored, rsvps: summary.ignored, follows: followers.ignored },
    };
  }

  /** An exception for one occurrence (cancelled or modified), then the window is re-planned. */
  async function except({ seriesKey, organizer, recurrenceId, kind, changes, reason }) {
    const st = await state(seriesKey);
    const draft = core.entities.build(
      'event_series_exception',
      { series: st.series, recurrenceId, kind, ...(changes ? { changes } : {}), ...(reason ? { reason } : {}) },
      opts(),
    );
    await arkiv.write(organizer, [draft]);
    return materialize({ seriesKey, organizer });
  }

  /**
   * Reinstates a cancelled occurrence (a `reinstated` exception, newest wins), then the window is
   * re-planned: its retired gathering is restored under the same key (RSVPs intact, a new room).
   */
  const reinstate = ({ seriesKey, organizer, recurrenceId }) => except({ seriesKey, organizer, recurrenceId, kind: 'reinstated' });

  /** The payload of a draft the core planned (its JSON bytes). */
  const payloadOf = (draft) => JSON.parse(new TextDecoder().decode(draft.payload));

  /**
   * What a template change from `from` would write (core.series.planPropagation on the state read for
   * the page): the series update and the gatherings from `from` on that no longer match.
   * @throws ConveneError (MISSING_FIELD changes.title, INVALID_DURATION changes.duration, RECURRENCE_TOO_DENSE …)
   */
  const planTemplate = ({ state: st, from, changes }) => core.series.planPropagation({ ...st, from, changes }, opts());

  /**
   * A template change effective from `from` (an occurrence's RECURRENCE-ID): the series keeps the earlier
   * template for the dates before it; the gatherings from it on are updated in place (same room), then
   * the window is re-planned.
   */
  async function changeTemplate({ seriesKey, organizer, from, changes }) {
    const st = await state(seriesKey);
    const plan = core.series.planPropagation({ ...st, from, changes }, opts());
    await arkiv.writeTransactions(organizer, plan.transactions);
    const m = await materialize({ seriesKey, organizer });
    return { updated: plan.update.length + m.updated, created: m.created, problems: [...plan.problems, ...m.problems] };
  }

  /**
   * What splitting at `at` would write (core.series.planSplit): the old series ending before `at`, the
   * new one (its rule in words and its first dates) and what it takes over (`handoff`).
   * `changes`: {title?, description?, duration?, rrule?} (rrule: the RRULE value, without `RRULE:`).
   */
  function planSplit({ state: st, at, changes }) {
    const plan = core.series.planSplit({ ...st, at, changes }, opts());
    const next = payloadOf(plan.newSeries);
    return { plan, newRecurrence: next.recurrence, newTitle: next.title, preview: preview(next.recurrence, 10) };
  }

  /**
   * Splits the series at `at`: the old series ends before it, a new series (signed by the same
   * organizer) takes the later occurrences with their exceptions and gatherings (same keys, so their
   * RSVPs follow); then both windows are re-planned. Write order (docs/domain.md#event-series):
   * both series, the handoff, the materializations.
   * @returns {Promise<{ newSeriesKey: string, handed: number, materialized: object[] }>}
   */
  async function split({ seriesKey, organizer, at, changes }) {
    const st = await state(seriesKey);
    const plan = core.series.planSplit({ ...st, at, changes }, opts());
    const { createdEntities } = await arkiv.writeTransactions(organizer, plan.transactions);
    const newSeriesKey = createdEntities[0];
    const [after, newSeries] = await Promise.all([state(seriesKey), arkiv.get(newSeriesKey)]);
    const handoff = core.series.planHandoff({ ...after, newSeries }, opts());
    await arkiv.writeTransactions(organizer, handoff.transactions);
    const materialized = [await materialize({ seriesKey: newSeriesKey, organizer }), await materialize({ seriesKey, organizer })];
    return { newSeriesKey, handed: handoff.update.length, materialized };
  }

  /** The RRULE value of an iCalendar text (what a split's `changes.rrule` takes). */
  function rruleOf(ical) {
    const line = String(ical)
      .split(/\r?\n/)
      .find((l) => /^RRULE:/i.test(l.trim()));
    return line ? line.trim().slice('RRULE:'.length) : '';
  }

  async function follow({ seriesKey, follower }) {
    const [raw, existingFollows] = await Promise.all([
      arkiv.get(seriesKey),
      arkiv.byTypeSignedBy('event_series_follow', config.spaceId, follower.address, eq('seriesKey', seriesKey)),
    ]);
    const draft = core.entities.build('event_series_follow', { series: core.entities.parse(raw), followerWallet: follower.address, existingFollows }, opts());
    await arkiv.write(follower, [draft]);
  }

  /** Unfollow = delete the follower's own follow entities. */
  async function unfollow({ seriesKey, follower }) {
    const mine = await arkiv.byTypeSignedBy('event_series_follow', config.spaceId, follower.address, eq('seriesKey', seriesKey));
    await arkiv.mutate(follower, { deletes: mine.map((f) => f.key) });
  }

  /**
   * RSVP to one occurrence, materialized or not (docs/domain.md#occurrence-rsvps): the RSVP names the
   * series and the RECURRENCE-ID (and the gathering when there is one), then the attendee's own
   * confirmation is written, as for a gathering RSVP. It counts once the occurrence is a gathering.
   * @throws ConveneError ALREADY_RSVPED / NOT_AN_OCCURRENCE / INVALID_INPUT (a cancelled date) / SESSION_ENDED
   */
  async function rsvp({ seriesKey, recurrenceId, attendee }) {
    const [st, existingRsvps] = await Promise.all([state(seriesKey), arkiv.byTypeSignedBy('session', config.spaceId, attendee.address, eq('skill', RSVP_SKILL), eq('seriesKey', seriesKey))]);
    const gk = st.gatherings.map((g) => g.key);
    const direct = gk.length ? await arkiv.byTypeFor('session', config.spaceId, 'gatheringKey', gk, eq('learnerWallet', attendee.address)) : [];
    const draft = core.entities.build(
      'gathering_rsvp',
      { series: st.series, exceptions: st.exceptions, gatherings: st.gatherings, recurrenceId, attendeeWallet: attendee.address, existingRsvps: [...existingRsvps, ...direct] },
      opts(),
    );
    const { entityKeys } = await arkiv.write(attendee, [draft]);
    const session = core.entities.parse(await arkiv.get(entityKeys[0]));
    const plan = core.sessions.planConfirmation({ session, by: attendee.address, confirmations: [], jitsi: [] }, opts());
    const drafts = [plan.confirmation, plan.jitsi].filter(Boolean);
    if (drafts.length) await arkiv.write(attendee, drafts);
    return { rsvpKey: entityKeys[0], materialized: Boolean(session.gatheringKey) };
  }

  return { toIcal, preview, ruleText, zoneOf, create, list, page, materialize, except, reinstate, planTemplate, changeTemplate, planSplit, split, rruleOf, follow, unfollow, rsvp, horizonDays: HORIZON_DAYS, tzdataVersion: core.recurrence.tzdataVersion };
}
