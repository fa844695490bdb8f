// The app's shared state for React: the loaded core, the SDK, the wallets, the app clock and the
// services (web/src/{gatherings,sessions,series}.js), plus hooks that read them.
//
// Test hooks kept from the first version of the app: body[data-busy] counts running actions and
// body[data-refreshing] counts pages that are (re)loading; both go back to 0 only after React has
// committed what the work produced, so a test that waits for both to be 0 sees the result on screen.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { explain } from '../errors.js';

export const AppContext = createContext(null);

/** @returns {{ core: any, arkiv: any, config: any, clock: any, identities: any, changes: ReturnType<typeof createChanges>, live: ReturnType<typeof import('../live.js').createLive> | null, gatherings: any, sessions: any, series: any, inbox: ReturnType<typeof import('../notices.js').createInbox>, node: any }} */
export const useApp = () => useContext(AppContext);

/** Body counters the e2e tests wait on. */
export function track(name, delta) {
  const body = document.body;
  body.dataset[name] = String(Math.max(0, Number(body.dataset[name] || 0) + delta));
}

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** "Something was written": every page re-reads what it shows. */
export function createChanges() {
  let version = 0;
  const listeners = new Set();
  return {
    get: () => version,
    bump() {
      version += 1;
      listeners.forEach((fn) => fn());
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/**
 * The app clock's minute, for pages to re-read as time passes (a gathering starts, a session ends):
 * one timer for the whole app.
 */
export function createMinuteTicker(clock) {
  let minute = Math.floor(clock.now() / 60_000);
  const listeners = new Set();
  setInterval(() => {
    const m = Math.floor(clock.now() / 60_000);
    if (m === minute) return;
    minute = m;
    listeners.forEach((fn) => fn());
  }, 5_000);
  return {
    get: () => minute,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** The wallet book; the component re-renders on every change (unlock, lock, busy, switch). */
export function useWallets() {
  const { identities } = useApp();
  useSyncExternalStore(identities.onChange, () => identities.version);
  return identities;
}

/** The app clock's offset (re-renders when it moves); `now()` reads the app clock. */
export function useClock() {
  const { clock } = useApp();
  const offset = useSyncExternalStore(clock.onChange, clock.offsetMs);
  return { clock, offset, now: clock.now };
}

/** Why writes are impossible right now ('' when the active wallet is unlocked). */
export function writeBlock(identities) {
  const id = identities.active();
  if (identities.busy) return identities.busy;
  if (!id.locked) return '';
  return identities.all().length ? `Locked: unlock ${id.label}'s wallet to sign this` : 'No wallet: create one to sign this';
}

export function useWriteGuard() {
  const identities = useWallets();
  return writeBlock(identities);
}

/**
 * Loads what a page shows with `load({ viewer })`, again whenever the acting wallet, its lock state,
 * the app clock (moved, or a minute later), a write (`changes`) or `keys` change. Keeps the last data
 * while re-reading.
 * @returns {{ data: any, error: any, loading: boolean, viewer: string }}
 */
export function useLoad(load, keys = []) {
  const { identities, clock, changes, minutes } = useApp();
  useSyncExternalStore(identities.onChange, () => identities.version);
  const active = identities.active();
  const offset = useSyncExternalStore(clock.onChange, clock.offsetMs);
  const version = useSyncExternalStore(changes.subscribe, changes.get);
  // Every minute too: what is happening now changes with time alone.
  const minute = useSyncExternalStore(minutes.subscribe, minutes.get);
  // And when a live change asks for it (reload()).
  const [reloads, setReloads] = useState(0);
  const key = JSON.stringify([active.address, active.locked, offset, version, minute, reloads, ...keys]);
  const [state, setState] = useState({ key: null, data: null, error: null, viewer: '' });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const loading = state.key !== key;

  // Counted from the commit that shows "loading" to the commit that shows the result.
  useLayoutEffect(() => {
    if (!loading) return undefined;
    track('refreshing', 1);
    return () => track('refreshing', -1);
  }, [loading]);

  useEffect(() => {
    const mine = ++seq.current;
    const viewer = identities.active();
    Promise.resolve()
      .then(() => loadRef.current({ viewer }))
      .then(
        (data) => mine === seq.current && setState({ key, data, error: null, viewer: viewer.address }),
        (error) => {
          console.warn('loading', error);
          if (mine === seq.current) setState((s) => ({ key, data: s.data, error, viewer: viewer.address }));
        },
      );
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { data: state.data, error: state.error, loading, viewer: state.viewer, reload };
}

/** Calls `handler(change)` for each live change from the node while mounted (web/src/live.js). */
export function useLive(handler) {
  const { live } = useApp();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => (live ? live.subscribe((c) => ref.current(c)) : undefined), [live]);
}

const OFF = () => 'off';
const NEVER = () => () => {};
/** 'connecting' | 'live' | 'off': whether pages update by themselves. */
export function useLiveStatus() {
  const { live } = useApp();
  return useSyncExternalStore(live ? live.onStatus : NEVER, live ? live.status : OFF);
}

/**
 * A list read page by page: `loadPage({ viewer, cursor })` resolves to `{ items, cursor, ...rest }`
 * (cursor null on the last page). The first page loads like `useLoad` (and reloads with it); `more()`
 * appends the next page. Returns the first page's data with `items` = every page loaded so far, plus
 * `pages` (each page's own result, first included: for what a page reports besides its items, such as
 * `ignored`), `more` (null when there is nothing more), `loadingMore` and `moreError`, and for live
 * changes `patch(id, item)` (replace one item of `items` / `now`, found by `idOf`) and `reload()`.
 */
export function usePaged(loadPage, keys = [], { idOf } = {}) {
  const first = useLoad(({ viewer }) => loadPage({ viewer, cursor: null }), keys);
  // Items replaced in place by a live change (by idOf), until the list is read again.
  const [patches, setPatches] = useState({ base: null, byId: new Map() });
  const [extra, setExtra] = useState({ base: null, items: [], pages: [], cursor: undefined, loading: false, error: null });
  const { identities } = useApp();
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  // Pages loaded after the first belong to that first page: a reload starts again.
  const current = extra.base === first.data ? extra : { base: first.data, items: [], pages: [], cursor: undefined, loading: false, error: null };
  const cursor = current.cursor === undefined ? first.data?.cursor ?? null : current.cursor;
  const more = useCallback(async () => {
    if (!cursor || current.loading) return;
    const base = first.data;
    setExtra({ ...current, base, loading: true, error: null });
    track('refreshing', 1);
    try {
      const next = await loadRef.current({ viewer: identities.active(), cursor });
      setExtra((s) => (s.base === base ? { ...s, items: [...s.items, ...next.items], pages: [...s.pages, next], cursor: next.cursor, loading: false } : s));
    } catch (error) {
      setExtra((s) => (s.base === base ? { ...s, loading: false, error } : s));
    } finally {
      await nextFrame();
      track('refreshing', -1);
    }
  }, [cursor, current, first.data, identities]);
  const byId = patches.base === first.data ? patches.byId : null;
  const patched = (items) => (byId && idOf ? items.map((it) => byId.get(idOf(it)) || it) : items);
  const data = first.data
    ? { ...first.data, items: patched([...first.data.items, ...current.items]), ...(Array.isArray(first.data.now) ? { now: patched(first.data.now) } : {}) }
    : null;
  const pages = first.data ? [first.data, ...current.pages] : [];
  /** Replaces the item whose idOf is `id` by `item` (a live change re-read one item). */
  const patch = useCallback(
    (id, item) => setPatches((p) => ({ base: first.data, byId: new Map([...(p.base === first.data ? p.byId : []), [id, item]]) })),
    [first.data],
  );
  return { ...first, data, pages, more: cursor ? more : null, loadingMore: current.loading, moreError: current.error, patch };
}

/**
 * Runs one action (a write) for the control that started it: `busy` while it runs, then `ok` (a
 * sentence) or `error` (explain(): code, field, text). Never throws. A successful run that wrote
 * something bumps `changes` so the pages re-read.
 * @returns {[run: (fn: () => Promise<string|void>, opts?: { labels?: object, wrote?: boolean }) => Promise<boolean>, state: { busy: boolean, ok: string, error: any }, reset: () => void]}
 */
export function useAction() {
  const { changes, identities } = useApp();
  const [state, setState] = useState({ busy: false, ok: '', error: null });
  // Another wallet acting: the last outcome was someone else's.
  const actor = useSyncExternalStore(identities.onChange, () => identities.active().address);
  const first = useRef(actor);
  useEffect(() => {
    if (first.current === actor) return;
    first.current = actor;
    setState((st) => (st.busy ? st : { busy: false, ok: '', error: null }));
  }, [actor]);
  const run = useCallback(
    async (fn, { labels, aliases, wrote = true } = {}) => {
      setState({ busy: true, ok: '', error: null });
      track('busy', 1);
      try {
        const ok = await fn();
        setState({ busy: false, ok: ok || 'Done.', error: null });
        if (wrote) changes.bump();
        return true;
      } catch (err) {
        console.warn('action failed', err);
        setState({ busy: false, ok: '', error: explain(err, labels, aliases) });
        return false;
      } finally {
        await nextFrame();
        track('busy', -1);
      }
    },
    [changes],
  );
  const reset = useCallback(() => setState({ busy: false, ok: '', error: null }), []);
  return [run, state, reset];
}

/** Sets the document title for a page. */
export function useTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · Convene` : 'Convene';
  }, [title]);
}
