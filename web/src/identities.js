// Local development identities: viem keys made in the browser and kept in localStorage.
// They stand in for wallets until the wallet issue lands; the UI labels them as such.
import { generatePrivateKey, privateKeyToAccount } from '@arkiv-network/sdk/accounts';

const STORE_KEY = 'convene.dev.identities';
const ACTIVE_KEY = 'convene.dev.activeIdentity';
const DEFAULT_LABELS = ['Alice', 'Bob'];
export const DEV_KEY_NOTICE = 'development key — not a wallet';

/** @typedef {{ label: string, privateKey: `0x${string}`, address: string }} Identity */

function load(storage) {
  try {
    const list = JSON.parse(storage.getItem(STORE_KEY) || '[]');
    return Array.isArray(list) ? list.filter((i) => i && /^0x[0-9a-f]{64}$/i.test(i.privateKey)) : [];
  } catch {
    return [];
  }
}

function withAddress({ label, privateKey }) {
  // Addresses are lowercase everywhere in Convene (DESIGN.md §4.1).
  return { label, privateKey, address: privateKeyToAccount(privateKey).address.toLowerCase() };
}

/**
 * The identity book: at least two development accounts, one active.
 * @param {Storage} [storage]
 */
export function createIdentities(storage = globalThis.localStorage) {
  let list = load(storage);
  for (let i = list.length; i < DEFAULT_LABELS.length; i++) list.push({ label: DEFAULT_LABELS[i], privateKey: generatePrivateKey() });
  let identities = list.map(withAddress);
  const save = () => storage.setItem(STORE_KEY, JSON.stringify(identities.map(({ label, privateKey }) => ({ label, privateKey }))));
  save();
  let active = identities.find((i) => i.address === storage.getItem(ACTIVE_KEY)) || identities[0];
  const listeners = new Set();
  const emit = () => listeners.forEach((fn) => fn(active));

  return {
    /** @returns {Identity[]} */
    all: () => identities.slice(),
    /** @returns {Identity} */
    active: () => active,
    /** Label for an address: the identity's name, or a shortened address for strangers. */
    labelOf(address) {
      const a = String(address || '').toLowerCase();
      const known = identities.find((i) => i.address === a);
      return known ? known.label : `${a.slice(0, 6)}…${a.slice(-4)}`;
    },
    switchTo(address) {
      const next = identities.find((i) => i.address === String(address).toLowerCase());
      if (!next || next === active) return;
      active = next;
      storage.setItem(ACTIVE_KEY, active.address);
      emit();
    },
    /** Adds another development account and makes it active. */
    add(label) {
      const id = withAddress({ label: label || `Dev ${identities.length + 1}`, privateKey: generatePrivateKey() });
      identities = [...identities, id];
      save();
      active = id;
      storage.setItem(ACTIVE_KEY, active.address);
      emit();
      return id;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
