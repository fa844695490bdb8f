/**
 * core.wallet — a secp256k1 key made, sealed and used inside WASM (docs/wallet.md).
 *
 * JavaScript never receives the private key, except from `exportKey`. Argon2id runs
 * synchronously inside WASM: `create`, `importKey`, `unlock`, `changePassphrase` and
 * `exportKey` return Promises, yield to the event loop once, then block the thread
 * for one Argon2id run (about 0.5 s with the default parameters).
 *
 * Passphrases are NFKC-normalized and UTF-8 encoded; 1 to 65,536 bytes when sealing.
 */

/** 0x-prefixed hex. */
export type Hex = `0x${string}`;

/** Argon2id cost, recorded in every keystore. Tests may pass cheap values; apps should keep the defaults. */
export interface KdfParams {
  /** Passes over memory (Argon2 t), 1..64. */
  opslimit: number;
  /** Memory in KiB (Argon2 m), 8..1,048,576. */
  memlimitKiB: number;
}

export interface WalletOptions {
  /** Argon2id parameters for the new keystore; each member defaults to `core.wallet.defaultKdf`. */
  kdf?: Partial<KdfParams>;
}

/** A new or re-sealed keystore. */
export interface SealedWallet {
  /** EIP-55 checksummed address: last 20 bytes of keccak-256 of the public key. */
  address: Hex;
  /** The sealed key: 264 characters of standard base64 (format: docs/wallet.md). Safe to store. */
  keystore: string;
}

/** What a keystore reveals without its passphrase. */
export interface KeystoreInfo {
  version: 1;
  address: Hex;
  /** Uncompressed public key, 0x04 || x || y (65 bytes). */
  publicKey: Hex;
  kdf: KdfParams & { algorithm: 'argon2id13' };
}

/** ECDSA signature as Ethereum uses it: r and s as 32-byte hex, s <= n/2, yParity the recovery bit. */
export interface DigestSignature {
  r: Hex;
  s: Hex;
  yParity: 0 | 1;
}

/** An unlocked key. Holds only a handle; the key lives in WASM memory until `lock()`. */
export interface Signer {
  readonly address: Hex;
  /** Uncompressed public key, 0x04 || x || y. */
  readonly publicKey: Hex;
  /** True after `lock()`. */
  readonly locked: boolean;
  /**
   * Signs a 32-byte digest (0x + 64 hex digits): RFC 6979 deterministic nonce, low s.
   * @throws ConveneError `LOCKED` after lock(); `INVALID_INPUT`/`INVALID_TYPE` (field `digest`)
   */
  signDigest(digest: string): DigestSignature;
  /** Wipes the key (sodium_memzero) in WASM memory. Idempotent. A signer that is garbage-collected unlocked is locked then. */
  lock(): void;
}

export interface Wallet {
  /** The default Argon2id parameters (64 MiB, 6 passes). */
  readonly defaultKdf: Readonly<KdfParams>;
  /**
   * Makes a new key inside WASM (libsodium randomness, rejection-sampled into [1, n)) and seals it.
   * @throws ConveneError `INVALID_INPUT` (field `passphrase`: empty or over 65,536 bytes; `kdf.*`: out of range), `INVALID_TYPE`
   */
  create(passphrase: string, opts?: WalletOptions): Promise<SealedWallet>;
  /**
   * Seals an existing key. A Uint8Array argument is zero-filled afterwards.
   * @throws ConveneError `INVALID_KEY` (field `privateKey`: not 32 bytes, zero, or >= the curve order) and as `create`
   */
  importKey(privateKey: Hex | Uint8Array, passphrase: string, opts?: WalletOptions): Promise<SealedWallet>;
  /**
   * Reads version, address and KDF parameters, checking integrity only (no passphrase, no Argon2id). Synchronous.
   * @throws ConveneError `CORRUPT_KEYSTORE`, `UNSUPPORTED_KEYSTORE`, `MISSING_FIELD` (field `keystore`)
   */
  inspect(keystore: string): KeystoreInfo;
  /**
   * Opens a keystore.
   * @throws ConveneError `BAD_PASSPHRASE` (field `passphrase`), `CORRUPT_KEYSTORE` (any changed, missing or extra byte),
   *   `UNSUPPORTED_KEYSTORE` (another version), `MISSING_FIELD`, `INVALID_TYPE`
   */
  unlock(keystore: string, passphrase: string): Promise<Signer>;
  /**
   * Re-seals the same key under a new passphrase (fresh salt and nonce) without exposing it to JavaScript.
   * @throws ConveneError as `unlock` (field `passphrase` for a wrong old one) and as `create` (field `passphrase` for the new one)
   */
  changePassphrase(keystore: string, oldPassphrase: string, newPassphrase: string, opts?: WalletOptions): Promise<SealedWallet>;
  /**
   * The raw private key, 0x + 64 hex digits: the only call that reveals it, and it needs the passphrase again.
   * @throws ConveneError as `unlock`
   */
  exportKey(keystore: string, passphrase: string): Promise<Hex>;
  /**
   * The key that made `signature` over `digest`: ECDSA public key recovery (SEC 1 §4.1.6) with libsecp256k1 in WASM,
   * synchronous, a fraction of a millisecond. Any signature over any digest recovers *some* key, so compare the
   * result with the address you expect (as a collector compares it with the signer a request names).
   * @param digest 32 bytes as 0x + 64 hex digits (for personal_sign: the EIP-191 hash of the message)
   * @param signature r || s || v as 0x + 130 hex digits; v = 27 or 28, or a yParity of 0 or 1; high s accepted
   * @returns the EIP-55 checksummed address and the uncompressed public key 0x04 || x || y
   * @throws ConveneError `INVALID_INPUT` (field `digest`: not 64 hex digits; `signature`: not 130 hex digits, v not
   *   27/28/0/1, r or s zero or not below the curve order, or no point to recover), `INVALID_TYPE` (not a string)
   */
  recoverSigner(digest: string, signature: string): { address: Hex; publicKey: Hex };
}


/** A record of `createKeystoreStore`. */
export interface StoredKeystore {
  /** Lowercase address (the IndexedDB key). */
  address: string;
  keystore: string;
  /** Epoch milliseconds. */
  savedAt: number;
}

/** Sealed keystores in IndexedDB, keyed by address (case-insensitive). Browser only. */
export interface KeystoreStore {
  /** Saves or replaces; pass the result of `create` / `importKey` / `changePassphrase`. */
  save(wallet: { address: string; keystore: string }): Promise<StoredKeystore>;
  /** The keystore of `address`, or of the most recently saved wallet when omitted; `null` when none. */
  load(address?: string): Promise<string | null>;
  /** Every record, oldest first. */
  list(): Promise<StoredKeystore[]>;
  remove(address: string): Promise<void>;
  close(): Promise<void>;
}

/** @param options `dbName` default `'convene-wallet'`; `indexedDB` default `globalThis.indexedDB`; `now` default `Date.now`. */
export function createKeystoreStore(options?: { dbName?: string; indexedDB?: IDBFactory; now?: () => number }): KeystoreStore;

export interface AutoLockOptions {
  /** Milliseconds without activity before locking; default 300,000 (5 minutes). */
  idleMs?: number;
  /** Where activity events are listened for; default `document` (none in Node). */
  target?: EventTarget | null;
  /** Activity events; default pointerdown, pointermove, keydown, wheel, touchstart, focus. */
  events?: string[];
  /** Lock as soon as the page becomes hidden (`visibilitychange`); default false. */
  lockWhenHidden?: boolean;
  onLock?: (reason: 'idle' | 'hidden' | 'manual') => void;
  /** Injectable clock and timers (tests). */
  timers?: { setTimeout?: (fn: () => void, ms: number) => unknown; clearTimeout?: (id: any) => void; now?: () => number };
}

export interface AutoLock {
  /** Counts as activity. */
  touch(): void;
  /** Locks now. */
  lockNow(): void;
  /** Stops watching without locking. */
  stop(): void;
  readonly locked: boolean;
  /** Epoch ms at which it locks if nothing happens. */
  readonly deadline: number;
}

/** The DOM events that count as user activity by default (createAutoLock's `events`): pointerdown, pointermove, keydown, wheel, touchstart, focus. */
export declare const DEFAULT_ACTIVITY_EVENTS: readonly string[];

/** Locks `signer` after `idleMs` without user activity (or when the page is hidden, if asked). */
export function createAutoLock(signer: { lock(): void; readonly locked?: boolean }, options?: AutoLockOptions): AutoLock;

/**
 * A signer whose key lives in the wallet Worker (docs/wallet.md#the-wallet-worker): as `Signer`, but signing and
 * locking are messages to the Worker. `locked` turns true at once on `lock()` and when the Worker is gone.
 */
export interface WorkerSigner {
  readonly address: Hex;
  /** Uncompressed public key, 0x04 || x || y. */
  readonly publicKey: Hex;
  /** True once the key is locked (by `lock()` in any page sharing the Worker, or by its idle timer), and once the Worker is gone. */
  readonly locked: boolean;
  /** The Worker-held idle delay in milliseconds (0: none), as given to `WalletWorker.unlock` or `setIdle`. */
  readonly idleMs: number;
  /**
   * Signs a 32-byte digest in the Worker: RFC 6979 deterministic nonce, low s (the same bytes as `Signer.signDigest`).
   * @throws ConveneError `LOCKED` after lock() or once the Worker is gone; `INVALID_INPUT`/`INVALID_TYPE` (field `digest`)
   */
  signDigest(digest: string): Promise<DigestSignature>;
  /** Activity on this page: the Worker's idle delay for this key starts again (sent at most once a second; no-op once locked). */
  touch(): void;
  /**
   * A new idle delay for this key, counted from now, for every page that holds it.
   * @param ms whole milliseconds; 0 = no idle lock
   * @throws ConveneError `INVALID_INPUT` (field `idleMs`: a whole number from 0 to 2^31 - 1); `LOCKED` once locked
   */
  setIdle(ms: number): Promise<void>;
  /** Wipes the key in the Worker, for every page sharing it. Idempotent. */
  lock(): Promise<void>;
}

/** Why a key held by a page was locked: a `lock()` (in any page), its idle delay, or the Worker gone. */
export type WorkerLockReason = 'manual' | 'idle' | 'gone';

/**
 * `core.wallet`'s operations run in a Worker with its own WASM instance of the wallet's parts only
 * (a module Worker or SharedWorker in browsers, `worker_threads` in Node): Argon2id never blocks the page, and an
 * unlocked key is never in the page's memory. Every call is asynchronous; a call to a Worker that is gone rejects
 * with `WALLET_WORKER_GONE` at once.
 */
export interface WalletWorker {
  readonly defaultKdf: Readonly<KdfParams>;
  /** True for the SharedWorker every page of the origin shares (`createWalletWorker({ shared: true })` where the browser has one). */
  readonly shared: boolean;
  /** As `Wallet.create`. */
  create(passphrase: string, opts?: WalletOptions): Promise<SealedWallet>;
  /** As `Wallet.importKey` (the key is copied to the Worker; zero-fill your Uint8Array). */
  importKey(privateKey: Hex | Uint8Array, passphrase: string, opts?: WalletOptions): Promise<SealedWallet>;
  /** As `Wallet.inspect`, asynchronous. */
  inspect(keystore: string): Promise<KeystoreInfo>;
  /**
   * Opens the keystore in the Worker. `opts.idleMs`: the Worker locks the key after that many milliseconds without
   * a `touch()` from any page holding it (default 0: only an explicit lock).
   * @throws ConveneError `BAD_PASSPHRASE`, as `Wallet.unlock`; `INVALID_INPUT` (field `idleMs`)
   */
  unlock(keystore: string, passphrase: string, opts?: { idleMs?: number }): Promise<WorkerSigner>;
  /** The keys unlocked in the Worker now, by this page or by another page sharing it (one signer object per key). */
  unlocked(): Promise<WorkerSigner[]>;
  /** Called whenever a key this page holds is locked. @returns a function that unsubscribes */
  onLock(fn: (event: { address: Hex; reason: WorkerLockReason }) => void): () => void;
  /** Called whenever a key is unlocked in the Worker, by this page or by another page sharing it. @returns unsubscribe */
  onUnlock(fn: (signer: WorkerSigner) => void): () => void;
  /** As `Wallet.changePassphrase`. */
  changePassphrase(keystore: string, oldPassphrase: string, newPassphrase: string, opts?: WalletOptions): Promise<SealedWallet>;
  /** As `Wallet.exportKey`: the one call whose result brings the key to the page. */
  exportKey(keystore: string, passphrase: string): Promise<Hex>;
  /** Tests only (a Worker started with `{ test: true }`): how many times `bytes` occur in the Worker's WASM memory. */
  scanMemory(bytes: Uint8Array): Promise<number>;
  /**
   * Tests only (`{ test: true }`): the Worker spins for ever, answering nothing (what a crashed or frozen Worker
   * looks like from a page); the call rejects with `WALLET_WORKER_GONE` after `goneAfterMs`.
   */
  freezeForTests(): Promise<never>;
  /**
   * Stops the Worker; the signers this page holds are locked here, later calls reject with `WALLET_WORKER_GONE`.
   * A shared Worker only loses this page: its keys stay unlocked for the other pages.
   */
  terminate(): Promise<void>;
}

/**
 * Starts the wallet Worker (npm/src/wallet/worker.js) and resolves when its WASM instance is ready.
 * @throws ConveneError `NO_WORKER` where the page cannot start a Worker (use `core.wallet` on the main thread
 *   explicitly there); `WALLET_WORKER_GONE` if it fails while starting or is not ready within `startTimeoutMs`;
 *   `INVALID_INPUT` (`options.startTimeoutMs` / `options.heartbeatMs` / `options.goneAfterMs`) for a delay that is
 *   not a positive number, or a `heartbeatMs` not below `goneAfterMs`
 */
export function createWalletWorker(options?: {
  /** Enables the Worker's memory scan (key-hygiene tests only). */
  test?: boolean;
  /** One SharedWorker for every page of the origin that asks for it, where the browser has SharedWorker (else a dedicated Worker). */
  shared?: boolean;
  /** How long the Worker may take to be ready (fetching and compiling its module), in milliseconds; default 60,000. */
  startTimeoutMs?: number;
  /** How often the page pings the Worker while it has calls in flight or holds keys, in milliseconds; default 5,000. */
  heartbeatMs?: number;
  /**
   * How long a started Worker may stay silent (no answer to a call or a ping) before it counts as gone, in
   * milliseconds; default 60,000 (far above an Argon2id run at the default parameters, during which it answers
   * nothing); more than `heartbeatMs`. Counted in pings really sent (`goneAfterMs / heartbeatMs` in a row, at least
   * 2), so a paused page does not count its own pause. Then calls in flight reject with `WALLET_WORKER_GONE`, its
   * signers turn locked (reason `gone`) and the Worker is stopped.
   */
  goneAfterMs?: number;
}): Promise<WalletWorker>;
