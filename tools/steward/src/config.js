// Configuration: a JSON config file (optional) < environment < command-line options. Secrets (the
// passphrase) come only from the environment or from a file, never from the command line.
import fs from 'node:fs';
import path from 'node:path';

/** The app's rolling window (web/src/series.js HORIZON_DAYS, the core's default). */
export const DEFAULT_HORIZON_DAYS = 28;
export const DEFAULT_SPACE_ID = 'local-dev';
export const DEFAULT_RPC_URL = 'http://127.0.0.1:8545';
/** A lock older than this (no heartbeat) is taken over. */
export const DEFAULT_LOCK_STALE_SECONDS = 600;
/** How long a run waits for another run on this machine to finish before giving up (exit 75). */
export const DEFAULT_LOCK_WAIT_SECONDS = 60;

export const EXIT = Object.freeze({
  OK: 0,
  SERIES_FAILED: 1,
  USAGE: 2,
  KEYSTORE: 3,
  NODE: 4,
  LOCKED: 75, // EX_TEMPFAIL: another run holds the lock; try again later
});

/** A configuration or usage error: printed as is, exit code `exitCode`. */
export class StewardError extends Error {
  constructor(message, exitCode = EXIT.USAGE, code = 'USAGE') {
    super(message);
    this.name = 'StewardError';
    this.exitCode = exitCode;
    this.code = code;
  }
}

export const USAGE = `Usage: steward [options]

Materializes the rolling window of the organizer's event series on Arkiv: creates the
gatherings of upcoming occurrences, updates changed ones, retires (marks cancelled) those of
cancelled or orphaned occurrences, extends the series entities, and prints what it wrote.
Idempotent and safe to run from cron (docs/steward.md).

Options:
  --dry-run              plan and print, write nothing
  --series <key>         only this series (repeatable); default: every event_series in the
                         space created and owned by the keystore's wallet
  --json                 machine-readable output (one JSON object on stdout)
  --quiet                print nothing when there was nothing to do (text output)
  --config <file>        JSON config file (keys: keystore, passphraseFile, rpcUrl, spaceId,
                         horizonDays, lockWaitSeconds, lockStaleSeconds)
  --keystore <file>      keystore file (default: $CONVENE_STEWARD_KEYSTORE)
  --rpc-url <url>        Arkiv JSON-RPC endpoint (default: $CONVENE_ARKIV_RPC_URL or ${DEFAULT_RPC_URL})
  --space-id <id>        space (default: $CONVENE_SPACE_ID or ${DEFAULT_SPACE_ID})
  --horizon-days <n>     days ahead to materialize (default: $CONVENE_STEWARD_HORIZON_DAYS or ${DEFAULT_HORIZON_DAYS})
  --lock-wait <seconds>  wait this long for another run on this machine (default ${DEFAULT_LOCK_WAIT_SECONDS})
  --now <instant>        plan as of this instant (ISO 8601 with Z or an offset) instead of this
                         machine's clock, like the app's clock setting: a preview of a later
                         window with --dry-run, or a demo running ahead of time
  --bluesky-pds <url>    also publish each series on Bluesky, one occurrence at a time, through this
                         PDS (docs/bluesky.md#publishing-state; $CONVENE_STEWARD_BLUESKY_PDS)
  --bluesky-handle <h>   the organizer's account there ($CONVENE_STEWARD_BLUESKY_HANDLE); its app
                         password only from $CONVENE_STEWARD_BLUESKY_PASSWORD
  --app-url <url>        the app's base URL, for the series page linked from each record
                         ($CONVENE_APP_URL; e.g. https://convene.example/)
  --no-lock              do not take the lock file (testing only: concurrent runs may then
                         write duplicates; the core's plan retires those nobody RSVP'd to)
  --help                 this text

The passphrase is never accepted on the command line (it would be visible to every user in
the process list and kept in shell history). Set one of:
  CONVENE_STEWARD_PASSPHRASE_FILE   a file holding the passphrase (mode 0600; one trailing newline is dropped)
  CONVENE_STEWARD_PASSPHRASE        the passphrase itself

Environment: CONVENE_STEWARD_CONFIG, CONVENE_STEWARD_KEYSTORE, CONVENE_STEWARD_PASSPHRASE_FILE,
CONVENE_STEWARD_PASSPHRASE, CONVENE_ARKIV_RPC_URL, CONVENE_SPACE_ID, CONVENE_STEWARD_HORIZON_DAYS,
CONVENE_STEWARD_BLUESKY_PDS, CONVENE_STEWARD_BLUESKY_HANDLE, CONVENE_STEWARD_BLUESKY_PASSWORD, CONVENE_APP_URL.

Exit codes: 0 everything planned was written (or nothing to do); 1 one or more series failed
(the others were still done); 2 usage or configuration error; 3 the keystore could not be read
or unlocked; 4 the node could not be reached or the series could not be listed; 75 another run
holds the lock.`;

const VALUE_OPTIONS = new Set(['--series', '--config', '--keystore', '--rpc-url', '--space-id', '--horizon-days', '--lock-wait', '--now', '--bluesky-pds', '--bluesky-handle', '--app-url']);
const FLAG_OPTIONS = new Set(['--dry-run', '--json', '--quiet', '--no-lock', '--help', '-h']);
/** Anything that looks like a passphrase given on the command line. */
const SECRET_OPTION = /^--?(pass(phrase|word|wd)?|pw|secret|key|private-?key)(=|$)/i;

/**
 * @param {string[]} argv process.argv.slice(2)
 * @returns {{ flags: Record<string, boolean>, values: Record<string, string>, series: string[] }}
 */
export function parseArgs(argv) {
  const flags = {};
  const values = {};
  const series = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (SECRET_OPTION.test(arg) || arg === '-p') {
      throw new StewardError(
        `refusing ${arg.split('=')[0]}: a passphrase on the command line is visible to every user of this machine (ps, /proc) ` +
          'and is kept in shell history. Put it in a file readable only by you and set CONVENE_STEWARD_PASSPHRASE_FILE, ' +
          'or set CONVENE_STEWARD_PASSPHRASE in the environment.',
        EXIT.USAGE,
        'PASSPHRASE_ON_COMMAND_LINE',
      );
    }
    const eqAt = arg.indexOf('=');
    const name = arg.startsWith('--') && eqAt > 0 ? arg.slice(0, eqAt) : arg;
    if (FLAG_OPTIONS.has(name)) {
      if (name !== arg) throw new StewardError(`${name} takes no value`);
      flags[name === '-h' ? 'help' : name.slice(2)] = true;
    } else if (VALUE_OPTIONS.has(name)) {
      let value;
      if (name !== arg) value = arg.slice(eqAt + 1);
      else {
        value = argv[++i];
        if (value === undefined || value.startsWith('--')) throw new StewardError(`${name} needs a value`);
      }
      if (name === '--series') series.push(value);
      else values[name.slice(2)] = value;
    } else {
      throw new StewardError(`unknown argument: ${arg} (see --help)`);
    }
  }
  return { flags, values, series };
}

function readConfigFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StewardError(`cannot read the config file ${file}: ${e.message}`);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StewardError(`the config file ${file} is not JSON: ${e.message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new StewardError(`the config file ${file} must hold a JSON object`);
  if ('passphrase' in json) {
    throw new StewardError(
      `the config file ${file} holds a passphrase: keep it in its own file (mode 0600) named by "passphraseFile" or CONVENE_STEWARD_PASSPHRASE_FILE`,
    );
  }
  // Relative paths in the file are relative to the file.
  const dir = path.dirname(path.resolve(file));
  for (const k of ['keystore', 'passphraseFile']) if (typeof json[k] === 'string') json[k] = path.resolve(dir, json[k]);
  return json;
}

function positiveNumber(value, what, { integer = false, allowZero = false } = {}) {
  const n = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0) || (integer && !Number.isInteger(n))) {
    throw new StewardError(`${what} must be a ${integer ? 'whole ' : ''}${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(String(value))}`);
  }
  return n;
}

/** An instant given as ISO 8601 with `Z` or a numeric offset (a local time would depend on this machine's zone): Unix ms. */
function instant(value, what) {
  const text = String(value).trim();
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new StewardError(`${what} must be an ISO 8601 instant with Z or an offset (2027-03-22T12:00:00Z), got ${JSON.stringify(text)}`);
  return ms;
}

/**
 * The resolved configuration. The passphrase itself is not read here (see keystore.js).
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 */
export function resolveConfig(argv, env = process.env) {
  const { flags, values, series } = parseArgs(argv);
  if (flags.help) return { help: true };
  const configFile = values.config || env.CONVENE_STEWARD_CONFIG;
  const file = configFile ? readConfigFile(configFile) : {};
  const pick = (cli, envName, fileKey, fallback) => values[cli] ?? (env[envName] || undefined) ?? file[fileKey] ?? fallback;

  const keystore = pick('keystore', 'CONVENE_STEWARD_KEYSTORE', 'keystore', undefined);
  if (!keystore) throw new StewardError('no keystore: set CONVENE_STEWARD_KEYSTORE (or --keystore, or "keystore" in the config file) to the organizer\'s keystore file');
  const horizonDays = positiveNumber(pick('horizon-days', 'CONVENE_STEWARD_HORIZON_DAYS', 'horizonDays', DEFAULT_HORIZON_DAYS), 'the horizon (days)', { integer: true });
  if (horizonDays > 366) throw new StewardError('the horizon (days) must be at most 366');
  const pds = pick('bluesky-pds', 'CONVENE_STEWARD_BLUESKY_PDS', 'blueskyPds', undefined);
  const handle = pick('bluesky-handle', 'CONVENE_STEWARD_BLUESKY_HANDLE', 'blueskyHandle', undefined);
  let bluesky = null;
  if (pds || handle) {
    if (!pds || !handle) throw new StewardError('publishing on Bluesky needs both --bluesky-pds and --bluesky-handle');
    if (!env.CONVENE_STEWARD_BLUESKY_PASSWORD) throw new StewardError('publishing on Bluesky needs the account\'s app password in CONVENE_STEWARD_BLUESKY_PASSWORD');
    const appUrl = pick('app-url', 'CONVENE_APP_URL', 'appUrl', undefined);
    if (appUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(appUrl)) throw new StewardError(`--app-url must be an http(s) URL, got ${JSON.stringify(appUrl)}`);
    bluesky = { pds, handle, password: env.CONVENE_STEWARD_BLUESKY_PASSWORD, appUrl: appUrl ?? null };
  }
  return {
    help: false,
    dryRun: !!flags['dry-run'],
    json: !!flags.json,
    quiet: !!flags.quiet,
    lock: !flags['no-lock'],
    series,
    keystorePath: path.resolve(keystore),
    passphraseFile: env.CONVENE_STEWARD_PASSPHRASE_FILE || (file.passphraseFile ?? undefined),
    passphraseEnv: env.CONVENE_STEWARD_PASSPHRASE,
    rpcUrl: pick('rpc-url', 'CONVENE_ARKIV_RPC_URL', 'rpcUrl', DEFAULT_RPC_URL),
    spaceId: pick('space-id', 'CONVENE_SPACE_ID', 'spaceId', DEFAULT_SPACE_ID),
    horizonDays,
    /** Unix ms to plan at instead of the clock (--now), or null. */
    now: values.now !== undefined ? instant(values.now, '--now') : null,
    /** Publishing on Bluesky ({pds, handle, password, appUrl}), or null. */
    bluesky,
    lockWaitSeconds: positiveNumber(values['lock-wait'] ?? file.lockWaitSeconds ?? DEFAULT_LOCK_WAIT_SECONDS, '--lock-wait', { allowZero: true }),
    // Test only: milliseconds to wait between planning and writing (to make two --no-lock runs race).
    testWriteDelayMs: env.CONVENE_STEWARD_TEST_WRITE_DELAY_MS ? positiveNumber(env.CONVENE_STEWARD_TEST_WRITE_DELAY_MS, 'CONVENE_STEWARD_TEST_WRITE_DELAY_MS', { allowZero: true }) : 0,
    lockStaleSeconds: positiveNumber(env.CONVENE_STEWARD_LOCK_STALE_SECONDS || (file.lockStaleSeconds ?? DEFAULT_LOCK_STALE_SECONDS), 'the stale-lock timeout'),
  };
}
