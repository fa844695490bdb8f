// The user's wallets (docs/wallet.md): keys made and sealed inside WASM — in the wallet Worker
// (createWalletWorker, docs/wallet.md#the-wallet-worker) where the page can start one, else core.wallet on the
// main thread — sealed keystores kept in IndexedDB (createKeystoreStore), one wallet unlocked at a
// time, locked after inactivity or by the Lock button. With the wallet Worker the idle timer is the Worker's
// (every page touches it on activity), and where that Worker is the shared one, the app's tabs share one unlocked
// wallet: unlocked in one tab, unlocked in all; locked in one, locked in all. On the main thread it is createAutoLock. Every entity write is signed
// through toViemAccount(signer) from '@convene/core/viem'; JavaScript never sees a private key.
// Several named wallets may live in one browser (the flows need two people): switching locks the
// current one and the next one needs its own passphrase.
import { nonceManager } from '@arkiv-network/sdk';
import { DEFAULT_ACTIVITY_EVENTS, createAutoLock, createKeystoreStore } from '@convene/core';
import { toViemAccount } from '@convene/core/viem';
import { appError } from './errors.js';

const LABELS_KEY = 'convene.wallet.labels';
const ACTIVE_KEY = 'convene.wallet.active';
const IDLE_KEY = 'convene.wallet.autoLockMinutes';
export const DEFAULT_IDLE_MINUTES = 5;
const NOBODY = '0x0000000000000000000000000000000000000000';

/**
 * Cheap Argon2id for tests and development, only through the visible `?kdf=interactive` URL
 * parameter (the app then shows a banner). Normal use keeps core.wallet.defaultKdf (64 MiB, 6 passes).
 */
export const TEST_KDF = Object.freeze({ opslimit: 1, memlimitKiB: 8192 });

/** A write refused because no wallet is unlocked (shown next to the action that needed it). */
export function lockedError(label) {
  return appError('WALLET_LOCKED', '', label ? `${label}'s wallet is locked: unlock it to sign` : 'no wallet: create one to sign');
}

/** Auto-lock minutes as typed: a positive whole number, else null. */
export function parseIdleMinutes(value) {
  const text = String(value ?? '').trim();
  if (!/^\d+$/.test(text)) return null;
  const m = Number(text);
  return m >= 1 && m <= 7 * 24 * 60 ? m : null;
}

/**
 * @typedef {{ label: string, address: string, locked: boolean, account: import('viem').LocalAccount | null }} Identity
 *   `address` lowercase (docs/domain.md#entities-on-arkiv); `account` the viem account while unlocked, else null.
 */

/**
 * @param {{ core: any, wallet?: any, store?: ReturnType<typeof createKeystoreStore>, storage?: Storage, kdf?: { opslimit: number, memlimitKiB: number } }} deps
 *   `wallet`: what makes, seals and unlocks keys — a WalletWorker (`createWalletWorker`) or `core.wallet` (the default:
 *   on the main thread, which Argon2id then blocks).
 */
export async function createWallets({ core, wallet = core.wallet, store = createKeystoreStore(), storage = globalThis.localStorage, kdf }) {
  const readJson = (key, fallback) => {
    try {
      return JSON.parse(storage.getItem(key) || '') ?? fallback;
    } catch {
      return fallback;
    }
  };
  let labels = readJson(LABELS_KEY, {});
  let wallets = []; // { label, address, keystore }
  let activeAddress = storage.getItem(ACTIVE_KEY) || '';
  let session = null; // { address, signer, account, autoLock }
  let lastLock = null; // { address, reason }
  let busy = ''; // 'Unlocking…' / 'Creating…' while Argon2id runs
  // A stored value from an older version (0.05, -3) is not honoured: the default applies.
  let idleMinutes = parseIdleMinutes(storage.getItem(IDLE_KEY)) || DEFAULT_IDLE_MINUTES;
  const listeners = new Set();
  let version = 0; // bumped on every change (React reads the wallets through useSyncExternalStore)
  const emit = () => {
    version += 1;
    listeners.forEach((fn) => fn());
  };

  const short = (a) => `${a.slice(0, 6)}…${a.slice(-4)}`;
  /** The wallet Worker keeps the idle timer and tells every page of locks and unlocks (a main-thread core.wallet does not). */
  const inWorker = typeof wallet.onLock === 'function';

  async function load() {
    labels = readJson(LABELS_KEY, {}); // another tab may have named a wallet since
    const records = await store.list();
    wallets = records.map((r) => ({ address: r.address, keystore: r.keystore, label: labels[r.address] || short(r.address) }));
    if (!wallets.some((w) => w.address === activeAddress)) activeAddress = wallets[0]?.address || '';
  }
  await load();

  function identity(w) {
    const unlocked = session && session.address === w.address && !session.signer.locked;
    return { label: w.label, address: w.address, locked: !unlocked, account: unlocked ? session.account : null };
  }

  function setActive(address) {
    activeAddress = address;
    storage.setItem(ACTIVE_KEY, address);
  }

  function lock(reason = 'manual') {
    if (!session) return;
    const s = session;
    session = null;
    s.autoLock.stop();
    // With the wallet Worker this locks the key in every tab that shares it.
    Promise.resolve(s.signer.lock()).catch(() => {}); // the Worker's lock is a message; its signer is locked at once
    lastLock = { address: s.address, reason };
    emit();
  }

  /** Runs one Argon2id-bound step with `busy` set, so the UI can say so (on the main thread, the thread blocks while it runs). */
  async function withBusy(text, fn) {
    busy = text;
    emit();
    // Let the browser paint "Unlocking…" before the WASM call blocks the thread.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    try {
      return await fn();
    } finally {
      busy = '';
      emit();
    }
  }

  /** With the wallet Worker: activity on this page touches the Worker's idle timer of `signer` (it locks it, in every tab). */
  function touchOnActivity(signer) {
    const target = globalThis.document;
    const onActivity = () => signer.touch();
    for (const e of DEFAULT_ACTIVITY_EVENTS) target?.addEventListener?.(e, onActivity, { capture: true, passive: true });
    return { stop: () => DEFAULT_ACTIVITY_EVENTS.forEach((e) => target?.removeEventListener?.(e, onActivity, true)) };
  }

  function startSession(signer) {
    const address = signer.address.toLowerCase();
    // The Worker announces an unlock before it answers it, so this tab may have adopted this signer already.
    if (session) session.autoLock.stop();
    if (inWorker) {
      session = { address, signer, account: toViemAccount(signer, { nonceManager }), autoLock: touchOnActivity(signer) };
      lastLock = null;
      return;
    }
    const autoLock = createAutoLock(signer, {
      idleMs: idleMinutes * 60_000,
      onLock: (reason) => {
        if (session && session.signer === signer) {
          session = null;
          lastLock = { address, reason };
          emit();
        }
      },
    });
    session = { address, signer, account: toViemAccount(signer, { nonceManager }), autoLock };
    lastLock = null;
  }

  /** A key unlocked in the Worker, here or in another tab: this tab uses it (and selects its wallet) unless it uses one already. */
  async function adopt(signer) {
    // Not while this tab creates or unlocks a wallet of its own: that one is about to become the session.
    if (busy || signer.locked || (session && !session.signer.locked)) return;
    const address = signer.address.toLowerCase();
    if (!wallets.some((w) => w.address === address)) await load(); // made in another tab
    if (busy || !wallets.some((w) => w.address === address) || signer.locked || (session && !session.signer.locked)) return;
    setActive(address);
    startSession(signer);
    emit();
  }

  if (inWorker) {
    wallet.onLock(({ address, reason }) => {
      // The Worker marks the very signer that was locked before telling the pages: another handle of the same key
      // (unlocked twice) does not end this session.
      if (!session || !session.signer.locked) return;
      session.autoLock.stop();
      session = null;
      lastLock = { address: address.toLowerCase(), reason };
      emit();
    });
    wallet.onUnlock((signer) => adopt(signer).catch(() => {}));
    for (const signer of await wallet.unlocked()) await adopt(signer);
  }

  return {
    /** @returns {Identity[]} every wallet kept in this browser */
    all: () => wallets.map(identity),
    /** @returns {Identity} the selected wallet (locked or not); a placeholder when there is none */
    active() {
      const w = wallets.find((x) => x.address === activeAddress);
      return w ? identity(w) : { label: 'no wallet', address: NOBODY, locked: true, account: null };
    },
    /**
     * Signs meeting-event batches for the collector (`httpSink(url, { signer: wallets.batchSigner })`, docs/events.md#signed-batches):
     * the active wallet's key while it is unlocked. signDigest throws WALLET_LOCKED otherwise; the batcher then keeps the
     * batch and retries it (a failed send), so events wait for the wallet to be unlocked.
     */
    batchSigner: Object.freeze({
      get address() {
        return session && session.address === activeAddress ? session.signer.address : activeAddress;
      },
      signDigest(digest) {
        if (!session || session.address !== activeAddress || session.signer.locked) throw lockedError('');
        return session.signer.signDigest(digest);
      },
    }),
    /** The active wallet's viem account, or a WALLET_LOCKED error. */
    signerFor(id) {
      if (!id || !id.account) throw lockedError(id && id.address !== NOBODY ? id.label : '');
      return id.account;
    },
    /**
     * The sealed keystore of one wallet as a file to save: `{ name, text }`, where `text` is the JSON
     * `{"address", "keystore"}` that core.wallet.create returns (docs/wallet.md) — what the steward
     * reads (docs/steward.md) and a backup. The key stays sealed under the passphrase; null for an
     * unknown address.
     */
    keystoreFile(address) {
      const a = String(address || '').toLowerCase();
      const w = wallets.find((x) => x.address === a);
      if (!w) return null;
      const name = `convene-${w.label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'wallet'}-${a.slice(2, 8)}.keystore.json`;
      return { name, text: JSON.stringify({ address: w.address, keystore: w.keystore }, null, 2) + '\n' };
    },
    labelOf(address) {
      const a = String(address || '').toLowerCase();
      const known = wallets.find((w) => w.address === a);
      return known ? known.label : short(a);
    },
    get busy() {
      return busy;
    },
    /** Why the active wallet is locked last time ('idle', 'hidden', 'manual'), if it was locked here. */
    get lastLock() {
      return lastLock && lastLock.address === activeAddress ? lastLock : null;
    },
    /** Changes so far (a snapshot for React's useSyncExternalStore). */
    get version() {
      return version;
    },
    /** The wallet already called `label` (names are unique, compared ignoring case and spaces), if any. */
    named(label) {
      const want = String(label || '').trim().toLowerCase();
      const w = wallets.find((x) => x.label.trim().toLowerCase() === want);
      return w ? identity(w) : null;
    },
    get kdf() {
      return kdf || wallet.defaultKdf;
    },
    /** True when keys live in the wallet Worker (else on the main thread: see main.jsx). */
    get inWorker() {
      return inWorker;
    },
    /** True when that Worker is shared by the app's tabs (a SharedWorker). */
    get sharedWorker() {
      return Boolean(wallet.shared);
    },
    get testKdf() {
      return Boolean(kdf);
    },
    get idleMinutes() {
      return idleMinutes;
    },
    /** Auto-lock delay in whole minutes (INVALID_MINUTES otherwise); applies at once to an unlocked wallet (the idle time restarts). */
    setIdleMinutes(minutes) {
      const m = parseIdleMinutes(minutes);
      if (!m) throw appError('INVALID_MINUTES', 'minutes', `auto-lock minutes must be a whole number from 1 to 10080, got "${minutes}"`);
      idleMinutes = m;
      storage.setItem(IDLE_KEY, String(m));
      if (session && inWorker) {
        session.signer.setIdle(m * 60_000).catch(() => {}); // LOCKED: it was locked meanwhile (onLock says so)
      } else if (session) {
        const { signer } = session;
        session.autoLock.stop();
        const account = session.account;
        startSession(signer);
        session.account = account; // keep the same account (and its nonce manager)
      }
      emit();
    },
    /** Makes a key inside WASM, seals it with `passphrase`, keeps the keystore in IndexedDB and unlocks it. */
    async create(label, passphrase) {
      // Checked before anything is derived: a unique name and a passphrase at all.
      let name = String(label || '').trim();
      if (!name) {
        let n = wallets.length + 1;
        while (this.named(`Wallet ${n}`)) n += 1;
        name = `Wallet ${n}`;
      }
      if (this.named(name)) throw appError('NAME_TAKEN', 'name', `A wallet called “${this.named(name).label}” already exists in this browser`);
      if (!passphrase) throw appError('EMPTY_PASSPHRASE', 'passphrase', 'a passphrase is required');
      lock('switch');
      return withBusy('Creating wallet…', async () => {
        const sealed = await wallet.create(passphrase, kdf ? { kdf } : undefined);
        const address = sealed.address.toLowerCase();
        await store.save(sealed);
        labels = { ...labels, [address]: name };
        storage.setItem(LABELS_KEY, JSON.stringify(labels));
        await load();
        setActive(address);
        startSession(await wallet.unlock(sealed.keystore, passphrase, inWorker ? { idleMs: idleMinutes * 60_000 } : undefined));
        return address;
      });
    },
    /** Unlocks the active wallet (Argon2id in WASM, about 0.5–1.5 s). BAD_PASSPHRASE when wrong. */
    async unlock(passphrase) {
      await load(); // the keystore as stored now: another tab may have changed its passphrase
      const w = wallets.find((x) => x.address === activeAddress);
      if (!w) throw lockedError('');
      // An empty passphrase is refused at once, not after a second of Argon2id.
      if (!passphrase) throw appError('EMPTY_PASSPHRASE', 'passphrase', 'a passphrase is required');
      lock('switch');
      return withBusy('Unlocking…', async () => {
        let signer;
        try {
          signer = await wallet.unlock(w.keystore, passphrase, inWorker ? { idleMs: idleMinutes * 60_000 } : undefined);
        } catch (err) {
          // The core names no field here; the passphrase is the one the person can change.
          if (err && err.code === 'BAD_PASSPHRASE') throw appError('BAD_PASSPHRASE', 'passphrase', err.message);
          throw err;
        }
        startSession(signer);
      });
    },
    /**
     * Seals the key of the wallet at `address` again under `next` (Argon2id twice: opening with `current`, sealing
     * with `next`; in the wallet Worker, off the page's thread) and keeps the new keystore in IndexedDB in place
     * of the old one. The key and its address do not change; an unlocked wallet stays unlocked.
     * Refused before any derivation: EMPTY_PASSPHRASE (`current` / `next`); after it: BAD_PASSPHRASE (`current`).
     */
    async changePassphrase(address, current, next) {
      const w = wallets.find((x) => x.address === String(address || '').toLowerCase());
      if (!w) throw lockedError('');
      if (!current) throw appError('EMPTY_PASSPHRASE', 'current', 'the current passphrase is required');
      if (!next) throw appError('EMPTY_PASSPHRASE', 'next', 'a new passphrase is required');
      return withBusy('Changing the passphrase…', async () => {
        let sealed;
        try {
          sealed = await wallet.changePassphrase(w.keystore, current, next, kdf ? { kdf } : undefined);
        } catch (err) {
          if (err && err.code === 'BAD_PASSPHRASE') throw appError('BAD_PASSPHRASE', 'current', err.message);
          throw err;
        }
        await store.save(sealed);
        await load();
        emit();
        return sealed.address.toLowerCase();
      });
    },
    lock: () => lock('manual'),
    /** Switching wallets locks the current one; the next one must be unlocked with its passphrase. */
    switchTo(address) {
      const a = String(address).toLowerCase();
      if (a === activeAddress || !wallets.some((w) => w.address === a)) return;
      lock('switch');
      setActive(a);
      emit();
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
