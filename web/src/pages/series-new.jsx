// A new event series: the rule editor. The fields write the iCalendar text (which can also be edited
// by hand; lines typed there other than DTSTART/RRULE are kept when a field changes), the core
// describes the rule in words (core.recurrence.describe) and previews the next dates
// (core.recurrence.expand) in the series' zone and the viewer's; a rule the core refuses is named at
// the rule, and Create waits until it is fixed.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useAction, useApp, useWallets } from '../app/context.js';
import { explain } from '../errors.js';
import { dateTime, toLocalInput, viewerZone, zoneName } from '../format.js';
import { WEEKDAYS } from '../series.js';
import { Field, FormStatus, LockedHint, WriteButton } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';
import { useFocusError } from './gatherings.jsx';

const FREQS = [
  ['DAILY', 'day'],
  ['WEEKLY', 'week'],
  ['MONTHLY', 'month'],
  ['YEARLY', 'year'],
];
const DAY_NAMES = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const NTH = [
  ['1', 'first'],
  ['2', 'second'],
  ['3', 'third'],
  ['4', 'fourth'],
  ['-1', 'last'],
];
const LABELS = { title: 'Title', community: 'Community', description: 'Description', duration: 'Length (minutes)', recurrence: 'Repeat rule (iCalendar)', start: 'First date and time' };

/** The editor's field values (strings) as series.toIcal takes them. */
export const asRule = (r) => ({ ...r, interval: Number(r.interval) || 1, monthDay: Number(r.monthDay) || 0, count: Number(r.count) || 1 });

function timeZones() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // Older browsers: the viewer's zone and UTC only.
  }
  return [...new Set([...zones, viewerZone(), 'UTC'])].sort();
}

export function NewSeriesPage() {
  const { series, clock } = useApp();
  const identities = useWallets();
  const navigate = useNavigate();
  const [run, state] = useAction();
  const ref = useRef(null);
  const zones = useMemo(timeZones, []);
  // A series proposed from imported Bluesky events (pages/bluesky.jsx): its iCalendar text, title and length.
  const proposal = useLocation().state?.proposal || null;
  const proposedStart = proposal ? /^DTSTART(?:;TZID=([^:\n]+))?:(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)/m.exec(proposal.ical) : null;
  const [rule, setRule] = useState(() => ({
    start: proposedStart ? `${proposedStart[2]}-${proposedStart[3]}-${proposedStart[4]}T${proposedStart[5]}:${proposedStart[6]}` : `${toLocalInput(clock.now() + 24 * 3600_000).slice(0, 11)}19:00`,
    tzid: proposedStart ? proposedStart[1] || 'UTC' : viewerZone(),
    freq: 'WEEKLY',
    interval: '1',
    weekdays: [],
    monthly: 'day',
    monthDay: '1',
    nth: '1',
    nthDay: 'MO',
    end: 'never',
    count: '10',
    until: '',
  }));
  const [showText, setShowText] = useState(Boolean(proposal));
  const [meta, setMeta] = useState(() =>
    proposal ? { title: proposal.title || '', community: '', description: proposal.description || '', duration: String(proposal.duration || 60) } : { title: '', community: '', description: '', duration: '60' },
  );
  const [ical, setIcal] = useState(() => (proposal ? proposal.ical : series.toIcal(asRule(rule))));
  useFocusError(ref, state.error);

  // Any field rewrites DTSTART and RRULE in the text, keeping the other lines typed there.
  const setField = (k, value) => {
    const next = { ...rule, [k]: value };
    setRule(next);
    setIcal((text) => series.toIcal(asRule(next), text));
  };
  const on = (k) => (e) => setField(k, e.target.value);
  const setM = (k) => (e) => setMeta((m) => ({ ...m, [k]: e.target.value }));

  const preview = useMemo(() => {
    try {
      return { ...series.preview(ical, 10), error: null };
    } catch (err) {
      return { instants: [], tzid: '', text: '', error: { ...explain(err, LABELS), field: 'recurrence' } };
    }
  }, [ical, series]);

  const submit = async (e) => {
    e.preventDefault();
    let created;
    const ok = await run(
      async () => {
        created = await series.create({
          organizer: identities.active(),
          title: meta.title.trim(),
          community: meta.community,
          description: meta.description,
          duration: Number(meta.duration),
          recurrence: ical,
        });
        return 'The series is created.';
      },
      { labels: LABELS },
    );
    if (ok) navigate(`/series/${created.seriesKey}`, { state: { created: { created: created.created } } });
  };

  const ruleError = preview.error || (state.error && state.error.field === 'recurrence' ? state.error : null);
  // The text stays open once a rule error opened it (fixing the text must not fold it away).
  useEffect(() => {
    if (ruleError) setShowText(true);
  }, [ruleError]);
  return (
    <PageFrame name="series-new" title="New event series">
      {proposal ? (
        <p className="banner" role="status" data-testid="series-from-import">
          From {proposal.source}: the rule below repeats their dates (missing ones as exceptions). Check it and create the series; changing a field of the rule
          rewrites it.
        </p>
      ) : null}
      <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="series-form">
        <div className="row">
          <Field name="title" label={LABELS.title} error={state.error} className="grow">
            <input data-testid="series-title" value={meta.title} onChange={setM('title')} autoComplete="off" />
          </Field>
          <Field name="community" label={LABELS.community} error={state.error} className="grow" hint="For example “Rust Berlin”.">
            <input data-testid="series-community" value={meta.community} onChange={setM('community')} autoComplete="off" />
          </Field>
        </div>
        <Field name="description" label={LABELS.description} error={state.error}>
          <textarea data-testid="series-description" rows={2} value={meta.description} onChange={setM('description')} />
        </Field>
        <fieldset>
          <legend>When</legend>
          <div className="row">
            <Field name="start" label={LABELS.start} hint="Wall time in the series’ zone.">
              <input type="datetime-local" data-testid="series-start" value={rule.start} onChange={on('start')} />
            </Field>
            <Field name="tzid" label="Time zone">
              <select data-testid="series-tz" value={rule.tzid} onChange={on('tzid')}>
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="duration" label={LABELS.duration} error={state.error}>
              <input type="number" min="1" step="1" className="narrow" data-testid="series-duration" value={meta.duration} onChange={setM('duration')} />
            </Field>
          </div>
          <RuleFields rule={rule} setField={setField} />
        </fieldset>
        <p className="rule-text" data-testid="series-rule-preview" aria-live="polite">
          {preview.text ? `Repeats ${preview.text}.` : ''}
        </p>
        <details className="details" open={showText || Boolean(ruleError)} onToggle={(e) => setShowText(e.currentTarget.open)}>
          <summary>Rule as iCalendar text (editable: RDATE / EXDATE lines, anything RFC 5545)</summary>
          <Field name="recurrence" label={LABELS.recurrence} error={ruleError}>
            <textarea data-testid="series-ical" className="ical" rows={4} spellCheck="false" value={ical} onChange={(e) => setIcal(e.target.value)} />
          </Field>
          {ruleError ? (
            <p className="muted" data-testid="series-preview-error" data-code={ruleError.code}>
              What the core says: <span data-testid="series-preview-error-message">{ruleError.detail}</span>
            </p>
          ) : null}
        </details>
        <DatesPreview preview={preview} />
        <div className="row">
          <WriteButton type="submit" testid="series-create" busy={state.busy} busyLabel="Creating…" blocked={Boolean(preview.error)} title={preview.error ? 'Fix the rule first' : undefined}>
            Create series
          </WriteButton>
          <Link to="/series">Back to series</Link>
        </div>
        <FormStatus state={state} />
        <LockedHint what="create a series" />
      </form>
    </PageFrame>
  );
}

/**
 * The rule's fields (frequency, interval, weekdays, monthly by day or n-th weekday, the end), shared by
 * the new-series page and the rule change of a series page. `setField(name, value)` changes one;
 * `prefix` names the test ids (`series-freq`, `split-freq`, …).
 */
export function RuleFields({ rule, setField, prefix = 'series' }) {
  const on = (k) => (e) => setField(k, e.target.value);
  const toggleDay = (d) => setField('weekdays', rule.weekdays.includes(d) ? rule.weekdays.filter((x) => x !== d) : [...rule.weekdays, d]);
  return (
    <>
      <div className="row">
        <Field name="interval" label="Repeats every">
          <input type="number" min="1" step="1" className="narrow" data-testid={`${prefix}-interval`} value={rule.interval} onChange={on('interval')} />
        </Field>
        <Field name="freq" label="Unit">
          <select data-testid={`${prefix}-freq`} value={rule.freq} onChange={on('freq')}>
            {FREQS.map(([v, t]) => (
              <option key={v} value={v}>
                {Number(rule.interval) > 1 ? `${t}s` : t}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {rule.freq === 'WEEKLY' ? (
        <fieldset className="weekdays" data-testid={`${prefix}-weekdays`}>
          <legend>On</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="check">
              <input type="checkbox" data-testid={`${prefix}-weekday-${d}`} checked={rule.weekdays.includes(d)} onChange={() => toggleDay(d)} />
              <span>{DAY_NAMES[d]}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {rule.freq === 'MONTHLY' ? (
        <div className="row" data-testid={`${prefix}-monthly`}>
          <Field name="monthly" label="Monthly on">
            <select data-testid={`${prefix}-monthly-mode`} value={rule.monthly} onChange={on('monthly')}>
              <option value="day">a day of the month</option>
              <option value="nth">a weekday of the month</option>
            </select>
          </Field>
          {rule.monthly === 'day' ? (
            <Field name="monthDay" label="Day of the month" hint="−1 is the last day.">
              <input type="number" min="-31" max="31" className="narrow" data-testid={`${prefix}-month-day`} value={rule.monthDay} onChange={on('monthDay')} />
            </Field>
          ) : (
            <>
              <Field name="nth" label="Which">
                <select data-testid={`${prefix}-nth`} value={rule.nth} onChange={on('nth')}>
                  {NTH.map(([v, t]) => (
                    <option key={v} value={v}>
                      {t}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="nthDay" label="Weekday">
                <select data-testid={`${prefix}-nth-day`} value={rule.nthDay} onChange={on('nthDay')}>
                  {WEEKDAYS.map((d) => (
                    <option key={d} value={d}>
                      {DAY_NAMES[d]}
                    </option>
                  ))}
                </select>
              </Field>
            </>
          )}
        </div>
      ) : null}
      <div className="row">
        <Field name="end" label="Ends">
          <select data-testid={`${prefix}-end`} value={rule.end} onChange={on('end')}>
            <option value="never">never</option>
            <option value="count">after a number of dates</option>
            <option value="until">on a date</option>
          </select>
        </Field>
        {rule.end === 'count' ? (
          <Field name="count" label="Number of dates">
            <input type="number" min="1" step="1" className="narrow" data-testid={`${prefix}-count`} value={rule.count} onChange={on('count')} />
          </Field>
        ) : null}
        {rule.end === 'until' ? (
          <Field name="until" label="Last day">
            <input type="date" data-testid={`${prefix}-until`} value={rule.until} onChange={on('until')} />
          </Field>
        ) : null}
      </div>
    </>
  );
}

/** The next dates of a rule as the core computes them, in the series' zone and the viewer's. */
export function DatesPreview({ preview, prefix = 'series', heading = 'Next dates' }) {
  const { series, clock } = useApp();
  const mine = viewerZone();
  const id = `${prefix}-preview-h`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <p className="muted" data-testid={`${prefix}-preview-state`} role="status">
        {preview.error ? 'No preview: fix the rule.' : preview.instants.length ? `The next ${preview.instants.length} dates, computed by the core (time zone database ${series.tzdataVersion}).` : 'The rule produces no dates.'}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Next dates, as a table">
        <table className="preview">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{preview.tzid ? (zoneName(preview.tzid) === preview.tzid ? preview.tzid : `${zoneName(preview.tzid)} (${preview.tzid})`) : 'Series zone'}</th>
              <th scope="col">Your time ({mine})</th>
            </tr>
          </thead>
          <tbody data-testid={`${prefix}-preview`}>
            {preview.instants.map((iso, i) => (
              <tr key={iso} data-testid="preview-row">
                <td>{i + 1}</td>
                <td data-testid="preview-series-time">{dateTime(iso, { timeZone: preview.tzid, now: clock.now() })}</td>
                <td data-testid="preview-viewer-time">{dateTime(iso, { timeZone: mine, now: clock.now() })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
