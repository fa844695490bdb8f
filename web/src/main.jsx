// Start-up: the config, the core (WASM), the SDK clients, the wallets, the clock and the services,
// then the React app. A failure before the app can render is shown in words, with what to check.
import { createWalletWorker, loadCore } from '@convene/core';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router-dom';
import { App } from './app/App.jsx';
import { AppContext, createChanges, createMinuteTicker } from './app/context.js';
import { createArkiv } from './arkiv.js';
import { createBlueskyAccount } from './bluesky-account.js';
import { createBlueskyService } from './bluesky-service.js';
import { createClock } from './clock.js';
import { loadConfig } from './config.js';
import { explain } from './errors.js';
import { createGatheringService } from './gatherings.js';
import { createLive, webSocketUrl } from './live.js';
import { createInbox } from './notices.js';
import { createSeriesService } from './series.js';
import { createSessionService } from './sessions.js';
import { TEST_KDF, createWallets } from './wallets.js';
import './style.css';

/** The node's chain id once known (undefined: asking; null: unreachable). */
function watchNode(arkiv) {
  const listeners = new Set();
  const node = {
    chainId: undefined,
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  arkiv.chainId().then(
    (id) => {
      node.chainId = id;
      listeners.forEach((fn) => fn());
    },
    (err) => {
      console.warn('Arkiv node unreachable', err);
      node.chainId = null;
      listeners.forEach((fn) => fn());
    },
  );
  return node;
}

function StartFailed({ error }) {
  const e = explain(error);
  return (
    <main className="start-failed" id="main">
      <h1>Convene could not start</h1>
      <p role="alert" data-testid="start-error" data-code={e.code}>
        {e.text}
      </p>
      <details className="details">
        <summary>Details</summary>
        <pre>{e.detail}</pre>
      </details>
      <p>Reload the page to try again.</p>
    </main>
  );
}

async function start() {
  const root = createRoot(document.getElementById('root'));
  root.render(
    <p className="starting" role="status">
      Starting Convene…
    </p>,
  );
  try {
    const config = await loadConfig();
    // The domain core and the recurrence part (the gatherings list materializes series' occurrences, and the
    // notices and Bluesky services read them from the start); the events part loads with the meeting pages, and the
    // wallet runs in its Worker, which loads the wallet's module itself (docs/architecture.md#parts); the
    // main-thread fallback below loads the wallet part when it is needed.
    const core = await loadCore({ parts: ['recurrence'] });
    const arkiv = createArkiv(config.arkivRpcUrl);
    // Cheap Argon2id only through an explicit, visible test/dev setting (a banner says so).
    const testKdf = new URLSearchParams(window.location.search).get('kdf') === 'interactive';
    // Keys live in the wallet Worker (docs/wallet.md#the-wallet-worker): Argon2id never freezes the page and an
    // unlocked key is never in the page's memory. The shared one where the browser has SharedWorker: the app's
    // tabs then share one unlocked wallet and one idle timer. A browser that cannot start a Worker runs the
    // wallet on the main thread instead, and says so in the console.
    const wallet = await createWalletWorker({ shared: true }).catch((err) => {
      console.warn('The wallet runs on the main thread: the wallet Worker did not start', err);
      return core.load('wallet').then(() => core.wallet);
    });
    const identities = await createWallets({ core, wallet, kdf: testKdf ? TEST_KDF : undefined });
    const clock = createClock();
    const deps = { core, arkiv, clock, config };
    const gatherings = createGatheringService(deps);
    // Bluesky (docs/bluesky.md#the-app): the account on the configured PDS (a session this tab kept is taken up).
    const account = createBlueskyAccount({ pdsUrl: config.pdsUrl });
    account.resume().catch((err) => console.warn('Bluesky session not resumed', err));
    const app = {
      ...deps,
      identities,
      changes: createChanges(),
      minutes: createMinuteTicker(clock),
      node: watchNode(arkiv),
      // Pages update by themselves when the node serves WebSocket subscriptions (web/src/live.js).
      live: createLive({ url: config.arkivWsUrl || webSocketUrl(config.arkivRpcUrl), spaceId: config.spaceId }),
      gatherings,
      sessions: createSessionService(deps),
      series: createSeriesService({ ...deps, gatherings }),
      // The acting wallet's notices (web/src/notices.js): followed series and RSVP'd gatherings.
      inbox: createInbox(deps),
      bluesky: { account, ...createBlueskyService({ ...deps, account }) },
    };
    root.render(
      <AppContext.Provider value={app}>
        <HashRouter>
          <App />
        </HashRouter>
      </AppContext.Provider>,
    );
    document.body.dataset.ready = 'true';
  } catch (err) {
    console.error(err);
    root.render(<StartFailed error={err} />);
  }
}

start();
