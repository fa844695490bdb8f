// The Arkiv SDK, pointed at one node: a public client for reads and one wallet client per unlocked
// wallet, whose account is toViemAccount(signer) (web/src/wallets.js): every write is signed in WASM.
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { localhost } from '@arkiv-network/sdk/chains';
import { and } from '@arkiv-network/sdk/query';
import { createReads } from './arkiv-reads.js';
import { lockedError } from './wallets.js';


/**
 * @param {string} url the node's JSON-RPC endpoint
 */
export function createArkiv(url) {
  // The SDK's `localhost` chain is id 1337; only the URL differs.
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } };
  const publicClient = createPublicClient({ chain, transport: http(url) });
  const clients = new WeakMap();
  const { query, byType, byTypeSignedBy, byTypeFor, byKeys } = createReads(publicClient);

  /**
   * A wallet client for an identity's unlocked account (cached per account, which carries the nonce
   * manager); WALLET_LOCKED when the identity's wallet is locked.
   * @param {import('./wallets.js').Identity} identity
   */
  function walletFor(identity) {
    const account = identity && identity.account;
    if (!account) throw lockedError(identity && identity.label);
    let client = clients.get(account);
    if (!client) {
      client = createWalletClient({ chain, transport: http(url), account });
      clients.set(account, client);
    }
    return client;
  }

  /**
   * One page of entities matching all `predicates`, with attributes, payload and metadata: at most
   * `limit`, ordered by `orderBy` ([attribute, 'number' | 'string', 'asc' | 'desc']), continuing from
   * `cursor` (opaque, from the previous page). The node filters, orders and cuts (docs/domain.md#time-attributes).
   * @returns {Promise<{ entities: object[], cursor: string | null }>} `cursor` null on the last page.
   */
  async function page(predicates, { orderBy, limit = 20, cursor, signedBy } = {}) {
    let builder = publicClient
      .buildQuery()
      .where(predicates.length === 1 ? predicates[0] : and(predicates))
      .withAttributes(true)
      .withPayload(true)
      .withMetadata(true)
      .limit(limit);
    if (orderBy) builder = builder.orderBy(orderBy[0], orderBy[1], orderBy[2] || 'asc');
    if (cursor) {
      // Later pages read the snapshot of the first one (its block), so they do not shift as entities change.
      const cut = cursor.indexOf(':');
      const block = BigInt(cursor.slice(0, cut));
      if (block > 0n) builder = builder.validAtBlock(block);  // 0: the node did not say
      builder = builder.cursor(cursor.slice(cut + 1));
    }
    if (signedBy) builder = builder.createdBy(signedBy).ownedBy(signedBy);
    const result = await builder.fetch();
    // A full page may be followed by an empty one; a short page is the last. The block the SDK pins later
    // pages to is not public on QueryResult (SDK 0.6.8 keeps it in `_validAtBlock`).
    const more = result.entities.length >= limit && result.hasNextPage() && result.cursor;
    return { entities: [...result.entities], cursor: more ? `${result._validAtBlock ?? 0n}:${result.cursor}` : null };
  }

  /**
   * Writes drafts from `core.entities.build` / `core.sessions.planConfirmation` in one transaction.
   * @returns {Promise<{ entityKeys: string[], txHash: string }>}
   */
  async function write(identity, drafts) {
    const wallet = walletFor(identity);
    if (drafts.length === 1) {
      const { entityKey, txHash } = await wallet.createEntity(drafts[0]);
      return { entityKeys: [entityKey], txHash };
    }
    const { createdEntities, txHash } = await wallet.mutateEntities({ creates: drafts });
    return { entityKeys: createdEntities, txHash };
  }

  /**
   * Updates and deletes in one transaction (series materialization, unfollow).
   * @param {{ updates?: { entityKey: string, draft: object }[], deletes?: string[], creates?: object[] }} ops
   */
  async function mutate(identity, { creates = [], updates = [], deletes = [] }) {
    if (!creates.length && !updates.length && !deletes.length) return { createdEntities: [], updatedEntities: [], deletedEntities: [] };
    const wallet = walletFor(identity);
    return wallet.mutateEntities({
      creates,
      updates: updates.map(({ entityKey, draft }) => ({ entityKey, ...draft })),
      deletes: deletes.map((entityKey) => ({ entityKey })),
    });
  }

  /**
   * Writes a plan's transactions (core.series.plan*: `{creates?, updates?, extensions?}` each, already cut
   * under Arkiv's 128 KB) in order, one `mutateEntities` each. Returns the keys the transactions
   * created, in order (a split's new series).
   * @returns {Promise<{ count: number, createdEntities: string[] }>}
   */
  async function writeTransactions(identity, transactions) {
    const wallet = walletFor(identity);
    const createdEntities = [];
    for (const tx of transactions) {
      const r = await wallet.mutateEntities(tx);
      createdEntities.push(...((r && r.createdEntities) || []));
    }
    return { count: transactions.length, createdEntities };
  }

  /** The current block number (for plans that extend entities: their expiry is counted from it). */
  function blockNumber() {
    return publicClient.getBlockNumber({ cacheTime: 0 });
  }

  /** One entity by key, with attributes, payload, owner and creator. */
  function get(key) {
    return publicClient.getEntity(key);
  }

  /**
   * Several entities by key (each with owner and creator), in one query per KEYS_PER_QUERY keys
   * (`$key = a || $key = b …`) rather than one call each; keys that are gone, or are no entity key at
   * all (a claim can name anything), are left out.
   */
  async function getMany(keys) {
    const valid = [...new Set(keys.map(String))].filter((k) => /^0x[0-9a-fA-F]{64}$/.test(k)).map((k) => k.toLowerCase());
    if (valid.length <= 1) return (await Promise.all(valid.map((k) => get(k).catch(() => null)))).filter(Boolean);
    return byKeys(valid);
  }

  async function chainId() {
    return publicClient.getChainId();
  }

  return { url, publicClient, query, page, byTypeFor, byType, byTypeSignedBy, get, getMany, write, mutate, writeTransactions, blockNumber, chainId };
}
