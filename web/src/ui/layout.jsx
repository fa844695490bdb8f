// The frame of every page: a skip link, the header with the navigation, the wallet bar (who acts,
// locked or not, unlock / lock), the page itself and a footer with the node's state. Moving to
// another page moves the focus to its heading.
import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useAction, useApp, useClock, useLiveStatus, useWallets } from '../app/context.js';
import { shortAddress } from '../format.js';
import { InboxNavLink } from '../pages/inbox.jsx';
import { Field } from './forms.jsx';

const NAV = [
  ['/gatherings', 'Gatherings', 'nav-gatherings'],
  ['/sessions', 'My sessions', 'nav-sessions'],
  ['/series', 'Series', 'nav-series'],
  ['/bluesky', 'Bluesky', 'nav-bluesky'],
  ['/wallets', 'Wallets', 'nav-wallets'],
  ['/settings', 'Settings', 'nav-settings'],
];

const REASONS = { idle: 'after inactivity', hidden: 'when the page was hidden', manual: 'by you', switch: 'when you switched wallets' };

function formatOffset(ms) {
  if (!ms) return 'real time';
  const sign = ms < 0 ? '−' : '+';
  let m = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  m -= d * 1440;
  const hr = Math.floor(m / 60);
  m -= hr * 60;
  return `${sign}${d ? `${d}d ` : ''}${hr ? `${hr}h ` : ''}${m}m`.trim();
}
export { formatOffset };

/** Who acts: choose a wallet, unlock it with its passphrase, lock it. */
export function WalletBar() {
  const identities = useWallets();
  const { pathname } = useLocation();
  const [run, state, reset] = useAction();
  const [pass, setPass] = useState('');
  const all = identities.all();
  const active = identities.active();
  const busy = identities.busy;
  const barState = !all.length && !busy ? 'none' : busy ? 'busy' : active.locked ? 'locked' : 'unlocked';

  const unlock = async (e) => {
    e.preventDefault();
    const ok = await run(() => identities.unlock(pass).then(() => `${active.label}’s wallet is unlocked.`), { labels: { passphrase: 'Passphrase' }, wrote: false });
    if (ok) setPass('');
  };

  let body;
  if (!all.length) {
    body = (
      <>
        <strong data-testid="no-wallet">No wallet in this browser yet.</strong>
        {busy || pathname === '/welcome' ? null : (
          <Link to="/welcome" className="button" data-testid="wallet-start">
            Create a wallet
          </Link>
        )}
      </>
    );
  } else {
    const last = identities.lastLock;
    body = (
      <>
        <div className="field inline">
          <label htmlFor="acting-as">Acting as</label>
          <select
            id="acting-as"
            data-testid="identity-select"
            value={active.address}
            disabled={Boolean(busy)}
            onChange={(e) => {
              reset();
              setPass('');
              identities.switchTo(e.target.value);
            }}
          >
            {all.map((i) => (
              <option key={i.address} value={i.address}>
                {`${i.label} (${shortAddress(i.address)})`}
              </option>
            ))}
          </select>
        </div>
        <span className={`badge ${active.locked ? 'bad' : 'ok'}`} data-testid="wallet-state">
          {active.locked ? 'locked' : 'unlocked'}
        </span>
        <code className="address active-address" data-testid="active-address" title={active.address}>
          {active.address}
        </code>
        {busy ? null : active.locked ? (
          <form className="inline unlock" data-testid="wallet-unlock-form" onSubmit={unlock} noValidate>
            <Field name="passphrase" label={`Passphrase for ${active.label}`} error={state.error} inline>
              <input type="password" data-testid="wallet-passphrase" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} />
            </Field>
            <button type="submit" data-testid="wallet-unlock">
              Unlock
            </button>
            {state.error && !state.error.field ? (
              <span className="msg-error" data-testid="wallet-error" data-code={state.error.code} role="status">
                {state.error.text}
              </span>
            ) : null}
          </form>
        ) : (
          <button type="button" className="secondary" data-testid="wallet-lock" onClick={() => identities.lock()}>
            Lock
          </button>
        )}
        {!busy && active.locked ? (
          <span className="locked-why" data-testid="wallet-locked-notice">
            Locked{last ? ` ${REASONS[last.reason] || ''}` : ''}: writing is off until you unlock.
          </span>
        ) : null}
      </>
    );
  }
  return (
    <section className="bar wallet-bar" id="identity" aria-label="Wallet" data-state={barState} data-wallet-worker={identities.inWorker ? (identities.sharedWorker ? 'shared' : 'true') : 'false'}>
      {body}
      {busy ? (
        <span className="busy" data-testid="wallet-busy" role="status">
          {`${busy} (Argon2id in WASM, about a second)`}
        </span>
      ) : null}
      <Link to="/wallets" className="manage" data-testid="wallet-manage">
        Manage wallets
      </Link>
    </section>
  );
}

/** Whether pages update by themselves (a WebSocket subscription to the node: web/src/live.js). */
function LiveBadge() {
  const status = useLiveStatus();
  const text = { live: 'live updates', connecting: 'connecting live updates…', off: 'no live updates: pages refresh on navigation' }[status];
  return (
    <span className={`badge${status === 'live' ? ' ok' : ''}`} data-testid="live-status" data-status={status}>
      {text}
    </span>
  );
}

function NodeStatus() {
  const { node, config } = useApp();
  const [chain, setChain] = useState(node.chainId);
  useEffect(() => {
    // The answer may have come between the first render and this subscription: read it again here.
    setChain(node.chainId);
    return node.onChange(() => setChain(node.chainId));
  }, [node]);
  return (
    <span className="node">
      Arkiv node <code data-testid="node-url">{config.arkivRpcUrl}</code>{' '}
      {chain === undefined ? (
        <span className="badge">connecting…</span>
      ) : chain === null ? (
        <span className="badge bad" data-testid="node-chain">
          unreachable
        </span>
      ) : (
        <span className="badge ok" data-testid="node-chain">{`chain ${chain}`}</span>
      )}{' '}
      <LiveBadge />
    </span>
  );
}

export function Layout() {
  const identities = useWallets();
  const { offset } = useClock();
  const { pathname } = useLocation();
  const first = useRef(true);

  // A new page: its heading takes the focus (screen readers announce it; Tab continues from there).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => document.querySelector('main h1')?.focus({ preventScroll: false }), 0);
    return () => clearTimeout(t);
  }, [pathname]);

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.querySelector('main h1')?.focus())}>
        Skip to the page
      </a>
      <header className="top">
        <Link to="/" className="brand" data-testid="home">
          Convene
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label, testid]) => (
              <li key={to}>
                <NavLink to={to} data-testid={testid}>
                  {label}
                </NavLink>
              </li>
            ))}
            <li>
              <InboxNavLink />
            </li>
          </ul>
        </nav>
        {offset ? (
          <Link to="/settings" className="badge warn clock-badge" data-testid="clock-badge">
            App clock {formatOffset(offset)}
          </Link>
        ) : null}
      </header>
      {identities.testKdf ? (
        <aside className="kdf-banner" data-testid="kdf-test-banner" aria-label="Test setting">
          Test setting (?kdf=interactive): new wallets use cheap Argon2id ({identities.kdf.opslimit} pass, {identities.kdf.memlimitKiB} KiB). Not for real keys.
        </aside>
      ) : null}
      <WalletBar />
      <main id="main">
        <Outlet />
      </main>
      <footer className="muted">
        <NodeStatus /> · Every write is built by the core and signed by your wallet; every read is checked by the core. Who
        signed what is under “Details”.
      </footer>
    </>
  );
}
