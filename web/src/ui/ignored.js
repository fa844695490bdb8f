// "N entries ignored": what the core's readers left out, shown instead of hidden (docs/trust.md).
import { h } from './dom.js';

const REASONS = [
  ['unverified', 'not signed by a wallet allowed to write them'],
  ['conflicting', 'with attributes that contradict their payload'],
  ['malformed', 'unreadable'],
];

/**
 * Sums `Ignored` counts ({unverified, conflicting, malformed}) from several readers.
 * @param {...({unverified: number, conflicting: number, malformed: number}|undefined)} parts
 */
export function sumIgnored(...parts) {
  const out = { unverified: 0, conflicting: 0, malformed: 0, total: 0 };
  for (const p of parts) {
    if (!p) continue;
    for (const [k] of REASONS) out[k] += p[k] || 0;
  }
  out.total = out.unverified + out.conflicting + out.malformed;
  return out;
}

/** A short line ("3 entries ignored: 2 not signed by …, 1 unreadable"), or null when nothing was left out. */
export function ignoredNote(ignored) {
  if (!ignored || !ignored.total) return null;
  const parts = REASONS.filter(([k]) => ignored[k]).map(([k, text]) => `${ignored[k]} ${text}`);
  return h('p', { class: 'muted ignored', testid: 'ignored', dataset: { total: String(ignored.total), unverified: String(ignored.unverified) } },
    `${ignored.total} ${ignored.total === 1 ? 'entry' : 'entries'} ignored: ${parts.join(', ')}.`);
}
