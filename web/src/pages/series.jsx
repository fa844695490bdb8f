// Event series: the list, and one series with its dates (occurrences). The organizer's browser keeps
// the next weeks materialized as gatherings when it opens the page; the organizer can change, cancel
// or reinstate one date (a confirm dialog says how many people RSVP'd), change the template from a
// date (core.series.planPropagation) and the rule from a date (core.series.planSplit: a new series
// takes the later dates); anyone can follow the series and RSVP to single dates.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useAction, useApp, useClock, useLive, useLoad, usePaged, useWallets } from '../app/context.js';
import { appError, explain } from '../errors.js';
import { communityLabel, dateTime, duration, fromLocalInput, people, plural, toLocalInput, viewerZone, zoneName } from '../format.js';
import { Details, Empty, Fact, IgnoredNote, JoinLinks, LoadMore, Person, When, sumIgnored } from '../ui/bits.jsx';
import { useConfirm } from '../ui/dialog.jsx';
import { Field, FormStatus, LockedHint, ResultLine, WriteButton } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';
import { SeriesOnBluesky, useSeriesOnBluesky } from './bluesky.jsx';
import { useFocusError } from './gatherings.jsx';
import { DatesPreview, RuleFields, asRule } from './series-new.jsx';

const STATE_WORDS = { planned: 'Planned', materialized: 'Scheduled', modified: 'Changed', cancelled: 'Cancelled' };
/** The viewer's own RSVP to a date, as core.sessions.status reads it with the date's gathering. */
const MY_STATUS_WORDS = {
  scheduled: 'You’re going',
  pending: 'RSVP’d, not confirmed',
  'in-progress': 'You’re going: happening now',
  completed: 'You went',
  cancelled: 'Your RSVP: cancelled with the date',
  expired: 'RSVP expired',
};

export function SeriesListPage() {
  const { series } = useApp();
  const { data, pages, error, loading, viewer, more, loadingMore, moreError, reload } = usePaged(({ cursor }) => series.list({ cursor }));
  // Live: a new series (newest first: it goes on top), or a change to a series, an exception or a gathering of
  // a series on the page re-reads the first page.
  useLive((c) => {
    const shown = new Set((data ? data.items : []).map((i) => i.series.key));
    if (!c.attrs) return shown.has(c.key) ? reload() : undefined;
    if (c.attrs.type === 'event_series' || (c.attrs.seriesKey && shown.has(c.attrs.seriesKey))) reload();
  });
  const all = data ? data.items : [];
  return (
    <PageFrame
      name="series-list"
      title="Event series"
      viewer={viewer}
      loading={loading}
      error={error}
      what="the series"
      actions={
        <Link className="button" to="/series/new" data-testid="series-new">
          New series
        </Link>
      }
      lead="Gatherings that repeat: every date is its own gathering, with its own RSVPs."
    >
      <p className="muted" data-testid="series-state" role="status">
        {loading && !data ? 'Loading…' : all.length ? `${all.length}${more ? '+' : ''} series` : ''}
      </p>
      {!loading && !all.length ? (
        <Empty testid="series-empty">
          No event series yet. <Link to="/series/new">Create one</Link>
        </Empty>
      ) : null}
      <ul className="cards" data-testid="series-list">
        {all.map(({ series: s, next, ruleText, tzid }) => (
          <li key={s.key} className="card series" data-testid="series-card" data-key={s.key}>
            <div className="card-head">
              <h2 className="h3">
                <Link to={`/series/${s.key}`} data-testid="series-name">
                  {s.title || 'Untitled series'}
                </Link>
              </h2>
              <span className="badge community">{communityLabel(s)}</span>
            </div>
            <p className="meta">
              <span data-testid="series-rule-text">{ruleText || 'a repeating rule'}</span> · {duration(s.duration)} · by <Person address={s.organizerWallet} />
            </p>
            <p className="meta" data-testid="series-card-next">
              {next ? (
                <>
                  Next: <When at={next.startsAt} zone={tzid} />
                </>
              ) : (
                'No upcoming date.'
              )}
            </p>
          </li>
        ))}
      </ul>
      <IgnoredNote ignored={pages.length ? sumIgnored(...pages.map((p) => p.ignored)) : null} />
      {all.length ? <LoadMore shown={all.length} what="series" more={more} loading={loadingMore} error={moreError} /> : null}
    </PageFrame>
  );
}

const MODIFY_LABELS = { title: 'Title', sessionDate: 'Starts (your time)', duration: 'Length (minutes)' };

function ModifyForm({ o, onDone, seriesKey }) {
  const { series, identities } = useApp();
  const [run, state] = useAction();
  const ref = useRef(null);
  const [form, setForm] = useState({ title: o.title, sessionDate: toLocalInput(Date.parse(o.startsAt)), duration: String(o.duration) });
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  useFocusError(ref, state.error);
  useEffect(() => {
    ref.current?.querySelector('input')?.focus();
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    const ok = await run(
      async () => {
        const changes = {};
        if (form.title !== o.title) changes.title = form.title;
        const when = fromLocalInput(form.sessionDate);
        if (Date.parse(when) !== Date.parse(o.startsAt)) changes.sessionDate = when;
        if (Number(form.duration) !== o.duration) changes.duration = Number(form.duration);
        if (!Object.keys(changes).length) throw appError('NO_CHANGE', 'input.title', 'nothing was changed');
        const r = await series.except({ seriesKey, organizer: identities.active(), recurrenceId: o.recurrenceId, kind: 'modified', changes });
        return `This date is changed${r.updated ? '; its gathering is updated (same video room)' : ''}.`;
      },
      { labels: MODIFY_LABELS, aliases: { changes: 'title' } },
    );
    if (ok) onDone(state);
  };
  return (
    <form className="modify form" ref={ref} onSubmit={submit} noValidate data-testid="modify-form">
      <div className="row">
        <Field name="title" label={MODIFY_LABELS.title} error={state.error} className="grow">
          <input data-testid="modify-title" value={form.title} onChange={set('title')} />
        </Field>
        <Field name="sessionDate" label={MODIFY_LABELS.sessionDate} error={state.error}>
          <input type="datetime-local" data-testid="modify-date" value={form.sessionDate} onChange={set('sessionDate')} />
        </Field>
        <Field name="duration" label={MODIFY_LABELS.duration} error={state.error}>
          <input type="number" min="1" step="1" className="narrow" data-testid="modify-duration" value={form.duration} onChange={set('duration')} />
        </Field>
      </div>
      <div className="row">
        <WriteButton type="submit" testid="modify-save" busy={state.busy} busyLabel="Saving…">
          Save this date
        </WriteButton>
        <button type="button" className="secondary" onClick={() => onDone(null)}>
          Close
        </button>
      </div>
      <FormStatus state={state} testid="modify-status" />
    </form>
  );
}

function OccurrenceRow({ view, page, onBluesky }) {
  const { series, identities } = useApp();
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const modifyButton = useRef(null);
  const { occurrence: o, gathering, rsvpCount, myRsvp, myStatus, phase } = view;
  const me = identities.active();
  const { now } = useClock();
  const moved = o.startsAt !== o.recurrenceId;
  const when = dateTime(o.recurrenceId, { timeZone: o.tzid, now: now() });

  const cancel = async () => {
    const yes = await ask({
      title: `Cancel ${when}?`,
      body: (
        <p>
          {rsvpCount ? (
            <>
              <strong data-testid="confirm-count">{people(rsvpCount)}</strong> RSVP’d to this date. It will show as cancelled here and leave the gatherings list; their RSVPs will no longer
              show.
            </>
          ) : (
            <>Nobody has RSVP’d to this date yet. It will show as cancelled here and leave the gatherings list.</>
          )}{' '}
          The other dates of the series stay as they are.
        </p>
      ),
      confirm: 'Cancel this date',
      keep: 'Keep it',
    });
    if (!yes) return;
    await run(async () => {
      const r = await series.except({ seriesKey: page.series.key, organizer: me, recurrenceId: o.recurrenceId, kind: 'cancelled' });
      return `${when} is cancelled${r.cancelled ? '; its gathering is kept, marked cancelled' : ''}${rsvpCount ? ` (${people(rsvpCount)} had RSVP’d: their RSVPs stay and read cancelled)` : ''}.`;
    });
  };

  const reinstate = async () => {
    const yes = await ask({
      title: `Reinstate ${when}?`,
      body: (
        <p>
          {rsvpCount ? (
            <>
              <strong data-testid="confirm-count">{people(rsvpCount)}</strong> RSVP’d before it was cancelled: their RSVPs count again and they can join.
            </>
          ) : (
            <>Nobody had RSVP’d to this date.</>
          )}{' '}
          The date is back in the series and in the gatherings list, with a new video room.
        </p>
      ),
      confirm: 'Reinstate this date',
      keep: 'Keep it cancelled',
    });
    if (!yes) return;
    await run(async () => {
      const r = await series.reinstate({ seriesKey: page.series.key, organizer: me, recurrenceId: o.recurrenceId });
      const restored = r.updated || r.created;
      return `${when} is back${restored ? '; its gathering is restored' : ''}${rsvpCount ? ` (${people(rsvpCount)} RSVP’d: their RSVPs count again)` : ''}.`;
    });
  };

  return (
    <li className={`card occurrence ${o.state} phase-${phase}`} data-testid="occurrence" data-recurrence-id={o.recurrenceId} data-state={o.state} data-phase={phase} data-gathering-key={o.gatheringKey || ''}>
      <div className="card-head">
        <h3 data-testid="occurrence-title">{o.title}</h3>
        <span>
          {phase === 'now' && o.state !== 'cancelled' ? (
            <span className="status in-progress" data-testid="occurrence-now">
              Happening now
            </span>
          ) : null}{' '}
          <span className={`status ${o.state}`} data-testid="occurrence-state" data-state={o.state}>
            {STATE_WORDS[o.state] || o.state}
          </span>
        </span>
      </div>
      <p className="meta">
        <When at={o.startsAt} zone={o.tzid} testid="occurrence-when" /> · {duration(o.duration)}
        {moved ? <span data-testid="occurrence-moved"> · moved from {when}</span> : null}
      </p>
      <div className="actions">
        {gathering ? (
          <span className="count">
            <b data-testid="occurrence-rsvp-count">{rsvpCount}</b> going
            {onBluesky?.counts ? (
              <span data-testid="occurrence-bluesky-count">
                {' '}
                · <b>{onBluesky.counts.going - onBluesky.counts.alsoOnArkiv}</b> more on Bluesky
              </span>
            ) : null}
          </span>
        ) : o.state === 'planned' ? (
          <span className="muted" data-testid="occurrence-planned-note">
            RSVPs count once it is scheduled ({series.horizonDays} days before).
          </span>
        ) : o.state === 'cancelled' && rsvpCount ? (
          <span className="count">
            <b data-testid="occurrence-rsvp-kept">{rsvpCount}</b> had RSVP’d
          </span>
        ) : null}
        {myStatus ? (
          <span className={`status ${myStatus}`} data-testid="occurrence-my-status" data-status={myStatus}>
            {MY_STATUS_WORDS[myStatus] || myStatus}
          </span>
        ) : null}
        {!page.isOrganizer && o.state !== 'cancelled' && phase === 'upcoming' ? (
          <WriteButton
            testid="occurrence-rsvp"
            busy={state.busy}
            busyLabel="Sending RSVP…"
            blocked={Boolean(myRsvp)}
            title={myRsvp ? 'You have already RSVP’d to this date' : 'RSVP to this one date (not the whole series)'}
            onClick={() =>
              run(async () => {
                const r = await series.rsvp({ seriesKey: page.series.key, recurrenceId: o.recurrenceId, attendee: me });
                return r.materialized ? `You’re going on ${when}.` : `You’re going on ${when}. Your RSVP counts once the date is scheduled.`;
              })
            }
          >
            {myRsvp ? 'RSVP’d ✓' : 'RSVP'}
          </WriteButton>
        ) : null}
        {gathering ? (
          <>
            <JoinLinks joinUrl={o.videoJoinUrl || gathering.videoJoinUrl} meetingKey={gathering.key} room={gathering.videoRoomName} prefix="occurrence" />
            <Link to={`/gatherings/${gathering.key}`} data-testid="occurrence-gathering">
              Gathering page<span className="sr-only"> of {when}</span>
            </Link>
          </>
        ) : null}
        {page.isOrganizer && o.state === 'cancelled' ? (
          <WriteButton testid="occurrence-reinstate" busy={state.busy} busyLabel="Reinstating…" onClick={reinstate}>
            Reinstate
          </WriteButton>
        ) : null}
        {page.isOrganizer && o.state !== 'cancelled' ? (
          <>
            <button
              type="button"
              className="secondary"
              ref={modifyButton}
              data-testid="occurrence-modify"
              aria-expanded={editing ? 'true' : 'false'}
              onClick={() => {
                setSaved('');
                setEditing((x) => !x);
              }}
            >
              Change…
            </button>
            <WriteButton className="danger" testid="occurrence-cancel" busy={state.busy} busyLabel="Cancelling…" onClick={cancel}>
              Cancel
            </WriteButton>
          </>
        ) : null}
      </div>
      {editing ? (
        <ModifyForm
          o={o}
          seriesKey={page.series.key}
          onDone={(st) => {
            setEditing(false);
            if (st) setSaved('This date is changed.');
            modifyButton.current?.focus();
          }}
        />
      ) : null}
      <ResultLine state={saved ? { ok: saved, busy: false, error: null } : state} />
      {dialog}
    </li>
  );
}

/** A core error about `changes.<field>` (or a split's `at` / `changes.rrule`) as the form field it concerns. */
function formError(err) {
  const f = String((err && err.field) || '');
  if (/^changes\.rrule/.test(f)) err.field = 'input.recurrence';
  else if (/^changes\./.test(f)) err.field = `input.${f.slice('changes.'.length)}`;
  return err;
}

/** The dates a change can start from: the page's dates not cancelled, as `<option>`s. */
function FromOptions({ page, now }) {
  return page.occurrences.map(({ occurrence: o }) => (
    <option key={o.recurrenceId} value={o.recurrenceId}>
      {dateTime(o.recurrenceId, { timeZone: o.tzid, now })}
    </option>
  ));
}

/** RSVPs to the gatherings among `keys` (the page's counts). */
const rsvpsOf = (page, keys) => keys.reduce((n, k) => n + (page.rsvpCounts[k] || 0), 0);

const TEMPLATE_LABELS = { from: 'From the date', title: 'Title', description: 'Description', duration: 'Length (minutes)' };

/**
 * The template from a date on (core.series.planPropagation): dates before it keep the old title,
 * description and length; gatherings from it on are updated in place (same room). A dialog says how
 * many gatherings and RSVPs the change touches.
 */
function TemplateForm({ page, onClose }) {
  const { series, identities } = useApp();
  const { now } = useClock();
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const ref = useRef(null);
  const s = page.series;
  const first = page.occurrences[0] ? page.occurrences[0].occurrence.recurrenceId : '';
  const [form, setForm] = useState({ from: page.occurrences[1] ? page.occurrences[1].occurrence.recurrenceId : first, title: s.title, description: s.description || '', duration: String(s.duration) });
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  useFocusError(ref, state.error);
  useEffect(() => {
    ref.current?.querySelector('select')?.focus();
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    const changes = {};
    if (form.title !== s.title) changes.title = form.title.trim();
    if (form.description !== (s.description || '')) changes.description = form.description;
    if (Number(form.duration) !== Number(s.duration)) changes.duration = Number(form.duration);
    const fromWords = dateTime(form.from, { timeZone: page.tzid, now: now() });
    let plan = null;
    const planned = await run(
      async () => {
        if (!Object.keys(changes).length) throw appError('NO_CHANGE', 'input.title', 'nothing was changed');
        try {
          plan = series.planTemplate({ state: page.state, from: form.from, changes });
        } catch (err) {
          throw formError(err);
        }
        return '';
      },
      { labels: TEMPLATE_LABELS, wrote: false },
    );
    if (!planned) return;
    const keys = plan.update.map((u) => u.entityKey);
    const rsvps = rsvpsOf(page, keys);
    const yes = await ask({
      title: `Change the series from ${fromWords} on?`,
      body: (
        <p>
          Every date from {fromWords} on takes the new {Object.keys(changes).map((k) => TEMPLATE_LABELS[k].toLowerCase()).join(', ')}; the dates before keep the old ones.{' '}
          <strong data-testid="confirm-count">{plural(keys.length, 'gathering')}</strong> already made {keys.length === 1 ? 'is' : 'are'} updated in place (same video room)
          {rsvps ? (
            <>
              , with <strong data-testid="confirm-rsvps">{people(rsvps)}</strong> RSVP’d: their RSVPs stay
            </>
          ) : null}
          . Dates changed one by one keep their own changes.
        </p>
      ),
      confirm: 'Change the series',
      keep: 'Keep it as it is',
    });
    if (!yes) return;
    await run(
      async () => {
        try {
          const r = await series.changeTemplate({ seriesKey: s.key, organizer: identities.active(), from: form.from, changes });
          return `The series is changed from ${fromWords} on: ${plural(r.updated, 'gathering')} updated${r.problems.length ? `, ${plural(r.problems.length, 'date')} could not be planned` : ''}.`;
        } catch (err) {
          throw formError(err);
        }
      },
      { labels: TEMPLATE_LABELS },
    );
  };
  return (
    <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="template-form" aria-labelledby="template-h">
      <h3 id="template-h">Change the series from a date</h3>
      <p className="muted">The dates before the one you pick keep their title, description and length.</p>
      <div className="row">
        <Field name="from" label={TEMPLATE_LABELS.from} error={state.error}>
          <select data-testid="template-from" value={form.from} onChange={set('from')}>
            <FromOptions page={page} now={now()} />
          </select>
        </Field>
        <Field name="title" label={TEMPLATE_LABELS.title} error={state.error} className="grow">
          <input data-testid="template-title" value={form.title} onChange={set('title')} autoComplete="off" />
        </Field>
        <Field name="duration" label={TEMPLATE_LABELS.duration} error={state.error}>
          <input type="number" min="1" step="1" className="narrow" data-testid="template-duration" value={form.duration} onChange={set('duration')} />
        </Field>
      </div>
      <Field name="description" label={TEMPLATE_LABELS.description} error={state.error}>
        <textarea data-testid="template-description" rows={2} value={form.description} onChange={set('description')} />
      </Field>
      <div className="row">
        <WriteButton type="submit" testid="template-save" busy={state.busy} busyLabel="Changing the series…">
          Change from this date
        </WriteButton>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <FormStatus state={state} testid="template-status" />
      {dialog}
    </form>
  );
}

/** The rule editor's fields for the series' current rule (core.recurrence.parse). */
function ruleFieldsOf(core, ical, tzid) {
  const r = { start: '', tzid, freq: 'WEEKLY', interval: '1', weekdays: [], monthly: 'day', monthDay: '1', nth: '1', nthDay: 'MO', end: 'never', count: '10', until: '' };
  try {
    const rule = core.recurrence.parse(ical).rrule;
    if (!rule) return r;
    r.freq = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(rule.freq) ? rule.freq : 'WEEKLY';
    r.interval = String(rule.interval || 1);
    const days = rule.byday || [];
    if (r.freq === 'WEEKLY') r.weekdays = days.filter((d) => /^[A-Z]{2}$/.test(d));
    if (r.freq === 'MONTHLY' && days.length) {
      const m = /^([+-]?\d+)([A-Z]{2})$/.exec(days[0]);
      if (m) Object.assign(r, { monthly: 'nth', nth: String(Number(m[1])), nthDay: m[2] });
    } else if (r.freq === 'MONTHLY' && rule.bymonthday && rule.bymonthday.length) r.monthDay = String(rule.bymonthday[0]);
  } catch {
    // An unreadable rule: the editor starts from weekly.
  }
  return r;
}

const SPLIT_LABELS = { at: 'From the date', title: 'Title', duration: 'Length (minutes)', recurrence: 'New rule' };

/**
 * The rule from a date on (core.series.planSplit): this series ends before the date and a new series
 * takes the later dates, with their changes, gatherings and RSVPs. The preview is the new series
 * exactly as planned (its rule in words, its next dates); a dialog names what moves.
 */
function SplitForm({ page, onClose, onSplit }) {
  const { core, series, identities } = useApp();
  const { now } = useClock();
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const ref = useRef(null);
  const s = page.series;
  const [at, setAt] = useState(page.occurrences[2] ? page.occurrences[2].occurrence.recurrenceId : page.occurrences[page.occurrences.length - 1]?.occurrence.recurrenceId || '');
  const [rule, setRule] = useState(() => ruleFieldsOf(core, s.recurrence, page.tzid));
  const [touched, setTouched] = useState(false);
  const [meta, setMeta] = useState({ title: s.title, duration: String(s.duration) });
  useFocusError(ref, state.error);
  useEffect(() => {
    ref.current?.querySelector('select')?.focus();
  }, []);
  const setField = (k, value) => {
    setRule((r) => ({ ...r, [k]: value }));
    setTouched(true);
  };
  const changes = useMemo(() => {
    const c = {};
    if (meta.title !== s.title) c.title = meta.title.trim();
    if (Number(meta.duration) !== Number(s.duration)) c.duration = Number(meta.duration);
    if (touched) c.rrule = series.rruleOf(series.toIcal(asRule({ ...rule, start: '20000101T000000' })));
    return c;
  }, [meta, rule, touched, s, series]);
  const planned = useMemo(() => {
    try {
      return { ...series.planSplit({ state: page.state, at, changes }), error: null };
    } catch (err) {
      const e = explain(formError(err), SPLIT_LABELS);
      return { plan: null, preview: { instants: [], tzid: '', text: '', error: e }, error: e };
    }
  }, [series, page.state, at, changes]);
  const atWords = at ? dateTime(at, { timeZone: page.tzid, now: now() }) : '';
  const submit = async (e) => {
    e.preventDefault();
    if (planned.error) return;
    const { plan } = planned;
    const gatheringKeys = plan.handoff.gatherings.map((g) => g.entityKey);
    const rsvps = rsvpsOf(page, gatheringKeys);
    const yes = await ask({
      title: `Change the rule from ${atWords} on?`,
      body: (
        <>
          <p>
            This series ends before {atWords}. A new series “{planned.newTitle}” takes the dates from then on: {planned.preview.text || 'the new rule'}.
          </p>
          <p data-testid="confirm-moves">
            Moving to the new series: <strong data-testid="confirm-count">{plural(gatheringKeys.length, 'gathering')}</strong>
            {rsvps ? (
              <>
                {' '}
                with <strong data-testid="confirm-rsvps">{people(rsvps)}</strong> RSVP’d (their RSVPs follow)
              </>
            ) : null}{' '}
            and {plural(plan.handoff.exceptions.length, 'changed or cancelled date')}.
          </p>
        </>
      ),
      confirm: 'Change the rule',
      keep: 'Keep the rule',
    });
    if (!yes) return;
    await run(
      async () => {
        try {
          const r = await series.split({ seriesKey: s.key, organizer: identities.active(), at, changes });
          const text = `The rule is changed from ${atWords} on: a new series has the later dates (${plural(r.handed, 'gathering or change', 'gatherings and changes')} moved, with their RSVPs).`;
          onSplit({ newKey: r.newSeriesKey, text });
          return text;
        } catch (err) {
          throw formError(err);
        }
      },
      { labels: SPLIT_LABELS },
    );
  };
  const ruleError = planned.error && planned.error.field === 'recurrence' ? planned.error : null;
  return (
    <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="split-form" aria-labelledby="split-h">
      <h3 id="split-h">Change the rule from a date</h3>
      <p className="muted">This series keeps the dates before the one you pick; a new series, with the new rule, takes the others, their gatherings and RSVPs.</p>
      <div className="row">
        <Field name="at" label={SPLIT_LABELS.at} error={planned.error || state.error}>
          <select data-testid="split-at" value={at} onChange={(e) => setAt(e.target.value)}>
            <FromOptions page={page} now={now()} />
          </select>
        </Field>
        <Field name="title" label={SPLIT_LABELS.title} error={planned.error || state.error} className="grow">
          <input data-testid="split-title" value={meta.title} onChange={(e) => setMeta((m) => ({ ...m, title: e.target.value }))} autoComplete="off" />
        </Field>
        <Field name="duration" label={SPLIT_LABELS.duration} error={planned.error || state.error}>
          <input type="number" min="1" step="1" className="narrow" data-testid="split-duration" value={meta.duration} onChange={(e) => setMeta((m) => ({ ...m, duration: e.target.value }))} />
        </Field>
      </div>
      <fieldset>
        <legend>New rule</legend>
        <RuleFields rule={rule} setField={setField} prefix="split" />
      </fieldset>
      <p className="rule-text" data-testid="split-rule-preview" aria-live="polite">
        {planned.preview.text ? `The new series repeats ${planned.preview.text}.` : ''}
      </p>
      {planned.error ? (
        <p className="msg-error" data-testid="split-error" data-code={planned.error.code} data-field={planned.error.field}>
          {planned.error.text}
          {ruleError ? <span className="muted"> What the core says: {planned.error.detail}</span> : null}
        </p>
      ) : null}
      <DatesPreview preview={planned.preview} prefix="split" heading="The new series’ first dates" />
      <div className="row">
        <WriteButton type="submit" testid="split-save" busy={state.busy} busyLabel="Changing the rule…" blocked={Boolean(planned.error)} title={planned.error ? 'Fix the rule first' : undefined}>
          Change the rule from this date
        </WriteButton>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <FormStatus state={state} testid="split-status" />
      {dialog}
    </form>
  );
}

/** The organizer's changes to the whole series from a date: the template, or the rule (a split). */
function OrganizerTools({ page }) {
  const [open, setOpen] = useState('');
  const [splitDone, setSplitDone] = useState(null);
  const toggle = (what) => setOpen((o) => (o === what ? '' : what));
  const done = splitDone ? (
    <p className="msg-ok" role="status" data-testid="split-result">
      {splitDone.text}{' '}
      <Link to={`/series/${splitDone.newKey}`} data-testid="split-new-link">
        Open the new series
      </Link>
    </p>
  ) : null;
  if (!page.occurrences.length) return done;
  return (
    <section className="organizer-tools" aria-labelledby="organizer-h" data-testid="organizer-tools">
      <h2 id="organizer-h">Change the series</h2>
      <p className="row">
        <button type="button" className="secondary" data-testid="open-template" aria-expanded={open === 'template' ? 'true' : 'false'} onClick={() => toggle('template')}>
          Title, description, length from a date…
        </button>
        <button type="button" className="secondary" data-testid="open-split" aria-expanded={open === 'split' ? 'true' : 'false'} onClick={() => toggle('split')}>
          Rule from a date…
        </button>
      </p>
      {open === 'template' ? <TemplateForm page={page} onClose={() => setOpen('')} /> : null}
      {open === 'split' ? (
        <SplitForm
          page={page}
          onClose={() => setOpen('')}
          onSplit={(r) => {
            setSplitDone(r);
            setOpen('');
          }}
        />
      ) : null}
      {done}
    </section>
  );
}

export function SeriesPage() {
  const { key } = useParams();
  const { series } = useApp();
  const identities = useWallets();
  const location = useLocation();
  const created = location.state && location.state.created;
  const { data, error, loading, viewer, reload } = useLoad(({ viewer: v }) => series.page({ seriesKey: key, viewer: v }), [key]);
  // Live: the series, its exceptions, gatherings and follows, and RSVPs to its gatherings re-read this page.
  useLive((c) => {
    const gatheringKeys = new Set((data ? data.occurrences : []).map((o) => o.gathering && o.gathering.key).filter(Boolean));
    if (c.key === key || (c.attrs && (c.attrs.seriesKey === key || gatheringKeys.has(c.attrs.gatheringKey)))) reload();
  });
  const [run, state] = useAction();
  const [followRun, followState] = useAction();
  const opened = useRef(created ? `${key}|${identities.active().address}` : '');
  const me = identities.active();

  // The organizer's browser keeps the window materialized: once per opening of the page (unlocked).
  useEffect(() => {
    if (!data || loading || !data.isOrganizer || me.locked) return;
    const k = `${key}|${me.address}`;
    if (opened.current === k) return;
    opened.current = k;
    run(async () => {
      const r = await series.materialize({ seriesKey: key, organizer: me });
      if (!r.created && !r.updated && !r.cancelled) return `Checked the next ${series.horizonDays} days: every date is already a gathering (0 created, 0 updated, 0 cancelled).`;
      return `Made the next ${series.horizonDays} days ready: ${r.created} created, ${r.updated} updated, ${r.cancelled} cancelled.`;
    });
  }, [data, loading, key, me, me.locked, me.address, run, series]);

  const s = data && data.series;
  // The series' records on Bluesky with their RSVP counts (pages/bluesky.jsx): in their section and on each date's card.
  const arkivGoing = useMemo(() => Object.fromEntries((data ? data.occurrences : []).map((v) => [v.occurrence.recurrenceId, v.attendees || []])), [data]);
  const onBluesky = useSeriesOnBluesky(key, s ? s.organizerWallet : '', arkivGoing);
  const blueskyByDate = new Map((onBluesky.data?.publications || []).map((p) => [p.recurrenceId, p]));
  const heading = s ? s.title || 'Untitled series' : loading ? 'Series' : 'Series not found';
  const link = `${location.pathname}`;
  const shareUrl = `${window.location.origin}${window.location.pathname}#/series/${key}`;
  return (
    <PageFrame name="series" title={heading} heading={heading} viewer={viewer} loading={loading} error={error} what="this series">
      {created ? (
        <p className="msg-ok banner" role="status" data-testid="created">
          The series is created: {created.created} date{created.created === 1 ? '' : 's'} in the next {series.horizonDays} days {created.created === 1 ? 'is' : 'are'} now a gathering people can RSVP
          to.
        </p>
      ) : null}
      {s ? (
        <div data-testid="series-page" data-key={s.key} data-viewer={viewer}>
          <p className="meta">
            <span className="badge community">{communityLabel(s)}</span> · by <Person address={s.organizerWallet} testid="series-organizer" /> · {duration(s.duration)} each
          </p>
          <p className="rule" data-testid="series-page-rule">
            {data.ruleText || 'A repeating rule'}
          </p>
          {data.continuedBy ? (
            <p className="banner" role="status" data-testid="series-continued">
              From {data.continuedBy.next ? <When at={data.continuedBy.next.startsAt} zone={data.tzid} /> : 'its next date'} on, this series continues as{' '}
              <Link to={`/series/${data.continuedBy.key}`} data-testid="series-continued-link">
                {data.continuedBy.next ? `“${data.continuedBy.next.title}”` : 'a new series'}
              </Link>{' '}
              (the rule changed).
            </p>
          ) : null}
          {data.splitFrom ? (
            <p className="muted" data-testid="series-split-from">
              Continues <Link to={`/series/${data.splitFrom}`}>the earlier series</Link> with a new rule; RSVPs to its later dates count here.
            </p>
          ) : null}
          {s.description ? <p className="desc">{s.description}</p> : null}
          <p className="materialize" role="status" data-testid="series-materialized">
            {state.busy ? 'Making the next weeks ready…' : state.error ? <span className="msg-error" data-code={state.error.code}>{state.error.text}</span> : state.ok}
          </p>
          {data.isOrganizer && me.locked ? (
            <p className="locked-why" data-testid="series-unlock-hint">
              Your wallet is locked: unlock it to make the next weeks ready and to change or cancel dates.
            </p>
          ) : null}
          <section className="follow" aria-labelledby="follow-h">
            <h2 id="follow-h" className="sr-only">
              Following
            </h2>
            <p>
              <span data-testid="series-follow-state">{data.myFollow ? 'You follow this series' : 'You don’t follow this series'}</span> ·{' '}
              <b data-testid="series-followers">{data.followers}</b> follower{data.followers === 1 ? '' : 's'}{' '}
              <WriteButton
                className={data.myFollow ? 'secondary' : ''}
                testid="series-follow"
                busy={followState.busy}
                busyLabel={data.myFollow ? 'Unfollowing…' : 'Following…'}
                onClick={() =>
                  followRun(async () => {
                    if (data.myFollow) {
                      await series.unfollow({ seriesKey: s.key, follower: me });
                      return 'You no longer follow this series.';
                    }
                    await series.follow({ seriesKey: s.key, follower: me });
                    return 'You follow this series. Following is not attending: RSVP to the dates you come to.';
                  })
                }
              >
                {data.myFollow ? 'Unfollow' : 'Follow'}
              </WriteButton>
            </p>
            <ResultLine state={followState} testid="follow-result" />
          </section>
          <section className="share" aria-labelledby="share-h" data-testid="series-next">
            <h2 id="share-h">Next date</h2>
            {data.next ? (
              <p data-testid="series-next-text">
                “{data.next.title}” — <When at={data.next.startsAt} zone={data.tzid} />
              </p>
            ) : (
              <p data-testid="series-next-text">No upcoming date.</p>
            )}
            <p className="muted">
              Link to share:{' '}
              <a href={shareUrl} className="url" data-testid="series-link">
                {shareUrl}
              </a>
            </p>
          </section>
          <section aria-labelledby="dates-h">
            <h2 id="dates-h">Dates</h2>
            <p className="muted" data-testid="occurrences-state">
              {`${data.occurrences.length} upcoming date${data.occurrences.length === 1 ? '' : 's'} (times in ${zoneName(data.tzid)}${data.tzid !== viewerZone() ? ' and yours' : ''}). Every future date takes an RSVP; the next ${series.horizonDays} days are scheduled, and an RSVP to a later date counts once it is.`}
            </p>
            <IgnoredNote ignored={sumIgnored(data.ignored.occurrences, data.ignored.rsvps, data.ignored.follows)} />
            <ul className="cards" data-testid="occurrence-list">
              {data.occurrences.map((v) => (
                <OccurrenceRow key={v.occurrence.recurrenceId} view={v} page={data} onBluesky={blueskyByDate.get(v.occurrence.recurrenceId)} />
              ))}
            </ul>
          </section>
          {data.isOrganizer ? <OrganizerTools page={data} /> : null}
          <SeriesOnBluesky seriesKey={s.key} isOrganizer={data.isOrganizer} state={onBluesky} />
          <Details testid="series-details">
            <Fact term="Entity key" testid="detail-key">
              {s.key}
            </Fact>
            <Fact term="Signed by (organizer)" testid="detail-signer">
              {s.creator || s.organizerWallet}
            </Fact>
            <Fact term="Time zone">{data.tzid}</Fact>
            <Fact term="Rule (iCalendar)">
              <pre className="ical" data-testid="series-page-ical">
                {s.recurrence}
              </pre>
            </Fact>
            <Fact term="Community (as stored)">{s.community}</Fact>
            <Fact term="Page">{link}</Fact>
          </Details>
          <LockedHint what="follow or RSVP" />
        </div>
      ) : data === null && !loading && !error ? null : !s && !loading ? (
        <p data-testid="series-missing">
          There is no readable series with this key. <Link to="/series">All series</Link>
        </p>
      ) : null}
    </PageFrame>
  );
}
