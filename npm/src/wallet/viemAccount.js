// toViemAccount: a viem custom account (viem `toAccount`) whose key stays in WASM.
//
// Mirrors viem's own privateKeyToAccount (viem 2.x accounts/privateKeyToAccount.ts):
// every method hashes and serializes with viem in JavaScript, exactly as viem
// does, and only the 32-byte digest crosses into WASM for signDigest. Because
// both sides use RFC 6979 nonces without extra entropy, the results equal
// privateKeyToAccount's byte for byte.
import { toAccount } from 'viem/accounts';
import { hashMessage, hashTypedData, keccak256, serializeSignature, serializeTransaction } from 'viem';
import { hashAuthorization } from 'viem/utils';

/** viem's Signature shape from a signer's `{ r, s, yParity }` (v = 27 + yParity, as viem's sign()). */
function viemSignature(sig) {
  return { r: sig.r, s: sig.s, v: sig.yParity ? 28n : 27n, yParity: sig.yParity };
}

/**
 * @param {{ address: `0x${string}`, signDigest(digest: string): { r: string, s: string, yParity: number } | Promise<{ r: string, s: string, yParity: number }> }} signer
 *   a signer from `core.wallet.unlock`, or from the wallet Worker (`createWalletWorker`, whose signDigest is
 *   async), or anything with the same two members
 * @param {{ nonceManager?: import('viem').NonceManager }} [options]
 * @returns {import('viem').LocalAccount<'custom'>}
 */
export function toViemAccount(signer, options = {}) {
  const signHash = async (hash) => viemSignature(await signer.signDigest(hash));
  return toAccount({
    address: signer.address,
    nonceManager: options.nonceManager,
    async sign({ hash }) {
      return serializeSignature(await signHash(hash));
    },
    async signAuthorization(authorization) {
      const address = authorization.contractAddress ?? authorization.address;
      const { chainId, nonce } = authorization;
      return { address, chainId, nonce, ...(await signHash(hashAuthorization({ address, chainId, nonce }))) };
    },
    async signMessage({ message }) {
      return serializeSignature(await signHash(hashMessage(message)));
    },
    async signTransaction(transaction, { serializer = serializeTransaction } = {}) {
      // EIP-4844: the signature covers the payload body without the sidecars (viem signTransaction).
      const signable = transaction.type === 'eip4844' ? { ...transaction, sidecars: false } : transaction;
      const signature = await signHash(keccak256(await serializer(signable)));
      return serializer(transaction, signature);
    },
    async signTypedData(typedData) {
      return serializeSignature(await signHash(hashTypedData(typedData)));
    },
  });
}
