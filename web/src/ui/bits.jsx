// Small pieces every page uses: times in people's zones, names for wallets, "N entries ignored"
// notes, details disclosures, tabs, paging and the links into a meeting.
import { Link, NavLink } from 'react-router-dom';
import { useClock, useWallets } from '../app/context.js';
import { plural, shortAddress, whenText } from '../format.js';

/** A start time in the event's zone and, where it differs, the viewer's. */
export function When({ at, zone, testid }) {
  const { now } = useClock();
  const t = whenText(at, { eventZone: zone, now: now() });
  return (
    <span className="when" data-testid={testid}>
      <time dateTime={at}>{t.event}</time>
      {t.viewer ? (
        <span className="when-viewer" data-testid={testid ? `${testid}-viewer` : undefined}>
          {' '}
          ({t.viewer})
        </span>
      ) : null}
    </span>
  );
}

/** A wallet as people know it: its name in this browser, "you" for the acting one, else a short address. */
export function Person({ address, testid, you = true }) {
  const identities = useWallets();
  const me = identities.active().address;
  const label = identities.labelOf(address);
  return (
    <span className="person" data-testid={testid} title={`signed by ${address}`}>
      {label}
      {you && address === me ? ' (you)' : ''}
    </span>
  );
}

const REASONS = [
  ['unverified', 'not signed by a wallet allowed to write them'],
  ['conflicting', 'with attributes that contradict their payload'],
  ['malformed', 'unreadable'],
];

/** Sums `Ignored` counts ({unverified, conflicting, malformed}) from several readers. */
export function sumIgnored(...parts) {
  const out = { unverified: 0, conflicting: 0, malformed: 0, total: 0 };
  for (const p of parts) {
    if (!p) continue;
    for (const [k] of REASONS) out[k] += p[k] || 0;
  }
  out.total = out.unverified + out.conflicting + out.malformed;
  return out;
}

/** "3 entries ignored: 2 not signed by …, 1 unreadable." (docs/trust.md), or nothing. */
export function IgnoredNote({ ignored, testid = 'ignored' }) {
  if (!ignored || !ignored.total) return null;
  const parts = REASONS.filter(([k]) => ignored[k]).map(([k, text]) => `${ignored[k]} ${text}`);
  return (
    <p className="muted ignored" data-testid={testid} data-total={String(ignored.total)} data-unverified={String(ignored.unverified)}>
      {`${ignored.total} ${ignored.total === 1 ? 'entry' : 'entries'} ignored: ${parts.join(', ')}.`}
    </p>
  );
}

/** Technical detail (keys, signers, rule text) behind a disclosure. */
export function Details({ summary = 'Details', children, testid }) {
  return (
    <details className="details" data-testid={testid}>
      <summary>{summary}</summary>
      <dl>{children}</dl>
    </details>
  );
}

/** One row of a Details list; long values (keys, addresses) wrap anywhere. */
export function Fact({ term, children, testid }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className="code" data-testid={testid}>
        {children}
      </dd>
    </>
  );
}

/** Tabs that are links (each tab has its own URL). */
export function Tabs({ label, items }) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {items.map((t) => (
          <li key={t.to}>
            <NavLink to={t.to} end data-testid={t.testid}>
              {t.label}
              {t.count !== undefined ? <span className="count-pill">{t.count}</span> : null}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * "Load more" under a list read page by page (usePaged): the count shown so far, the button while the
 * node has more, its progress and its error in place.
 */
export function LoadMore({ shown, what, more, loading, error }) {
  return (
    <div className="pager" data-testid="load-more-bar">
      <span data-testid="shown-count" role="status">
        {plural(shown, what.replace(/s$/, ''), what)} shown{more ? '' : shown ? ' (all)' : ''}
      </span>
      {more ? (
        <button type="button" onClick={more} disabled={loading} aria-busy={loading ? 'true' : undefined} data-testid="load-more">
          {loading ? 'Loading…' : `Load more ${what}`}
        </button>
      ) : null}
      {error ? (
        <span className="msg-error" role="alert" data-testid="load-more-error">
          Could not load more {what}: {String(error.message || error)}
        </span>
      ) : null}
    </div>
  );
}

/** The route of this app's meeting page for a session's or gathering's room. */
export const meetingPath = (key, room) => `/meeting/${key}${room ? `?room=${encodeURIComponent(room)}` : ''}`;

/** "Join on Jitsi" (a new tab) and "Meeting page" (here: the call with its events recorded). */
export function JoinLinks({ joinUrl, meetingKey, room, prefix }) {
  if (!joinUrl && !room) return null;
  return (
    <span className="join-links">
      {joinUrl ? (
        <a className="button join" href={joinUrl} target="_blank" rel="noopener noreferrer" data-testid={`${prefix}-join`}>
          Join on Jitsi<span className="sr-only"> (opens in a new tab)</span>
        </a>
      ) : null}
      {room ? (
        <Link className="button secondary" to={meetingPath(meetingKey, room)} data-testid={`${prefix}-meeting`}>
          Meeting page
        </Link>
      ) : null}
    </span>
  );
}

/** A short address with the full one for screen readers and copying. */
export function Address({ address }) {
  return (
    <code className="address" title={address}>
      {shortAddress(address)}
    </code>
  );
}

/** An empty list, said plainly, with what to do next. */
export function Empty({ children, testid }) {
  return (
    <p className="empty" data-testid={testid}>
      {children}
    </p>
  );
}
