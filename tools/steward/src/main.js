// The steward command: configuration -> keystore -> lock -> every series -> report, exit code.
import { loadCore } from '@convene/core';
import { toViemAccount } from '@convene/core/viem';
import { createArkiv } from './arkiv.js';
import { publishOnBluesky } from './bluesky.js';
import { EXIT, resolveConfig, StewardError, USAGE } from './config.js';
import { unlockKeystore } from './keystore.js';
import { acquireLock, lockPathFor } from './lock.js';
import { formatText, totals } from './report.js';
import { seriesToSteward, stewardSeries } from './steward.js';

/**
 * Runs the steward. Prints to `out` / `err`; returns the exit code (never calls process.exit itself,
 * except on a signal while holding the lock).
 * @param {string[]} argv
 * @param {{ env?: NodeJS.ProcessEnv, out?: (s: string) => void, err?: (s: string) => void }} [io]
 */
export async function main(argv, { env = process.env, out = (s) => process.stdout.write(s), err = (s) => process.stderr.write(s) } = {}) {
  let config;
  try {
    config = resolveConfig(argv, env);
  } catch (e) {
    err(`steward: ${e.message}\n`);
    return e.exitCode ?? EXIT.USAGE;
  }
  if (config.help) {
    out(USAGE + '\n');
    return EXIT.OK;
  }
  const run = {
    ok: false,
    dryRun: config.dryRun,
    wallet: null,
    spaceId: config.spaceId,
    rpcUrl: config.rpcUrl,
    horizonDays: config.horizonDays,
    plannedAt: new Date(config.now ?? Date.now()).toISOString(),
    currentBlock: null,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    lock: config.lock ? lockPathFor(config.keystorePath) : null,
    warnings: [],
    series: [],
    totals: null,
    error: null,
    exitCode: EXIT.OK,
  };
  const log = (s) => err(`steward: ${s}\n`);
  const finish = (code, error = null) => {
    run.exitCode = code;
    run.error = error;
    run.ok = code === EXIT.OK;
    run.finishedAt = new Date().toISOString();
    run.totals = totals(run.series);
    if (config.json) out(JSON.stringify(run, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
    else {
      const text = formatText(run, { quiet: config.quiet });
      if (error) err(text);
      else out(text);
    }
    return code;
  };

  let signer = null;
  let lock = null;
  try {
    const core = await loadCore();
    const unlocked = await unlockKeystore(core, config);
    signer = unlocked.signer;
    run.wallet = unlocked.address;
    run.warnings.push(...unlocked.warnings);
    for (const w of unlocked.warnings) if (config.json) log(`warning: ${w}`);

    if (config.lock) {
      lock = await acquireLock(lockPathFor(config.keystorePath), {
        waitMs: config.lockWaitSeconds * 1000,
        staleMs: config.lockStaleSeconds * 1000,
        onWait: (h) => log(`waiting for the run holding ${lockPathFor(config.keystorePath)} (pid ${h.pid ?? '?'}, since ${h.startedAt ?? '?'})`),
        onTakeOver: (why, h) => log(`took over a stale lock (${why}; pid ${h.pid ?? '?'} on ${h.host ?? '?'})`),
      });
    }

    const arkiv = createArkiv(config.rpcUrl, toViemAccount(signer));
    let keys;
    try {
      run.currentBlock = (await arkiv.blockNumber()).toString();
      keys = await seriesToSteward({ core, arkiv, config, address: run.wallet });
    } catch (e) {
      return finish(EXIT.NODE, { code: 'NODE', message: `cannot reach the Arkiv node at ${config.rpcUrl} or list the series: ${String(e.shortMessage || e.message).split('\n')[0]}` });
    }
    // One series at a time (one account, one nonce sequence); a failing one does not stop the others.
    for (const seriesKey of keys) {
      const clock = config.now !== null ? () => config.now : Date.now;
      run.series.push(await stewardSeries({ core, arkiv, config, seriesKey, address: run.wallet, log, clock }));
    }
    if (config.bluesky && !config.dryRun) await publishOnBluesky({ core, arkiv, config, run, log });
    const failed = run.series.filter((r) => r.status === 'failed');
    if (failed.length) {
      return finish(EXIT.SERIES_FAILED, { code: 'SERIES_FAILED', message: `${failed.length} of ${run.series.length} series failed: ${failed.map((r) => `${r.seriesKey} (${r.error.code}: ${r.error.message})`).join('; ')}` });
    }
    return finish(EXIT.OK);
  } catch (e) {
    if (e instanceof StewardError) return finish(e.exitCode, { code: e.code, message: e.message });
    return finish(EXIT.SERIES_FAILED, { code: e.code || 'ERROR', message: String(e.message) });
  } finally {
    lock?.release();
    signer?.lock();
  }
}
