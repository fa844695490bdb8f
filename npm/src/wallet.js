// core.wallet: keys made, sealed and used inside WASM (docs/wallet.md).
//
// JavaScript never holds a private key: `create` makes it in WASM and returns
// only the address and the sealed keystore; `unlock` returns a signer object
// that holds a numeric handle to the key kept in WASM memory. The one exception
// is `exportKey`, an explicit call that needs the passphrase again.
//
// Passphrases are NFKC-normalized (as ethers' JSON wallets do, so the same
// words typed on different keyboards give the same bytes), encoded as UTF-8,
// copied into WASM memory that is wiped after use, and the JS byte copy is
// zero-filled. The address is keccak-256 of the public key (@noble/hashes).
import { ConveneError } from './errors.js';
import { describe, requireString, unwrapJson, unwrapVal } from './native.js';
import { publicKeyToAddress } from './wallet/address.js';

const encoder = new TextEncoder();

/** Yields to the event loop once, so a UI can paint before Argon2id blocks the thread. */
const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

function passphraseBytes(passphrase, field) {
  requireString(passphrase, field);
  return encoder.encode(passphrase.normalize('NFKC'));
}

/** Calls `fn(bytes...)` with UTF-8 passphrases and zero-fills the byte copies afterwards. */
function withPassphrases(fields, fn) {
  const buffers = fields.map(([value, name]) => passphraseBytes(value, name));
  try {
    return fn(...buffers);
  } finally {
    for (const b of buffers) b.fill(0);
  }
}

function kdfOption(opts, defaults) {
  if (opts === undefined || opts === null) return defaults;
  if (typeof opts !== 'object') {
    throw new ConveneError('INVALID_TYPE', `options must be an object, got ${describe(opts)}`, 'options');
  }
  const kdf = opts.kdf;
  if (kdf === undefined || kdf === null) return defaults;
  if (typeof kdf !== 'object') {
    throw new ConveneError('INVALID_TYPE', `options.kdf must be an object, got ${describe(kdf)}`, 'options.kdf');
  }
  const out = { ...defaults };
  for (const name of ['opslimit', 'memlimitKiB']) {
    const v = kdf[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new ConveneError('INVALID_INPUT', `kdf.${name} must be a non-negative integer, got ${describe(v)} ${String(v)}`, `kdf.${name}`);
    }
    out[name] = v;
  }
  return out;
}

function keyBytes(privateKey) {
  if (privateKey instanceof Uint8Array) {
    if (privateKey.length !== 32) {
      throw new ConveneError('INVALID_KEY', `privateKey must be 32 bytes, got ${privateKey.length}`, 'privateKey');
    }
    return privateKey;
  }
  if (typeof privateKey !== 'string') {
    throw new ConveneError('INVALID_TYPE', `privateKey must be a 0x-prefixed hex string or a Uint8Array, got ${describe(privateKey)}`, 'privateKey');
  }
  const hex = privateKey.startsWith('0x') || privateKey.startsWith('0X') ? privateKey.slice(2) : privateKey;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ConveneError('INVALID_KEY', 'privateKey must be 32 bytes as 64 hex digits', 'privateKey');
  }
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** @param {any} M the Emscripten module */
export function makeWallet(M) {
  const defaults = Object.freeze(unwrapJson(M.wallet_defaultKdf()));
  // A signer dropped without lock() is locked when it is garbage-collected.
  const finalizer = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => { M.wallet_lock(handle); })
    : null;

  const created = ({ publicKey, keystore }) => ({ address: publicKeyToAddress(publicKey), keystore });

  function makeSigner(handle, publicKey) {
    const address = publicKeyToAddress(publicKey);
    let locked = false;
    const signer = Object.freeze({
      /** EIP-55 checksummed address. */
      address,
      /** Uncompressed public key, 0x04 || x || y. */
      publicKey,
      get locked() { return locked; },
      /**
       * Signs a 32-byte digest: RFC 6979 nonce, low s, recovery bit.
       * @param {string} digest 0x + 64 hex digits
       * @returns {{ r: `0x${string}`, s: `0x${string}`, yParity: 0 | 1 }}
       */
      signDigest(digest) {
        requireString(digest, 'digest');
        return unwrapJson(M.wallet_signDigest(handle, digest));
      },
      /** Wipes the key in WASM memory; later signDigest calls throw LOCKED. Idempotent. */
      lock() {
        if (locked) return;
        locked = true;
        finalizer?.unregister(signer);
        unwrapJson(M.wallet_lock(handle));
      },
    });
    finalizer?.register(signer, handle, signer);
    return signer;
  }

  return Object.freeze({
    /** Argon2id parameters used when none are given: `{ opslimit, memlimitKiB }`. */
    defaultKdf: defaults,

    /**
     * Makes a new key in WASM (libsodium randomness) and seals it under `passphrase`.
     * Blocks the thread for one Argon2id run (about 0.5 s with the defaults), after yielding once.
     */
    async create(passphrase, opts) {
      const kdf = kdfOption(opts, defaults);
      await yieldToEventLoop();
      return created(withPassphrases([[passphrase, 'passphrase']], (p) =>
        unwrapJson(M.wallet_create(p, kdf.opslimit, kdf.memlimitKiB))));
    },

    /** Seals an existing 32-byte key (hex or bytes; a Uint8Array argument is zero-filled afterwards). */
    async importKey(privateKey, passphrase, opts) {
      const kdf = kdfOption(opts, defaults);
      const key = keyBytes(privateKey);
      try {
        await yieldToEventLoop();
        return created(withPassphrases([[passphrase, 'passphrase']], (p) =>
          unwrapJson(M.wallet_importKey(key, p, kdf.opslimit, kdf.memlimitKiB))));
      } finally {
        key.fill(0);
      }
    },

    /** What a keystore says without the passphrase: `{ version, address, publicKey, kdf }`. Synchronous. */
    inspect(keystore) {
      const info = unwrapJson(M.wallet_inspect(requireString(keystore, 'keystore')));
      return { ...info, address: publicKeyToAddress(info.publicKey) };
    },

    /** Opens the keystore and returns a signer holding a handle to the key in WASM. */
    async unlock(keystore, passphrase) {
      requireString(keystore, 'keystore');
      await yieldToEventLoop();
      const { handle, publicKey } = withPassphrases([[passphrase, 'passphrase']], (p) =>
        unwrapJson(M.wallet_unlock(keystore, p)));
      return makeSigner(handle, publicKey);
    },

    /** Re-seals the same key under `newPassphrase` (fresh salt and nonce; `opts.kdf` or the defaults). */
    async changePassphrase(keystore, oldPassphrase, newPassphrase, opts) {
      requireString(keystore, 'keystore');
      const kdf = kdfOption(opts, defaults);
      await yieldToEventLoop();
      return created(withPassphrases([[oldPassphrase, 'oldPassphrase'], [newPassphrase, 'newPassphrase']], (o, n) =>
        unwrapJson(M.wallet_changePassphrase(keystore, o, n, kdf.opslimit, kdf.memlimitKiB))));
    },

    /**
     * The key that made `signature` over `digest` (ECDSA public key recovery with libsecp256k1 in WASM; synchronous).
     * A signature recovers *some* key whatever was signed: compare the result with the key or address expected.
     * @param {string} digest 0x + 64 hex digits (e.g. an EIP-191 message hash)
     * @param {string} signature r || s || v as 0x + 130 hex digits, v = 27/28 or 0/1
     * @returns {{ address: string, publicKey: string }} EIP-55 address; public key 0x04 || x || y
     */
    recoverSigner(digest, signature) {
      const publicKey = unwrapJson(M.wallet_recoverPublicKey(requireString(digest, 'digest'), requireString(signature, 'signature')));
      return { address: publicKeyToAddress(publicKey), publicKey };
    },

    /** The raw private key as 0x + 64 hex digits. The only call that reveals it; needs the passphrase. */
    async exportKey(keystore, passphrase) {
      requireString(keystore, 'keystore');
      await yieldToEventLoop();
      const bytes = withPassphrases([[passphrase, 'passphrase']], (p) => unwrapVal(M.wallet_exportKey(keystore, p)));
      try {
        let hex = '0x';
        for (const b of bytes) hex += b.toString(16).padStart(2, '0');
        return hex;
      } finally {
        bytes.fill(0);
      }
    },
  });
}
