// The Arkiv SDK, pointed at one node: a public client for reads and one wallet client per identity.
import { createPublicClient, createWalletClient, http, nonceManager } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { and, eq } from '@arkiv-network/sdk/query';

const PAGE = 200;

/**
 * @param {string} url the node's JSON-RPC endpoint
 */
export function createArkiv(url) {
  // The SDK's `localhost` chain is id 1337; only the URL differs.
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } };
  const publicClient = createPublicClient({ chain, transport: http(url) });
  const wallets = new Map();

  /** A wallet client for a development private key (cached; nonces managed for parallel writes). */
  function walletFor(privateKey) {
    let client = wallets.get(privateKey);
    if (!client) {
      const account = privateKeyToAccount(privateKey, { nonceManager });
      client = createWalletClient({ chain, transport: http(url), account });
      wallets.set(privateKey, client);
    }
    return client;
  }

  /**
   * Every entity matching all `predicates` (AND), with attributes and payload, all pages.
   * @param {import('@arkiv-network/sdk/query').Predicate[]} predicates
   */
  async function query(predicates) {
    const result = await publicClient
      .buildQuery()
      .where(predicates.length === 1 ? predicates[0] : and(predicates))
      .withAttributes(true)
      .withPayload(true)
      .limit(PAGE)
      .fetch();
    const out = [...result.entities];
    while (result.hasNextPage()) {
      await result.next();
      out.push(...result.entities);
    }
    return out;
  }

  /** Entities of one type in one space, plus extra predicates. */
  function byType(type, spaceId, ...predicates) {
    return query([eq('type', type), eq('spaceId', spaceId), ...predicates]);
  }

  /**
   * Writes drafts from `core.entities.build` / `core.sessions.planConfirmation` in one transaction.
   * @returns {Promise<{ entityKeys: string[], txHash: string }>}
   */
  async function write(privateKey, drafts) {
    const wallet = walletFor(privateKey);
    if (drafts.length === 1) {
      const { entityKey, txHash } = await wallet.createEntity(drafts[0]);
      return { entityKeys: [entityKey], txHash };
    }
    const { createdEntities, txHash } = await wallet.mutateEntities({ creates: drafts });
    return { entityKeys: createdEntities, txHash };
  }

  /** One entity by key, with attributes and payload. */
  function get(key) {
    return publicClient.getEntity(key);
  }

  async function chainId() {
    return publicClient.getChainId();
  }

  return { url, publicClient, query, byType, get, write, chainId };
}
