// A split whose handoff was never written (docs/domain.md#event-series, "Splits").
//
// A split is two writes: both series (the old one ending before the date, the new one naming it in
// `splitFrom`), then the handoff (core.series.planHandoff: the old series' exceptions and gatherings of
// the later dates move to the new series under the same keys, so their RSVPs follow). When the writer
// stops between the two, the old series no longer produces those dates and its next materialization
// would retire their gatherings as orphans, while the new series would make fresh ones without the
// RSVPs. So whoever materializes a series (the organizer's series page, the steward) first completes
// any pending handoff that involves it, as the old series or as the new one. Idempotent: once handed
// over, nothing reads as the old series' any more and the plan is empty.
import { eq } from '@arkiv-network/sdk/query';
import { readSeriesState } from './arkiv-reads.js';

/**
 * The handoffs that involve `seriesKey` and are still to be written, planned by the core.
 *
 * Pairs looked at: (the series this one continues → this one), when the series names one in
 * `splitFrom`; and (this one → each series of the same organizer in `spaceId` that names it in
 * `splitFrom`, read at the node signed by that organizer). A pair the core refuses (different
 * organizers: a `splitFrom` is a claim, docs/trust.md) or whose old series can no longer be read
 * (expired, deleted) is skipped and reported in `skipped`.
 *
 * @param {object} core the loaded @convene/core
 * @param {{ get: (key: string) => Promise<object>, byTypeSignedBy: Function, byTypeFor: Function }} reads
 *   the app's reads (web/src/arkiv-reads.js createReads, plus `get`)
 * @param {string} spaceId
 * @param {string} seriesKey the series about to be materialized
 * @param {{ now: number, spaceId: string }} opts the core's options (`now`: Unix ms, UTC)
 * @returns {Promise<{ organizer: string, title: string|null,
 *   handoffs: { from: string, to: string, update: object[], transactions: object[] }[],
 *   skipped: { from: string, to: string, code: string, message: string }[] }>} only pairs with something
 *   to write are in `handoffs`; their `transactions` are written in order, before the materialization;
 *   `organizer` / `title` are the series' own (parsed, as claimed)
 */
export async function pendingHandoffs(core, reads, spaceId, seriesKey, opts) {
  const raw = await reads.get(seriesKey);
  const series = core.entities.parse(raw);
  const pairs = [];
  if (series.splitFrom) pairs.push({ from: series.splitFrom, to: seriesKey, newSeries: raw });
  const successors = await reads.byTypeSignedBy('event_series', spaceId, series.organizerWallet, eq('splitFrom', seriesKey));
  for (const s of successors) pairs.push({ from: seriesKey, to: s.key, newSeries: s });

  const handoffs = [];
  const skipped = [];
  for (const { from, to, newSeries } of pairs) {
    try {
      const st = await readSeriesState(core, reads, spaceId, from);
      const plan = core.series.planHandoff({ series: st.raw, exceptions: st.exceptions, gatherings: st.gatherings, newSeries }, opts);
      if (plan.transactions.length) handoffs.push({ from, to, update: plan.update, transactions: plan.transactions });
    } catch (e) {
      skipped.push({ from, to, code: e.code || e.name || 'ERROR', message: String(e.message).split('\n')[0] });
    }
  }
  return { organizer: series.organizerWallet, title: series.title ?? null, handoffs, skipped };
}
