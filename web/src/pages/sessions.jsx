// My sessions: upcoming (happening now first) and past, with filters and paging; one session; the
// request form. A request carries the requester's own confirmation, so the other person's
// confirmation completes the pair; the requester can withdraw, the other person decline.
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useAction, useApp, useLive, useLoad, usePaged, useWallets } from '../app/context.js';
import { appError } from '../errors.js';
import { duration, fromLocalInput, shortAddress, toLocalInput } from '../format.js';
import { Details, Empty, Fact, IgnoredNote, JoinLinks, LoadMore, Person, Tabs, When, sumIgnored } from '../ui/bits.jsx';
import { useConfirm } from '../ui/dialog.jsx';
import { Field, FormStatus, LockedHint, ResultLine, WriteButton } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';
import { useFocusError } from './gatherings.jsx';

/** The status the core computed, in words for the viewer. */
export function statusWords(v, labelOf) {
  const st = v.status;
  const other = labelOf(v.counterpart);
  switch (st.status) {
    case 'pending':
      if (!v.iConfirmed) return v.iRequested ? 'Your confirmation is missing' : 'Asks you to confirm';
      return `Waiting for ${other}`;
    case 'scheduled':
      return 'Confirmed';
    case 'in-progress':
      return 'Happening now';
    case 'completed':
      return 'Done';
    case 'expired':
      return 'Expired: not confirmed in time';
    case 'cancelled': {
      if (st.reason !== 'declined') return 'Cancelled';
      const byRequester = st.by === v.requester;
      const who = st.by === v.session.mentorWallet || st.by === v.session.learnerWallet ? labelOf(st.by) : 'someone';
      return byRequester ? `Withdrawn by ${who}` : `Declined by ${who}`;
    }
    default:
      return st.status;
  }
}

/** "Bob asked you · you mentor" / "You asked Alice · you learn". */
function whoLine(v, labelOf) {
  const role = v.role === 'mentor' ? 'you mentor' : 'you learn';
  return v.iRequested ? `You asked ${labelOf(v.counterpart)} · ${role}` : `${labelOf(v.requester)} asked you · ${role}`;
}

/** "Mentor Alice: confirmed ✓ · Learner Bob (you): not yet ○". */
function evidence(v, labelOf, me) {
  const s = v.session;
  const name = (w) => `${labelOf(w)}${w === me ? ' (you)' : ''}`;
  const mark = (yes) => (yes ? 'confirmed ✓' : 'not yet ○');
  return `Mentor ${name(s.mentorWallet)}: ${mark(v.status.mentorConfirmed)} · Learner ${name(s.learnerWallet)}: ${mark(v.status.learnerConfirmed)}`;
}

/** The actions one session offers the viewer, with a confirm dialog before undoing a confirmed one. */
function SessionActions({ v, run: runAction, state, ask, onActed }) {
  // An action keeps its session in view (with its new status) even when it moves to another tab.
  const run = (fn) => {
    onActed?.(v.session.key);
    return runAction(fn);
  };
  const { sessions, identities } = useApp();
  const st = v.status.status;
  const s = v.session;
  const other = identities.labelOf(v.counterpart);
  const buttons = [];
  const open = st === 'pending' || st === 'scheduled';
  if (st === 'pending' && !v.iConfirmed) {
    buttons.push(
      <WriteButton
        key="confirm"
        testid="session-confirm"
        busy={state.busy}
        busyLabel="Confirming…"
        onClick={() =>
          run(async () => {
            const r = await sessions.confirm({ session: s, by: identities.active() });
            return r.wroteJitsi ? 'Confirmed by both of you: the video room is ready.' : `Confirmed. Waiting for ${other}.`;
          })
        }
      >
        {v.iRequested ? 'Send my confirmation' : 'Confirm'}
      </WriteButton>,
    );
  }
  if (open) {
    const withdraw = v.iRequested;
    const label = withdraw ? 'Withdraw' : 'Decline';
    buttons.push(
      <WriteButton
        key="reject"
        className="danger"
        testid={withdraw ? 'session-withdraw' : 'session-decline'}
        busy={state.busy}
        busyLabel={withdraw ? 'Withdrawing…' : 'Declining…'}
        onClick={async () => {
          if (st === 'scheduled') {
            const yes = await ask({
              title: `${label} “${s.skill}”?`,
              body: <p>{`${other} has confirmed this session. ${withdraw ? 'Withdrawing' : 'Declining'} cancels it for both of you; it cannot be undone.`}</p>,
              confirm: `${label} the session`,
              keep: 'Keep the session',
            });
            if (!yes) return;
          }
          await run(async () => {
            if (withdraw) await sessions.withdraw({ session: s, by: identities.active() });
            else await sessions.decline({ session: s, by: identities.active() });
            return withdraw ? 'You withdrew your request.' : `You declined ${other}’s request.`;
          });
        }}
      >
        {label}
      </WriteButton>,
    );
  }
  const live = st === 'scheduled' || st === 'in-progress';
  return (
    <div className="actions">
      {live && v.jitsi ? <JoinLinks joinUrl={v.jitsi.videoJoinUrl} meetingKey={s.key} room={v.jitsi.videoRoomName} prefix="session" /> : null}
      {buttons}
    </div>
  );
}

function SessionCard({ v, onActed }) {
  const identities = useWallets();
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const s = v.session;
  const labelOf = (a) => identities.labelOf(a);
  return (
    <li className={`card session ${v.status.status}`} data-testid="session" data-key={s.key} data-status={v.status.status} data-phase={v.phase}>
      <div className="card-head">
        <h3>
          <Link to={`/sessions/${s.key}`} data-testid="session-skill-text">
            {s.skill}
          </Link>
        </h3>
        <span className={`status ${v.status.status}`} data-testid="session-status" data-status={v.status.status}>
          {statusWords(v, labelOf)}
        </span>
      </div>
      <p className="meta">
        <span data-testid="session-who">{whoLine(v, labelOf)}</span> · <When at={s.sessionDate} testid="session-when" /> · {duration(s.duration)}
      </p>
      <p className="evidence muted" data-testid="session-evidence">
        {evidence(v, labelOf, identities.active().address)}
      </p>
      {s.notes ? <p className="desc">{s.notes}</p> : null}
      <SessionActions v={v} run={run} state={state} ask={ask} onActed={onActed} />
      <ResultLine state={state} />
      {dialog}
    </li>
  );
}

const STATUS_FILTERS = [
  ['', 'Any status'],
  ['waiting-me', 'Waiting for me'],
  ['waiting-them', 'Waiting for the other person'],
  ['scheduled', 'Confirmed'],
  ['in-progress', 'Happening now'],
  ['completed', 'Done'],
  ['cancelled', 'Declined or withdrawn'],
  ['expired', 'Expired'],
];

function matches(v, { role, status, q }) {
  if (role && v.role !== role) return false;
  if (status === 'waiting-me' && !(v.status.status === 'pending' && !v.iConfirmed)) return false;
  if (status === 'waiting-them' && !(v.status.status === 'pending' && v.iConfirmed)) return false;
  if (status && !status.startsWith('waiting') && v.status.status !== status) return false;
  if (q && !`${v.session.skill} ${v.session.notes || ''}`.toLowerCase().includes(q.toLowerCase())) return false;
  return true;
}

export function SessionsPage({ tab = 'upcoming' }) {
  const { sessions } = useApp();
  const identities = useWallets();
  const [params, setParams] = useSearchParams();
  const filter = { role: params.get('role') || '', status: params.get('status') || '', q: params.get('q') || '' };
  const { data, pages, error, loading, viewer, more, loadingMore, moreError, patch, reload } = usePaged(
    ({ viewer: v, cursor }) =>
      v.address === '0x0000000000000000000000000000000000000000' ? { items: [], cursor: null, ignored: null } : sessions.list({ viewer: v, tab, cursor }),
    [tab],
    { idOf: (v) => v.session.key },
  );
  const all = data ? data.items : [];
  // Live: a confirmation, rejection or room of a session on the page re-reads that session only; a new
  // session of the viewer's re-reads the first page (web/src/live.js).
  useLive((c) => {
    const me = identities.active().address;
    if (!c.attrs) return all.some((v) => v.session.key === c.key) ? reload() : undefined;
    if (['session_confirmation', 'session_rejection', 'session_jitsi'].includes(c.attrs.type) && all.some((v) => v.session.key === c.attrs.sessionKey)) {
      sessions.one({ key: c.attrs.sessionKey, viewer: identities.active() }).then((r) => r.view && patch(c.attrs.sessionKey, r.view), () => {});
    } else if (c.attrs.type === 'session' && (c.attrs.mentorWallet === me || c.attrs.learnerWallet === me) && c.attrs.skill !== 'virtual_gathering_rsvp') {
      reload();
    }
  });
  // Sessions acted on here stay in this list (with their new status) until the page is left.
  const [touched, setTouched] = useState({ viewer: '', keys: new Set() });
  const kept = touched.viewer === identities.active().address ? touched.keys : new Set();
  const onActed = useCallback(
    (key) => setTouched((t) => ({ viewer: identities.active().address, keys: new Set([...(t.viewer === identities.active().address ? t.keys : []), key]) })),
    [identities],
  );
  const stays = (v) => kept.has(v.session.key);
  const byTab = {
    upcoming: all.filter((v) => v.phase === 'upcoming' || (tab !== 'past' && v.phase === 'past' && stays(v))),
    now: all.filter((v) => v.phase === 'now'),
    past: all.filter((v) => v.phase === 'past' || (tab === 'past' && stays(v))),
  };
  const shown = (tab === 'past' ? byTab.past : byTab.upcoming).filter((v) => matches(v, filter));
  const nowShown = tab === 'past' ? [] : byTab.now.filter((v) => matches(v, filter));
  const setFilter = (k) => (e) => {
    const p = new URLSearchParams(params);
    if (e.target.value) p.set(k, e.target.value);
    else p.delete(k);
    p.delete('page');
    setParams(p, { replace: true });
  };
  const qs = params.toString() ? `?${new URLSearchParams([...params].filter(([k]) => k !== 'page')).toString()}` : '';
  const noWallet = !identities.all().length;
  const me = identities.active();
  return (
    <PageFrame
      name="sessions"
      title="My sessions"
      viewer={viewer}
      loading={loading}
      error={error}
      what="your sessions"
      actions={
        <Link className="button" to="/sessions/new" data-testid="session-new">
          Request a session
        </Link>
      }
    >
      {noWallet ? (
        <Empty testid="sessions-no-wallet">
          Sessions are 1:1 meetings between two wallets. <Link to="/welcome">Create a wallet</Link> to request one.
        </Empty>
      ) : (
        <>
          <Tabs
            label="Which sessions"
            items={[
              { to: `/sessions${qs}`, label: 'Upcoming', testid: 'tab-upcoming' },
              { to: `/sessions/past${qs}`, label: 'Past', testid: 'tab-past' },
            ]}
          />
          <form className="filters" role="search" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
            <Field name="role" label="My role" inline>
              <select data-testid="filter-role" value={filter.role} onChange={setFilter('role')}>
                <option value="">Either</option>
                <option value="mentor">I mentor</option>
                <option value="learner">I learn</option>
              </select>
            </Field>
            <Field name="status" label="Status" inline>
              <select data-testid="filter-status" value={filter.status} onChange={setFilter('status')}>
                {STATUS_FILTERS.map(([v, t]) => (
                  <option key={v} value={v}>
                    {t}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="q" label="Topic contains" inline>
              <input type="search" data-testid="filter-q" value={filter.q} onChange={setFilter('q')} />
            </Field>
          </form>
          <IgnoredNote ignored={pages.length ? sumIgnored(...pages.map((p) => p.ignored)) : null} />
          {nowShown.length ? (
            <section aria-labelledby="sessions-now-h" data-testid="sessions-now">
              <h2 id="sessions-now-h">Happening now</h2>
              <ul className="cards">
                {nowShown.map((v) => (
                  <SessionCard key={v.session.key} v={v} onActed={onActed} />
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="sessions-list-h">
            <h2 id="sessions-list-h">{tab === 'past' ? 'Past' : 'Upcoming'}</h2>
            <p className="muted" data-testid="sessions-state" role="status">
              {loading && !data ? 'Loading…' : `${shown.length} ${tab === 'past' ? 'past' : 'upcoming'} session${shown.length === 1 ? '' : 's'} for ${me.label}`}
            </p>
            {!loading && !shown.length ? (
              <Empty testid="sessions-empty">
                {filter.role || filter.status || filter.q ? 'No sessions match these filters.' : tab === 'past' ? 'No past sessions yet.' : 'No upcoming sessions.'}{' '}
                {tab !== 'past' ? <Link to="/sessions/new">Request one</Link> : null}
              </Empty>
            ) : null}
            <ul className="cards" data-testid="session-list">
              {shown.map((v) => (
                <SessionCard key={v.session.key} v={v} onActed={onActed} />
              ))}
            </ul>
            {all.length ? <LoadMore shown={all.length} what="sessions" more={more} loading={loadingMore} error={moreError} /> : null}
          </section>
        </>
      )}
    </PageFrame>
  );
}

export function SessionPage() {
  const { key } = useParams();
  const { sessions } = useApp();
  const identities = useWallets();
  const location = useLocation();
  const { data, error, loading, viewer, reload } = useLoad(({ viewer: v }) => sessions.one({ key, viewer: v }), [key]);
  // Live: the session or any companion of it re-reads this page.
  useLive((c) => (c.key === key || (c.attrs && c.attrs.sessionKey === key) ? reload() : undefined));
  const [run, state] = useAction();
  const [ask, dialog] = useConfirm();
  const v = data && data.view;
  const labelOf = (a) => identities.labelOf(a);
  const heading = v ? v.session.skill : loading ? 'Session' : 'Session not found';
  const sent = location.state && location.state.requested;
  return (
    <PageFrame name="session" title={heading} heading={heading} viewer={viewer} loading={loading} error={error} what="this session">
      {sent && v ? (
        <p className={sent.confirmed ? 'msg-ok banner' : 'msg-error banner'} role="status" data-testid="requested">
          {sent.confirmed
            ? `Request sent to ${labelOf(v.counterpart)}, with your own confirmation. It is confirmed once ${labelOf(v.counterpart)} confirms too.`
            : `Request sent to ${labelOf(v.counterpart)}, but your own confirmation could not be written: send it with “Send my confirmation”.`}
        </p>
      ) : null}
      {data && !v && !loading ? (
        <div data-testid="session-missing">
          <p>{data.missing ? 'There is no session with this key on the Arkiv node (it may have expired).' : 'This entry is not shown: it is not signed by one of its two people.'}</p>
          <IgnoredNote ignored={data.ignored} />
          <Link to="/sessions">My sessions</Link>
        </div>
      ) : null}
      {v ? (
        <article className="card detail session" data-testid="session" data-key={v.session.key} data-status={v.status.status} data-phase={v.phase}>
          <p>
            <span className={`status ${v.status.status}`} data-testid="session-status" data-status={v.status.status}>
              {statusWords(v, labelOf)}
            </span>
          </p>
          <p className="when-line">
            <When at={v.session.sessionDate} testid="session-when" /> · {duration(v.session.duration)}
          </p>
          {data.participant ? (
            <p data-testid="session-who">{whoLine(v, labelOf)}</p>
          ) : (
            <p>
              Between <Person address={v.session.mentorWallet} /> (mentor) and <Person address={v.session.learnerWallet} /> (learner).
            </p>
          )}
          <p className="evidence" data-testid="session-evidence">
            {evidence(v, labelOf, identities.active().address)}
          </p>
          {v.session.notes ? <p className="desc">{v.session.notes}</p> : null}
          {data.participant ? <SessionActions v={v} run={run} state={state} ask={ask} /> : null}
          <ResultLine state={state} />
          <IgnoredNote ignored={data.ignored} />
          <Details testid="session-details">
            <Fact term="Entity key" testid="detail-key">
              {v.session.key}
            </Fact>
            <Fact term="Requested by (signer)" testid="detail-signer">
              {v.requester}
            </Fact>
            <Fact term="Mentor">{v.session.mentorWallet}</Fact>
            <Fact term="Learner">{v.session.learnerWallet}</Fact>
            {v.jitsi ? (
              <Fact term="Video room" testid="session-room">
                {v.jitsi.videoRoomName}
              </Fact>
            ) : null}
            <Fact term="Ends">{v.status.endsAt}</Fact>
          </Details>
          {data.participant ? <LockedHint what="answer this request" /> : null}
        </article>
      ) : null}
      {dialog}
    </PageFrame>
  );
}

const LABELS = { mentorWallet: 'With', skill: 'Topic', sessionDate: 'Starts', duration: 'Length (minutes)', notes: 'Notes' };
const OTHER = 'other';

export function NewSessionPage() {
  const { sessions, clock } = useApp();
  const identities = useWallets();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [run, state] = useAction();
  const me = identities.active();
  const others = useMemo(() => identities.all().filter((i) => i.address !== me.address), [identities, me.address]);
  const preset = (params.get('with') || '').toLowerCase();
  const [form, setForm] = useState(() => {
    const known = preset && identities.all().some((i) => i.address === preset);
    return {
      withWho: preset ? (known ? preset : OTHER) : '',
      address: preset && !known ? preset : '',
      skill: '',
      sessionDate: toLocalInput(clock.now() + 3600_000),
      duration: '60',
      notes: '',
    };
  });
  const ref = useRef(null);
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const withWho = form.withWho || (others[0] ? others[0].address : OTHER);
  useFocusError(ref, state.error);

  const submit = async (e) => {
    e.preventDefault();
    let result;
    const ok = await run(
      async () => {
        const sessionDate = fromLocalInput(form.sessionDate);
        // Refused before anything is written: a request must start in the future.
        const start = Date.parse(sessionDate);
        if (Number.isFinite(start) && start <= clock.now()) throw appError('START_IN_PAST', 'input.sessionDate', 'a request must start in the future');
        result = await sessions.request({
          learner: identities.active(),
          mentorWallet: withWho === OTHER ? form.address.trim() : withWho,
          skill: form.skill.trim(),
          sessionDate,
          duration: Number(form.duration),
          notes: form.notes,
        });
        return 'Request sent.';
      },
      { labels: LABELS, aliases: { learnerWallet: 'mentorWallet' } },
    );
    if (ok) navigate(`/sessions/${result.key}`, { state: { requested: { confirmed: result.confirmed } } });
  };

  return (
    <PageFrame name="session-new" title="Request a session">
      <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="session-form">
        <p className="muted">Ask someone for a 1:1 session. Your request counts as your confirmation; the session is confirmed when they confirm too.</p>
        <div className="row">
          <Field name={withWho === OTHER ? 'withWho' : 'mentorWallet'} label={LABELS.mentorWallet} error={state.error}>
            <select data-testid="session-with" value={withWho} onChange={set('withWho')}>
              {others.map((i) => (
                <option key={i.address} value={i.address}>
                  {`${i.label} (${shortAddress(i.address)})`}
                </option>
              ))}
              <option value={OTHER}>Someone else (a wallet address)…</option>
            </select>
          </Field>
          {withWho === OTHER ? (
            <Field name="mentorWallet" label="Their wallet address" error={state.error} className="grow">
              <input data-testid="session-with-address" value={form.address} onChange={set('address')} placeholder="0x…" autoComplete="off" spellCheck="false" />
            </Field>
          ) : null}
        </div>
        <Field name="skill" label={LABELS.skill} error={state.error} hint="What you want to learn, e.g. “Rust lifetimes”.">
          <input data-testid="session-skill" value={form.skill} onChange={set('skill')} autoComplete="off" />
        </Field>
        <div className="row">
          <Field name="sessionDate" label={LABELS.sessionDate} error={state.error} hint={`Your time (${Intl.DateTimeFormat().resolvedOptions().timeZone}).`}>
            <input type="datetime-local" data-testid="session-date" value={form.sessionDate} onChange={set('sessionDate')} />
          </Field>
          <Field name="duration" label={LABELS.duration} error={state.error}>
            <input type="number" min="1" step="1" inputMode="numeric" className="narrow" data-testid="session-duration" value={form.duration} onChange={set('duration')} />
          </Field>
        </div>
        <Field name="notes" label={LABELS.notes} error={state.error} hint="Optional. Public, like everything on Arkiv.">
          <textarea data-testid="session-notes" rows={2} value={form.notes} onChange={set('notes')} />
        </Field>
        <div className="row">
          <WriteButton type="submit" testid="session-request" busy={state.busy} busyLabel="Sending request…">
            Send request
          </WriteButton>
          <Link to="/sessions">Back to my sessions</Link>
        </div>
        <FormStatus state={state} />
        <LockedHint what="request a session" />
      </form>
    </PageFrame>
  );
}
