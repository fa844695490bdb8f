// The steward (tools/steward, docs/steward.md): `node tools/steward/bin/steward.js` run as a child
// process with the organizer's keystore (a WASM wallet, cheap Argon2id) against the local Arkiv node,
// writing through the real SDK. Each test uses its own space, so "every series of the wallet" is the
// series the test made.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { and, eq } from '@arkiv-network/sdk/query';
import { loadCore } from '../../npm/index.js';
import { toViemAccount } from '../../npm/viem.js';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';
import { runStewardProcess } from '../steward-process.js';

const PASSPHRASE = 'steward test passphrase';
const CHEAP = { kdf: { opslimit: 1, memlimitKiB: 64 } };
const DAY = 86400_000;
const ATTENDEE = privateKeyToAccount('0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a');

let dir;
let node;
let core;
let organizer; // { address, walletClient }
let publicClient;
let attendeeClient;
let keystoreFile;
let passphraseFile;
let spaces = 0;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-steward-'));
  node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 500, log: () => {} });
  core = await loadCore();
  const sealed = await core.wallet.create(PASSPHRASE, CHEAP);
  keystoreFile = path.join(dir, 'organizer.keystore.json');
  fs.writeFileSync(keystoreFile, JSON.stringify(sealed, null, 2) + '\n', { mode: 0o600 });
  passphraseFile = path.join(dir, 'passphrase');
  fs.writeFileSync(passphraseFile, PASSPHRASE + '\n', { mode: 0o600 });
  const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
  publicClient = createPublicClient({ chain, transport: http(node.url) });
  const signer = await core.wallet.unlock(sealed.keystore, PASSPHRASE);
  organizer = { address: sealed.address, walletClient: createWalletClient({ chain, transport: http(node.url), account: toViemAccount(signer) }) };
  attendeeClient = createWalletClient({ chain, transport: http(node.url), account: ATTENDEE });
});

after(async () => {
  await node?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const attrs = (e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));
const freshSpace = () => `steward-${++spaces}`;

/** Runs the steward as cron would: a child process, configuration in the environment. */
function runSteward(args = [], { space, env = {} } = {}) {
  return runStewardProcess(args, {
    CONVENE_STEWARD_KEYSTORE: keystoreFile,
    CONVENE_STEWARD_PASSPHRASE_FILE: passphraseFile,
    CONVENE_ARKIV_RPC_URL: node.url,
    ...(space ? { CONVENE_SPACE_ID: space } : {}),
    ...env,
  });
}

const show = (r) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A weekly series starting tomorrow 18:00 UTC, unbounded, written by the organizer (as the app's create() builds it). */
async function createWeeklySeries(space, title = 'Weekly steward test', { expiresIn } = {}) {
  const now = Date.now();
  const start = new Date(Math.floor(now / DAY) * DAY + DAY + 18 * 3600_000);
  const dtstart = start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const draft = core.entities.build(
    'event_series',
    { organizerWallet: organizer.address.toLowerCase(), community: 'Steward', title, duration: 60, recurrence: `DTSTART:${dtstart}\nRRULE:FREQ=WEEKLY` },
    { now, spaceId: space },
  );
  const { entityKey } = await organizer.walletClient.createEntity(expiresIn ? { ...draft, expiresIn } : draft);
  // Occurrences starting within the app's 28-day horizon.
  const expected = [];
  for (let t = start.getTime(); t <= now + 28 * DAY; t += 7 * DAY) expected.push(new Date(t).toISOString());
  return { key: entityKey, start, expected };
}

/** Every gathering of the series on the node, parsed, with its raw entity. */
async function gatheringsOf(space, seriesKey) {
  const result = await publicClient
    .buildQuery()
    .where(and([eq('type', 'virtual_gathering'), eq('spaceId', space), eq('seriesKey', seriesKey)]))
    .withAttributes(true)
    .withPayload(true)
    .withMetadata(true)
    .limit(200)
    .fetch();
  return result.entities.map((raw) => ({ raw, parsed: core.entities.parse(raw), recurrenceId: new Date(attrs(raw).recurrenceId).toISOString() }));
}

const live = (gs) => gs.filter((g) => g.parsed.status !== 'cancelled');
const nonce = () => publicClient.getTransactionCount({ address: organizer.address });

/** Live gatherings per RECURRENCE-ID: exactly one each, for exactly the expected occurrences. */
function assertOnePerOccurrence(gs, expected) {
  const perRid = new Map();
  for (const g of live(gs)) perRid.set(g.recurrenceId, (perRid.get(g.recurrenceId) || 0) + 1);
  assert.deepEqual([...perRid.keys()].sort(), [...expected].sort(), 'one live gathering for each occurrence in the horizon');
  for (const [rid, n] of perRid) assert.equal(n, 1, `one live gathering for ${rid}, got ${n}`);
}

test('a run materializes the window; a second run writes nothing', { timeout: 60_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space);
  assert.ok(s.expected.length >= 4, `weekly over 28 days: ${s.expected.length}`);

  const first = await runSteward(['--json'], { space });
  assert.equal(first.code, 0, show(first));
  assert.ok(first.json, show(first));
  assert.equal(first.json.ok, true);
  assert.equal(first.json.wallet.toLowerCase(), organizer.address.toLowerCase());
  assert.equal(first.json.series.length, 1);
  const r = first.json.series[0];
  assert.equal(r.seriesKey, s.key);
  assert.equal(r.status, 'written');
  assert.deepEqual(r.created.map((c) => new Date(c.recurrenceId).toISOString()), s.expected);
  assert.ok(r.created.every((c) => /^0x[0-9a-f]{64}$/.test(c.entityKey)), JSON.stringify(r.created));
  assert.deepEqual([r.updated.length, r.cancelled.length, r.duplicatesRetired.length, r.problems.length], [0, 0, 0, 0]);

  const gs = await gatheringsOf(space, s.key);
  assert.equal(gs.length, s.expected.length);
  assertOnePerOccurrence(gs, s.expected);
  assert.deepEqual(new Set(gs.map((g) => g.raw.key)), new Set(r.created.map((c) => c.entityKey)));
  assert.ok(gs.every((g) => g.raw.owner === organizer.address.toLowerCase() && g.raw.creator === organizer.address.toLowerCase()));

  // Idempotent: the plan is empty now, no transaction is sent.
  const n = await nonce();
  const second = await runSteward([], { space });
  assert.equal(second.code, 0, show(second));
  assert.match(second.stdout, /: nothing to do/);
  assert.match(second.stdout, /^nothing to do$/m);
  assert.equal(await nonce(), n, 'the second run sent no transaction');
  assert.equal((await gatheringsOf(space, s.key)).length, s.expected.length);
  console.log(`steward runs: first ${first.ms} ms (${s.expected.length} created), second ${second.ms} ms (nothing to do)`);
});

test('--dry-run prints the plan and writes nothing', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Dry run');
  const n = await nonce();
  const dry = await runSteward(['--dry-run'], { space });
  assert.equal(dry.code, 0, show(dry));
  assert.match(dry.stdout, /dry run: nothing written/);
  assert.match(dry.stdout, new RegExp(`series ${s.key} "Dry run": would create ${s.expected.length}, would update 0, would cancel 0, would extend 0`));
  for (const rid of s.expected) assert.ok(dry.stdout.includes(rid.replace(/\.000Z$/, '')), `${rid} listed:\n${dry.stdout}`);
  assert.equal(await nonce(), n, 'no transaction');
  assert.equal((await gatheringsOf(space, s.key)).length, 0);

  const dryJson = await runSteward(['--dry-run', '--json'], { space });
  assert.equal(dryJson.code, 0, show(dryJson));
  assert.equal(dryJson.json.dryRun, true);
  assert.equal(dryJson.json.series[0].status, 'planned');
  assert.equal(dryJson.json.series[0].created.length, s.expected.length);
  assert.ok(dryJson.json.series[0].created.every((c) => c.entityKey === null));
  assert.equal((await gatheringsOf(space, s.key)).length, 0);
});

test('two runs at once with the lock: the second waits, then has nothing to do; no duplicates', { timeout: 60_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Locked pair');
  const [a, b] = await Promise.all([runSteward(['--json'], { space }), runSteward(['--json'], { space })]);
  assert.equal(a.code, 0, show(a));
  assert.equal(b.code, 0, show(b));
  const created = a.json.series[0].created.length + b.json.series[0].created.length;
  assert.equal(created, s.expected.length, 'together they created the window once');
  assert.deepEqual([a.json.series[0].status, b.json.series[0].status].sort(), ['nothing to do', 'written']);
  const gs = await gatheringsOf(space, s.key);
  assert.equal(gs.length, s.expected.length, 'no duplicates');
  assertOnePerOccurrence(gs, s.expected);
  assert.ok(!fs.existsSync(`${keystoreFile}.steward.lock`), 'the lock is released');
});

test('two runs at once without the lock: a third run leaves one live gathering per occurrence, duplicates retired not deleted', { timeout: 60_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Unlocked pair');
  // Both plan from the empty window, then write 1.5 s and 3 s later (a test hook): the second sends after
  // the first's transaction, so both are accepted and every occurrence gets two gatherings.
  const [a, b] = await Promise.all([
    runSteward(['--json', '--no-lock'], { space, env: { CONVENE_STEWARD_TEST_WRITE_DELAY_MS: '1500' } }),
    runSteward(['--json', '--no-lock'], { space, env: { CONVENE_STEWARD_TEST_WRITE_DELAY_MS: '3000' } }),
  ]);
  assert.equal(a.code, 0, show(a));
  assert.equal(b.code, 0, show(b));
  const before = await gatheringsOf(space, s.key);
  assert.equal(before.length, 2 * s.expected.length, 'the race wrote the window twice');
  assert.equal(a.json.series[0].created.length + b.json.series[0].created.length, 2 * s.expected.length);
  const third = await runSteward(['--json'], { space });
  assert.equal(third.code, 0, show(third));
  const gs = await gatheringsOf(space, s.key);
  assert.equal(gs.length, before.length, 'nothing deleted');
  assertOnePerOccurrence(gs, s.expected);
  assert.equal(third.json.series[0].duplicatesRetired.length, s.expected.length);
  assert.equal(gs.length - live(gs).length, s.expected.length, 'the duplicates are retired (cancelled), not deleted');
  // The one kept is the one the core attaches to the occurrence.
  const occ = core.series.occurrences({ series: await publicClient.getEntity(s.key), gatherings: gs.map((g) => g.raw), after: new Date(Date.now() - DAY).toISOString(), before: new Date(Date.now() + 28 * DAY).toISOString() });
  assert.deepEqual(new Set(occ.map((o) => o.gatheringKey)), new Set(live(gs).map((g) => g.raw.key)));
  const fourth = await runSteward([], { space });
  assert.equal(fourth.code, 0, show(fourth));
  assert.match(fourth.stdout, /^nothing to do$/m);
  console.log(`unlocked pair: ${before.length} gatherings for ${s.expected.length} occurrences after the race (${a.json.series[0].attempts}+${b.json.series[0].attempts} attempts); third run retired ${third.json.series[0].duplicatesRetired.length}`);
});

test('duplicates written by two machines: retired (cancelled, same key) unless someone RSVPed; stable afterwards', { timeout: 60_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Two machines');
  // Two organizers' machines plan the same empty window and both write it (no lock across machines).
  const seriesRaw = await publicClient.getEntity(s.key);
  const plan = core.series.planMaterialization({ series: seriesRaw, currentBlock: await publicClient.getBlockNumber({ cacheTime: 0 }) }, { now: Date.now(), spaceId: space });
  assert.equal(plan.create.length, s.expected.length);
  const first = await organizer.walletClient.mutateEntities({ creates: plan.create });
  await organizer.walletClient.mutateEntities({ creates: plan.create });
  let gs = await gatheringsOf(space, s.key);
  assert.equal(gs.length, 2 * s.expected.length);
  // Someone RSVPs to one of the earlier (duplicate) gatherings.
  const rsvped = gs.find((g) => g.raw.key === first.createdEntities[0]);
  await attendeeClient.createEntity(core.entities.build('gathering_rsvp', { gathering: rsvped.raw, attendeeWallet: ATTENDEE.address.toLowerCase() }, { now: Date.now(), spaceId: space }));

  const run = await runSteward(['--json'], { space });
  assert.equal(run.code, 0, show(run));
  const r = run.json.series[0];
  assert.equal(r.duplicatesRetired.length, s.expected.length - 1);
  // The one someone RSVP'd to is kept in step with its occurrence (the core's rule): neither retired nor touched.
  assert.ok(!r.duplicatesRetired.some((d) => d.entityKey === rsvped.raw.key));
  assert.deepEqual([r.created.length, r.cancelled.length], [0, 0]);
  assert.deepEqual(new Set(r.duplicatesRetired.map((d) => d.entityKey)), new Set(first.createdEntities.slice(1)));

  gs = await gatheringsOf(space, s.key);
  assert.equal(gs.length, 2 * s.expected.length, 'retired, not deleted');
  const retired = gs.filter((g) => g.parsed.status === 'cancelled');
  assert.deepEqual(new Set(retired.map((g) => g.raw.key)), new Set(first.createdEntities.slice(1)));
  assert.ok(retired.every((g) => !g.parsed.videoJoinUrl), 'a retired duplicate carries no join link');
  // Text output names them; a further run neither restores nor retires anything.
  const again = await runSteward([], { space });
  assert.equal(again.code, 0, show(again));
  assert.match(again.stdout, /^nothing to do$/m);
  assert.equal((await gatheringsOf(space, s.key)).filter((g) => g.parsed.status === 'cancelled').length, s.expected.length - 1);
});

test('a cancelled occurrence: the steward marks its gathering cancelled', { timeout: 60_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'With an exception');
  const first = await runSteward([], { space });
  assert.equal(first.code, 0, show(first));
  const rid = s.expected[1];
  const target = (await gatheringsOf(space, s.key)).find((g) => g.recurrenceId === rid);
  const seriesRaw = await publicClient.getEntity(s.key);
  await organizer.walletClient.createEntity(
    core.entities.build('event_series_exception', { series: seriesRaw, recurrenceId: rid, kind: 'cancelled', reason: 'holiday' }, { now: Date.now(), spaceId: space }),
  );
  const run = await runSteward(['--json'], { space });
  assert.equal(run.code, 0, show(run));
  assert.deepEqual(run.json.series[0].cancelled.map((c) => [c.entityKey, new Date(c.recurrenceId).toISOString(), c.reason]), [[target.raw.key, rid, 'cancelled']]);
  const after = (await gatheringsOf(space, s.key)).find((g) => g.raw.key === target.raw.key);
  assert.equal(after.parsed.status, 'cancelled');
  assert.equal(live(await gatheringsOf(space, s.key)).length, s.expected.length - 1);
  const text = await runSteward([], { space });
  assert.match(text.stdout, /^nothing to do$/m);
});

test('a series about to expire is extended (currentBlock passed to the plan)', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  // Written to live 10 days only: an unbounded series must be extended by materialization plans.
  const s = await createWeeklySeries(space, 'Short-lived', { expiresIn: 10 * 86400 });
  const before = (await publicClient.getEntity(s.key)).expiresAtBlock;
  const run = await runSteward(['--json'], { space });
  assert.equal(run.code, 0, show(run));
  const r = run.json.series[0];
  assert.equal(r.extended.length, 1, JSON.stringify(r));
  assert.equal(r.extended[0].entityKey, s.key);
  assert.ok(r.extended[0].expiresIn > 0);
  const afterBlock = (await publicClient.getEntity(s.key)).expiresAtBlock;
  assert.equal(afterBlock - before, BigInt(Math.ceil(r.extended[0].expiresIn / 2)), 'extendEntity adds ceil(expiresIn / 2) blocks');
  const again = await runSteward([], { space });
  assert.match(again.stdout, /^nothing to do$/m);
});

test('a passphrase on the command line is refused, before anything is read', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Refused');
  const n = await nonce();
  for (const args of [['--passphrase', PASSPHRASE], [`--passphrase=${PASSPHRASE}`], ['--password', PASSPHRASE]]) {
    const r = await runSteward(args, { space });
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /refusing --pass(phrase|word).*command line.*CONVENE_STEWARD_PASSPHRASE_FILE/);
    assert.ok(!r.stdout.includes(PASSPHRASE) && !r.stderr.includes(PASSPHRASE), 'the passphrase is not echoed');
  }
  assert.equal(await nonce(), n);
  assert.equal((await gatheringsOf(space, s.key)).length, 0);
});

test('a wrong passphrase: a clear error, exit code 3, nothing written', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Wrong passphrase');
  const wrong = path.join(dir, 'wrong-passphrase');
  fs.writeFileSync(wrong, 'not the passphrase\n', { mode: 0o600 });
  const n = await nonce();
  const r = await runSteward([], { space, env: { CONVENE_STEWARD_PASSPHRASE_FILE: wrong } });
  assert.equal(r.code, 3, show(r));
  assert.match(r.stderr, /wrong passphrase for the keystore .*organizer\.keystore\.json/);
  assert.ok(!r.stderr.includes('not the passphrase'));
  const j = await runSteward(['--json'], { space, env: { CONVENE_STEWARD_PASSPHRASE_FILE: undefined, CONVENE_STEWARD_PASSPHRASE: 'also wrong' } });
  assert.equal(j.code, 3, show(j));
  assert.equal(j.json.ok, false);
  assert.equal(j.json.error.code, 'BAD_PASSPHRASE');
  assert.equal(await nonce(), n);
  assert.equal((await gatheringsOf(space, s.key)).length, 0);
  assert.ok(!fs.existsSync(`${keystoreFile}.steward.lock`));
});

test('the lock: a live holder makes a run give up (exit 75); a stale one is taken over', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Lock holder');
  const lockFile = `${keystoreFile}.steward.lock`;
  // Held by a live process (this one), fresh.
  fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token: 'test' }));
  const busy = await runSteward(['--lock-wait', '0'], { space });
  assert.equal(busy.code, 75, show(busy));
  assert.match(busy.stderr, /another steward run holds the lock/);
  assert.equal((await gatheringsOf(space, s.key)).length, 0);
  // Left by a process that is gone: taken over at once.
  fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: '2020-01-01T00:00:00Z', token: 'dead' }));
  const takeover = await runSteward([], { space });
  assert.equal(takeover.code, 0, show(takeover));
  assert.match(takeover.stderr, /took over a stale lock \(its process \d+ is gone/);
  assert.equal(live(await gatheringsOf(space, s.key)).length, s.expected.length);
  // Another host's lock without a heartbeat for longer than the stale timeout.
  fs.writeFileSync(lockFile, JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: '2020-01-01T00:00:00Z', token: 'old' }));
  const old = new Date(Date.now() - 3600_000);
  fs.utimesSync(lockFile, old, old);
  const stale = await runSteward([], { space, env: { CONVENE_STEWARD_LOCK_STALE_SECONDS: '60' } });
  assert.equal(stale.code, 0, show(stale));
  assert.match(stale.stderr, /took over a stale lock \(no heartbeat/);
  assert.ok(!fs.existsSync(lockFile));
});

test('configuration errors and one failing series do not stop the others', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Good one');
  const noKeystore = await runSteward([], { space, env: { CONVENE_STEWARD_KEYSTORE: undefined } });
  assert.equal(noKeystore.code, 2, show(noKeystore));
  assert.match(noKeystore.stderr, /no keystore: set CONVENE_STEWARD_KEYSTORE/);
  const unknown = await runSteward(['--frobnicate'], { space });
  assert.equal(unknown.code, 2, show(unknown));
  const down = await runSteward([], { space, env: { CONVENE_ARKIV_RPC_URL: 'http://127.0.0.1:9' } });
  assert.equal(down.code, 4, show(down));
  assert.match(down.stderr, /cannot reach the Arkiv node/);
  // A key that is no series fails; the named good series is still materialized.
  const bogus = `0x${'ab'.repeat(32)}`;
  const mixed = await runSteward(['--json', '--series', bogus, '--series', s.key], { space });
  assert.equal(mixed.code, 1, show(mixed));
  assert.deepEqual(mixed.json.series.map((r) => r.status), ['failed', 'written']);
  assert.equal(mixed.json.series[1].created.length, s.expected.length);
  assert.match(mixed.json.error.message, /1 of 2 series failed/);
});

test('a split whose handoff was never written: the steward hands the later dates over (same keys, RSVPs follow) instead of retiring them', { timeout: 90_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Split midway');
  const first = await runSteward([], { space });
  assert.equal(first.code, 0, show(first));
  const before = await gatheringsOf(space, s.key);
  assert.equal(live(before).length, s.expected.length);
  // An attendee RSVPs to the third date; the organizer's app then splits at that date and stops
  // before writing the handoff (both series written, nothing moved).
  const at = s.expected[2];
  const later = s.expected.slice(2);
  const target = before.find((g) => g.recurrenceId === at);
  await attendeeClient.createEntity(core.entities.build('gathering_rsvp', { gathering: target.raw, attendeeWallet: ATTENDEE.address.toLowerCase() }, { now: Date.now(), spaceId: space }));
  const seriesRaw = await publicClient.getEntity(s.key);
  const split = core.series.planSplit({ series: seriesRaw, gatherings: before.map((g) => g.raw), at, changes: { title: 'Split midway, new rule' } }, { now: Date.now(), spaceId: space });
  assert.deepEqual(split.handoff.gatherings.map((h) => h.entityKey).sort(), before.filter((g) => later.includes(g.recurrenceId)).map((g) => g.raw.key).sort());
  let newKey = null;
  for (const tx of split.transactions) {
    const r = await organizer.walletClient.mutateEntities(tx);
    if (r.createdEntities?.length) newKey = r.createdEntities[0];
  }
  assert.ok(newKey, 'the new series was written');

  const run = await runSteward(['--json'], { space });
  assert.equal(run.code, 0, show(run));
  const byKey = new Map(run.json.series.map((r) => [r.seriesKey, r]));
  assert.deepEqual(new Set(byKey.keys()), new Set([s.key, newKey]));
  const handed = run.json.series.flatMap((r) => r.handedOver);
  assert.deepEqual(new Set(handed.map((h) => h.entityKey)), new Set(split.handoff.gatherings.map((h) => h.entityKey)), JSON.stringify(handed));
  assert.ok(handed.every((h) => h.from === s.key && h.to === newKey));
  // Nothing retired, nothing made twice: the old series keeps its first two dates, the new one has the rest under their old keys.
  assert.deepEqual(run.json.series.flatMap((r) => r.cancelled), [], 'no gathering retired as an orphan');
  assert.deepEqual(run.json.series.flatMap((r) => r.created).filter((c) => later.includes(new Date(c.recurrenceId).toISOString())), [], 'no second gathering for a handed-over date');
  const oldGs = live(await gatheringsOf(space, s.key));
  assert.deepEqual(oldGs.map((g) => g.recurrenceId).sort(), s.expected.slice(0, 2));
  const newGs = live(await gatheringsOf(space, newKey));
  const moved = newGs.filter((g) => later.includes(g.recurrenceId));
  assert.deepEqual(new Set(moved.map((g) => g.raw.key)), new Set(split.handoff.gatherings.map((h) => h.entityKey)));
  assert.equal(moved.find((g) => g.recurrenceId === at).raw.key, target.raw.key, "the RSVP'd gathering is the same entity");
  assert.ok(moved.every((g) => g.parsed.title === 'Split midway, new rule'));
  // Idempotent.
  const again = await runSteward([], { space });
  assert.equal(again.code, 0, show(again));
  assert.match(again.stdout, /^nothing to do$/m);
});

test('--now plans the window as of another instant; a time without a zone is refused', { timeout: 30_000 }, async () => {
  const space = freshSpace();
  const s = await createWeeklySeries(space, 'Ahead of time');
  const later = new Date(s.start.getTime() + 35 * DAY); // five weeks on: the first five dates have ended
  const dry = await runSteward(['--dry-run', '--json', '--now', later.toISOString()], { space });
  assert.equal(dry.code, 0, show(dry));
  assert.equal(dry.json.plannedAt, later.toISOString());
  const expected = [];
  for (let t = s.start.getTime(); t <= later.getTime() + 28 * DAY; t += 7 * DAY) if (t + 3600_000 > later.getTime()) expected.push(new Date(t).toISOString());
  assert.deepEqual(dry.json.series[0].created.map((c) => new Date(c.recurrenceId).toISOString()), expected);
  const text = await runSteward(['--dry-run', `--now=${later.toISOString()}`], { space });
  assert.match(text.stdout, new RegExp(`planned as of ${later.toISOString().replace(/[.]/g, '\\.')}`));
  const bad = await runSteward(['--now', '2027-03-22T12:00'], { space });
  assert.equal(bad.code, 2, show(bad));
  assert.match(bad.stderr, /--now must be an ISO 8601 instant with Z or an offset/);
});

test('with a Bluesky account, the steward publishes the occurrence not yet ended on a real PDS, once; a wrong password is reported', { timeout: 90_000 }, async () => {
  const { startPds } = await import('../../tools/pds/src/index.js');
  const pds = await startPds({ accounts: ['organizer'] });
  try {
    const [account] = pds.accounts;
    const space = freshSpace();
    const s = await createWeeklySeries(space, 'Published weekly');
    const env = { CONVENE_STEWARD_BLUESKY_PDS: pds.url, CONVENE_STEWARD_BLUESKY_HANDLE: account.handle, CONVENE_STEWARD_BLUESKY_PASSWORD: account.password, CONVENE_APP_URL: 'https://convene.example/' };
    const first = await runSteward(['--json'], { space, env });
    assert.equal(first.code, 0, show(first));
    const r = first.json.series[0];
    assert.equal(r.bluesky.created.length, 1, show(first));
    assert.deepEqual(r.problems, []);
    const agent = await pds.agent(account);
    const records = (await agent.com.atproto.repo.listRecords({ repo: account.did, collection: 'community.lexicon.calendar.event' })).data.records;
    assert.equal(records.length, 1);
    const event = core.bluesky.parseEventRecord(records[0].value);
    assert.equal(event.startsAt, s.expected[0]);
    assert.equal(event.uris[0].uri, `https://convene.example/#/series/${s.key}`);
    assert.equal(records[0].uri, r.bluesky.created[0]);
    // The second run: the publication is on Arkiv, nothing to publish.
    const second = await runSteward(['--json'], { space, env });
    assert.equal(second.code, 0, show(second));
    assert.deepEqual(second.json.series[0].bluesky, { created: [], updated: [] });
    // A wrong app password: the series is still materialized (nothing to do), the login failure is a problem.
    const wrong = await runSteward([], { space, env: { ...env, CONVENE_STEWARD_BLUESKY_PASSWORD: 'wrong' } });
    assert.match(wrong.stdout, /BLUESKY_LOGIN/, show(wrong));
    // Options without a password are a usage error.
    const usage = await runSteward([], { space, env: { ...env, CONVENE_STEWARD_BLUESKY_PASSWORD: '' } });
    assert.equal(usage.code, 2, show(usage));
  } finally {
    await pds.close();
  }
});
