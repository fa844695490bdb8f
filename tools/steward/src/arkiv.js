// The Arkiv SDK pointed at one node, with the app's reads (web/src/arkiv-reads.js: every page of a query
// with attributes, payload and signer metadata, filtered at the node) and one write per plan transaction.
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { localhost } from '@arkiv-network/sdk/chains';
import { createReads } from '../../../web/src/arkiv-reads.js';

/**
 * @param {string} url JSON-RPC endpoint
 * @param {import('viem').LocalAccount | null} account the organizer's account (toViemAccount), null for reads only
 */
export function createArkiv(url, account = null) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } };
  const publicClient = createPublicClient({ chain, transport: http(url) });
  const walletClient = account ? createWalletClient({ chain, transport: http(url), account }) : null;

  const { query, byTypeSignedBy, byTypeFor } = createReads(publicClient);

  /** One `mutateEntities` per plan transaction (`{creates?, updates?, extensions?}`), as the app writes them. */
  function writeTransaction(tx) {
    if (!walletClient) throw new Error('no account: read-only client');
    return walletClient.mutateEntities(tx);
  }

  return {
    url,
    publicClient,
    query,
    byTypeSignedBy,
    byTypeFor,
    writeTransaction,
    get: (key) => publicClient.getEntity(key),
    blockNumber: () => publicClient.getBlockNumber({ cacheTime: 0 }),
    chainId: () => publicClient.getChainId(),
  };
}
