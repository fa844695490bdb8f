// Shared set-up of the browser e2e tests of the reference app (web/): builds the app into a temp
// folder (`vite build` with web/vite.config.js), starts startArkivNode on port 0 with a temp state
// file, serves the build with web/server.js on a free port (its /config.json points the app at the
// node) and opens headless Debian Chromium (playwright-core) with a fresh profile.
// Each test file calls useApp() once at top level; it registers node:test before/after hooks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';
import { serveApp } from '../../web/server.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const MIN = 60_000;

/**
 * @param {{ screenshot: string, timezoneId?: string }} options screenshot: file name under build/
 * @returns {{ page: import('playwright-core').Page, app: { url: string }, consoleErrors: string[] } & ReturnType<typeof helpers>}
 */
export function useApp({ screenshot, timezoneId = 'UTC' }) {
  const env = { consoleErrors: [] };
  let tmp, node, app, context;
  const shot = path.join(ROOT, 'build', screenshot);

  before(async () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'npm/dist/convene.wasm')), 'npm/dist/convene.wasm is missing: run scripts/build.sh wasm');
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/bootstrap.sh)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-e2e-'));
    const outDir = path.join(tmp, 'dist');
    await build({ configFile: path.join(ROOT, 'web/vite.config.js'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    node = await startArkivNode({ port: 0, statePath: path.join(tmp, 'state.json'), blockTimeMs: 2000 });
    app = await serveApp({ root: outDir, port: 0, config: { arkivRpcUrl: node.url } });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timezoneId,
      locale: 'en-GB',
      viewport: { width: 1280, height: 1000 },
    });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => m.type() === 'error' && env.consoleErrors.push(m.text()));
    page.on('pageerror', (e) => env.consoleErrors.push(String(e)));
    Object.assign(env, { page, app }, helpers(page, env.consoleErrors));
  });

  after(async () => {
    try {
      if (env.page) {
        fs.mkdirSync(path.dirname(shot), { recursive: true });
        await env.page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      }
    } finally {
      await context?.close().catch(() => {});
      await app?.close().catch(() => {});
      await node?.close().catch(() => {});
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  return env;
}

/** Page helpers shared by the tests. */
export function helpers(page, consoleErrors) {
  const tid = (id) => `[data-testid="${id}"]`;

  /** Polls `read` until `ok(value)`; fails with the last value seen. */
  async function until(what, read, ok, timeout = 20_000) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await read();
        if (ok(last)) return last;
      } catch (err) {
        last = err;
      }
      if (Date.now() > end) assert.fail(`${what}: timed out, last value ${JSON.stringify(String(last))}; page errors: ${consoleErrors.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const textOf = (locator) => locator.textContent({ timeout: 2000 }).then((t) => (t ?? '').trim());
  const waitText = (what, locator, expected, timeout) =>
    until(what, () => textOf(locator), (t) => (expected instanceof RegExp ? expected.test(t) : t === expected), timeout);

  /** `datetime-local` value for epoch ms (the browser context runs in UTC). */
  const localInput = (ms) => new Date(ms).toISOString().slice(0, 16);

  /** Waits until no action and no re-read of the panels is running (body[data-busy], body[data-refreshing] back to 0). */
  const idle = () => page.waitForFunction(() => !Number(document.body.dataset.busy || 0) && !Number(document.body.dataset.refreshing || 0));

  /** Waits until every panel has been re-read for `address` and no action runs. */
  async function panelsFor(address) {
    for (const panel of ['gatherings', 'sessions', 'series']) await page.waitForSelector(`#${panel}[data-viewer="${address}"]`, { state: 'attached' });
    await idle();
  }

  const selectedLabel = () => textOf(page.locator(`${tid('identity-select')} option:checked`));
  const walletState = () => page.locator('#identity').getAttribute('data-state');
  /** Argon2id with the default parameters takes about a second per run, longer on a loaded machine. */
  const KDF_TIMEOUT = 60_000;

  /** Passphrases of the wallets this test created, by name. */
  const passphrases = new Map();

  /** Creates a wallet through the UI (made and sealed in WASM, kept in IndexedDB); it is then active and unlocked. */
  async function createWallet(label, passphrase) {
    if (await page.locator(tid('wallet-new')).count()) await page.click(tid('wallet-new'));
    await page.fill(tid('wallet-new-name'), label);
    await page.fill(tid('wallet-new-passphrase'), passphrase);
    await page.fill(tid('wallet-new-confirm'), passphrase);
    await page.click(tid('wallet-create'));
    await until(`wallet ${label} created and unlocked`, async () => `${await selectedLabel()} ${await walletState()}`, (t) => t.startsWith(`${label} (`) && t.endsWith(' unlocked'), KDF_TIMEOUT);
    passphrases.set(label, passphrase);
    const address = await textOf(page.locator(tid('active-address')));
    await panelsFor(address);
    return address;
  }

  /** Unlocks the active wallet with its passphrase; checks that "Unlocking…" was shown while Argon2id ran. */
  async function unlock(label) {
    await page.evaluate(() => {
      const bar = document.getElementById('identity');
      window.__walletStates = [];
      window.__walletObserver?.disconnect();
      window.__walletObserver = new MutationObserver(() => {
        const busy = bar.querySelector('[data-testid="wallet-busy"]');
        window.__walletStates.push(`${bar.dataset.state}${busy ? `: ${busy.textContent}` : ''}`);
      });
      window.__walletObserver.observe(bar, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.fill(tid('wallet-passphrase'), passphrases.get(label));
    await page.click(tid('wallet-unlock'));
    await until(`wallet ${label} unlocked`, walletState, (s) => s === 'unlocked', KDF_TIMEOUT);
    const states = await page.evaluate(() => window.__walletStates);
    assert.ok(states.some((s) => s.startsWith('busy: Unlocking…')), `"Unlocking…" shown while Argon2id runs: ${states}`);
  }

  /** Switches to the wallet `label` (locking the current one), unlocks it, waits for the panels. */
  async function actAs(label) {
    const select = page.locator(tid('identity-select'));
    const value = await select.locator('option', { hasText: `${label} (` }).getAttribute('value');
    if ((await select.inputValue()) !== value) await select.selectOption(value);
    await waitText(`active wallet ${label}`, page.locator(tid('active-address')), value);
    if ((await walletState()) !== 'unlocked') await unlock(label);
    await panelsFor(value);
    return value;
  }

  return { tid, until, textOf, waitText, localInput, idle, actAs, createWallet, unlock, walletState, passphrases };
}
