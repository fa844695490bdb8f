// Entry point: load the config and the core, wire the SDK, wallets, clock and panels.
import { loadCore } from '@convene/core';
import { createArkiv } from './arkiv.js';
import { createClock } from './clock.js';
import { loadConfig } from './config.js';
import { createGatheringService } from './gatherings.js';
import { createSeriesService } from './series.js';
import { createSessionService } from './sessions.js';
import { TEST_KDF, createWallets } from './wallets.js';
import { mountClock } from './ui/clock.js';
import { h, replace } from './ui/dom.js';
import { mountGatherings } from './ui/gatherings.js';
import { mountNotice } from './ui/notice.js';
import { mountSeries } from './ui/series.js';
import { mountSessions } from './ui/sessions.js';
import { guardWrites, mountWallet } from './ui/wallet.js';
import './style.css';

const $ = (id) => document.getElementById(id);

async function start() {
  const notice = mountNotice($('notice'));
  try {
    const config = await loadConfig();
    const [core, arkiv] = [await loadCore(), createArkiv(config.arkivRpcUrl)];
    // Cheap Argon2id only through an explicit, visible test/dev setting (a banner says so).
    const testKdf = new URLSearchParams(location.search).get('kdf') === 'interactive';
    // The acting identity is a wallet: `identities` below is the wallet book (web/src/wallets.js).
    const identities = await createWallets({ core, kdf: testKdf ? TEST_KDF : undefined });
    const clock = createClock();
    const deps = { core, arkiv, clock, config };

    mountWallet($('identity'), { identities, notice });
    mountClock($('clock'), { clock });
    const gatheringService = createGatheringService(deps);
    const gatherings = mountGatherings($('gatherings'), { service: gatheringService, identities, clock, notice });
    const sessions = mountSessions($('sessions'), { service: createSessionService(deps), identities, clock, notice });
    const series = mountSeries($('series'), {
      service: createSeriesService({ ...deps, gatherings: gatheringService }),
      identities,
      clock,
      notice,
      // Series writes create, update or delete gatherings: the gatherings panel follows.
      onChanged: () => gatherings.refresh(),
    });

    const node = $('node');
    replace(node, 'Arkiv node ', h('code', {}, config.arkivRpcUrl), ' …');
    arkiv
      .chainId()
      .then((id) => replace(node, 'Arkiv node ', h('code', { testid: 'node-url' }, config.arkivRpcUrl), h('span', { class: 'badge ok', testid: 'node-chain' }, `chain ${id}`)))
      .catch((err) => {
        replace(node, 'Arkiv node ', h('code', {}, config.arkivRpcUrl), h('span', { class: 'badge bad', testid: 'node-chain' }, 'unreachable'));
        notice.error(err, `Arkiv node at ${config.arkivRpcUrl}`);
      });

    // body[data-refreshing] counts running re-reads (the e2e tests wait for 0, with body[data-busy]).
    const body = document.body;
    const refreshAll = async () => {
      body.dataset.refreshing = String(Number(body.dataset.refreshing || 0) + 1);
      try {
        await Promise.all([gatherings.refresh(), sessions.refresh(), series.refresh()]);
      } finally {
        body.dataset.refreshing = String(Number(body.dataset.refreshing) - 1);
      }
    };
    // Re-read the panels when the acting wallet or its lock state changes (not on every busy tick).
    let seen = '';
    identities.onChange(() => {
      const a = identities.active();
      const now = `${a.address}|${a.locked}`;
      if (now !== seen) {
        seen = now;
        refreshAll();
      }
    });
    seen = `${identities.active().address}|${identities.active().locked}`;
    guardWrites(document.body, identities);
    clock.onChange(refreshAll);
    $('refresh').addEventListener('click', refreshAll);
    await refreshAll();
    document.body.dataset.ready = 'true';
  } catch (err) {
    console.error(err);
    notice.error(err, 'Starting the app');
  }
}

start();
