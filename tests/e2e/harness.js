// Shared set-up of the browser e2e tests of the reference app (web/): builds the app (`vite build` with
// web/vite.config.js; the build is cached in build/e2e-dist/<hash of its inputs>, so the suites of one
// run share it), starts startArkivNode on port 0 with a temp state file, serves the build with
// web/server.js on a free port (its /config.json points the app at the node) and opens headless Debian
// Chromium (playwright-core) with a fresh profile.
//
// Every page a test visits can be checked with `checkPage(name)`: axe-core (no serious or critical
// violations), no horizontal scrolling at 390 px, and screenshots at 1280 and 390 px wide into
// build/e2e-<suite>-<name>-<width>.png. The axe results of a suite are written to build/e2e-axe-<suite>.json.
// Each test file calls useApp() once at top level; it registers node:test before/after hooks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';
import { openDatabase } from '../../tools/collector/src/db.js';
import { startPds } from '../../tools/pds/src/index.js';
import { startCollector } from '../../tools/collector/src/server.js';
import { serveApp } from '../../web/server.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const MIN = 60_000;
export const WIDE = { width: 1280, height: 1000 };
export const NARROW = { width: 390, height: 844 };
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Files whose change needs a new build of the app. */
function buildInputs() {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'dist' && e.name !== 'node_modules') walk(p);
      } else if (!p.endsWith('.md')) files.push(p);
    }
  };
  walk(path.join(ROOT, 'web'));
  walk(path.join(ROOT, 'npm/dist'));
  for (const f of ['npm/index.js', 'npm/viem.js', 'package-lock.json']) files.push(path.join(ROOT, f));
  walk(path.join(ROOT, 'npm/src'));
  return files.sort();
}

/** The app built once per set of inputs (build/e2e-dist/<hash>); later suites reuse it. */
export async function builtApp() {
  const hash = createHash('sha256');
  for (const f of buildInputs()) {
    hash.update(path.relative(ROOT, f));
    hash.update(fs.readFileSync(f));
  }
  const id = hash.digest('hex').slice(0, 16);
  const cacheRoot = path.join(ROOT, 'build/e2e-dist');
  const dir = path.join(cacheRoot, id);
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  fs.mkdirSync(cacheRoot, { recursive: true });
  const tmpOut = fs.mkdtempSync(path.join(cacheRoot, 'tmp-'));
  await build({ configFile: path.join(ROOT, 'web/vite.config.js'), logLevel: 'error', build: { outDir: tmpOut, emptyOutDir: true } });
  // Older builds go; builds still being written by another process (tmp-*) stay.
  for (const old of fs.readdirSync(cacheRoot)) if (!old.startsWith('tmp-') && old !== id) fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
  try {
    fs.renameSync(tmpOut, dir);
  } catch (err) {
    // Another suite finished the same build first: use it.
    if (!fs.existsSync(path.join(dir, 'index.html'))) throw err;
    fs.rmSync(tmpOut, { recursive: true, force: true });
  }
  return dir;
}

/**
 * @param {{ suite: string, timezoneId?: string, viewport?: { width: number, height: number }, jitsiBaseUrl?: string, blockTimeMs?: number }} options
 *   suite: names the screenshots (build/e2e-<suite>-…png) and the axe report
 */
export function useApp({ suite, timezoneId = 'UTC', viewport = WIDE, jitsiBaseUrl, blockTimeMs = 2000, collector: withCollector = false, pdsAccounts = null }) {
  const env = { consoleErrors: [], axe: [], shots: [] };
  let tmp, node, app, context, collector, pds;

  before(async () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'npm/dist/convene.wasm')), 'npm/dist/convene.wasm is missing: run scripts/build.sh wasm');
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/bootstrap.sh)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-e2e-'));
    const outDir = await builtApp();
    node = await startArkivNode({ port: 0, statePath: path.join(tmp, 'state.json'), blockTimeMs });
    // The meeting-events collector on embedded PostgreSQL (PGlite), as scripts/app.sh runs it.
    if (withCollector) {
      const { loadCore } = await import('@convene/core');
      collector = await startCollector({ db: await openDatabase({ dataDir: path.join(tmp, 'collector') }), core: await loadCore() });
    }
    // The reference ATProto PDS (tools/pds), as scripts/app.sh runs it, with these accounts (`pdsAccounts`).
    if (pdsAccounts) pds = await startPds({ accounts: pdsAccounts });
    app = await serveApp({
      root: outDir,
      port: 0,
      config: { arkivRpcUrl: node.url, ...(jitsiBaseUrl ? { jitsiBaseUrl } : {}), ...(collector ? { collectorUrl: collector.url } : {}), ...(pds ? { pdsUrl: pds.url } : {}) },
    });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timezoneId,
      locale: 'en-GB',
      viewport,
    });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(20_000);
    const watch = (p) => {
      p.on('console', (m) => m.type() === 'error' && env.consoleErrors.push(m.text()));
      p.on('pageerror', (e) => env.consoleErrors.push(String(e)));
    };
    watch(page);
    Object.assign(env, { page, app, node, collector, pds, context, watch, viewport }, helpers(page, env, suite, viewport));
  });

  after(async () => {
    try {
      fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, `build/e2e-axe-${suite}.json`), JSON.stringify({ suite, pages: env.axe, screenshots: env.shots }, null, 2));
    } finally {
      await context?.close().catch(() => {});
      await app?.close().catch(() => {});
      await node?.close().catch(() => {});
      await collector?.close().catch(() => {});
      await pds?.close().catch(() => {});
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  return env;
}

/** Runs axe-core on the page; fails on serious or critical violations. @returns a summary */
export async function runAxe(page, label) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe-core on ${label}: ${bad.length} serious or critical violations\n${JSON.stringify(bad, null, 2)}`);
  return { page: label, violations: result.length, byImpact: result.reduce((o, v) => ({ ...o, [v.impact]: (o[v.impact] || 0) + 1 }), {}), ids: result.map((v) => `${v.id} (${v.impact})`) };
}

/** Page helpers shared by the tests. */
export function helpers(page, env, suite, viewport = WIDE) {
  const consoleErrors = env.consoleErrors;
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

  const textOf = (locator) => locator.textContent({ timeout: 5000 }).then((t) => (t ?? '').trim());
  const waitText = (what, locator, expected, timeout) =>
    until(what, () => textOf(locator), (t) => (expected instanceof RegExp ? expected.test(t) : t === expected), timeout);

  /** `datetime-local` value for epoch ms (the browser context runs in UTC). */
  const localInput = (ms) => new Date(ms).toISOString().slice(0, 16);

  /** Waits until no action and no (re)load of a page is running (body[data-busy], body[data-refreshing] back to 0). */
  const idle = () => page.waitForFunction(() => !Number(document.body.dataset.busy || 0) && !Number(document.body.dataset.refreshing || 0));

  /** Waits for the page `name` to show what it read (for `viewer`, when given). */
  async function ready(name, viewer) {
    const sel = `[data-page="${name}"][data-state="ready"]${viewer ? `[data-viewer="${viewer}"]` : ''}`;
    await page.waitForSelector(sel, { state: 'attached' });
    await idle();
    await page.waitForSelector(sel, { state: 'attached' });
  }

  /** In-app navigation (the hash route; the page is not reloaded, so an unlocked wallet stays unlocked). */
  async function go(route, name) {
    await page.evaluate((r) => {
      window.location.hash = r;
    }, route);
    if (name) await ready(name);
  }

  /** The inline error at the field `name` of the current page. */
  const fieldError = (name, scope = page) => scope.locator(`${tid('field-error')}[data-field="${name}"]`);

  const selectedLabel = () => textOf(page.locator(`${tid('identity-select')} option:checked`));
  const walletState = () => page.locator('#identity').getAttribute('data-state');
  /** Argon2id with the default parameters takes about a second per run, longer on a loaded machine. */
  const KDF_TIMEOUT = 60_000;

  /** Passphrases of the wallets this test created, by name. */
  const passphrases = new Map();

  /** Fills the new-wallet form of the current page and submits it. */
  async function fillWalletForm(label, passphrase, confirm = passphrase) {
    await page.fill(tid('wallet-new-name'), label);
    await page.fill(tid('wallet-new-passphrase'), passphrase);
    await page.fill(tid('wallet-new-confirm'), confirm);
    await page.click(tid('wallet-create'));
  }

  /** Creates a wallet through the Wallets page (made and sealed in WASM, kept in IndexedDB); it is then active and unlocked. */
  async function createWallet(label, passphrase) {
    if (!(await page.locator(tid('wallet-new-form')).count())) await go('/wallets', 'wallets');
    await fillWalletForm(label, passphrase);
    await until(`wallet ${label} created and unlocked`, async () => `${await selectedLabel()} ${await walletState()}`, (t) => t.startsWith(`${label} (`) && t.endsWith(' unlocked'), KDF_TIMEOUT);
    passphrases.set(label, passphrase);
    const address = await page.locator(tid('active-address')).textContent();
    await idle();
    return address.trim();
  }

  /** Unlocks the active wallet with its passphrase; checks that "Unlocking…" was shown while Argon2id ran. */
  async function unlock(label) {
    await page.evaluate(() => {
      const bar = document.getElementById('identity');
      window.__walletStates = [];
      window.__walletObserver?.disconnect();
      window.__walletObserver = new MutationObserver(() => {
        const b = document.getElementById('identity');
        const busy = b && b.querySelector('[data-testid="wallet-busy"]');
        window.__walletStates.push(`${b && b.dataset.state}${busy ? `: ${busy.textContent}` : ''}`);
      });
      window.__walletObserver.observe(bar, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.fill(tid('wallet-passphrase'), passphrases.get(label));
    await page.click(tid('wallet-unlock'));
    await until(`wallet ${label} unlocked`, walletState, (s) => s === 'unlocked', KDF_TIMEOUT);
    const states = await page.evaluate(() => window.__walletStates);
    assert.ok(states.some((s) => s.startsWith('busy: Unlocking…')), `"Unlocking…" shown while Argon2id runs: ${states}`);
  }

  /** Switches to the wallet `label` (locking the current one), unlocks it, waits until nothing runs. */
  async function actAs(label) {
    const select = page.locator(tid('identity-select'));
    const value = await select.locator('option', { hasText: `${label} (` }).getAttribute('value');
    if ((await select.inputValue()) !== value) await select.selectOption(value);
    await waitText(`active wallet ${label}`, page.locator(tid('active-address')), value);
    if ((await walletState()) !== 'unlocked') await unlock(label);
    await idle();
    return value;
  }

  /** Sets the app clock to `ms` through the Settings page, then returns to where the test was. */
  async function setClock(ms) {
    const back = await page.evaluate(() => window.location.hash.slice(1) || '/');
    await go('/settings', 'settings');
    await page.fill(tid('clock-offset-input'), String(Math.round((ms - Date.now()) / MIN)));
    await page.click(tid('clock-set'));
    await until('app clock moved', () => page.locator(tid('clock-now')).getAttribute('datetime'), (t) => Math.abs(Date.parse(t) - ms) < 2 * MIN);
    await go(back);
    await idle();
  }

  /** Moves the app clock by one of its steps ('15m', '1h', '1d') through the Settings page. */
  async function advanceClock(step) {
    const back = await page.evaluate(() => window.location.hash.slice(1) || '/');
    await go('/settings', 'settings');
    await page.click(tid(`clock-plus-${step}`));
    await go(back);
    await idle();
  }

  /**
   * axe-core at 1280 and 390 px (no serious or critical violations), no horizontal scrolling at
   * 390 px, and a full-page screenshot at each width: build/e2e-<suite>-<name>-<width>.png.
   */
  async function checkPage(name) {
    await idle();
    const widths = viewport.width === NARROW.width ? [NARROW, WIDE] : [WIDE, NARROW];
    for (const size of widths) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      env.axe.push({ ...(await runAxe(page, `${suite}/${name} at ${size.width} px`)), width: size.width });
      const file = `e2e-${suite}-${name}-${size.width}.png`;
      await page.screenshot({ path: path.join(ROOT, 'build', file), fullPage: true });
      env.shots.push(file);
      if (size.width === NARROW.width) {
        const overflow = await page.evaluate(() => {
          const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}${e.dataset.testid ? `[${e.dataset.testid}]` : ''}.${e.className}`);
          return { over, wide };
        });
        assert.ok(overflow.over <= 0, `${name} at 390 px scrolls sideways by ${overflow.over} px: ${overflow.wide.join(', ')}`);
      }
    }
    await page.setViewportSize(viewport);
  }

  return { tid, until, textOf, waitText, localInput, idle, ready, go, fieldError, actAs, createWallet, fillWalletForm, unlock, walletState, passphrases, setClock, advanceClock, checkPage };
}
