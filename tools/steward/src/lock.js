// One run at a time per keystore on one machine: an exclusive lock file next to the keystore
// (`<keystore>.steward.lock`), created with O_CREAT|O_EXCL and holding {pid, host, startedAt, token}.
// A run that finds it waits (polling) up to `waitMs`. The holder touches the file's mtime every
// `staleMs / 4` (heartbeat); a lock whose mtime is older than `staleMs`, or whose pid is gone on this
// host, is stale and taken over: it is renamed aside (atomic: of two runs taking it over only one
// rename succeeds), checked to be the very lock judged stale (else put back with link(), which
// never overwrites), and removed; then the O_EXCL create is tried again. Released on exit and on
// SIGINT/SIGTERM/SIGHUP, only while it is still ours (its token).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { EXIT, StewardError } from './config.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function lockPathFor(keystorePath) {
  return `${keystorePath}.steward.lock`;
}

function readLock(file) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const st = fs.statSync(file);
    let info = null;
    try {
      info = JSON.parse(text);
    } catch {
      // Being written (or damaged): judged by its age only.
    }
    return { info, text, mtimeMs: st.mtimeMs };
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

function processGone(info) {
  if (!info || info.host !== os.hostname() || !Number.isInteger(info.pid)) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

/** Why the lock `seen` is stale, or null while it is live. */
function staleReason(seen, staleMs, now) {
  if (processGone(seen.info)) return `its process ${seen.info.pid} is gone`;
  if (now - seen.mtimeMs > staleMs) return `no heartbeat for ${Math.round((now - seen.mtimeMs) / 1000)} s`;
  return null;
}

/** Removes the lock `seen` if it is still the same file; true when removed. */
function takeOver(file, seen) {
  const aside = `${file}.stale.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if (e.code === 'ENOENT') return false; // someone else took it over (or it was released)
    throw e;
  }
  let moved = null;
  try {
    moved = fs.readFileSync(aside, 'utf8');
  } catch {
    // gone: treat as ours to drop
  }
  if (moved !== null && moved !== seen.text) {
    // A fresh lock was created between our read and the rename: put it back (link never overwrites).
    try {
      fs.linkSync(aside, file);
    } catch {
      // Another lock is already there again; the fresh one's owner will notice it lost (token check).
    }
  }
  fs.rmSync(aside, { force: true });
  return moved === seen.text;
}

/**
 * @param {string} file
 * @param {{ waitMs?: number, staleMs?: number, pollMs?: number, onWait?: (holder: object) => void, onTakeOver?: (why: string, holder: object) => void }} [options]
 * @returns {Promise<{ file: string, release: () => void, stillOurs: () => boolean }>}
 */
export async function acquireLock(file, { waitMs = 60_000, staleMs = 600_000, pollMs = 200, onWait, onTakeOver } = {}) {
  const token = crypto.randomBytes(12).toString('hex');
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token }) + '\n';
  const deadline = Date.now() + waitMs;
  let waited = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      try {
        fs.writeSync(fd, body);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw new StewardError(`cannot create the lock file ${file}: ${e.message}`, EXIT.USAGE, 'LOCK_FAILED');
    }
    const seen = readLock(file);
    if (!seen) continue; // released in between
    const why = staleReason(seen, staleMs, Date.now());
    if (why) {
      if (takeOver(file, seen)) onTakeOver?.(why, seen.info || {});
      continue;
    }
    if (Date.now() >= deadline) {
      const h = seen.info || {};
      throw new StewardError(
        `another steward run holds the lock ${file} (pid ${h.pid ?? '?'} on ${h.host ?? '?'} since ${h.startedAt ?? '?'}); nothing done, try again later`,
        EXIT.LOCKED,
        'LOCKED',
      );
    }
    if (!waited) onWait?.(seen.info || {});
    waited = true;
    await sleep(pollMs + Math.floor(Math.random() * pollMs));
  }

  const stillOurs = () => {
    const now = readLock(file);
    return !!(now && now.info && now.info.token === token);
  };
  const heartbeat = setInterval(() => {
    try {
      if (stillOurs()) {
        const t = new Date();
        fs.utimesSync(file, t, t);
      }
    } catch {
      // Best effort; a lock that loses its heartbeat may be taken over after staleMs.
    }
  }, Math.max(1000, Math.floor(staleMs / 4)));
  heartbeat.unref();

  let released = false;
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (sig) => {
    release();
    process.exit(128 + (os.constants.signals[sig] || 1));
  };
  const onExit = () => release();
  function release() {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', onExit);
    try {
      if (stillOurs()) fs.rmSync(file, { force: true });
    } catch {
      // Nothing more to do; a stale lock is taken over by the next run.
    }
  }
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', onExit);
  return { file, release, stillOurs };
}
