// The Bluesky (ATProto) account the app publishes with, on the configured PDS (config.pdsUrl), and the
// reads of calendar records from repos (docs/bluesky.md#the-app).
//
// Connecting logs in with a handle and an app password (`com.atproto.server.createSession` through
// `@atproto/api`'s AtpAgent); the session's tokens are kept in sessionStorage, so a reload of the tab keeps
// the connection and closing the browser ends it. The app password itself is never stored. Production would
// use ATProto OAuth instead (docs/bluesky.md#connecting). `@atproto/api` is loaded on first use, so pages
// that never touch Bluesky do not download it.

const SESSION_KEY = 'convene.bluesky.session';

/**
 * An error of the connection (stable `code`): `NO_PDS` (no PDS configured), `LOGIN_FAILED` (the PDS
 * refused the handle or password), `PDS_UNREACHABLE`, `NOT_CONNECTED`.
 */
export class BlueskyAccountError extends Error {
  constructor(code, message, field) {
    super(message);
    this.name = 'BlueskyAccountError';
    this.code = code;
    if (field) this.field = field;
  }
}

/**
 * @param {{ pdsUrl?: string, storage?: Storage }} options `pdsUrl`: the PDS's base URL (none: Bluesky is off).
 * @returns the account store: `state` ({ status: 'off' | 'disconnected' | 'connected', handle?, did? }),
 *   `version` and `onChange(fn)` for React, `connect`, `disconnect`, `resume`, `agent()` (logged in),
 *   `publicAgent()` (for reading public repos) and `hostedRepos()`.
 */
export function createBlueskyAccount({ pdsUrl, storage = globalThis.sessionStorage } = {}) {
  const listeners = new Set();
  let state = pdsUrl ? { status: 'disconnected' } : { status: 'off' };
  let version = 0;
  let agent = null;
  let readAgent = null;
  const set = (next) => {
    state = next;
    version += 1;
    listeners.forEach((fn) => fn());
  };
  const api = () => import('@atproto/api');
  const need = () => {
    if (!pdsUrl) throw new BlueskyAccountError('NO_PDS', 'No Bluesky PDS is configured for this app (config.json `pdsUrl`).');
  };
  const persist = (evt, session) => {
    try {
      if (session && (evt === 'create' || evt === 'update')) storage?.setItem(SESSION_KEY, JSON.stringify(session));
      else if (evt === 'expired' || evt === 'create-failed') storage?.removeItem(SESSION_KEY);
    } catch {
      // Storage refused (private mode): the connection lasts as long as the page.
    }
  };

  /**
   * Logs in with a handle (or DID) and an app password.
   * @param {{ handle: string, password: string }} args
   * @returns {Promise<{ handle: string, did: string }>}
   * @throws {BlueskyAccountError} NO_PDS, LOGIN_FAILED (field `handle` or `password`), PDS_UNREACHABLE
   */
  async function connect({ handle, password }) {
    need();
    const identifier = String(handle || '').trim().replace(/^@/, '');
    if (!identifier) throw new BlueskyAccountError('LOGIN_FAILED', 'Enter the Bluesky handle to connect, such as alice.test.', 'handle');
    if (!password) throw new BlueskyAccountError('LOGIN_FAILED', 'Enter an app password for this account.', 'password');
    const { AtpAgent } = await api();
    const a = new AtpAgent({ service: pdsUrl, persistSession: persist });
    try {
      await a.login({ identifier, password });
    } catch (err) {
      const status = typeof err?.status === 'number' ? err.status : 0;
      if (status >= 100 && status < 500) throw new BlueskyAccountError('LOGIN_FAILED', `The PDS refused the handle or the app password (${err.message || err.error || status}).`, 'password');
      throw new BlueskyAccountError('PDS_UNREACHABLE', `The Bluesky PDS at ${pdsUrl} did not answer (${err?.message || err}).`);
    }
    agent = a;
    set({ status: 'connected', handle: a.session.handle, did: a.session.did });
    return { handle: a.session.handle, did: a.session.did };
  }

  /** Takes up the session this tab stored, if any (on start). Never throws: a stale session is dropped. */
  async function resume() {
    if (!pdsUrl || agent) return;
    let saved = null;
    try {
      saved = JSON.parse(storage?.getItem(SESSION_KEY) || 'null');
    } catch {
      saved = null;
    }
    if (!saved || !saved.did) return;
    const { AtpAgent } = await api();
    const a = new AtpAgent({ service: pdsUrl, persistSession: persist });
    try {
      await a.resumeSession(saved);
      agent = a;
      set({ status: 'connected', handle: a.session.handle, did: a.session.did });
    } catch {
      try {
        storage?.removeItem(SESSION_KEY);
      } catch {
        // nothing stored to remove
      }
    }
  }

  /** Forgets the session (the tokens stay valid on the PDS until they expire). */
  function disconnect() {
    agent = null;
    try {
      storage?.removeItem(SESSION_KEY);
    } catch {
      // nothing stored
    }
    set(pdsUrl ? { status: 'disconnected' } : { status: 'off' });
  }

  /** @returns the logged-in AtpAgent. @throws {BlueskyAccountError} NO_PDS, NOT_CONNECTED */
  function loggedIn() {
    need();
    if (!agent) throw new BlueskyAccountError('NOT_CONNECTED', 'Connect a Bluesky account first (the Bluesky page).');
    return agent;
  }

  /** An AtpAgent that is not logged in, for public reads (listRecords, getRecord, resolveHandle). @throws NO_PDS */
  async function publicAgent() {
    need();
    if (!readAgent) {
      const { AtpAgent } = await api();
      readAgent = new AtpAgent({ service: pdsUrl });
    }
    return readAgent;
  }

  /**
   * The DIDs of every repo the PDS hosts (`com.atproto.sync.listRepos`, all pages): where RSVPs are looked for.
   * Without an AppView or a relay subscription, the repos to read must be known; on one community PDS these
   * are its accounts (docs/bluesky.md#rsvps).
   * @returns {Promise<string[]>}
   */
  async function hostedRepos() {
    const a = await publicAgent();
    const dids = [];
    let cursor;
    do {
      const res = await a.com.atproto.sync.listRepos({ limit: 500, cursor });
      for (const r of res.data.repos) if (r.active !== false) dids.push(r.did);
      cursor = res.data.repos.length ? res.data.cursor : undefined;
    } while (cursor);
    return dids;
  }

  return {
    pdsUrl,
    get state() {
      return state;
    },
    get version() {
      return version;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    connect,
    resume,
    disconnect,
    agent: loggedIn,
    publicAgent,
    hostedRepos,
  };
}
