// Gatherings: the list (happening now, upcoming, past; by community; paged), one gathering with its
// attendees, and the form for a new one.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useAction, useApp, useClock, useLive, useLoad, usePaged, useWallets } from '../app/context.js';
import { communityLabel, communityName, duration, fromLocalInput, people, relative, toLocalInput } from '../format.js';
import { Details, Empty, Fact, IgnoredNote, JoinLinks, LoadMore, Person, Tabs, When, sumIgnored } from '../ui/bits.jsx';
import { useConfirm } from '../ui/dialog.jsx';
import { Field, FormStatus, LockedHint, ResultLine, WriteButton } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';
import { GatheringOnBluesky, useGatheringOnBluesky } from './bluesky.jsx';

/** "Happening now" / "Starts in 3 h" / "Ended 2 h ago". */
export function PhaseBadge({ phase, startsAt, endsAt, testid = 'phase' }) {
  const { now } = useClock();
  const t = now();
  if (phase === 'now')
    return (
      <span className="status in-progress" data-testid={testid} data-phase="now">
        Happening now · ends {relative(endsAt, t)}
      </span>
    );
  if (phase === 'past')
    return (
      <span className="status completed" data-testid={testid} data-phase="past">
        Ended {relative(endsAt, t)}
      </span>
    );
  return (
    <span className="status scheduled" data-testid={testid} data-phase="upcoming">
      Starts {relative(startsAt, t)}
    </span>
  );
}

/** The viewer's RSVP in words. */
function rsvpWords(status) {
  if (!status) return '';
  return { scheduled: 'You’re going', 'in-progress': 'You’re going (now)', completed: 'You went', pending: 'Your RSVP is waiting', expired: 'Your RSVP expired', cancelled: 'RSVP cancelled' }[status.status] || status.status;
}

function RsvpButton({ view, run, state, testid = 'rsvp' }) {
  const { gatherings, identities } = useApp();
  const g = view.gathering;
  const mine = Boolean(view.myRsvp);
  return (
    <WriteButton
      testid={testid}
      busy={state.busy}
      busyLabel="Sending RSVP…"
      blocked={mine}
      title={mine ? 'You have already RSVP’d (one RSVP per person)' : 'RSVP as the acting wallet'}
      onClick={() =>
        run(async () => {
          const me = identities.active();
          await gatherings.rsvp({ gathering: g, attendee: me });
          return `You’re going to “${g.title}”. Your RSVP is signed by ${me.label}.`;
        })
      }
    >
      {mine ? 'RSVP’d ✓' : 'RSVP'}
    </WriteButton>
  );
}

export function GatheringCard({ view }) {
  const [run, state] = useAction();
  const identities = useWallets();
  const g = view.gathering;
  const organizing = g.organizerWallet === identities.active().address;
  return (
    <li className={`card gathering phase-${view.phase}`} data-testid="gathering" data-key={g.key} data-phase={view.phase} data-community={g.community}>
      <div className="card-head">
        <h3>
          <Link to={`/gatherings/${g.key}`} data-testid="gathering-name">
            {g.title || 'Untitled gathering'}
          </Link>
        </h3>
        <PhaseBadge phase={view.phase} startsAt={view.startsAt} endsAt={view.endsAt} />
      </div>
      <p className="meta">
        <span className="badge community" data-testid="gathering-community" data-slug={g.community}>
          {communityLabel(g)}
        </span>{' '}
        <When at={view.startsAt} zone={view.series?.tzid} testid="gathering-when" /> · {duration(g.duration)} · by{' '}
        <Person address={g.organizerWallet} testid="gathering-organizer" />
      </p>
      {view.series ? (
        <p className="meta">
          One date of the series <Link to={`/series/${view.series.key}`}>{view.series.title}</Link>
        </p>
      ) : null}
      <div className="actions">
        <span className="count">
          <b data-testid="rsvp-count">{view.rsvpCount}</b> going
        </span>
        {view.myStatus ? (
          <span className={`status ${view.myStatus.status}`} data-testid="my-rsvp-status" data-status={view.myStatus.status}>
            {rsvpWords(view.myStatus)}
          </span>
        ) : null}
        {organizing ? <span className="muted">You organize this</span> : null}
        {view.phase !== 'past' && !organizing ? <RsvpButton view={view} run={run} state={state} /> : null}
        {view.phase !== 'past' ? <JoinLinks joinUrl={g.videoJoinUrl} meetingKey={g.key} room={g.videoRoomName} prefix="gathering" /> : null}
      </div>
      <ResultLine state={state} />
    </li>
  );
}

/**
 * The card or page a live RSVP to a series date (one naming the series and the RECURRENCE-ID, not the
 * gathering: docs/domain.md#occurrence-rsvps) may count for: same date, and the card's series or the
 * one it continues after a split. The re-read then lets the core decide.
 */
export function isOccurrenceRsvpFor(view, attrs) {
  const g = view && view.gathering;
  if (!g || !g.recurrenceId || !attrs.recurrenceId || attrs.gatheringKey) return false;
  if (Date.parse(g.recurrenceId) !== Date.parse(attrs.recurrenceId)) return false;
  return attrs.seriesKey === g.seriesKey || Boolean(view.series && view.series.splitFrom && attrs.seriesKey === view.series.splitFrom);
}

/**
 * What a live change does to a gatherings list (web/src/live.js): an RSVP or a confirmation of one on a
 * card (an RSVP to the card's series date too) re-reads that card's gathering and RSVPs only; a gathering that belongs in the shown range (this
 * tab, this community, not after the last one shown while there are more) re-reads the first page;
 * anything else reads nothing.
 */
function liveGatherings({ lists, tab, community, more, patch, reload, gatherings, identities }) {
  const cards = [...lists.now, ...lists.items];
  const onPage = new Map(cards.map((v) => [v.gathering.key, v]));
  const myRsvps = new Map(cards.filter((v) => v.myRsvp).map((v) => [v.myRsvp.key, v.gathering.key]));
  const lastStart = cards.length ? Math.floor(Date.parse(cards[cards.length - 1].startsAt) / 1000) : Infinity;
  const refreshCard = async (key) => {
    const v = await gatherings.one({ key, viewer: identities.active() }).catch(() => null);
    if (v && v.gathering) patch(key, v);
  };
  return (c) => {
    if (!c.attrs) {
      if (onPage.has(c.key)) reload();
      return;
    }
    const type = c.attrs.type;
    if (type === 'session' && onPage.has(c.attrs.gatheringKey)) refreshCard(c.attrs.gatheringKey);
    else if (type === 'session' && c.attrs.seriesKey) {
      const card = cards.find((v) => isOccurrenceRsvpFor(v, c.attrs));
      if (card) refreshCard(card.gathering.key);
    } else if (type === 'session_confirmation' && myRsvps.has(c.attrs.sessionKey)) refreshCard(myRsvps.get(c.attrs.sessionKey));
    else if (type === 'virtual_gathering') {
      if (onPage.has(c.key)) return reload();
      if (community && c.attrs.community !== community) return;
      const start = Number(c.attrs.startsAtSec);
      const inRange = tab === 'past' ? true : !more || !(start > lastStart);
      if (inRange) reload();
    }
  };
}

const TABS = [
  ['upcoming', '/gatherings', 'Upcoming'],
  ['now', '/gatherings/now', 'Happening now'],
  ['past', '/gatherings/past', 'Past'],
];

export function GatheringsPage({ tab = 'upcoming' }) {
  const { gatherings, identities } = useApp();
  const [params, setParams] = useSearchParams();
  const community = params.get('community') || '';
  const { data, pages, error, loading, viewer, more, loadingMore, moreError, patch, reload } = usePaged(
    ({ viewer: v, cursor }) => gatherings.list({ community, viewer: v, tab, cursor }),
    [community, tab],
    { idOf: (v) => v.gathering.key },
  );
  const lists = data || { now: [], items: [], communities: [], ignored: {} };
  const shown = lists.items;
  useLive(liveGatherings({ lists, tab, community, more, patch, reload, gatherings, identities }));
  const qs = community ? `?community=${encodeURIComponent(community)}` : '';
  const notice = useLocation().state?.notice;
  const communities = !community || lists.communities.some((c) => c.slug === community) ? lists.communities : [...lists.communities, { slug: community, name: communityName(community) }];
  return (
    <PageFrame
      name="gatherings"
      title="Gatherings"
      viewer={viewer}
      loading={loading}
      error={error}
      what="the gatherings"
      actions={
        <Link className="button" to="/gatherings/new" data-testid="gathering-new">
          New gathering
        </Link>
      }
    >
      {notice ? (
        <p className="msg-ok banner" role="status" data-testid="page-notice">
          {notice}
        </p>
      ) : null}
      <Tabs label="Which gatherings" items={TABS.map(([id, to, label]) => ({ to: `${to}${qs}`, label, testid: `tab-${id}` }))} />
      <div className="filters">
        <Field name="community" label="Community" inline>
          <select
            data-testid="community-filter"
            value={community}
            onChange={(e) => {
              const p = new URLSearchParams(params);
              if (e.target.value) p.set('community', e.target.value);
              else p.delete('community');
              p.delete('page');
              setParams(p);
            }}
          >
            <option value="">All communities</option>
            {communities.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <IgnoredNote ignored={sumIgnored(...pages.flatMap((p) => [p.ignored.gatherings, p.ignored.rsvps]))} />
      {tab === 'upcoming' && lists.now.length ? (
        <section className="now" aria-labelledby="gatherings-now" data-testid="gatherings-now">
          <h2 id="gatherings-now">Happening now</h2>
          <ul className="cards">
            {lists.now.map((v) => (
              <GatheringCard key={v.gathering.key} view={v} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="gatherings-list-h">
        <h2 id="gatherings-list-h">{TABS.find((t) => t[0] === tab)[2]}</h2>
        <p className="muted" data-testid="gatherings-state" role="status">
          {loading && !data
            ? 'Loading…'
            : shown.length
              ? `${shown.length}${more ? '+' : ''} ${tab === 'now' ? 'happening now' : tab}${community ? ` in ${communityName(community)}` : ''}`
              : ''}
        </p>
        {!loading && !shown.length ? (
          <Empty testid="gatherings-empty">
            {tab === 'past' ? 'No past gatherings.' : tab === 'now' ? 'Nothing is happening right now.' : 'No upcoming gatherings.'}{' '}
            {tab !== 'past' ? <Link to="/gatherings/new">Create one</Link> : null}
          </Empty>
        ) : null}
        <ul className="cards" data-testid="gathering-list">
          {shown.map((v) => (
            <GatheringCard key={v.gathering.key} view={v} />
          ))}
        </ul>
        {shown.length ? <LoadMore shown={shown.length} what="gatherings" more={more} loading={loadingMore} error={moreError} /> : null}
      </section>
    </PageFrame>
  );
}

export function GatheringPage() {
  const { key } = useParams();
  const { gatherings, identities } = useApp();
  const location = useLocation();
  const { data, error, loading, viewer, reload } = useLoad(({ viewer: v }) => gatherings.one({ key, viewer: v }), [key]);
  // Live: the gathering itself, an RSVP to it, or a confirmation of the viewer's RSVP re-reads this page.
  useLive((c) => {
    const mine = data && data.myRsvp ? data.myRsvp.key : null;
    if (c.key === key || (c.attrs && ((c.attrs.type === 'session' && (c.attrs.gatheringKey === key || isOccurrenceRsvpFor(data, c.attrs))) || (mine && c.attrs.sessionKey === mine)))) reload();
  });
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const navigate = useNavigate();
  const created = location.state && location.state.created;
  useWallets();
  const v = data && data.gathering ? data : null;
  const g = v ? v.gathering : null;
  const heading = g ? g.title || 'Untitled gathering' : loading ? 'Gathering' : 'Gathering not found';
  const attendees = v ? v.attendees : null;
  const arkivGoing = useMemo(() => attendees || [], [attendees]);
  const onBluesky = useGatheringOnBluesky(g, arkivGoing);

  const cancel = async () => {
    const n = v.rsvpCount;
    const yes = await ask({
      title: `Cancel “${g.title}”?`,
      body: (
        <p>
          {n ? (
            <>
              <strong data-testid="confirm-count">{people(n)}</strong> RSVP’d. The gathering will leave every list and they will no longer see it.
            </>
          ) : (
            <>Nobody has RSVP’d yet. The gathering will leave every list.</>
          )}{' '}
          This cannot be undone.
        </p>
      ),
      confirm: 'Cancel the gathering',
      keep: 'Keep it',
    });
    if (!yes) return;
    const ok = await run(async () => {
      await gatherings.cancel({ gathering: g, organizer: identities.active() });
      return `“${g.title}” is cancelled.`;
    });
    if (ok) navigate('/gatherings', { state: { notice: `“${g.title}” is cancelled${n ? `; ${people(n)} had RSVP’d` : ''}.` } });
  };

  return (
    <PageFrame name="gathering" title={heading} heading={heading} viewer={viewer} loading={loading} error={error} what="this gathering">
      {created && g ? (
        <p className="msg-ok banner" role="status" data-testid="created">
          Created. Its video room exists now: share this page’s address with the people you invite.
        </p>
      ) : null}
      {data && !g && !loading ? (
        <div data-testid="gathering-missing">
          <p>{data.missing ? 'There is no gathering with this key on the Arkiv node: it may have been cancelled or have expired.' : 'This entry is not shown: it is not signed by the organizer it names.'}</p>
          <IgnoredNote ignored={data.ignored} />
          <p>
            <Link to="/gatherings">All gatherings</Link>
          </p>
        </div>
      ) : null}
      {g ? (
        <article className="card detail" data-testid="gathering-page" data-key={g.key} data-phase={v.phase}>
          <p className="meta">
            <PhaseBadge phase={v.phase} startsAt={v.startsAt} endsAt={v.endsAt} />{' '}
            <Link to={`/gatherings?community=${encodeURIComponent(g.community)}`} className="badge community" data-testid="gathering-community">
              {communityLabel(g)}
            </Link>
          </p>
          <p className="when-line">
            <When at={v.startsAt} zone={v.series?.tzid} testid="gathering-when" /> · {duration(g.duration)}
          </p>
          <p>
            Organized by <Person address={g.organizerWallet} testid="gathering-organizer" />
            {v.series ? (
              <>
                {' '}
                · one date of the series <Link to={`/series/${v.series.key}`}>{v.series.title}</Link>
              </>
            ) : null}
          </p>
          {g.description ? <p className="desc">{g.description}</p> : null}
          <section aria-labelledby="attending-h">
            <h2 id="attending-h">
              Going: <span data-testid="rsvp-count">{v.rsvpCount}</span>
            </h2>
            {v.attendees.length ? (
              <ul className="people" data-testid="attendees">
                {v.attendees.map((a) => (
                  <li key={a}>
                    <Person address={a} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nobody yet.</p>
            )}
            <IgnoredNote ignored={data.ignored} />
          </section>
          <div className="actions">
            {v.myStatus ? (
              <span className={`status ${v.myStatus.status}`} data-testid="my-rsvp-status" data-status={v.myStatus.status}>
                {rsvpWords(v.myStatus)}
              </span>
            ) : null}
            {v.phase !== 'past' && !v.isOrganizer ? <RsvpButton view={v} run={run} state={state} /> : null}
            {v.phase !== 'past' ? <JoinLinks joinUrl={g.videoJoinUrl} meetingKey={g.key} room={g.videoRoomName} prefix="gathering" /> : null}
            {v.phase === 'past' ? <span className="muted">This gathering is over.</span> : null}
            {v.isOrganizer && v.phase !== 'past' && !g.seriesKey ? (
              <WriteButton className="danger" testid="gathering-cancel" busy={state.busy} busyLabel="Cancelling…" onClick={cancel}>
                Cancel gathering
              </WriteButton>
            ) : null}
            {!v.isOrganizer ? (
              <Link to={`/sessions/new?with=${g.organizerWallet}`} data-testid="ask-organizer">
                Ask the organizer for a 1:1 session
              </Link>
            ) : null}
          </div>
          <ResultLine state={state} />
          <GatheringOnBluesky gathering={g} isOrganizer={v.isOrganizer} upcoming={v.phase !== 'past'} state={onBluesky} />
          {v.isOrganizer && g.seriesKey ? (
            <p className="muted">
              To cancel or change this date, open <Link to={`/series/${g.seriesKey}`}>its series</Link>.
            </p>
          ) : null}
          <Details testid="gathering-details">
            <Fact term="Entity key" testid="detail-key">
              {g.key}
            </Fact>
            <Fact term="Signed by (organizer)" testid="detail-signer">
              {g.creator || g.organizerWallet}
            </Fact>
            {g.videoRoomName ? (
              <Fact term="Video room" testid="gathering-room">
                {g.videoRoomName}
              </Fact>
            ) : null}
            {g.videoJoinUrl ? <Fact term="Join address">{g.videoJoinUrl}</Fact> : null}
            <Fact term="Community (as stored)">{g.community}</Fact>
            {g.seriesKey ? <Fact term="Series key">{g.seriesKey}</Fact> : null}
            {g.recurrenceId ? <Fact term="Occurrence (RECURRENCE-ID)">{g.recurrenceId}</Fact> : null}
          </Details>
          <LockedHint what="RSVP" />
        </article>
      ) : null}
      {dialog}
    </PageFrame>
  );
}

const LABELS = { title: 'Title', community: 'Community', description: 'Description', sessionDate: 'Starts', duration: 'Length (minutes)' };

export function NewGatheringPage() {
  const { gatherings, identities, clock } = useApp();
  const navigate = useNavigate();
  const [run, state] = useAction();
  const [form, setForm] = useState(() => ({ title: '', community: '', description: '', sessionDate: toLocalInput(clock.now() + 2 * 3600_000), duration: '60' }));
  const ref = useRef(null);
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  useFocusError(ref, state.error);

  const submit = async (e) => {
    e.preventDefault();
    let key;
    const ok = await run(
      async () => {
        key = await gatherings.create({
          organizer: identities.active(),
          title: form.title.trim(),
          community: form.community,
          description: form.description,
          sessionDate: fromLocalInput(form.sessionDate),
          duration: Number(form.duration),
        });
        return `“${form.title}” is created.`;
      },
      { labels: LABELS },
    );
    if (ok) navigate(`/gatherings/${key}`, { state: { created: true } });
  };

  return (
    <PageFrame name="gathering-new" title="New gathering">
      <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="gathering-form">
        <p className="muted">A virtual gathering anyone can RSVP to. Its video room is made at once.</p>
        <div className="row">
          <Field name="title" label={LABELS.title} error={state.error} className="grow">
            <input data-testid="gathering-title" value={form.title} onChange={set('title')} autoComplete="off" />
          </Field>
          <Field name="community" label={LABELS.community} error={state.error} className="grow" hint="For example “Rust Berlin”.">
            <input data-testid="gathering-community" value={form.community} onChange={set('community')} autoComplete="off" />
          </Field>
        </div>
        <Field name="description" label={LABELS.description} error={state.error}>
          <textarea data-testid="gathering-description" rows={3} value={form.description} onChange={set('description')} />
        </Field>
        <div className="row">
          <Field name="sessionDate" label={LABELS.sessionDate} error={state.error} hint={`Your time (${Intl.DateTimeFormat().resolvedOptions().timeZone}).`}>
            <input type="datetime-local" data-testid="gathering-date" value={form.sessionDate} onChange={set('sessionDate')} />
          </Field>
          <Field name="duration" label={LABELS.duration} error={state.error}>
            <input type="number" min="1" step="1" inputMode="numeric" className="narrow" data-testid="gathering-duration" value={form.duration} onChange={set('duration')} />
          </Field>
        </div>
        <div className="row">
          <WriteButton type="submit" testid="gathering-create" busy={state.busy} busyLabel="Creating…">
            Create gathering
          </WriteButton>
          <Link to="/gatherings">Back to gatherings</Link>
        </div>
        <FormStatus state={state} />
        <LockedHint what="create a gathering" />
      </form>
    </PageFrame>
  );
}

/** Moves the focus to the field an error names (once per error). */
export function useFocusError(formRef, error) {
  useEffect(() => {
    if (!error || !error.field || !formRef.current) return;
    const el = formRef.current.querySelector(`[name="${error.field}"]`);
    if (el && typeof el.focus === 'function') el.focus();
  }, [error, formRef]);
}
