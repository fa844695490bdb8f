// Wallets: the ones kept in this browser, which one acts, a new one; the first-run guide that starts
// with creating a wallet; settings (auto-lock, the app clock, about).
import { useEffect, useRef, useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useAction, useApp, useClock, useWallets } from '../app/context.js';
import { appError } from '../errors.js';
import { dateTime, viewerZone } from '../format.js';
import { Address, Details, Fact } from '../ui/bits.jsx';
import { Field, FormStatus } from '../ui/forms.jsx';
import { formatOffset } from '../ui/layout.jsx';
import { PageFrame } from '../ui/page.jsx';
import { useFocusError } from './gatherings.jsx';

const LABELS = { name: 'Name', passphrase: 'Passphrase', confirm: 'Repeat the passphrase' };

/** Name + passphrase twice. Refused at once, before any key derivation: a name in use, an empty or mismatched passphrase. */
export function CreateWalletForm({ onCreated, compact = false }) {
  const identities = useWallets();
  const [run, state] = useAction();
  const [form, setForm] = useState({ name: '', passphrase: '', confirm: '' });
  const ref = useRef(null);
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  useFocusError(ref, state.error);
  const submit = async (e) => {
    e.preventDefault();
    let address;
    const ok = await run(
      async () => {
        if (form.name.trim() && identities.named(form.name)) throw appError('NAME_TAKEN', 'name', `A wallet called “${identities.named(form.name).label}” already exists in this browser`);
        if (!form.passphrase) throw appError('EMPTY_PASSPHRASE', 'passphrase');
        if (form.passphrase !== form.confirm) throw appError('PASSPHRASE_MISMATCH', 'confirm');
        address = await identities.create(form.name, form.passphrase);
        return `Wallet “${identities.labelOf(address)}” is created and unlocked. Its key is sealed with your passphrase and kept in this browser only.`;
      },
      { labels: LABELS, wrote: false },
    );
    if (ok) {
      setForm({ name: '', passphrase: '', confirm: '' });
      onCreated?.(address);
    }
  };
  const busy = state.busy || Boolean(identities.busy);
  return (
    <form className={`form${compact ? '' : ' card'}`} ref={ref} onSubmit={submit} noValidate data-testid="wallet-new-form">
      <Field name="name" label={LABELS.name} error={state.error} hint="Only you see it, in this browser.">
        <input data-testid="wallet-new-name" value={form.name} onChange={set('name')} autoComplete="off" />
      </Field>
      <div className="row">
        <Field name="passphrase" label={LABELS.passphrase} error={state.error} className="grow" hint="Nobody can reset it: without it, the wallet cannot be opened.">
          <input type="password" data-testid="wallet-new-passphrase" value={form.passphrase} onChange={set('passphrase')} autoComplete="new-password" />
        </Field>
        <Field name="confirm" label={LABELS.confirm} error={state.error} className="grow">
          <input type="password" data-testid="wallet-new-confirm" value={form.confirm} onChange={set('confirm')} autoComplete="new-password" />
        </Field>
      </div>
      <div className="row">
        <button type="submit" data-testid="wallet-create" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? 'Creating wallet…' : 'Create wallet'}
        </button>
      </div>
      <FormStatus state={state} testid="wallet-create-status" />
    </form>
  );
}

const CHANGE_LABELS = { current: 'Current passphrase', next: 'New passphrase', repeat: 'Repeat the new passphrase' };

/** Current passphrase + new one twice. Empty or mismatched fields are refused before any key derivation. */
function ChangePassphraseForm({ address, label }) {
  const identities = useWallets();
  const [run, state] = useAction();
  const [form, setForm] = useState({ current: '', next: '', repeat: '' });
  const ref = useRef(null);
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  useFocusError(ref, state.error);
  const submit = async (e) => {
    e.preventDefault();
    const ok = await run(
      async () => {
        if (!form.current) throw appError('EMPTY_PASSPHRASE', 'current');
        if (!form.next) throw appError('EMPTY_PASSPHRASE', 'next');
        if (form.next !== form.repeat) throw appError('PASSPHRASE_MISMATCH', 'repeat');
        await identities.changePassphrase(address, form.current, form.next);
        return `${label}’s key is sealed with the new passphrase. The old one no longer opens it; keystore files saved before still open with the old one.`;
      },
      { labels: CHANGE_LABELS, wrote: false },
    );
    if (ok) setForm({ current: '', next: '', repeat: '' });
  };
  const busy = state.busy || Boolean(identities.busy);
  return (
    <form className="form" ref={ref} onSubmit={submit} noValidate data-testid="passphrase-form">
      <Field name="current" label={CHANGE_LABELS.current} error={state.error}>
        <input type="password" data-testid="passphrase-current" value={form.current} onChange={set('current')} autoComplete="current-password" />
      </Field>
      <div className="row">
        <Field name="next" label={CHANGE_LABELS.next} error={state.error} className="grow">
          <input type="password" data-testid="passphrase-next" value={form.next} onChange={set('next')} autoComplete="new-password" />
        </Field>
        <Field name="repeat" label={CHANGE_LABELS.repeat} error={state.error} className="grow">
          <input type="password" data-testid="passphrase-repeat" value={form.repeat} onChange={set('repeat')} autoComplete="new-password" />
        </Field>
      </div>
      <div className="row">
        <button type="submit" data-testid="passphrase-change" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? 'Working…' : 'Change passphrase'}
        </button>
      </div>
      <FormStatus state={state} testid="passphrase-change-status" />
    </form>
  );
}

/**
 * A link that saves the wallet's sealed keystore (still locked by its passphrase) as a file: for a
 * backup, and for the series steward, which materializes an organizer's series from cron with it
 * (docs/steward.md).
 */
function KeystoreDownload({ address, label }) {
  const identities = useWallets();
  const [href, setHref] = useState(null);
  const file = identities.keystoreFile(address);
  useEffect(() => {
    if (!file) return undefined;
    const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [file && file.text]);
  if (!file || !href) return null;
  return (
    <>
      <a href={href} download={file.name} data-testid="wallet-keystore-download">
        Save {label}’s keystore file
      </a>{' '}
      <span className="muted">(sealed by the passphrase; the series steward runs with it from a server, see docs/steward.md)</span>
    </>
  );
}

export function WalletsPage() {
  const identities = useWallets();
  const all = identities.all();
  const active = identities.active();
  return (
    <PageFrame name="wallets" title="Wallets" lead="A wallet signs what you do: RSVPs, requests, gatherings. Its key is made and sealed inside the app’s core and never shown.">
      {all.length ? (
        <ul className="cards" data-testid="wallet-list">
          {all.map((w) => (
            <li key={w.address} className="card wallet" data-testid="wallet-row" data-address={w.address}>
              <div className="card-head">
                <h2 className="h3">{w.label}</h2>
                <span>
                  {w.address === active.address ? (
                    <span className="badge" data-testid="wallet-acting">
                      acting
                    </span>
                  ) : null}{' '}
                  <span className={`badge ${w.locked ? 'bad' : 'ok'}`}>{w.locked ? 'locked' : 'unlocked'}</span>
                </span>
              </div>
              <p className="meta">
                <Address address={w.address} />
              </p>
              <div className="actions">
                {w.address !== active.address ? (
                  <button type="button" className="secondary" data-testid="wallet-use" disabled={Boolean(identities.busy)} onClick={() => identities.switchTo(w.address)}>
                    Act as {w.label}
                  </button>
                ) : w.locked ? (
                  <span className="muted">Unlock it with its passphrase at the top of the page.</span>
                ) : (
                  <button type="button" className="secondary" onClick={() => identities.lock()}>
                    Lock
                  </button>
                )}
              </div>
              <Details>
                <Fact term="Address">{w.address}</Fact>
                <Fact term="Keystore file">
                  <KeystoreDownload address={w.address} label={w.label} />
                </Fact>
              </Details>
              <details className="details" data-testid="passphrase-details">
                <summary>Change passphrase</summary>
                <ChangePassphraseForm address={w.address} label={w.label} />
              </details>
            </li>
          ))}
        </ul>
      ) : (
        <p data-testid="wallets-empty">
          No wallet in this browser yet. <Link to="/welcome">Start here</Link>.
        </p>
      )}
      <section aria-labelledby="new-wallet-h">
        <h2 id="new-wallet-h">New wallet</h2>
        <p className="muted">Two wallets in one browser let you try both sides of a session.</p>
        <CreateWalletForm />
      </section>
    </PageFrame>
  );
}

/** The first-run guide: a wallet first, then what to do with it. */
export function WelcomePage() {
  const identities = useWallets();
  const all = identities.all();
  const has = all.length > 0;
  return (
    <PageFrame name="welcome" title="Welcome to Convene" lead="Meet people: join virtual gatherings, ask for 1:1 sessions, follow series that repeat. Everything is stored on Arkiv and signed by your own wallet.">
      <ol className="guide" data-testid="guide">
        <li className={`card step${has ? ' done' : ''}`} data-testid="guide-wallet" data-done={has ? 'true' : 'false'}>
          <h2 className="h3">1. Create your wallet{has ? ' ✓' : ''}</h2>
          {has ? (
            <p>
              You act as <strong>{identities.active().label}</strong>. <Link to="/wallets">Manage wallets</Link> (a second one lets you try both sides of a session).
            </p>
          ) : (
            <>
              <p>A name for you, and a passphrase that seals the wallet’s key in this browser. It takes a second.</p>
              <CreateWalletForm compact />
            </>
          )}
        </li>
        <li className="card step" data-testid="guide-gatherings">
          <h2 className="h3">2. Find a gathering, or start one</h2>
          <p>
            <Link to="/gatherings">Browse gatherings</Link> and RSVP, or <Link to="/gatherings/new">create a gathering</Link>: its video room exists at once.
          </p>
        </li>
        <li className="card step">
          <h2 className="h3">3. Ask someone for a 1:1 session</h2>
          <p>
            <Link to="/sessions/new">Request a session</Link>. It is confirmed when the other person confirms; you can withdraw until then.
          </p>
        </li>
        <li className="card step">
          <h2 className="h3">4. Follow a series</h2>
          <p>
            <Link to="/series">Series</Link> repeat (every Thursday, the second Tuesday…); RSVP to the dates you come to.
          </p>
        </li>
      </ol>
    </PageFrame>
  );
}

/** `/`: the guide until there is a wallet, then the gatherings. */
export function Home() {
  const identities = useWallets();
  const { search } = useLocation();
  return <Navigate to={identities.all().length ? `/gatherings${search}` : `/welcome${search}`} replace />;
}

function AutoLock() {
  const identities = useWallets();
  const [run, state] = useAction();
  const [minutes, setMinutes] = useState(String(identities.idleMinutes));
  const ref = useRef(null);
  useFocusError(ref, state.error);
  return (
    <form
      className="card form"
      ref={ref}
      noValidate
      data-testid="autolock-form"
      onSubmit={(e) => {
        e.preventDefault();
        run(
          async () => {
            identities.setIdleMinutes(minutes);
            return `Wallets now lock after ${identities.idleMinutes} min without activity.`;
          },
          { labels: { minutes: 'Lock after (minutes without activity)' }, wrote: false },
        );
      }}
    >
      <h2 className="h3">Auto-lock</h2>
      <div className="row">
        <Field name="minutes" label="Lock after (minutes without activity)" error={state.error}>
          <input type="number" min="1" step="1" inputMode="numeric" className="narrow" data-testid="wallet-idle-minutes" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </Field>
        <button type="submit" className="secondary" data-testid="wallet-idle-set">
          Save
        </button>
      </div>
      <FormStatus state={state} testid="autolock-status" />
    </form>
  );
}

function ClockControl() {
  const { clock, offset } = useClock();
  const [minutes, setMinutes] = useState(String(Math.round(offset / 60000)));
  const [error, setError] = useState('');
  const [, tick] = useState(0);
  useEffect(() => setMinutes(String(Math.round(offset / 60000))), [offset]);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const nowMs = clock.now();
  const step = (label, ms, testid) => (
    <button type="button" className="secondary" data-testid={testid} onClick={() => clock.advance(ms)}>
      {label}
    </button>
  );
  return (
    <section className="card form" id="clock" aria-labelledby="clock-h" data-testid="clock">
      <h2 className="h3" id="clock-h">
        App clock
      </h2>
      <p className="muted">For trying things out: move the app’s time forward to see sessions start, end and expire. The node’s own clock does not move.</p>
      <p>
        Now in the app: <time data-testid="clock-now" dateTime={new Date(nowMs).toISOString()}>{dateTime(nowMs, { timeZone: viewerZone(), now: nowMs })}</time>{' '}
        <span className="badge" data-testid="clock-offset">
          {formatOffset(offset)}
        </span>
      </p>
      <div className="row">
        {step('+15 min', 15 * 60000, 'clock-plus-15m')}
        {step('+1 h', 3600000, 'clock-plus-1h')}
        {step('+1 day', 86400000, 'clock-plus-1d')}
        <button type="button" className="secondary" data-testid="clock-reset" onClick={() => (clock.reset(), setMinutes('0'))}>
          Back to real time
        </button>
      </div>
      <form
        className="row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const v = Number(minutes);
          if (!/^-?\d+$/.test(minutes.trim()) || !Number.isFinite(v)) {
            setError('Use a whole number of minutes (negative moves back).');
            return;
          }
          setError('');
          clock.setOffset(v * 60000);
        }}
      >
        <div className={`field${error ? ' invalid' : ''}`}>
          <label htmlFor="clock-offset-input">Offset from real time (minutes)</label>
          <input id="clock-offset-input" type="number" step="1" className="narrow" data-testid="clock-offset-input" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={error ? 'true' : undefined} aria-describedby="clock-offset-error" />
          <span className="field-error" id="clock-offset-error" aria-live="polite">
            {error}
          </span>
        </div>
        <button type="submit" className="secondary" data-testid="clock-set">
          Set offset
        </button>
      </form>
    </section>
  );
}

export function SettingsPage() {
  const { config, core } = useApp();
  const identities = useWallets();
  return (
    <PageFrame name="settings" title="Settings">
      <AutoLock />
      <ClockControl />
      <section className="card" aria-labelledby="about-h">
        <h2 className="h3" id="about-h">
          About
        </h2>
        <dl className="facts">
          <dt>Arkiv node</dt>
          <dd className="code">{config.arkivRpcUrl}</dd>
          <dt>Space</dt>
          <dd className="code">{config.spaceId}</dd>
          <dt>Video</dt>
          <dd className="code">{config.jitsiBaseUrl || 'https://meet.jit.si'}</dd>
          <dt>Time zone database</dt>
          <dd className="code">{core.recurrence.tzdataVersion}</dd>
          <dt>Key derivation for new wallets</dt>
          <dd className="code">
            Argon2id, {identities.kdf.opslimit} pass{identities.kdf.opslimit === 1 ? '' : 'es'}, {Math.round(identities.kdf.memlimitKiB / 1024)} MiB{identities.testKdf ? ' (test setting)' : ''}
          </dd>
        </dl>
      </section>
    </PageFrame>
  );
}
