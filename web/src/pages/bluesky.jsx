// Bluesky: connect an account on the configured PDS (handle + app password), import a handle's calendar
// events (read-only, each with where it came from; Convene's own publications coming back are marked as
// echoes) and accept a series they form; and the series page's "On Bluesky" section
// (docs/bluesky.md#the-app).
import { useRef, useState, useSyncExternalStore } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAction, useApp, useLoad, useWallets } from '../app/context.js';
import { viewerZone } from '../format.js';
import { Empty, When } from '../ui/bits.jsx';
import { Field, FormStatus, ResultLine, WriteButton } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';
import { useFocusError } from './gatherings.jsx';

const LABELS = { handle: 'Handle', password: 'App password' };
const PROVENANCE = {
  echo: 'Published by Convene (not imported again)',
  edited: 'Published by Convene, since edited elsewhere',
  linked: 'Links to this app',
  foreign: 'Imported',
};

/** The connected account; re-renders on connect and disconnect. */
export function useBlueskyAccount() {
  const { bluesky } = useApp();
  useSyncExternalStore(bluesky.account.onChange, () => bluesky.account.version);
  return bluesky.account;
}

function ConnectForm() {
  const account = useBlueskyAccount();
  const [run, state] = useAction();
  const [form, setForm] = useState({ handle: '', password: '' });
  const ref = useRef(null);
  useFocusError(ref, state.error);
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  if (account.state.status === 'connected') {
    return (
      <div className="card" data-testid="bluesky-connected">
        <p>
          Connected as <b data-testid="bluesky-handle">@{account.state.handle}</b> <code className="did">{account.state.did}</code> on{' '}
          <span className="url">{account.pdsUrl}</span>.
        </p>
        <p className="muted">The session lasts until this tab is closed; the app password is not kept.</p>
        <button type="button" className="secondary" data-testid="bluesky-disconnect" onClick={() => account.disconnect()}>
          Disconnect
        </button>
      </div>
    );
  }
  const submit = async (e) => {
    e.preventDefault();
    const ok = await run(
      async () => {
        const r = await account.connect(form);
        return `Connected as @${r.handle}.`;
      },
      { labels: LABELS, wrote: false },
    );
    if (ok) setForm({ handle: '', password: '' });
  };
  return (
    <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="bluesky-connect-form">
      <div className="row">
        <Field name="handle" label={LABELS.handle} error={state.error} className="grow" hint="For example alice.test on the local PDS.">
          <input data-testid="bluesky-connect-handle" value={form.handle} onChange={set('handle')} autoComplete="username" autoCapitalize="none" spellCheck="false" />
        </Field>
        <Field name="password" label={LABELS.password} error={state.error} className="grow" hint="Made in the account’s settings; not your main password.">
          <input type="password" data-testid="bluesky-connect-password" value={form.password} onChange={set('password')} autoComplete="current-password" />
        </Field>
      </div>
      <div className="row">
        <button type="submit" data-testid="bluesky-connect" disabled={state.busy} aria-busy={state.busy ? 'true' : undefined}>
          {state.busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      <FormStatus state={state} testid="bluesky-connect-status" />
    </form>
  );
}

function minutesBetween(a, b) {
  const m = Math.round((Date.parse(b) - Date.parse(a)) / 60_000);
  return Number.isFinite(m) && m > 0 ? m : 60;
}

function Proposal({ p, result, handle }) {
  const navigate = useNavigate();
  const first = result.events.find((e) => e.uri === p.uris[0]);
  const accept = () =>
    navigate('/series/new', {
      state: {
        proposal: {
          title: p.name,
          description: first?.event.description || '',
          duration: first?.event.startsAt && first?.event.endsAt ? minutesBetween(first.event.startsAt, first.event.endsAt) : 60,
          ical: p.ical,
          source: `${p.uris.length} events of @${handle}`,
        },
      },
    });
  return (
    <li className="card" data-testid="bluesky-proposal">
      <p>
        <b data-testid="proposal-name">{p.name}</b> · {p.uris.length} events · confidence <b data-testid="proposal-confidence">{Math.round(p.confidence * 100)}%</b>
        {p.gaps ? ` · ${p.gaps} missing date${p.gaps === 1 ? '' : 's'}` : ''}
        {p.leftOut.length ? ` · ${p.leftOut.length} left out` : ''}
      </p>
      <pre className="ical proposal-ical" data-testid="proposal-ical">
        {p.ical}
      </pre>
      <button type="button" data-testid="proposal-accept" onClick={accept}>
        Make this a series…
      </button>
    </li>
  );
}

function ImportSection() {
  const { bluesky } = useApp();
  const account = useBlueskyAccount();
  const [run, state] = useAction();
  const [handle, setHandle] = useState('');
  const [result, setResult] = useState(null);
  const ref = useRef(null);
  useFocusError(ref, state.error);
  const submit = async (e) => {
    e.preventDefault();
    await run(
      async () => {
        const appUrl = `${window.location.origin}${window.location.pathname}`;
        const r = await bluesky.importHandle({ handle: handle || account.state.handle, tzid: viewerZone(), appUrl });
        setResult(r);
        return `${r.events.length} event${r.events.length === 1 ? '' : 's'} of @${r.handle}; ${r.proposals.length} possible series.`;
      },
      { labels: LABELS, wrote: false },
    );
  };
  return (
    <section aria-labelledby="import-h">
      <h2 id="import-h">Import events</h2>
      <p className="muted">Calendar events of a Bluesky account, shown as they are (read-only). Nothing is written until you accept a series.</p>
      <form className="card form" ref={ref} onSubmit={submit} noValidate data-testid="bluesky-import-form">
        <Field name="handle" label={LABELS.handle} error={state.error} className="grow" hint={account.state.handle ? `Empty: your own (@${account.state.handle}).` : undefined}>
          <input data-testid="bluesky-import-handle" value={handle} onChange={(e) => setHandle(e.target.value)} autoCapitalize="none" spellCheck="false" />
        </Field>
        <div className="row">
          <button type="submit" data-testid="bluesky-import" disabled={state.busy} aria-busy={state.busy ? 'true' : undefined}>
            {state.busy ? 'Reading events…' : 'Read events'}
          </button>
        </div>
        <FormStatus state={state} testid="bluesky-import-status" />
      </form>
      {result ? (
        <>
          <h3>Series these events form</h3>
          {result.proposals.length ? (
            <ul className="cards bluesky-list" data-testid="bluesky-proposals">
              {result.proposals.map((p) => (
                <Proposal key={p.uris[0]} p={p} result={result} handle={result.handle} />
              ))}
            </ul>
          ) : (
            <Empty testid="bluesky-no-proposals">No repeating pattern among these events (a series needs at least three at the same time of day).</Empty>
          )}
          <h3>Events</h3>
          <ul className="cards bluesky-list" data-testid="bluesky-events">
            {result.events.map((e) => (
              <li key={e.uri} className="card" data-testid="bluesky-event" data-provenance={e.provenance}>
                <p>
                  <b>{e.event.name}</b> {e.event.startsAt ? <When at={e.event.startsAt} /> : null} · <span className="badge">{e.event.status}</span>
                </p>
                <p className="muted" data-testid="bluesky-event-source">
                  {PROVENANCE[e.provenance]} · from <code>{e.uri}</code>
                </p>
              </li>
            ))}
          </ul>
          {result.ignored ? <p className="muted">{result.ignored} record(s) that are not valid calendar events were skipped.</p> : null}
        </>
      ) : null}
    </section>
  );
}

/** Link the acting wallet and the connected account (docs/bluesky.md#claims), or say that they are linked. */
function LinkWallet() {
  const { bluesky } = useApp();
  const account = useBlueskyAccount();
  const identities = useWallets();
  const me = identities.active();
  const [run, state] = useAction();
  const { data } = useLoad(() => bluesky.linkState({ wallet: me.address }), [account.version, me.address]);
  if (account.state.status !== 'connected' || !me.address) return null;
  return (
    <section aria-labelledby="link-h" data-testid="bluesky-link">
      <h2 id="link-h">Your wallet and this account</h2>
      {data?.linked ? (
        <p data-testid="bluesky-link-state" data-linked="true">
          {me.label}’s wallet and @{account.state.handle} are linked: an RSVP on Bluesky and one on Arkiv count as one person.
        </p>
      ) : (
        <>
          <p data-testid="bluesky-link-state" data-linked="false">
            Link {me.label}’s wallet and @{account.state.handle}, so your RSVPs on Bluesky and on Arkiv count as one person: a record in the account’s repo names
            the wallet, and an entity signed by the wallet names the account. Either alone proves nothing.
          </p>
          <WriteButton testid="bluesky-link-wallet" busy={state.busy} busyLabel="Linking…" onClick={() => run(async () => {
            await bluesky.linkWallet({ identity: me });
            return `Linked: ${me.label}’s wallet and @${account.state.handle}.`;
          })}>
            Link {me.label}’s wallet and @{account.state.handle}
          </WriteButton>
        </>
      )}
      <ResultLine state={state} testid="bluesky-link-result" />
    </section>
  );
}

export function BlueskyPage() {
  const account = useBlueskyAccount();
  return (
    <PageFrame name="bluesky" title="Bluesky" lead="Publish series dates as Bluesky calendar events and import events from Bluesky.">
      {account.state.status === 'off' ? (
        <p data-testid="bluesky-off">No Bluesky server (PDS) is configured for this app: set `pdsUrl` in config.json (scripts/app.sh starts a local one).</p>
      ) : (
        <>
          <section aria-labelledby="connect-h">
            <h2 id="connect-h">Your account</h2>
            <ConnectForm />
          </section>
          <LinkWallet />
          <ImportSection />
        </>
      )}
    </PageFrame>
  );
}

/**
 * A series' records on Bluesky with their RSVP counts (bluesky.seriesOnBluesky), re-read with the page and when
 * the account changes; nothing is read while the organizer is not known yet or no PDS is configured.
 * @returns {{ data: { publications: object[], countsError: string | null } | null }}
 */
export function useSeriesOnBluesky(seriesKey, organizerWallet, arkivGoing = {}) {
  const { bluesky } = useApp();
  const account = useBlueskyAccount();
  return useLoad(
    () => (organizerWallet && account.state.status !== 'off' ? bluesky.seriesOnBluesky({ seriesKey, organizerWallet, arkivGoing }) : null),
    [seriesKey, organizerWallet, account.version, arkivGoing],
  );
}

/** "@handle" of a person on Bluesky (their DID when the handle is unknown), and their wallet when they linked one. */
function BlueskyPerson({ p }) {
  const { identities } = useApp();
  const name = p.handle ? `@${p.handle}` : p.did;
  const label = p.wallet ? identities.labelOf?.(p.wallet) : '';
  return (
    <li data-testid="bluesky-person" data-did={p.did} data-status={p.status} data-also-on-arkiv={p.alsoOnArkiv ? 'true' : 'false'}>
      {name}
      {p.status !== 'going' ? ` (${p.status === 'notgoing' ? 'not going' : p.status})` : ''}
      {p.wallet ? (p.alsoOnArkiv ? ` — also going on Arkiv${label ? ` as ${label}` : ''}` : ` — linked to a wallet${label ? ` (${label})` : ''}`) : ' — on Bluesky only'}
    </li>
  );
}

/** One record on Bluesky: its date, link, at-uri, RSVP counts and the people who RSVP'd there. */
function PublicationItem({ p }) {
  return (
    <li data-testid="bluesky-publication" data-recurrence-id={p.recurrenceId}>
      {p.recurrenceId ? (
        <>
          <When at={p.recurrenceId} /> ·{' '}
        </>
      ) : null}
      {p.link ? (
        <a href={p.link} target="_blank" rel="noopener noreferrer" data-testid="bluesky-record-link">
          the event record<span className="sr-only"> (opens in a new tab)</span>
        </a>
      ) : null}{' '}
      <code className="url">{p.uri}</code>
      {p.counts ? (
        <span data-testid="bluesky-rsvps">
          {' '}
          · RSVPs on Bluesky: <b data-testid="bluesky-going">{p.counts.going}</b> going, <b data-testid="bluesky-interested">{p.counts.interested}</b> interested
        </span>
      ) : null}
      {p.people.length ? (
        <ul className="plain people" data-testid="bluesky-people">
          {p.people.map((person) => (
            <BlueskyPerson key={person.did} p={person} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The series page's section: its records on Bluesky with their RSVP counts, and publishing for the organizer. `state`: useSeriesOnBluesky's. */
export function SeriesOnBluesky({ seriesKey, isOrganizer, state: { data } }) {
  const { bluesky } = useApp();
  const account = useBlueskyAccount();
  const identities = useWallets();
  const [run, state] = useAction();
  if (account.state.status === 'off') return null;
  const me = identities.active();
  const pageUrl = `${window.location.origin}${window.location.pathname}#/series/${seriesKey}`;
  const publish = () =>
    run(async () => {
      const r = await bluesky.publishSeries({ seriesKey, organizer: me, pageUrl });
      const problems = r.problems.map((p) => `${p.code}: ${p.message}`).join(' ');
      if (!r.created.length && !r.updated.length) return `Nothing to publish: Bluesky already shows the current date as it is.${problems ? ` ${problems}` : ''}`;
      return `Published on Bluesky: ${r.created.length} new, ${r.updated.length} updated.${problems ? ` ${problems}` : ''}`;
    });
  const pubs = data ? data.publications : [];
  return (
    <section aria-labelledby="bluesky-h" data-testid="series-bluesky">
      <h2 id="bluesky-h">On Bluesky</h2>
      {pubs.length ? (
        <ul className="plain bluesky-list" data-testid="bluesky-publications">
          {pubs.map((p) => (
            <PublicationItem key={p.uri} p={p} />
          ))}
        </ul>
      ) : (
        <p className="muted" data-testid="bluesky-none">
          Not published on Bluesky yet.
        </p>
      )}
      {data?.countsError ? <p className="msg-error">Could not read the RSVPs on Bluesky: {data.countsError}</p> : null}
      {isOrganizer ? (
        account.state.status === 'connected' ? (
          <p>
            <WriteButton testid="bluesky-publish" busy={state.busy} busyLabel="Publishing…" onClick={publish}>
              Publish the current date on Bluesky as @{account.state.handle}
            </WriteButton>
          </p>
        ) : (
          <p className="muted" data-testid="bluesky-connect-hint">
            <Link to="/bluesky">Connect a Bluesky account</Link> to publish this series’ dates there, one at a time.
          </p>
        )
      ) : null}
      <ResultLine state={state} testid="bluesky-publish-result" />
    </section>
  );
}

/**
 * A gathering's record on Bluesky (bluesky.gatheringOnBluesky), re-read with the page and when the account changes.
 * @param {object | null} gathering as gatherings.one shows it; `arkivGoing`: the wallets going on Arkiv.
 */
export function useGatheringOnBluesky(gathering, arkivGoing) {
  const { bluesky } = useApp();
  const account = useBlueskyAccount();
  return useLoad(
    () => (gathering && account.state.status !== 'off' ? bluesky.gatheringOnBluesky({ gathering, arkivGoing }) : null),
    [gathering?.key, gathering?.sessionDate, account.version, arkivGoing],
  );
}

/**
 * The gathering page's section: its record on Bluesky with the RSVP counts there; the organizer of a standalone
 * gathering publishes it (a date of a series is published from its series page). `state`: useGatheringOnBluesky's.
 */
export function GatheringOnBluesky({ gathering: g, isOrganizer, upcoming, state: { data, reload } }) {
  const { bluesky } = useApp();
  const account = useBlueskyAccount();
  const identities = useWallets();
  const [run, state] = useAction();
  if (account.state.status === 'off') return null;
  const pub = data ? data.publications[0] : null;
  const pageUrl = `${window.location.origin}${window.location.pathname}#/gatherings/${g.key}`;
  const publish = () =>
    run(async () => {
      const r = await bluesky.publishGathering({ gathering: g, organizer: identities.active(), pageUrl });
      reload();
      return r.unchanged ? 'Bluesky already shows this gathering as it is.' : `Published on Bluesky: ${r.uri}`;
    });
  return (
    <section aria-labelledby="bluesky-h" data-testid="gathering-bluesky">
      <h2 id="bluesky-h">On Bluesky</h2>
      {pub ? (
        <ul className="plain bluesky-list" data-testid="bluesky-publications">
          <PublicationItem p={pub} />
        </ul>
      ) : (
        <p className="muted" data-testid="bluesky-none">
          Not published on Bluesky{g.seriesKey ? ' yet: its series publishes one date at a time' : ' yet'}.
        </p>
      )}
      {data?.countsError ? <p className="msg-error">Could not read the RSVPs on Bluesky: {data.countsError}</p> : null}
      {isOrganizer && !g.seriesKey && upcoming ? (
        account.state.status === 'connected' ? (
          <p>
            <WriteButton testid="bluesky-publish" busy={state.busy} busyLabel="Publishing…" onClick={publish}>
              {pub ? 'Update it on Bluesky' : 'Publish on Bluesky'} as @{account.state.handle}
            </WriteButton>
          </p>
        ) : (
          <p className="muted" data-testid="bluesky-connect-hint">
            <Link to="/bluesky">Connect a Bluesky account</Link> to publish this gathering there.
          </p>
        )
      ) : null}
      <ResultLine state={state} testid="bluesky-publish-result" />
    </section>
  );
}
