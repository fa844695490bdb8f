// Publishing the steward's series on Bluesky (docs/bluesky.md#publishing-state): after each series is
// materialized, its occurrence not yet ended is published (or updated) through the organizer's PDS
// account, with web/src/bluesky.js publishSeries and the note of each publication written on Arkiv by the
// steward's own wallet. A failure is reported on the series (problems, code BLUESKY_*); it does not undo
// or stop the materialization.
import { AtpAgent } from '@atproto/api';
import { createBlueskyPublisher } from '../../../web/src/bluesky.js';

/**
 * @param {{ core: object, arkiv: ReturnType<typeof import('./arkiv.js').createArkiv>, config: object, run: object, log: (s: string) => void }} args
 *   `config.bluesky`: {pds, handle, password, appUrl}; each `run.series` entry gets `bluesky: {created, updated}`.
 */
export async function publishOnBluesky({ core, arkiv, config, run, log }) {
  const { pds, handle, password, appUrl } = config.bluesky;
  const agent = new AtpAgent({ service: pds });
  try {
    await agent.login({ identifier: handle, password });
  } catch (e) {
    for (const r of run.series) r.problems.push({ code: 'BLUESKY_LOGIN', message: `cannot log in to ${pds} as ${handle}: ${e.message}` });
    return;
  }
  const publisher = createBlueskyPublisher({ core, agent });
  const now = config.now !== null ? config.now : Date.now();
  for (const r of run.series) {
    if (r.status === 'failed') continue;
    const pageUrl = appUrl ? `${appUrl.replace(/\/?$/, '/')}#/series/${r.seriesKey}` : undefined;
    try {
      const res = await publisher.publishSeries({ arkiv, spaceId: config.spaceId, seriesKey: r.seriesKey, save: (tx) => arkiv.writeTransaction(tx), now, pageUrl });
      r.bluesky = { created: res.created, updated: res.updated };
      for (const p of res.problems) r.problems.push({ recurrenceId: p.recurrenceId, code: `BLUESKY_${p.code}`, message: p.message });
      for (const o of res.orphaned) log(`bluesky: ${o.uri} is of a date the series no longer has (left as it is)`);
    } catch (e) {
      r.problems.push({ code: `BLUESKY_${e.code || 'ERROR'}`, message: String(e.message) });
    }
  }
}
