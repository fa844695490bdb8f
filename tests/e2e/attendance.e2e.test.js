// Browser end-to-end test of the meeting page's attendance and its replay (#/meeting/<key>?room=<room>,
// then ?replay=<run>). The Jitsi script cannot load (jitsiBaseUrl is a closed port, as offline and in
// CI), so the page offers to replay a recorded meeting (web/src/meeting/replays/standup.json) through
// the real pipeline: IFrame-API-shaped emitters -> attachJitsi -> core.events.createBatcher -> arkivSink
// -> the local Arkiv node, read back -> timeline + attendance. The test watches both fill while the
// replay runs, then reads the same records from the node in Node (the app's readTimeline: the same query
// and trust filter) and checks that every number on the page is what core.meetings.summarize gives for
// them, with the times written in the viewer's zone (Australia/Adelaide here, UTC+10:30 in summer). axe-core and
// screenshots at 1280 and 390 px through the harness. A second test runs a replay in real time: open stays
// read "still there" as summarize says, and leaving the replay stops it.
// Run: node --test tests/e2e/attendance.e2e.test.js (needs npm/dist and /usr/bin/chromium)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { loadCore } from '@convene/core';
import { createArkiv } from '../../web/src/arkiv.js';
import { durationSeconds } from '../../web/src/format.js';
import { readTimeline } from '../../web/src/meeting/timeline.js';
import { useApp } from './harness.js';

const RECORDING = JSON.parse(fs.readFileSync(new URL('../../web/src/meeting/replays/standup.json', import.meta.url), 'utf8'));
const MEETING = 'mtg-attend-0001';
const ROOM = 'mg-attend-room';
const ZONE = 'Australia/Adelaide';
const SPACE = 'local-dev';
const env = useApp({ suite: 'attendance', timezoneId: ZONE, jitsiBaseUrl: 'http://127.0.0.1:9', blockTimeMs: 500, collector: true });
const tid = (id) => `[data-testid="${id}"]`;
const core = await loadCore();
const pageErrors = [];
/** A wall clock time in the browser's locale (en-GB) and zone, written independently of the app. */
const wallTime = (iso) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: ZONE }).format(Date.parse(iso));
const warnings = [];

/** What the attendance table shows, from its data attributes and its text. */
const attendance = (page) =>
  page.$$eval('[data-testid="attendance-row"]', (rows) =>
    rows.map((r) => ({
      id: r.dataset.participant,
      displayName: r.dataset.displayName,
      role: r.dataset.role,
      name: r.querySelector('th .who').textContent,
      intervals: [...r.querySelectorAll('[data-testid="attendance-interval"]')].map((li) => ({ joinedAt: li.dataset.joinedAt, leftAt: li.dataset.leftAt || null, text: li.textContent })),
      ...Object.fromEntries(['presence', 'speaking', 'screen-share', 'muted'].map((k) => {
        const td = r.querySelector(`[data-testid="attendance-${k}"]`);
        return [k, { seconds: Number(td.dataset.seconds), text: td.textContent }];
      })),
    })),
  );

const timelineTotal = (page) => page.locator(tid('timeline-status')).getAttribute('data-total').then(Number);

/** The records of `meetingId` as the page reads them (same query, same signers), folded in Node. */
async function foldInNode(meetingId, viewer) {
  const arkiv = createArkiv(env.node.url);
  const read = await readTimeline({ core, arkiv, spaceId: SPACE, meetingId, signersOf: MEETING, viewer });
  const { meetings, ignored } = core.meetings.summarize(read.events);
  return { events: read.events, meetings, ignored };
}

test('attendance: a recorded meeting replayed through the capture pipeline fills the timeline and the attendance live; every number is core.meetings.summarize’s', { timeout: 300_000 }, async () => {
  const { page } = env;
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (msg) => msg.type() === 'warning' && warnings.push(msg.text()));
  await page.goto(`${env.app.url}?kdf=interactive#/meeting/${MEETING}?room=${ROOM}`);
  await page.waitForSelector('body[data-ready="true"]');
  await env.ready('meeting');

  // Offline: the page says so, and offers the replay, which needs a wallet to sign its records.
  await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
  await page.waitForSelector(tid('replay-offer'));
  assert.equal(await page.locator(tid('replay-start')).isDisabled(), true, 'no wallet: the replay cannot sign');
  assert.match(await page.locator(tid('replay-start')).getAttribute('title'), /No wallet/);
  assert.match(await env.textOf(page.locator(tid('locked-hint'))), /You need a wallet to replay a recorded meeting/);
  await page.waitForSelector(tid('attendance-empty'));

  await env.go('/wallets', 'wallets');
  await env.fillWalletForm('Ada', 'correct horse battery staple');
  await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
  const address = (await page.locator(tid('active-address')).textContent()).trim();
  await env.go(`/meeting/${MEETING}?room=${ROOM}`, 'meeting');
  await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
  assert.equal(await page.locator(tid('replay-start')).isEnabled(), true);
  await env.checkPage('offline');

  // Start at 10×: about 12 s of events, written as they come.
  await page.selectOption(tid('replay-speed'), '10');
  await page.click(tid('replay-start'));
  await page.waitForSelector(tid('replay-panel'));
  const runId = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('replay');
  assert.match(runId, /^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  const replayId = `${MEETING}/replay/${runId}`;
  assert.equal(await env.textOf(page.locator(tid('replay-meeting-id'))), replayId);
  assert.match(await env.textOf(page.locator(tid('replay-label'))), /^This is a replay, not this meeting’s call\./);
  assert.equal(await env.textOf(page.locator('#timeline-h')), 'Timeline (replay)');
  assert.equal(await env.textOf(page.locator('#attendance-h')), 'Attendance (replay)');

  // Live: the timeline and the attendance fill while the replay still runs.
  const midway = await env.until(
    'attendance filling while the replay runs',
    async () => JSON.stringify({ state: await page.locator(tid('replay-status')).getAttribute('data-state'), total: await timelineTotal(page), rows: await page.locator(tid('attendance-row')).count(), status: await env.textOf(page.locator(tid('replay-status'))), warnings }),
    (t) => {
      const s = JSON.parse(t);
      return s.state === 'running' && s.total > 0 && s.rows > 0;
    },
    30_000,
  ).then(JSON.parse);
  await page.waitForSelector(`${tid('replay-status')}[data-state="done"]`, { timeout: 90_000 });
  const status = await env.textOf(page.locator(tid('replay-status')));
  // 68 IFrame API events; the batcher drops Jitsi's second videoConferenceLeft.
  const expected = RECORDING.events.length - 1;
  assert.equal(status, `Replay done: ${RECORDING.events.length} of ${RECORDING.events.length} IFrame API events emitted, ${expected} records written to Arkiv.`);
  await page.waitForFunction((n) => document.querySelector('[data-testid="timeline-status"]')?.dataset.total === String(n), expected, { timeout: 30_000, polling: 250 });
  assert.ok(midway.total < expected, `seen midway: ${JSON.stringify(midway)}`);

  // The same records, read in Node as the page reads them, folded by the core in Node.
  const node = await foldInNode(replayId, address);
  assert.equal(node.events.length, expected);
  assert.ok(node.events.every((e) => e.meetingId === replayId && e.signer === address), 'every record is the replay’s, signed by the wallet that ran it');
  assert.equal(node.meetings.length, 1);
  const m = node.meetings[0];
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="attendance-row"]').length === n && document.querySelector('[data-testid="attendance-summary"]')?.dataset.endedAt, m.participants.length);
  const shown = await attendance(page);
  assert.deepEqual(shown.map((r) => r.id), m.participants.map((p) => p.id), 'same participants, in the fold’s order');
  for (const [i, p] of m.participants.entries()) {
    const r = shown[i];
    assert.equal(r.displayName, p.displayName ?? '');
    assert.equal(r.name, p.displayName);
    assert.equal(r.role, p.role ?? '');
    assert.deepEqual(r.intervals.map(({ joinedAt, leftAt }) => ({ joinedAt, leftAt })), p.intervals, `${p.displayName}: intervals`);
    assert.equal(r.presence.seconds, p.presenceSeconds, `${p.displayName}: presence`);
    assert.equal(r.speaking.seconds, p.speakingSeconds, `${p.displayName}: speaking`);
    assert.equal(r['screen-share'].seconds, p.screenShareSeconds, `${p.displayName}: screen share`);
    assert.equal(r.muted.seconds, p.mutedSeconds, `${p.displayName}: muted`);
    assert.equal(r.presence.text, durationSeconds(p.presenceSeconds));
    // Times in the viewer's zone (Adelaide), as the rest of the app writes them.
    for (const [j, iv] of p.intervals.entries()) {
      assert.equal(r.intervals[j].text, `${wallTime(iv.joinedAt)} – ${wallTime(iv.leftAt)}`);
    }
  }
  const summary = page.locator(tid('attendance-summary'));
  assert.equal(await summary.getAttribute('data-started-at'), m.startedAt);
  assert.equal(await summary.getAttribute('data-ended-at'), m.endedAt);
  assert.equal(await summary.getAttribute('data-as-of'), m.asOf);
  assert.match(await env.textOf(summary), /Times are Adelaide time\.$/);

  // And what the fold makes of the recording: the page ran it at the recording's relative times.
  const t0 = Date.parse(m.startedAt);
  const rel = (iso) => (iso === null ? null : (Date.parse(iso) - t0) / 1000);
  const byName = Object.fromEntries(m.participants.map((p) => [p.displayName, p]));
  assert.deepEqual(Object.keys(byName), ['Ada', 'Ben Okafor', 'Chloé', 'Dan (phone)'], 'the renamed Ben is shown by his new name; Dan, seen by three clients, is one participant');
  assert.deepEqual(byName['Ben Okafor'].intervals.map((iv) => [rel(iv.joinedAt), rel(iv.leftAt)]), [[4, 60], [72, 110]], 'a rejoin is a second interval');
  assert.deepEqual(byName['Chloé'].intervals.map((iv) => [rel(iv.joinedAt), rel(iv.leftAt)]), [[12, 100]], 'the tab that vanished ends at its last sign of life');
  assert.equal(byName.Ada.role, 'moderator');
  const speaker = [...m.participants].sort((a, b) => b.speakingSeconds - a.speakingSeconds)[0];
  assert.equal(speaker.displayName, 'Ada');
  assert.equal(shown.find((r) => r.id === speaker.id).speaking.text, durationSeconds(speaker.speakingSeconds));
  console.log(`attendance (replay ${runId}): ${m.participants.map((p) => `${p.displayName} ${p.intervals.length} interval(s) ${p.presenceSeconds} s present, ${p.speakingSeconds} s speaking`).join('; ')}`);

  // The collector (configured: collectorUrl) got the same events from the page, in batches signed by
  // Ada's wallet, and its meetings and participants tables hold the same fold.
  const fromCollector = await env.until(
    'the collector has every record of the replay',
    async () => {
      const res = await fetch(`${env.collector.url}/api/meetings/${encodeURIComponent(replayId)}`);
      return res.status === 200 ? JSON.stringify(await res.json()) : `HTTP ${res.status}; collector ${JSON.stringify(env.collector.stats)}; page warnings: ${warnings.slice(-3).join(' | ')}`;
    },
    (t) => t.startsWith('{') && JSON.parse(t).events === expected,
    30_000,
  ).then(JSON.parse);
  const pick = (p) => ({ id: p.id, displayName: p.displayName, role: p.role, intervals: p.intervals, presenceSeconds: p.presenceSeconds, speakingSeconds: p.speakingSeconds, screenShareSeconds: p.screenShareSeconds, mutedSeconds: p.mutedSeconds });
  assert.deepEqual(fromCollector.participants.map(pick), m.participants.map(pick), 'the collector folds the events it got as the page folds those on Arkiv');
  assert.deepEqual([fromCollector.startedAt, fromCollector.endedAt], [m.startedAt, m.endedAt]);
  const timelineRes = await (await fetch(`${env.collector.url}/api/meetings/${encodeURIComponent(replayId)}/events?limit=500`)).json();
  const rows = timelineRes.items;
  assert.equal(rows.length, expected);
  assert.ok(rows.every((r) => String(r.signer).toLowerCase() === address.toLowerCase()), 'stored with the signer of each batch: Ada');
  console.log(`collector: ${fromCollector.events} events of the replay, ${fromCollector.participants.length} participants, the same fold as Arkiv's records`);

  // The meeting's own records are untouched by the replay.
  assert.equal((await foldInNode(MEETING, address)).events.length, 0);
  await env.checkPage('replay');

  // A reload (or a shared link) shows the stored replay, still labelled; the wallet is locked, the records stay.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await env.ready('meeting');
  await page.waitForSelector(`${tid('replay-status')}[data-state="stored"]`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="attendance-row"]').length === n, m.participants.length);
  assert.deepEqual((await attendance(page)).map((r) => [r.id, r.presence.seconds, r.speaking.seconds]), m.participants.map((p) => [p.id, p.presenceSeconds, p.speakingSeconds]));

  // Back to the meeting's call: no replay, its own (empty) records.
  await page.click(tid('replay-back'));
  await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
  await page.waitForSelector(tid('attendance-empty'));
  assert.equal(await timelineTotal(page), 0);
  assert.equal(await env.textOf(page.locator('#attendance-h')), 'Attendance');
  assert.deepEqual(pageErrors, []);
});

test('attendance: while a meeting runs, open stays read "still there"; leaving a running replay stops it', { timeout: 180_000 }, async () => {
  const { page } = env;
  await env.go(`/meeting/${MEETING}?room=${ROOM}`, 'meeting');
  await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
  // The wallet is locked after the reload of the first test: unlock it (the replay signs its records).
  if ((await page.locator('#identity').getAttribute('data-state')) !== 'unlocked') {
    await page.fill(tid('wallet-passphrase'), 'correct horse battery staple');
    await page.click(tid('wallet-unlock'));
    await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
  }
  const address = (await page.locator(tid('active-address')).textContent()).trim();
  await page.selectOption(tid('replay-speed'), '1');
  await page.click(tid('replay-start'));
  await page.waitForSelector(tid('replay-panel'));
  const runId = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('replay');
  const replayId = `${MEETING}/replay/${runId}`;

  // Real time: Ada at 0 s, Ben at 4 s, and nobody has left yet.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="attendance-row"]').length >= 2, null, { timeout: 30_000 });
  const summary = page.locator(tid('attendance-summary'));
  assert.equal(await summary.getAttribute('data-ended-at'), '');
  assert.match(await env.textOf(summary), /, still going;/);
  const open = await attendance(page);
  assert.ok(open.every((r) => r.intervals.length === 1 && r.intervals[0].leftAt === null), JSON.stringify(open));
  for (const r of open) assert.equal(r.intervals[0].text, `since ${wallTime(r.intervals[0].joinedAt)} (still there)`);
  // The same records in Node give the same open stays (read until the page and Node saw the same latest record).
  await env.until('page and Node agree', async () => {
    const asOf = await summary.getAttribute('data-as-of');
    const m = (await foldInNode(replayId, address)).meetings[0];
    const shown = await attendance(page);
    return JSON.stringify({ same: m.asOf === asOf, page: shown.map((r) => [r.id, r.intervals.map((i) => [i.joinedAt, i.leftAt]), r.presence.seconds]), node: m.participants.map((p) => [p.id, p.intervals.map((i) => [i.joinedAt, i.leftAt]), p.presenceSeconds]) });
  }, (t) => {
    const v = JSON.parse(t);
    return v.same && JSON.stringify(v.page) === JSON.stringify(v.node);
  }, 30_000);

  // Leaving the replay's address stops it: what was emitted is written, nothing more comes.
  await page.click(tid('replay-back'));
  await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
  const count = async () => (await foldInNode(replayId, address)).events.length;
  let previous = -1;
  const first = await env.until('the stopped replay written (the same count twice, a second apart)', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const n = await count();
    const settled = n > 0 && n === previous;
    previous = n;
    return settled ? n : -1;
  }, (n) => n > 0);
  await new Promise((r) => setTimeout(r, 5000)); // at 1× the recording would have emitted more by now
  const later = await count();
  assert.equal(later, first, 'nothing is written after the replay stopped');
  assert.ok(later < RECORDING.events.length - 1, `stopped early: ${later} records`);
  assert.deepEqual(pageErrors, []);
});
