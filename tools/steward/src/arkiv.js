// The Arkiv SDK pointed at one node, with the reads the app does (web/src/arkiv.js): every page of a
// query with attributes, payload and metadata (the core's readers need signer and chain position),
// filtered at the node with createdBy/ownedBy where the trust rule fixes the signer.
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { localhost } from '@arkiv-network/sdk/chains';
import { and, eq, or } from '@arkiv-network/sdk/query';

const PAGE = 200;
const KEYS_PER_QUERY = 40;

/**
 * @param {string} url JSON-RPC endpoint
 * @param {import('viem').LocalAccount | null} account the organizer's account (toViemAccount), null for reads only
 */
export function createArkiv(url, account = null) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } };
  const publicClient = createPublicClient({ chain, transport: http(url) });
  const walletClient = account ? createWalletClient({ chain, transport: http(url), account }) : null;

  async function query(predicates, { signedBy } = {}) {
    let builder = publicClient
      .buildQuery()
      .where(predicates.length === 1 ? predicates[0] : and(predicates))
      .withAttributes(true)
      .withPayload(true)
      .withMetadata(true);
    if (signedBy) builder = builder.createdBy(signedBy).ownedBy(signedBy);
    const result = await builder.limit(PAGE).fetch();
    const out = [...result.entities];
    while (result.hasNextPage()) {
      await result.next();
      out.push(...result.entities);
    }
    return out;
  }

  /** Entities of one type in one space created and still owned by `signer`, plus extra predicates. */
  const byTypeSignedBy = (type, spaceId, signer, ...predicates) => query([eq('type', type), eq('spaceId', spaceId), ...predicates], { signedBy: signer });

  /** Entities of one type whose `attribute` is one of `values`, KEYS_PER_QUERY values per query. */
  async function byTypeFor(type, spaceId, attribute, values, ...predicates) {
    const distinct = [...new Set(values)];
    const batches = [];
    for (let i = 0; i < distinct.length; i += KEYS_PER_QUERY) batches.push(distinct.slice(i, i + KEYS_PER_QUERY));
    const results = await Promise.all(
      batches.map((b) => query([eq('type', type), eq('spaceId', spaceId), b.length === 1 ? eq(attribute, b[0]) : or(b.map((v) => eq(attribute, v))), ...predicates])),
    );
    return results.flat();
  }

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
