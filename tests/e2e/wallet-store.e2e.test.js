// createKeystoreStore against real IndexedDB, and createAutoLock against real DOM
// events, in headless Debian Chromium (playwright-core). The two helper files have
// no imports, so they are served as they are from npm/src/wallet/.
// Run: node --test tests/e2e/   (needs /usr/bin/chromium)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WALLET_SRC = fileURLToPath(new URL('../../npm/src/wallet/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server, base, tmp, context, page;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url, 'http://x').pathname);
    if (name === '' || name === 'index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>wallet</title><body></body>');
    } else if (['keystoreStore.js', 'autoLock.js'].includes(name)) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(path.join(WALLET_SRC, name)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}/`;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-e2e-'));
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = context.pages()[0] || (await context.newPage());
  await page.goto(base);
});

after(async () => {
  await context?.close();
  server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('keystores survive a reload in IndexedDB, keyed by lowercase address', async () => {
  const A = '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf';
  const B = '0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF';
  const saved = await page.evaluate(async ([a, b]) => {
    const { createKeystoreStore } = await import('/keystoreStore.js');
    let t = 1000;
    const store = createKeystoreStore({ dbName: 'wallet-test', now: () => t++ });
    await store.save({ address: a, keystore: 'KS-A' });
    await store.save({ address: b, keystore: 'KS-B' });
    await store.save({ address: a.toLowerCase(), keystore: 'KS-A2' });  // replaces A, now the newest
    await store.close();
    return true;
  }, [A, B]);
  assert.equal(saved, true);
  await page.reload();
  const read = await page.evaluate(async ([a, b]) => {
    const { createKeystoreStore } = await import('/keystoreStore.js');
    const store = createKeystoreStore({ dbName: 'wallet-test' });
    const out = {
      a: await store.load(a.toUpperCase().replace('0X', '0x')),
      b: await store.load(b),
      newest: await store.load(),
      list: (await store.list()).map((r) => [r.address, r.keystore]),
      missing: await store.load('0x' + '11'.repeat(20)),
    };
    await store.remove(b);
    out.afterRemove = (await store.list()).map((r) => r.address);
    try { await store.save({ address: 'nope', keystore: 'x' }); } catch (e) { out.badAddress = e.name; }
    await store.close();
    return out;
  }, [A, B]);
  assert.equal(read.a, 'KS-A2');
  assert.equal(read.b, 'KS-B');
  assert.equal(read.newest, 'KS-A2');
  assert.deepEqual(read.list, [[B.toLowerCase(), 'KS-B'], [A.toLowerCase(), 'KS-A2']]);
  assert.equal(read.missing, null);
  assert.deepEqual(read.afterRemove, [A.toLowerCase()]);
  assert.equal(read.badAddress, 'TypeError');
});

test('auto-lock: real key presses postpone the lock; idleness locks', async () => {
  const result = await page.evaluate(async () => {
    const { createAutoLock } = await import('/autoLock.js');
    const signer = { locked: false, lock() { this.locked = true; } };
    const auto = createAutoLock(signer, { idleMs: 300 });
    window.__auto = { auto, signer };
    return auto.deadline > Date.now();
  });
  assert.equal(result, true);
  for (let i = 0; i < 4; i++) {
    await page.waitForTimeout(150);
    await page.keyboard.press('Shift');
  }
  assert.equal(await page.evaluate(() => window.__auto.signer.locked), false, 'still unlocked after 600 ms of typing');
  await page.waitForTimeout(700);
  assert.equal(await page.evaluate(() => window.__auto.signer.locked), true);
});
