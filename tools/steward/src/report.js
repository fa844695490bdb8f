// What a run prints: text for people (and cron mail), or one JSON object (--json).
/** Entries written (or planned) in a series result. */
const count = (r) => r.created.length + r.updated.length + r.cancelled.length + r.extended.length + r.duplicatesRetired.length + r.handedOver.length;
/** The same from the totals. */
const countTotals = (t) => t.created + t.updated + t.cancelled + t.extended + t.duplicatesRetired + t.handedOver;

export function totals(results) {
  const t = { series: results.length, written: 0, planned: 0, nothingToDo: 0, failed: 0, created: 0, updated: 0, cancelled: 0, extended: 0, duplicatesRetired: 0, handedOver: 0, problems: 0 };
  for (const r of results) {
    if (r.status === 'written') t.written++;
    else if (r.status === 'planned') t.planned++;
    else if (r.status === 'failed') t.failed++;
    else t.nothingToDo++;
    t.created += r.created.length;
    t.updated += r.updated.length;
    t.cancelled += r.cancelled.length;
    t.extended += r.extended.length;
    t.duplicatesRetired += r.duplicatesRetired.length;
    t.handedOver += r.handedOver.length;
    t.problems += r.problems.length;
  }
  return t;
}

/** Text output, one block per series. */
export function formatText(run, { quiet = false } = {}) {
  const lines = [];
  const dry = run.dryRun;
  const t = run.totals;
  if (quiet && !run.error && t.failed === 0 && t.problems === 0 && countTotals(t) === 0) return '';
  lines.push(
    `steward${dry ? ' (dry run: nothing written)' : ''}: wallet ${run.wallet}, space ${run.spaceId}, node ${run.rpcUrl}, horizon ${run.horizonDays} days` +
      (run.currentBlock != null ? `, block ${run.currentBlock}` : '') +
      (run.plannedAt && Math.abs(Date.parse(run.plannedAt) - Date.parse(run.startedAt)) > 60_000 ? `, planned as of ${run.plannedAt}` : ''),
  );
  for (const w of run.warnings || []) lines.push(`warning: ${w}`);
  if (run.error) {
    lines.push(`error: ${run.error.message}`);
    return lines.join('\n') + '\n';
  }
  if (!run.series.length) lines.push('no event series of this wallet in the space: nothing to do');
  const would = dry ? 'would ' : '';
  for (const r of run.series) {
    const head = `series ${r.seriesKey}${r.title ? ` "${r.title}"` : ''}`;
    if (r.status === 'nothing to do') lines.push(`${head}: nothing to do`);
    else if (r.status === 'failed' && !count(r)) lines.push(`${head}: FAILED`);
    else {
      lines.push(
        `${head}: ${r.status === 'failed' ? 'FAILED after writing part: ' : ''}${would}create ${r.created.length}, ${would}update ${r.updated.length}, ${would}cancel ${r.cancelled.length}, ` +
          `${would}extend ${r.extended.length}${r.duplicatesRetired.length ? `, ${would}retire ${r.duplicatesRetired.length} duplicate(s)` : ''}` +
          `${r.handedOver.length ? `, ${would}hand over ${r.handedOver.length} to the series that continues a split` : ''}` +
          (dry ? ` (${r.transactions} transaction(s))` : ''),
      );
    }
    for (const h of r.handedOver) lines.push(`  → ${h.recurrenceId}  ${dry ? 'hand over' : 'handed over'} from ${h.from} to ${h.to}  ${h.entityKey}`);
    for (const c of r.created) lines.push(`  + ${c.recurrenceId}  ${dry ? 'create' : 'created'}${c.entityKey ? `  ${c.entityKey}` : ''}`);
    for (const u of r.updated) lines.push(`  ~ ${u.recurrenceId}  ${dry ? 'update' : 'updated'}  ${u.entityKey}`);
    for (const c of r.cancelled) lines.push(`  x ${c.recurrenceId}  ${dry ? 'cancel' : 'cancelled'} (${c.reason})  ${c.entityKey}`);
    for (const d of r.duplicatesRetired) lines.push(`  x ${d.recurrenceId}  ${dry ? 'retire' : 'retired'} duplicate  ${d.entityKey}`);
    for (const e of r.extended) lines.push(`  > series ${dry ? 'extend' : 'extended'} by ${e.expiresIn} s  ${e.entityKey}`);
    if (r.bluesky) {
      for (const u of r.bluesky.created) lines.push(`  ☁ published on Bluesky  ${u}`);
      for (const u of r.bluesky.updated) lines.push(`  ☁ updated on Bluesky  ${u}`);
    }
    for (const p of r.problems) lines.push(`  ! problem${p.recurrenceId ? ` ${p.recurrenceId}` : ''}: ${p.code}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
    if (r.error) lines.push(`  ! error (${r.error.stage}): ${r.error.code}: ${r.error.message}`);
  }
  if (run.series.length) {
    lines.push(
      `total: ${t.series} series: ${dry ? `${t.planned} with something to write` : `${t.written} written`}, ${t.nothingToDo} nothing to do, ${t.failed} failed; ` +
        `${would}create ${t.created}, ${would}update ${t.updated}, ${would}cancel ${t.cancelled}, ${would}extend ${t.extended}, ${would}retire ${t.duplicatesRetired} duplicate(s), ${would}hand over ${t.handedOver}; ` +
        `${t.problems} problem(s)`,
    );
  }
  if (!dry && t.failed === 0 && countTotals(t) === 0 && run.series.length) lines.push('nothing to do');
  return lines.join('\n') + '\n';
}
