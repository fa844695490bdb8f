// Live changes from the Arkiv node: the SDK's subscribeEntityEvents over a WebSocket transport
// (eth_subscribe "logs" on the node), so pages update when something they show changes instead of
// polling. Each created or updated entity is read once, by key (getEntity), and handed to the
// listeners with its attributes; a deleted or expired entity carries only its key. Which page a change
// touches, and what to re-read, is decided by that page (web/src/pages/*).
//
// Without a WebSocket (the node does not serve one, or the connection drops) `status` is 'off' and
// pages fall back to reading on navigation, on writes and every minute, as before.
import { createPublicClient, webSocket } from '@arkiv-network/sdk';
import { localhost } from '@arkiv-network/sdk/chains';

/**
 * The WebSocket URL of a node's HTTP JSON-RPC URL: the same host and port (tools/arkiv-node serves both).
 * @param {string} httpUrl
 */
export function webSocketUrl(httpUrl) {
  return httpUrl.replace(/^http(s?):/, 'ws$1:');
}

/**
 * @typedef {object} LiveChange
 * @property {'created'|'updated'|'deleted'|'expired'} kind
 * @property {string} key           entityKey, lowercase
 * @property {Record<string, string|number>|null} attrs  the entity's attributes (null for deleted/expired)
 */

/**
 * @param {{ url: string, spaceId: string }} options `url`: the node's
 *   WebSocket URL; only changes to entities of `spaceId` reach the listeners (deletions always do).
 */
export function createLive({ url, spaceId }) {
  const listeners = new Set();
  const statusListeners = new Set();
  let status = 'connecting';
  let unsubscribe = null;
  let client = null;
  const setStatus = (s) => {
    if (s === status) return;
    status = s;
    statusListeners.forEach((fn) => fn());
  };
  const emit = (change) => listeners.forEach((fn) => fn(change));

  /** Reads the attributes of one changed entity (one query by key) and passes the change on. */
  async function read(kind, key) {
    try {
      const entity = await client.getEntity(key);
      const attrs = Object.fromEntries((entity.attributes || []).map((a) => [a.key, a.value]));
      if (attrs.spaceId !== spaceId) return;
      emit({ kind, key, attrs });
    } catch (err) {
      console.warn('live: reading a changed entity', key, err);
    }
  }

  async function connect() {
    try {
      const chain = { ...localhost, rpcUrls: { default: { http: [url.replace(/^ws/, 'http')], webSocket: [url] } } };
      client = createPublicClient({ chain, transport: webSocket(url, { reconnect: { attempts: 5, delay: 1000 } }) });
      unsubscribe = await client.subscribeEntityEvents({
        onEntityCreated: (e) => read('created', e.entityKey.toLowerCase()),
        onEntityUpdated: (e) => read('updated', e.entityKey.toLowerCase()),
        onEntityDeleted: (e) => emit({ kind: 'deleted', key: e.entityKey.toLowerCase(), attrs: null }),
        onEntityExpired: (e) => emit({ kind: 'expired', key: e.entityKey.toLowerCase(), attrs: null }),
        onError: (err) => {
          console.warn('live: subscription error', err);
          setStatus('off');
        },
      });
      setStatus('live');
    } catch (err) {
      console.warn('live: no WebSocket subscription; pages read on navigation instead', err);
      setStatus('off');
    }
  }
  connect();

  return {
    /** 'connecting' | 'live' | 'off' */
    status: () => status,
    onStatus(fn) {
      statusListeners.add(fn);
      return () => statusListeners.delete(fn);
    },
    /** Calls `fn(change)` for every change; returns the unsubscribe function. @param {(c: LiveChange) => void} fn */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close() {
      if (unsubscribe) unsubscribe();
      listeners.clear();
    },
  };
}
