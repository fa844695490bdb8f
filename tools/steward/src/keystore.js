// The organizer's keystore (docs/wallet.md) and its passphrase. The keystore file holds either the
// JSON `{ "address": "0x…", "keystore": "<264 base64 characters>" }` that core.wallet.create /
// importKey return (extra members are ignored), or the bare keystore text. The key is opened inside
// WASM (core.wallet.unlock) and signs through toViemAccount; JavaScript never sees it.
import fs from 'node:fs';
import { EXIT, StewardError } from './config.js';

const keystoreError = (message, code = 'KEYSTORE') => new StewardError(message, EXIT.KEYSTORE, code);

/** Group/other permission bits on a secret file, as a warning (null when fine or not applicable). */
export function permissionWarning(file, what) {
  if (process.platform === 'win32') return null;
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) return `${what} ${file} is readable by others (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 it`;
  } catch {
    // Reported when it is read.
  }
  return null;
}

/** @returns {{ keystore: string, address: string | null }} */
export function readKeystoreFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw keystoreError(`cannot read the keystore file ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, 'KEYSTORE_UNREADABLE');
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw keystoreError(`the keystore file ${file} is not valid JSON: ${e.message}`, 'CORRUPT_KEYSTORE');
    }
    if (typeof json.keystore !== 'string' || !json.keystore) {
      throw keystoreError(`the keystore file ${file} has no "keystore" member (expected {"address": "0x…", "keystore": "…"} as core.wallet.create returns)`, 'CORRUPT_KEYSTORE');
    }
    return { keystore: json.keystore.trim(), address: typeof json.address === 'string' ? json.address : null };
  }
  return { keystore: trimmed, address: null };
}

/**
 * The passphrase from CONVENE_STEWARD_PASSPHRASE_FILE (preferred) or CONVENE_STEWARD_PASSPHRASE.
 * A file loses one trailing newline (\n or \r\n) only: `echo secret > file` works, other whitespace is kept.
 */
export function readPassphrase(config) {
  if (config.passphraseFile) {
    let text;
    try {
      text = fs.readFileSync(config.passphraseFile, 'utf8');
    } catch (e) {
      throw keystoreError(`cannot read the passphrase file ${config.passphraseFile}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, 'PASSPHRASE_UNREADABLE');
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (!passphrase) throw keystoreError(`the passphrase file ${config.passphraseFile} is empty`, 'PASSPHRASE_MISSING');
    return { passphrase, source: 'file' };
  }
  if (config.passphraseEnv) return { passphrase: config.passphraseEnv, source: 'env' };
  throw keystoreError('no passphrase: set CONVENE_STEWARD_PASSPHRASE_FILE to a file holding it (or CONVENE_STEWARD_PASSPHRASE)', 'PASSPHRASE_MISSING');
}

/**
 * Reads and unlocks the keystore. Checks the address a JSON keystore names against the sealed public key.
 * @returns {Promise<{ signer: import('@convene/core').Signer, address: string, warnings: string[] }>}
 */
export async function unlockKeystore(core, config) {
  const warnings = [];
  const { keystore, address } = readKeystoreFile(config.keystorePath);
  let info;
  try {
    info = core.wallet.inspect(keystore);
  } catch (e) {
    throw keystoreError(`the keystore in ${config.keystorePath} cannot be read: ${e.code || ''} ${e.message}`.replace(/\s+/g, ' '), e.code || 'CORRUPT_KEYSTORE');
  }
  if (address && address.toLowerCase() !== info.address.toLowerCase()) {
    throw keystoreError(`the keystore file ${config.keystorePath} names ${address} but its key is ${info.address}`, 'CORRUPT_KEYSTORE');
  }
  for (const w of [permissionWarning(config.keystorePath, 'the keystore file'), config.passphraseFile ? permissionWarning(config.passphraseFile, 'the passphrase file') : null]) {
    if (w) warnings.push(w);
  }
  const { passphrase, source } = readPassphrase(config);
  try {
    const signer = await core.wallet.unlock(keystore, passphrase);
    return { signer, address: signer.address, warnings };
  } catch (e) {
    if (e && e.code === 'BAD_PASSPHRASE') {
      throw keystoreError(
        `wrong passphrase for the keystore ${config.keystorePath} (wallet ${info.address}; passphrase from ${source === 'file' ? `the file ${config.passphraseFile}` : 'CONVENE_STEWARD_PASSPHRASE'})`,
        'BAD_PASSPHRASE',
      );
    }
    throw keystoreError(`cannot unlock the keystore ${config.keystorePath}: ${e.code || ''} ${e.message}`.replace(/\s+/g, ' '), e.code || 'KEYSTORE');
  }
}
