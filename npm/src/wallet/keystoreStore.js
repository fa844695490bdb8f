// createKeystoreStore: keeps sealed keystores in IndexedDB, keyed by address.
//
// A keystore is safe to store (the key inside is sealed under the passphrase,
// docs/wallet.md); this only saves the app from writing IndexedDB plumbing.
// Records: { address (lowercase, the key path), keystore, savedAt (epoch ms) }.
// Addresses compare case-insensitively (docs/domain.md#entities-on-arkiv).

const STORE = 'keystores';

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * @param {{ dbName?: string, indexedDB?: IDBFactory, now?: () => number }} [options]
 *   `dbName` default 'convene-wallet'; `indexedDB` default globalThis.indexedDB; `now` default Date.now.
 */
export function createKeystoreStore(options = {}) {
  const { dbName = 'convene-wallet', indexedDB = globalThis.indexedDB, now = Date.now } = options;
  if (!indexedDB) throw new Error('createKeystoreStore: IndexedDB is not available in this environment');
  let dbPromise = null;
  const db = () => {
    dbPromise ??= new Promise((resolve, reject) => {
      const open = indexedDB.open(dbName, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'address' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return dbPromise;
  };
  async function run(mode, fn) {
    const tx = (await db()).transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const result = await request(fn(tx.objectStore(STORE)));
    await done;
    return result;
  }
  const key = (address) => {
    if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
      throw new TypeError(`address must be 0x + 40 hex digits, got ${String(address)}`);
    }
    return address.toLowerCase();
  };

  return Object.freeze({
    /** Saves (or replaces) the keystore of `address`; pass the result of core.wallet.create/importKey/changePassphrase. */
    async save({ address, keystore }) {
      if (typeof keystore !== 'string' || keystore === '') throw new TypeError('keystore must be a non-empty string');
      const record = { address: key(address), keystore, savedAt: now() };
      await run('readwrite', (s) => s.put(record));
      return record;
    },
    /** The keystore of `address`, or of the most recently saved wallet when omitted; null when none. */
    async load(address) {
      if (address !== undefined) return (await run('readonly', (s) => s.get(key(address))))?.keystore ?? null;
      const all = await this.list();
      return all.length ? all[all.length - 1].keystore : null;
    },
    /** Every record, oldest first. */
    async list() {
      const all = await run('readonly', (s) => s.getAll());
      return all.sort((a, b) => a.savedAt - b.savedAt);
    },
    /** Deletes the keystore of `address` (the key is gone for good unless exported or stored elsewhere). */
    async remove(address) {
      await run('readwrite', (s) => s.delete(key(address)));
    },
    /** Closes the database connection. */
    async close() {
      if (dbPromise) (await dbPromise).close();
      dbPromise = null;
    },
  });
}
