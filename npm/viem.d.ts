// @convene/core/viem — the wallet as a viem account (viem is an optional peer dependency).
import type { Signer } from './types/wallet.js';

/**
 * A viem custom account (`toAccount`) over a wallet signer. `signTransaction`, `signMessage`,
 * `signTypedData`, `sign` and `signAuthorization` hash and serialize with viem in JavaScript and
 * sign the digest in WASM; results equal viem's `privateKeyToAccount` byte for byte (RFC 6979).
 * The Arkiv SDK's wallet client takes it as its `account`.
 */
export function toViemAccount(
  signer: Pick<Signer, 'address' | 'signDigest'>,
  options?: { nonceManager?: import('viem').NonceManager },
): import('viem').LocalAccount<'custom'>;
