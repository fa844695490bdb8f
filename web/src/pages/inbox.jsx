// The inbox (#/inbox): what changed for the acting wallet in the series it follows and the
// gatherings it RSVP'd to (web/src/notices.js, docs/notices.md). Read state is kept in this browser.
// While the app is open, new notices raise a browser notification if the person allowed it (a button
// asks; the app never asks on its own).
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link, NavLink } from 'react-router-dom';
import { track, useAction, useApp, useLive, useLoad, useWallets, useWriteGuard } from '../app/context.js';
import { dateTime } from '../format.js';
import { NOTICE_TYPES, noticeText } from '../notices.js';
import { Empty } from '../ui/bits.jsx';
import { PageFrame } from '../ui/page.jsx';

const permissionNow = () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** One look at the chain for `wallet`'s notices, counted as pending work (tests wait for it) and never thrown. */
function look(inbox, wallet) {
  track('inbox', 1);
  inbox
    .refresh(wallet)
    .catch((err) => console.warn('inbox: refresh failed', err))
    .finally(() => track('inbox', -1));
}

/** The inbox store's state for the acting wallet (re-renders on every change). */
function useInbox() {
  const { inbox } = useApp();
  const identities = useWallets();
  useSyncExternalStore(inbox.subscribe, inbox.version);
  return { inbox, wallet: identities.active().address };
}

/**
 * Keeps the acting wallet's inbox current while the app is open: on start and wallet switch, after
 * every write, every minute, and on live changes of the entity types notices come from. New notices
 * raise a browser notification when the person allowed it. Mounted once, in the navigation.
 */
function useInboxWatcher() {
  const { inbox, changes, minutes, clock } = useApp();
  const { wallet } = useInbox();
  const version = useSyncExternalStore(changes.subscribe, changes.get);
  const minute = useSyncExternalStore(minutes.subscribe, minutes.get);
  const [nudge, setNudge] = useState(0);
  const timer = useRef(null);
  useLive((c) => {
    if (c.attrs && !NOTICE_TYPES.has(c.attrs.type)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setNudge((n) => n + 1), 300);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (!wallet) return;
    look(inbox, wallet);
  }, [inbox, wallet, version, minute, nudge]);
  useEffect(
    () =>
      inbox.onFresh((w, fresh) => {
        if (permissionNow() !== 'granted') return;
        for (const n of fresh.slice(0, 3)) {
          try {
            new Notification('Convene', { body: noticeText(n, (at) => dateTime(Date.parse(at), { now: clock.now() })), tag: n.id });
          } catch (err) {
            console.warn('inbox: browser notification failed', err);
          }
        }
      }),
    [inbox, clock],
  );
}

/** The navigation link to the inbox, with the unread count; keeps the inbox current. */
export function InboxNavLink() {
  useInboxWatcher();
  const { inbox, wallet } = useInbox();
  const n = inbox.unread(wallet);
  return (
    <NavLink to="/inbox" data-testid="nav-inbox">
      Inbox
      {n ? (
        <>
          {' '}
          <span className="count" data-testid="inbox-unread">
            {n}
          </span>
          <span className="sr-only"> unread</span>
        </>
      ) : null}
    </NavLink>
  );
}

function PermissionControl() {
  // Read on every render: the person may change it in the browser's site settings at any time.
  const [, setAsked] = useState(0);
  const permission = permissionNow();
  const ask = useCallback(async () => {
    try {
      await Notification.requestPermission();
    } finally {
      setAsked((n) => n + 1);
    }
  }, []);
  if (permission === 'unsupported') return <p className="muted">This browser cannot show notifications.</p>;
  if (permission === 'granted')
    return (
      <p className="muted" data-testid="inbox-permission" data-permission="granted">
        Browser notifications are on while Convene is open.
      </p>
    );
  if (permission === 'denied')
    return (
      <p className="muted" data-testid="inbox-permission" data-permission="denied">
        Browser notifications are blocked for this site (your browser’s site settings can allow them).
      </p>
    );
  return (
    <p data-testid="inbox-permission" data-permission="default">
      <button type="button" className="secondary" data-testid="inbox-ask-permission" onClick={ask}>
        Notify me in this browser
      </button>{' '}
      <span className="muted">Only while Convene is open.</span>
    </p>
  );
}

function target(n) {
  if (n.gatheringKey && n.kind !== 'occurrenceScheduled') return `/gatherings/${n.gatheringKey}`;
  if (n.kind === 'seriesSplit' && n.newSeriesKey) return `/series/${n.newSeriesKey}`;
  if (n.seriesKey) return `/series/${n.seriesKey}`;
  return n.gatheringKey ? `/gatherings/${n.gatheringKey}` : null;
}

/** The series the wallet follows, each with its notifications on or off (muted). */
function FollowedSeries() {
  const { inbox } = useApp();
  const { data, error, viewer } = useLoad(({ viewer: v }) => inbox.follows(v.address));
  const identities = useWallets();
  const blocked = useWriteGuard();
  const [run, state] = useAction();
  if (error || !data || !data.length) return null;
  return (
    <section aria-labelledby="followed-heading" data-testid="inbox-follows" data-viewer={viewer}>
      <h2 id="followed-heading">Series you follow</h2>
      <ul className="inbox-list">
        {data.map((f) => (
          <li key={f.key} className="inbox-item" data-testid="inbox-follow" data-series-key={f.seriesKey} data-notifications={f.notifications ? 'on' : 'off'}>
            <Link to={`/series/${f.seriesKey}`}>{f.title || 'Untitled series'}</Link>{' '}
            <span className="muted">{f.notifications ? 'notices on' : 'muted: no notices'}</span>{' '}
            <button
              type="button"
              className="secondary"
              data-testid="inbox-follow-toggle"
              disabled={Boolean(blocked) || state.busy}
              title={blocked || undefined}
              onClick={() => run(() => inbox.setNotifications(identities.active(), f, !f.notifications).then(() => (f.notifications ? 'Muted.' : 'Notices are on again.')))}
            >
              {f.notifications ? 'Mute' : 'Unmute'}
            </button>
          </li>
        ))}
      </ul>
      <p role="status" data-testid="inbox-follow-result">
        {state.error ? state.error.text : state.ok}
      </p>
    </section>
  );
}

export function InboxPage() {
  const { inbox, wallet } = useInbox();
  const { clock } = useApp();
  // Opening the inbox looks again (the watcher in the navigation also does, on changes).
  useEffect(() => {
    if (!wallet) return;
    look(inbox, wallet);
  }, [inbox, wallet]);
  const list = inbox.list(wallet);
  const unread = list.filter((n) => !n.read);
  const when = (at) => (at ? dateTime(Date.parse(at), { now: clock.now() }) : '');
  const markAll = () => inbox.markRead(wallet, unread.map((n) => n.id));
  return (
    <PageFrame
      name="inbox"
      title="Inbox"
      viewer={wallet}
      lead="Changes to the series you follow and the gatherings you RSVP’d to. What you have read is remembered in this browser."
      actions={
        unread.length ? (
          <button type="button" className="secondary" data-testid="inbox-mark-all" onClick={markAll}>
            Mark all as read
          </button>
        ) : null
      }
    >
      <PermissionControl />
      <p role="status" data-testid="inbox-summary">
        {list.length ? `${unread.length} unread of ${list.length}` : ''}
      </p>
      {list.length ? (
        <ul className="inbox-list" data-testid="inbox-list">
          {list.map((n) => {
            const to = target(n);
            return (
              <li key={n.id} className={`inbox-item${n.read ? '' : ' unread'}`} data-testid="notice" data-kind={n.kind} data-id={n.id} data-read={n.read ? 'true' : 'false'}>
                <p className="notice-text">
                  {n.read ? null : <span className="badge warn">new</span>} {noticeText(n, when)}
                </p>
                <p className="muted notice-meta">
                  <time dateTime={n.at}>{when(n.at)}</time>
                  {to ? (
                    <>
                      {' · '}
                      <Link to={to} onClick={() => inbox.markRead(wallet, [n.id])}>
                        {n.gatheringKey && n.kind !== 'occurrenceScheduled' ? 'Open the gathering' : 'Open the series'}
                      </Link>
                    </>
                  ) : null}
                  {n.read ? null : (
                    <>
                      {' · '}
                      <button type="button" className="link" data-testid="notice-mark-read" onClick={() => inbox.markRead(wallet, [n.id])}>
                        Mark as read
                      </button>
                    </>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      ) : (
        <Empty testid="inbox-empty">Nothing new. Follow a series or RSVP to a gathering to hear of its changes here.</Empty>
      )}
      <FollowedSeries />
    </PageFrame>
  );
}
