// Where the app finds the Arkiv node and Jitsi, resolved once at start-up.
// Order: a runtime `config.json` next to index.html (optional; the e2e test's server and
// deployments that cannot rebuild use it) > build-time `VITE_ARKIV_RPC_URL` > the local default.
// The meeting-events collector (tools/collector) the same way: runtime `collectorUrl` > build-time
// `VITE_COLLECTOR_URL` (scripts/app.sh sets it) > none (the meeting page then sends to Arkiv only).
// The Bluesky PDS (tools/pds locally) the same way: runtime `pdsUrl` > `VITE_PDS_URL` > none (Bluesky is off).
const DEFAULT_RPC_URL = 'http://127.0.0.1:8545';

/**
 * `arkivWsUrl` (optional): the node's WebSocket endpoint for live updates; by default the RPC URL with
 * ws:// (the local node serves both on one port).
 * `collectorUrl` (optional): the collector's base URL; events go to `${collectorUrl}/api/meetings/events`.
 * `pdsUrl` (optional): the ATProto PDS the Bluesky page connects to and reads repos from (docs/bluesky.md#the-app).
 * @returns {Promise<{ arkivRpcUrl: string, arkivWsUrl?: string, jitsiBaseUrl?: string, collectorUrl?: string, pdsUrl?: string, spaceId: string }>}
 */
export async function loadConfig() {
  const config = {
    arkivRpcUrl: import.meta.env.VITE_ARKIV_RPC_URL || DEFAULT_RPC_URL,
    jitsiBaseUrl: import.meta.env.VITE_JITSI_BASE_URL || undefined,
    collectorUrl: import.meta.env.VITE_COLLECTOR_URL || undefined,
    pdsUrl: import.meta.env.VITE_PDS_URL || undefined,
    spaceId: 'local-dev',
  };
  try {
    const res = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
    if (res.ok && (res.headers.get('content-type') || '').includes('json')) {
      const runtime = await res.json();
      if (typeof runtime.arkivRpcUrl === 'string' && runtime.arkivRpcUrl) config.arkivRpcUrl = runtime.arkivRpcUrl;
      if (typeof runtime.jitsiBaseUrl === 'string' && runtime.jitsiBaseUrl) config.jitsiBaseUrl = runtime.jitsiBaseUrl;
      if (typeof runtime.arkivWsUrl === 'string' && runtime.arkivWsUrl) config.arkivWsUrl = runtime.arkivWsUrl;
      if (typeof runtime.collectorUrl === 'string' && runtime.collectorUrl) config.collectorUrl = runtime.collectorUrl;
      if (typeof runtime.pdsUrl === 'string' && runtime.pdsUrl) config.pdsUrl = runtime.pdsUrl;
    }
  } catch {
    // No runtime config: the build-time values stand.
  }
  return config;
}
