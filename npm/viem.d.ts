// @convene/core/viem — the wallet as a viem account (viem is an optional peer dependency).
import type { Signer, WorkerSigner } from './types/wallet.js';

/**
 * A viem custom account (`toAccount`) over a wallet signer. `signTransaction`, `signMessage`,
 * `signTypedData`, `sign` and `signAuthorization` hash and serialize with viem in JavaScript and
 * sign the digest in WASM; results equal viem's `privateKeyToAccount` byte for byte (RFC 6979).
 * The Arkiv SDK's wallet client takes it as its `account`. The signer may be the wallet Worker's
 * (`createWalletWorker`), whose `signDigest` resolves asynchronously.
 */
export function toViemAccount(
  signer: Pick<Signer, 'address' | 'signDigest'> | Pick<WorkerSigner, 'address' | 'signDigest'>,
  options?: { nonceManager?: import('viem').NonceManager },
): import('viem').LocalAccount<'custom'>;
