// Entry point: load the config and the core, wire the SDK, identities, clock and panels.
import { loadCore } from '@convene/core';
import { createArkiv } from './arkiv.js';
import { createClock } from './clock.js';
import { loadConfig } from './config.js';
import { createGatheringService } from './gatherings.js';
import { createIdentities } from './identities.js';
import { createSessionService } from './sessions.js';
import { mountClock } from './ui/clock.js';
import { h, replace } from './ui/dom.js';
import { mountGatherings } from './ui/gatherings.js';
import { mountIdentity } from './ui/identity.js';
import { mountNotice } from './ui/notice.js';
import { mountSessions } from './ui/sessions.js';
import './style.css';

const $ = (id) => document.getElementById(id);

async function start() {
  const notice = mountNotice($('notice'));
  try {
    const config = await loadConfig();
    const [core, arkiv] = [await loadCore(), createArkiv(config.arkivRpcUrl)];
    const identities = createIdentities();
    const clock = createClock();
    const deps = { core, arkiv, clock, config };

    mountIdentity($('identity'), { identities });
    mountClock($('clock'), { clock });
    const gatherings = mountGatherings($('gatherings'), { service: createGatheringService(deps), identities, clock, notice });
    const sessions = mountSessions($('sessions'), { service: createSessionService(deps), identities, clock, notice });

    const node = $('node');
    replace(node, 'Arkiv node ', h('code', {}, config.arkivRpcUrl), ' …');
    arkiv
      .chainId()
      .then((id) => replace(node, 'Arkiv node ', h('code', { testid: 'node-url' }, config.arkivRpcUrl), h('span', { class: 'badge ok', testid: 'node-chain' }, `chain ${id}`)))
      .catch((err) => {
        replace(node, 'Arkiv node ', h('code', {}, config.arkivRpcUrl), h('span', { class: 'badge bad', testid: 'node-chain' }, 'unreachable'));
        notice.error(err, `Arkiv node at ${config.arkivRpcUrl}`);
      });

    const refreshAll = () => Promise.all([gatherings.refresh(), sessions.refresh()]);
    identities.onChange(refreshAll);
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
