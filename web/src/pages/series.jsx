// Event series: the list, and one series with its dates (occurrences). The organizer's browser keeps
// the next weeks materialized as gatherings when it opens the page (no server job); the organizer can
// change or cancel one date (a confirm dialog says how many people RSVP'd); anyone can follow the
// series and RSVP to single dates.
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useAction, useApp, useClock, useLive, useLoad, usePaged, useWallets } from '../app/context.js';
import { appError } from '../errors.js';
import { communityLabel, communityName, dateTime, duration, fromLocalInput, people, toLocalInput, viewerZone, zoneName } from '../format.js';
import { Details, Empty, Fact, IgnoredNote, JoinLinks, LoadMore, Person, When, sumIgnored } from '../ui/bits.jsx';
import { useConfirm } from '../ui/dialog.jsx';
import { Field, FormStatus, LockedHint, ResultLine, WriteButton } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';
import { useFocusError } from './gatherings.jsx';

const STATE_WORDS = { planned: 'Planned', materialized: 'Scheduled', modified: 'Changed', cancelled: 'Cancelled' };

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

function OccurrenceRow({ view, page }) {
  const { series, identities } = useApp();
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const modifyButton = useRef(null);
  const { occurrence: o, gathering, rsvpCount, myRsvp, phase } = view;
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
      return `${when} is cancelled${r.cancelled ? '; its gathering is removed' : ''}${rsvpCount ? ` (${people(rsvpCount)} had RSVP’d)` : ''}.`;
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
          <>
            <span className="count">
              <b data-testid="occurrence-rsvp-count">{rsvpCount}</b> going
            </span>
            {page.isOrganizer ? null : (
            <WriteButton
              testid="occurrence-rsvp"
              busy={state.busy}
              busyLabel="Sending RSVP…"
              blocked={Boolean(myRsvp)}
              title={myRsvp ? 'You have already RSVP’d to this date' : 'RSVP to this one date (not the whole series)'}
              onClick={() =>
                run(async () => {
                  await series.rsvp({ gathering, attendee: me });
                  return `You’re going on ${when}.`;
                })
              }
            >
              {myRsvp ? 'RSVP’d ✓' : 'RSVP'}
            </WriteButton>
            )}
            <JoinLinks joinUrl={o.videoJoinUrl || gathering.videoJoinUrl} meetingKey={gathering.key} room={gathering.videoRoomName} prefix="occurrence" />
            <Link to={`/gatherings/${gathering.key}`} data-testid="occurrence-gathering">
              Gathering page<span className="sr-only"> of {when}</span>
            </Link>
          </>
        ) : o.state === 'planned' ? (
          <span className="muted">Open for RSVPs from {series.horizonDays} days before.</span>
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
              {`${data.occurrences.length} upcoming date${data.occurrences.length === 1 ? '' : 's'} (times in ${zoneName(data.tzid)}${data.tzid !== viewerZone() ? ' and yours' : ''}). The next ${series.horizonDays} days are open for RSVPs.`}
            </p>
            <IgnoredNote ignored={sumIgnored(data.ignored.occurrences, data.ignored.rsvps, data.ignored.follows)} />
            <ul className="cards" data-testid="occurrence-list">
              {data.occurrences.map((v) => (
                <OccurrenceRow key={v.occurrence.recurrenceId} view={v} page={data} />
              ))}
            </ul>
          </section>
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
