// The reference app's wallet in its Worker (docs/wallet.md#the-wallet-worker), in headless Debian Chromium at
// the default Argon2id parameters (64 MiB, 6 passes): the app runs the wallet in the Worker, and the main thread
// stays free while a wallet is created, unlocked and its passphrase changed — measured with the Long Tasks API (PerformanceObserver on
// `longtask`). Printed: the longest main-thread task of each step, and how long the step took. The test asserts
// what does not depend on this machine's speed: no single main-thread task holds a large part of the step (with
// Argon2id on the main thread one task is the whole step); the 50 ms target is reported, not asserted. It also prints
// what the page downloads per part (the network panel, the Worker's requests included). A page without Worker
// support runs the wallet on the main thread (the app's explicit fallback), where the same step is one long task.
// Two tabs of the app share one unlocked wallet through the SharedWorker: unlocked in one, unlocked in the other
// without a passphrase; locked in either, locked in both.
// Run: node --test tests/e2e/wallet-worker.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { builtApp, MIN, useApp } from './harness.js';

const env = useApp({ suite: 'wallet-worker' });

/** Records the page's long tasks in window.__longTasks from its first script on, after deleting the `remove` globals. */
function observeLongTasks(page, remove = []) {
  return page.addInitScript((names) => {
    for (const name of names) delete window[name];
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  }, remove);
}

/** Long tasks and the step's duration between two marks of the page's clock. */
async function measure(page, fn) {
  const t0 = await page.evaluate(() => performance.now());
  await fn();
  const t1 = await page.evaluate(() => performance.now());
  // Long task entries are delivered asynchronously: give the observer a frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  const tasks = await page.evaluate(([a, b]) => window.__longTasks.filter((t) => t.start + t.duration >= a && t.start <= b), [t0, t1]);
  return { ms: t1 - t0, longest: Math.max(0, ...tasks.map((t) => t.duration)), count: tasks.length };
}

test('the wallet runs in its Worker: creating, unlocking and changing the passphrase at the default Argon2id parameters leave the main thread free', { timeout: 5 * MIN }, async () => {
  const { page, tid, createWallet, unlock, walletState, until, context } = env;
  // The network panel: what the app downloads, by file (the Worker's requests included), bytes on the wire.
  const downloads = new Map();
  const onFinished = async (req) => {
    const name = new URL(req.url()).pathname.split('/').pop();
    if (!/\.(wasm|js|mjs)$/.test(name)) return;
    const sizes = await req.sizes().catch(() => null);
    if (sizes) downloads.set(name, (downloads.get(name) ?? 0) + sizes.responseBodySize);
  };
  context.on('requestfinished', onFinished);
  // This page measures the dedicated Worker (the app's choice where the browser has no SharedWorker): Playwright's
  // network events include a dedicated Worker's requests, not a SharedWorker's. Same worker script, same module;
  // the SharedWorker is measured in the two-tab test below (long tasks only).
  await observeLongTasks(page, ['SharedWorker']);
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('#identity').getAttribute('data-wallet-worker'), 'true', 'the app started the wallet Worker');
  // The instrument works: a 150 ms loop on the main thread is seen as a long task.
  const probe = await measure(page, () => page.evaluate(() => new Promise((resolve) => {
    setTimeout(() => {
      const end = performance.now() + 150;
      while (performance.now() < end);
      resolve();
    }, 0);
  })));
  assert.ok(probe.longest >= 140, `the long-task observer saw the 150 ms probe (longest ${probe.longest} ms; ${await page.evaluate(() => JSON.stringify([PerformanceObserver.supportedEntryTypes, window.__longTasks.length]))})`);

  const create = await measure(page, () => createWallet('Ada', 'a long passphrase for the worker'));
  await page.click(tid('wallet-lock'));
  await until('locked', walletState, (s) => s === 'locked');
  const open = await measure(page, () => unlock('Ada'));
  // Changing the passphrase (the wallets page): Argon2id twice, in the Worker. A mismatch is refused at once, a
  // wrong current passphrase after the derivation, both at their fields.
  const { go, fieldError, passphrases } = env;
  await go('/wallets', 'wallets');
  const row = page.locator(tid('wallet-row')).filter({ hasText: 'Ada' });
  await row.locator('summary', { hasText: 'Change passphrase' }).click();
  const change = async (current, next, repeat) => {
    await row.locator(tid('passphrase-current')).fill(current);
    await row.locator(tid('passphrase-next')).fill(next);
    await row.locator(tid('passphrase-repeat')).fill(repeat);
    await row.locator(tid('passphrase-change')).click();
  };
  await change(passphrases.get('Ada'), 'a new one', 'a new two');
  await until('a mismatch refused at its field', () => fieldError('repeat', row).textContent().catch(() => ''), (t) => /differ/.test(t));
  await change('not the passphrase', 'a new one', 'a new one');
  await until('a wrong passphrase refused at its field', () => fieldError('current', row).textContent().catch(() => ''), (t) => /does not unlock/.test(t), 60_000);
  const changed = await measure(page, async () => {
    await change(passphrases.get('Ada'), 'the new passphrase of Ada', 'the new passphrase of Ada');
    await until('passphrase changed', () => row.locator(tid('passphrase-change-status')).textContent().catch(() => ''), (t) => /new passphrase/.test(t), 60_000);
  });
  passphrases.set('Ada', 'the new passphrase of Ada');
  assert.equal(await walletState(), 'unlocked', 'an unlocked wallet stays unlocked');
  await page.click(tid('wallet-lock'));
  await until('locked', walletState, (s) => s === 'locked');
  await unlock('Ada'); // the new passphrase opens it
  for (const [name, m] of [['create', create], ['unlock', open], ['change passphrase', changed]]) {
    console.log(`wallet worker: ${name} took ${m.ms.toFixed(0)} ms; longest main-thread task ${m.longest.toFixed(0)} ms ` +
      `(${m.count} over 50 ms); target <= 50 ms: ${m.longest <= 50 ? 'met' : 'missed'}`);
    assert.ok(m.longest < m.ms / 2, `${name}: a main-thread task of ${m.longest.toFixed(0)} ms within a ${m.ms.toFixed(0)} ms step — Argon2id ran on the page`);
  }
  context.off('requestfinished', onFinished);
  const part = (name) => (/^wallet.*\.wasm$/.test(name) || /^worker/.test(name) ? 'wallet Worker'
    : /^events.*\.(wasm|js)$/.test(name) ? 'events part' : /^recurrence.*\.wasm$/.test(name) ? 'recurrence part'
      : /\.wasm$/.test(name) ? 'core main part' : 'app and package JS');
  const perPart = new Map();
  for (const [name, bytes] of downloads) perPart.set(part(name), (perPart.get(part(name)) ?? 0) + bytes);
  for (const [p, bytes] of perPart) console.log(`downloaded: ${p} ${(bytes / 1024).toFixed(1)} KB (as served: the test server does not compress)`);
  for (const [name, bytes] of [...downloads].sort((a, b) => b[1] - a[1])) console.log(`  ${name} ${(bytes / 1024).toFixed(1)} KB`);
  assert.ok([...downloads.keys()].some((n) => /^wallet.*\.wasm$/.test(n)), `the Worker fetched its own module: ${[...downloads.keys()].join(', ')}`);
  assert.ok(![...downloads.keys()].some((n) => /^events.*\.wasm$/.test(n)), `the wallets page fetched no events part: ${[...downloads.keys()].join(', ')}`);
  assert.ok([...downloads.keys()].some((n) => /^convene.*\.wasm$/.test(n)) && [...downloads.keys()].some((n) => /^recurrence.*\.wasm$/.test(n)),
    `the app fetched the domain core and the recurrence part: ${[...downloads.keys()].join(', ')}`);
  assert.deepEqual(env.consoleErrors, []);
});

test('a page without Worker support: the app says so and runs the wallet on the main thread, where Argon2id is one long task', { timeout: 5 * MIN }, async () => {
  const { context, app } = env;
  const page = await context.newPage();
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await observeLongTasks(page, ['Worker', 'SharedWorker']);
  try {
    await page.goto(`${app.url}#/wallets`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('#identity').getAttribute('data-wallet-worker'), 'false');
    assert.ok(warnings.some((w) => /main thread/.test(w)), `the console says why: ${warnings.join(' | ')}`);
    const tid = (id) => `[data-testid="${id}"]`;
    const m = await measure(page, async () => {
      await page.fill(tid('wallet-new-name'), 'Main');
      await page.fill(tid('wallet-new-passphrase'), 'on the main thread');
      await page.fill(tid('wallet-new-confirm'), 'on the main thread');
      await page.click(tid('wallet-create'));
      await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 120_000 });
    });
    console.log(`main thread (no Worker): create took ${m.ms.toFixed(0)} ms; longest main-thread task ${m.longest.toFixed(0)} ms (${m.count} over 50 ms)`);
    assert.ok(m.longest > 50, 'Argon2id at the default parameters is one long task on the main thread: the contrast the Worker removes');
  } finally {
    await page.close();
  }
});

test('two tabs share one unlocked wallet (SharedWorker): a second tab opens unlocked, a lock in either locks both, an unlock in one unlocks the other', { timeout: 5 * MIN }, async () => {
  const { context, app } = env;
  const tid = (id) => `[data-testid="${id}"]`;
  const state = (p) => p.locator('#identity').getAttribute('data-state');
  const waitState = (p, want, what) => p.waitForFunction((w) => document.getElementById('identity')?.dataset.state === w, want, { timeout: 120_000 })
    .catch(async (err) => { throw new Error(`${what}: the tab is ${await state(p)}, not ${want} (${err.message})`); });
  const first = await context.newPage();
  const second = await context.newPage();
  await observeLongTasks(first);
  try {
    await first.goto(`${app.url}#/wallets`);
    await first.waitForSelector('body[data-ready="true"]');
    assert.equal(await first.locator('#identity').getAttribute('data-wallet-worker'), 'shared', 'the app uses the shared wallet Worker');
    const create = await measure(first, async () => {
      await first.fill(tid('wallet-new-name'), 'Bea');
      await first.fill(tid('wallet-new-passphrase'), 'one wallet for every tab');
      await first.fill(tid('wallet-new-confirm'), 'one wallet for every tab');
      await first.click(tid('wallet-create'));
      await waitState(first, 'unlocked', 'created in the first tab');
    });
    console.log(`wallet SharedWorker: create took ${create.ms.toFixed(0)} ms; longest main-thread task ${create.longest.toFixed(0)} ms ` +
      `(${create.count} over 50 ms); target <= 50 ms: ${create.longest <= 50 ? 'met' : 'missed'}`);
    assert.ok(create.longest < create.ms / 2, `a main-thread task of ${create.longest.toFixed(0)} ms within a ${create.ms.toFixed(0)} ms step`);
    // A meeting page opened from the first tab, as the app's meeting links do: unlocked without a passphrase.
    await second.goto(`${app.url}#/meeting`);
    await second.waitForSelector('body[data-ready="true"]');
    await waitState(second, 'unlocked', 'the second tab, opened while the first has the wallet unlocked');
    assert.equal((await second.locator(tid('active-address')).textContent()).trim(), (await first.locator(tid('active-address')).textContent()).trim(),
      'the same wallet in both tabs');
    // Locked in the second tab: locked in the first.
    await second.click(tid('wallet-lock'));
    await waitState(first, 'locked', 'the first tab after a lock in the second');
    assert.equal(await state(second), 'locked');
    // Unlocked in the first tab: the second one follows.
    await first.fill(tid('wallet-passphrase'), 'one wallet for every tab');
    await first.click(tid('wallet-unlock'));
    await waitState(first, 'unlocked', 'unlocked in the first tab');
    await waitState(second, 'unlocked', 'the second tab after an unlock in the first');
    console.log('wallet SharedWorker: the second tab opened unlocked; a lock and an unlock followed across the two tabs');
  } finally {
    await first.close();
    await second.close();
  }
  assert.deepEqual(env.consoleErrors, []);
});

test('a SharedWorker that froze is silent to its pages, which is what the heartbeat detects: it answers pings until it freezes, then nothing, not even a page that connects afterwards', { timeout: 2 * MIN }, async () => {
  // The app's own wallet Worker script, as a test SharedWorker (`?test` enables the `freeze` op), spoken to over its
  // port directly: the page side's detection (npm/src/wallet/remote.js) is tested in Node (tests/node/wallet.worker.test.js).
  // A page of its own: the first test's page runs without SharedWorker (its init script deletes it).
  const { context, app } = env;
  const page = await context.newPage();
  // The bundled Worker: the build also copies npm/src/wallet/worker.js as it is (remote.js names it once outside a
  // Worker constructor, for Node), and which of the two sorts first depends on their hashes.
  const assets = path.join(await builtApp(), 'assets');
  const script = fs.readdirSync(assets).filter((n) => /^worker-.*\.js$/.test(n))
    .find((n) => !fs.readFileSync(path.join(assets, n), 'utf8').includes("'../../dist/wallet.mjs'"));
  assert.ok(script, 'the built app has its wallet Worker script');
  await page.goto(app.url);
  const seen = await page.evaluate(async (url) => {
    const next = (port, pred, ms) => new Promise((resolve) => {
      const on = (e) => {
        if (!pred(e.data)) return;
        clearTimeout(timer);
        port.removeEventListener('message', on);
        resolve(e.data);
      };
      const timer = setTimeout(() => {
        port.removeEventListener('message', on);
        resolve(null);
      }, ms);
      port.addEventListener('message', on);
      port.start();
    });
    const first = new SharedWorker(url, { type: 'module', name: 'convene-wallet-freeze-test' });
    const ready = await next(first.port, (m) => m && 'ready' in m, 30_000);
    first.port.postMessage({ ping: 1 });
    const pong1 = await next(first.port, (m) => m && m.pong === 1, 5_000);
    first.port.postMessage({ id: 1, op: 'freeze', args: [] });
    first.port.postMessage({ ping: 2 });
    const pong2 = await next(first.port, (m) => m && m.pong === 2, 3_000);
    const later = new SharedWorker(url, { type: 'module', name: 'convene-wallet-freeze-test' });
    const ready2 = await next(later.port, (m) => m && 'ready' in m, 3_000);
    return { ready, pong1, pong2, ready2 };
  }, `/assets/${script}?test`);
  assert.deepEqual(seen.ready, { ready: true, shared: true });
  assert.deepEqual(seen.pong1, { pong: 1 }, 'a live SharedWorker answers the heartbeat');
  assert.equal(seen.pong2, null, 'frozen: no answer to the heartbeat');
  assert.equal(seen.ready2, null, 'frozen: a page that connects hears nothing either (no error event reaches it)');
  console.log('wallet SharedWorker (Chromium): answers pings while alive; silent once frozen (no error, no message): the pages\' heartbeat is what finds it gone');
  await page.close();
});
