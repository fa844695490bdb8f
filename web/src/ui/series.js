// Event series panel: the list of series, the series page (occurrences with their states, cancel /
// modify one, follow, RSVP to one occurrence, the next occurrence) and the rule editor with a live
// preview computed by the core (core.recurrence.expand) on every change.
import { describeError } from '../errors.js';
import { WEEKDAYS } from '../series.js';
import { formatWhen, fromLocalInput, h, joinLink, replace, toLocalInput } from './dom.js';
import { ignoredNote, sumIgnored } from './ignored.js';
import { runAction } from './notice.js';

const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const NTH = [
  ['1', 'first'],
  ['2', 'second'],
  ['3', 'third'],
  ['4', 'fourth'],
  ['-1', 'last'],
];
const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function timeZones() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // Older browsers: the viewer's zone and UTC only.
  }
  return [...new Set([...zones, viewerZone(), 'UTC'])].sort();
}

/** An instant as wall time in `tzid` (the browser's Intl; the instant itself comes from the core). */
function inZone(iso, tzid) {
  const d = new Date(iso);
  try {
    return d.toLocaleString(undefined, { timeZone: tzid, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  } catch {
    return d.toISOString();
  }
}

/** The core's `local` (RECURRENCE-ID as wall time, '2027-03-11T19:00:00') as readable text without any conversion. */
function wall(local) {
  const [date, time] = String(local).split('T');
  const d = new Date(`${date}T00:00:00Z`);
  const day = Number.isFinite(d.getTime()) ? d.toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }) : date;
  return `${day}, ${String(time || '').slice(0, 5)}`;
}

const seriesLink = (key) => `${location.origin}${location.pathname}#series=${key}`;

export function mountSeries(el, { service, identities, clock, notice, onChanged }) {
  // ---- the rule editor -------------------------------------------------------------------
  const title = h('input', { name: 'title', testid: 'series-title', placeholder: 'Rust study group (weekly)' });
  const community = h('input', { name: 'community', testid: 'series-community', placeholder: 'Rust Berlin' });
  const description = h('textarea', { name: 'description', rows: 2, testid: 'series-description', placeholder: 'What it is about' });
  const start = h('input', { type: 'datetime-local', testid: 'series-start', oninput: (e) => (e.target.dataset.edited = '1') });
  const zone = h('select', { testid: 'series-tz', 'aria-label': 'Time zone' }, timeZones().map((z) => h('option', { value: z, selected: z === viewerZone() }, z)));
  const duration = h('input', { type: 'number', min: '1', value: '60', testid: 'series-duration', class: 'narrow' });
  const freq = h('select', { testid: 'series-freq', 'aria-label': 'Repeats' }, FREQS.map((f) => h('option', { value: f, selected: f === 'WEEKLY' }, f.toLowerCase())));
  const interval = h('input', { type: 'number', min: '1', value: '1', testid: 'series-interval', class: 'narrow' });
  const weekdayBoxes = WEEKDAYS.map((d) => h('input', { type: 'checkbox', value: d, testid: `series-weekday-${d}` }));
  const weekdays = h('div', { class: 'row weekdays', testid: 'series-weekdays' }, WEEKDAYS.map((d, i) => h('label', { class: 'field inline' }, weekdayBoxes[i], h('span', {}, d))));
  const monthlyMode = h('select', { testid: 'series-monthly-mode', 'aria-label': 'Monthly by' }, h('option', { value: 'day' }, 'on day of month'), h('option', { value: 'nth' }, 'on the n-th weekday'));
  const monthDay = h('input', { type: 'number', min: '-31', max: '31', value: '1', testid: 'series-month-day', class: 'narrow' });
  const nth = h('select', { testid: 'series-nth', 'aria-label': 'Which' }, NTH.map(([v, t]) => h('option', { value: v }, t)));
  const nthDay = h('select', { testid: 'series-nth-day', 'aria-label': 'Weekday' }, WEEKDAYS.map((d) => h('option', { value: d }, d)));
  const monthly = h('div', { class: 'row', testid: 'series-monthly' }, monthlyMode, monthDay, nth, nthDay);
  const end = h('select', { testid: 'series-end', 'aria-label': 'Ends' }, h('option', { value: 'never' }, 'never'), h('option', { value: 'count' }, 'after N times'), h('option', { value: 'until' }, 'on date'));
  const count = h('input', { type: 'number', min: '1', value: '10', testid: 'series-count', class: 'narrow' });
  const until = h('input', { type: 'date', testid: 'series-until' });
  const ical = h('textarea', { rows: 3, testid: 'series-ical', spellcheck: 'false', class: 'ical', 'aria-label': 'iCalendar text' });
  const previewState = h('p', { class: 'muted', testid: 'series-preview-state' });
  const previewError = h('div', { class: 'inline-error', testid: 'series-preview-error', hidden: true });
  const previewRows = h('tbody', { testid: 'series-preview' });
  const zoneHead = h('th', {}, 'Series zone');
  const create = h('button', { type: 'submit', testid: 'series-create', dataset: { write: '1' } }, 'Create series');

  function rule() {
    return {
      start: start.value,
      tzid: zone.value,
      freq: freq.value,
      interval: interval.value.trim() === '' ? 1 : Number(interval.value), // 0 stays 0: the preview shows the core's error
      weekdays: weekdayBoxes.filter((b) => b.checked).map((b) => b.value),
      monthly: monthlyMode.value,
      monthDay: Number(monthDay.value) || 0,
      nth: nth.value,
      nthDay: nthDay.value,
      end: end.value,
      count: Number(count.value) || 1,
      until: until.value,
    };
  }

  /** Shows the controls that matter for the chosen frequency and end. */
  function syncVisibility() {
    weekdays.hidden = freq.value !== 'WEEKLY';
    monthly.hidden = freq.value !== 'MONTHLY';
    monthDay.hidden = monthlyMode.value !== 'day';
    nth.hidden = nthDay.hidden = monthlyMode.value !== 'nth';
    count.hidden = end.value !== 'count';
    until.hidden = end.value !== 'until';
  }

  /** Structured fields -> iCalendar text (the text box can then be edited by hand). */
  function fromFields() {
    syncVisibility();
    ical.value = service.toIcal(rule());
    renderPreview();
  }

  /** The preview: next occurrences computed by the core, or the core's error inline. */
  function renderPreview() {
    try {
      const { instants, tzid } = service.preview(ical.value, 10);
      previewError.hidden = true;
      replace(previewError);
      zoneHead.textContent = `Series zone (${tzid})`;
      replace(
        previewRows,
        instants.map((iso, i) =>
          h('tr', { testid: 'preview-row' }, h('td', {}, String(i + 1)), h('td', { testid: 'preview-series-time' }, inZone(iso, tzid)), h('td', { testid: 'preview-viewer-time' }, inZone(iso, viewerZone()))),
        ),
      );
      previewState.textContent = instants.length ? `Next ${instants.length} occurrence${instants.length === 1 ? '' : 's'} (core.recurrence.expand, tz database ${service.tzdataVersion}).` : 'The rule produces no occurrences.';
      create.dataset.blocked = '';
      create.disabled = false;
    } catch (err) {
      const { code, message } = describeError(err);
      previewError.hidden = false;
      replace(previewError, h('strong', { testid: 'series-preview-error-code' }, code), ' ', h('span', { testid: 'series-preview-error-message' }, message));
      replace(previewRows);
      previewState.textContent = 'No preview: fix the rule.';
      create.dataset.blocked = '1';
      create.disabled = true;
    }
  }

  for (const input of [start, zone, freq, interval, monthlyMode, monthDay, nth, nthDay, end, count, until, ...weekdayBoxes]) {
    input.addEventListener(input.tagName === 'SELECT' || input.type === 'checkbox' ? 'change' : 'input', fromFields);
  }
  ical.addEventListener('input', renderPreview);

  const form = h(
    'form',
    {
      class: 'card form',
      testid: 'series-form',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        let created;
        const ok = await runAction(notice, create, 'Create series', async () => {
          created = await service.create({
            organizer: identities.active(),
            title: title.value,
            community: community.value,
            description: description.value,
            duration: Number(duration.value),
            recurrence: ical.value,
          });
          return `Series “${title.value}” created; ${created.created} occurrence${created.created === 1 ? '' : 's'} in the next ${service.horizonDays} days materialized as gatherings.`;
        });
        if (ok) {
          title.value = '';
          description.value = '';
          selected = created.seriesKey;
          openedFor = `${created.seriesKey}|${identities.active().address}`; // just materialized
          location.hash = `series=${created.seriesKey}`;
          await Promise.all([refresh(), onChanged?.()]);
        }
      },
    },
    h('h3', {}, 'New event series'),
    h('div', { class: 'row' }, h('label', { class: 'field grow' }, h('span', {}, 'Title'), title), h('label', { class: 'field grow' }, h('span', {}, 'Community'), community)),
    h('label', { class: 'field' }, h('span', {}, 'Description'), description),
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'field' }, h('span', {}, 'First start (wall time in the zone)'), start),
      h('label', { class: 'field' }, h('span', {}, 'Time zone'), zone),
      h('label', { class: 'field' }, h('span', {}, 'Minutes'), duration),
    ),
    h('div', { class: 'row' }, h('label', { class: 'field' }, h('span', {}, 'Repeats'), freq), h('label', { class: 'field' }, h('span', {}, 'Every'), interval), weekdays, monthly),
    h('div', { class: 'row' }, h('label', { class: 'field' }, h('span', {}, 'Ends'), end), count, until),
    h('label', { class: 'field' }, h('span', {}, 'iCalendar (DTSTART / RRULE / RDATE / EXDATE; editable)'), ical),
    previewError,
    previewState,
    h('table', { class: 'preview' }, h('thead', {}, h('tr', {}, h('th', {}, '#'), zoneHead, h('th', {}, `Your zone (${viewerZone()})`))), previewRows),
    h('div', { class: 'row' }, create),
  );

  // ---- the list and the series page ------------------------------------------------------
  const list = h('ul', { class: 'cards', testid: 'series-list' });
  const listState = h('p', { class: 'muted', testid: 'series-state' });
  const pageEl = h('div', { class: 'series-page card', testid: 'series-page', hidden: true });
  let selected = (/^#series=(0x[0-9a-fA-F]{64})$/.exec(location.hash) || [])[1] || null;
  let openedFor = ''; // `${seriesKey}|${organizer}`: the plan runs once per opening by the organizer

  replace(el, h('div', { class: 'panel-head' }, h('h2', {}, 'Event series')), listState, list, pageEl, form);

  function open(key) {
    selected = key;
    openedFor = '';
    location.hash = `series=${key}`;
    return refresh();
  }

  /** The rule in words, from the core ("every Thursday at 19:00 (Europe/Berlin time), 8 times"). */
  function ruleText(s) {
    try {
      return service.describe(s.recurrence).text;
    } catch {
      return s.rrule || '';
    }
  }

  function seriesCard({ series: s, next }) {
    return h(
      'li',
      { class: `card series${s.key === selected ? ' selected' : ''}`, testid: 'series-card', dataset: { key: s.key } },
      h('div', { class: 'card-head' }, h('strong', { testid: 'series-name' }, s.title || '(untitled)'), h('span', { class: 'badge community' }, s.community)),
      h('div', { class: 'meta' }, h('span', { testid: 'series-rule-text' }, ruleText(s)), ` · ${s.duration} min · by ${identities.labelOf(s.organizerWallet)}`),
      h(
        'div',
        { class: 'actions' },
        h('span', { class: 'muted', testid: 'series-card-next' }, next ? `next: ${inZone(next.startsAt, next.tzid)} (${next.tzid})` : 'no upcoming occurrence'),
        h('button', { type: 'button', class: 'secondary', testid: 'series-open', onclick: () => open(s.key) }, 'Open'),
      ),
    );
  }

  function occurrenceRow(view, data) {
    const { occurrence: o, gathering, rsvpCount, myRsvp } = view;
    const me = identities.active();
    const reload = async () => {
      await Promise.all([refresh(), onChanged?.()]);
    };
    const actions = [];
    if (gathering) {
      const rsvp = h(
        'button',
        {
          type: 'button',
          testid: 'occurrence-rsvp',
          dataset: { write: '1', blocked: myRsvp ? '1' : '' },
          disabled: Boolean(myRsvp),
          title: myRsvp ? 'You have already RSVPed to this occurrence' : 'RSVP to this one occurrence (not the series)',
          onclick: async () => {
            if (await runAction(notice, rsvp, 'RSVP', async () => {
              await service.rsvp({ gathering, attendee: me });
              return `RSVPed to the ${wall(o.local)} occurrence of “${data.series.title}” as ${me.label}.`;
            })) await reload();
          },
        },
        myRsvp ? 'RSVPed ✓' : 'RSVP',
      );
      actions.push(
        joinLink(o.videoJoinUrl || gathering.videoJoinUrl, 'occurrence-join'),
        h('span', { class: 'count', title: 'Distinct attendees of this occurrence' }, h('b', { testid: 'occurrence-rsvp-count' }, String(rsvpCount)), ' going'),
        rsvp,
      );
    }
    const modifyForm = h('form', { class: 'row modify', testid: 'modify-form', hidden: true });
    if (data.isOrganizer && o.state !== 'cancelled') {
      const cancel = h(
        'button',
        {
          type: 'button',
          class: 'danger',
          testid: 'occurrence-cancel',
          dataset: { write: '1' },
          onclick: async () => {
            if (await runAction(notice, cancel, 'Cancel occurrence', async () => {
              const r = await service.except({ seriesKey: data.series.key, organizer: me, recurrenceId: o.recurrenceId, kind: 'cancelled' });
              return `Occurrence ${wall(o.local)} cancelled${r.cancelled ? '; its gathering is deleted' : ''}.`;
            })) await reload();
          },
        },
        'Cancel',
      );
      const mTitle = h('input', { testid: 'modify-title', value: o.title, 'aria-label': 'Title' });
      const mDate = h('input', { type: 'datetime-local', testid: 'modify-date', value: toLocalInput(Date.parse(o.startsAt)), 'aria-label': 'Starts (your time)' });
      const mDuration = h('input', { type: 'number', min: '1', testid: 'modify-duration', value: String(o.duration), class: 'narrow', 'aria-label': 'Minutes' });
      const save = h('button', { type: 'submit', testid: 'modify-save', dataset: { write: '1' } }, 'Save change');
      replace(
        modifyForm,
        h('label', { class: 'field grow' }, h('span', {}, 'Title'), mTitle),
        h('label', { class: 'field' }, h('span', {}, 'Starts (your time)'), mDate),
        h('label', { class: 'field' }, h('span', {}, 'Minutes'), mDuration),
        save,
      );
      modifyForm.addEventListener('submit', async (e) => {
        e.preventDefault();
        const changes = {};
        if (mTitle.value !== o.title) changes.title = mTitle.value;
        const when = fromLocalInput(mDate.value);
        if (Date.parse(when) !== Date.parse(o.startsAt)) changes.sessionDate = when;
        if (Number(mDuration.value) !== o.duration) changes.duration = Number(mDuration.value);
        if (await runAction(notice, save, 'Modify occurrence', async () => {
          const r = await service.except({ seriesKey: data.series.key, organizer: me, recurrenceId: o.recurrenceId, kind: 'modified', changes });
          return `Occurrence ${wall(o.local)} modified${r.updated ? '; its gathering is updated (same Jitsi room)' : ''}.`;
        })) await reload();
      });
      const modify = h('button', { type: 'button', class: 'secondary', testid: 'occurrence-modify', onclick: () => (modifyForm.hidden = !modifyForm.hidden) }, 'Modify…');
      actions.push(modify, cancel);
    }
    const moved = o.startsAt !== o.recurrenceId;
    return h(
      'li',
      { class: `card occurrence ${o.state}`, testid: 'occurrence', dataset: { recurrenceId: o.recurrenceId, state: o.state, gatheringKey: o.gatheringKey || '' } },
      h('div', { class: 'card-head' }, h('strong', { testid: 'occurrence-title' }, o.title), h('span', { class: `status ${o.state}`, testid: 'occurrence-state' }, o.state)),
      h(
        'div',
        { class: 'meta' },
        h('span', { testid: 'occurrence-local' }, `${inZone(o.startsAt, o.tzid)} ${o.tzid}`),
        ' · ',
        h('span', { testid: 'occurrence-viewer' }, `${inZone(o.startsAt, viewerZone())} your time`),
        ` · ${o.duration} min`,
        moved ? h('span', { testid: 'occurrence-moved' }, ` · moved from ${inZone(o.recurrenceId, o.tzid)}`) : null,
      ),
      h('div', { class: 'actions' }, actions),
      modifyForm,
    );
  }

  function renderPage(data) {
    const me = identities.active();
    const { series: s, next } = data;
    const followButton = h(
      'button',
      {
        type: 'button',
        class: data.myFollow ? 'secondary' : '',
        testid: 'series-follow',
        dataset: { write: '1' },
        onclick: async () => {
          if (await runAction(notice, followButton, data.myFollow ? 'Unfollow' : 'Follow', async () => {
            if (data.myFollow) {
              await service.unfollow({ seriesKey: s.key, follower: me });
              return `${me.label} no longer follows “${s.title}”.`;
            }
            await service.follow({ seriesKey: s.key, follower: me });
            return `${me.label} follows “${s.title}” (the series; RSVP is per occurrence).`;
          })) await refresh();
        },
      },
      data.myFollow ? 'Unfollow series' : 'Follow series',
    );
    const link = seriesLink(s.key);
    replace(
      pageEl,
      h('div', { class: 'card-head' }, h('h3', { testid: 'series-page-title' }, s.title), h('button', { type: 'button', class: 'secondary', testid: 'series-close', onclick: () => { selected = null; location.hash = ''; refresh(); } }, 'Close')),
      h('div', { class: 'meta' }, h('span', { class: 'badge community' }, s.community), ` · by ${identities.labelOf(s.organizerWallet)}${data.isOrganizer ? ' (you)' : ''} · ${s.duration} min`),
      h('p', { testid: 'series-page-rule' }, ruleText(s)),
      h('details', {}, h('summary', {}, 'Rule details'), h('pre', { class: 'ical', testid: 'series-page-ical' }, s.recurrence)),
      s.description ? h('p', { class: 'desc' }, s.description) : null,
      data.isOrganizer && me.locked
        ? h('p', { class: 'locked-why', testid: 'series-unlock-hint' }, 'Your wallet is locked: unlock it to materialize the next weeks and to cancel or modify occurrences.')
        : null,
      h(
        'div',
        { class: 'actions follow' },
        h('span', { class: 'muted' }, 'Series:'),
        h('span', { testid: 'series-follow-state' }, data.myFollow ? 'you follow this series' : 'not following'),
        h('span', { class: 'count' }, h('b', { testid: 'series-followers' }, String(data.followers)), ` follower${data.followers === 1 ? '' : 's'}`),
        followButton,
        h('span', { class: 'muted' }, '— following is not attending: RSVP to each occurrence below.'),
      ),
      h(
        'div',
        { class: 'publish', testid: 'series-next' },
        h('span', { class: 'muted' }, 'Next occurrence (what a platform without recurrence gets): '),
        next
          ? h('span', { testid: 'series-next-text' }, `“${next.title}” — ${inZone(next.startsAt, next.tzid)} ${next.tzid} (${inZone(next.startsAt, viewerZone())} your time). Series: `)
          : h('span', { testid: 'series-next-text' }, 'none upcoming. '),
        h('a', { href: link, testid: 'series-link' }, link),
      ),
      h('p', { class: 'muted', testid: 'occurrences-state' }, `${data.occurrences.length} upcoming occurrence${data.occurrences.length === 1 ? '' : 's'}; the next ${service.horizonDays} days are gatherings (materialized).`),
      ignoredNote(sumIgnored(data.ignored.occurrences, data.ignored.rsvps, data.ignored.follows)),
      h('ul', { class: 'cards', testid: 'occurrence-list' }, data.occurrences.map((v) => occurrenceRow(v, data))),
    );
    pageEl.hidden = false;
    pageEl.dataset.key = s.key;
    pageEl.dataset.viewer = me.address;
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    if (!start.dataset.edited) {
      start.value = toLocalInput(clock.now() + 24 * 3600000).slice(0, 11) + '19:00';
      fromFields();
    }
    try {
      const viewer = identities.active();
      const all = await service.list();
      if (mine !== seq) return;
      replace(list, all.map(seriesCard));
      listState.textContent = all.length ? `${all.length} series` : 'No event series yet.';
      if (selected) {
        let data = await service.page({ seriesKey: selected, viewer });
        if (mine !== seq) return;
        // The organizer's browser keeps the window materialized (no server job): once per opening.
        const opening = `${selected}|${viewer.address}`;
        if (data.isOrganizer && !viewer.locked && openedFor !== opening) {
          openedFor = opening;
          let plan;
          await runAction(notice, null, 'Materialize', async () => {
            plan = await service.materialize({ seriesKey: selected, organizer: viewer });
            return `Series page opened: ${plan.created} created, ${plan.updated} updated, ${plan.cancelled} cancelled occurrence gatherings.`;
          });
          if (plan && plan.created + plan.updated + plan.cancelled) {
            data = await service.page({ seriesKey: selected, viewer });
            onChanged?.();
          }
          if (mine !== seq) return;
        }
        renderPage(data);
      } else {
        pageEl.hidden = true;
        replace(pageEl);
      }
      el.dataset.viewer = viewer.address;
      el.dataset.loadedAt = String(clock.now());
    } catch (err) {
      if (mine !== seq) return;
      notice.error(err, 'Loading event series');
    }
  }

  window.addEventListener('hashchange', () => {
    const key = (/^#series=(0x[0-9a-fA-F]{64})$/.exec(location.hash) || [])[1] || null;
    if (key !== selected) {
      selected = key;
      openedFor = '';
      refresh();
    }
  });

  return { refresh };
}
