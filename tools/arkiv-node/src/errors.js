/**
 * JSON-RPC error type and the error codes the development node uses.
 *
 * Codes follow the JSON-RPC 2.0 spec and geth's conventions:
 * -32700 parse error, -32600 invalid request, -32601 method not found,
 * -32602 invalid params, -32603 internal error, -32000 server error
 * (nonce, signature, size and similar transaction rejections), 3 execution
 * reverted (eth_call / eth_estimateGas of an Arkiv transaction that would fail).
 */

export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600
export const METHOD_NOT_FOUND = -32601
export const INVALID_PARAMS = -32602
export const INTERNAL_ERROR = -32603
export const SERVER_ERROR = -32000
export const EXECUTION_REVERTED = 3

/**
 * An error that is reported to the client as a JSON-RPC error object.
 * @property {number} code JSON-RPC error code (see the constants in this module).
 * @property {unknown} [data] optional `error.data` member (for example a revert reason as hex).
 */
export class RpcError extends Error {
  /**
   * @param {number} code JSON-RPC error code.
   * @param {string} message human-readable message, sent as `error.message`.
   * @param {unknown} [data] optional `error.data`.
   */
  constructor(code, message, data) {
    super(message)
    this.name = "RpcError"
    this.code = code
    this.data = data
  }
}

/**
 * An Arkiv operation failed while being applied: the transaction reverts
 * (receipt status 0) or, for eth_call / eth_estimateGas, an
 * "execution reverted" error is returned.
 */
export class ArkivExecutionError extends Error {
  /** @param {string} message the revert reason (geth-like wording). */
  constructor(message) {
    super(message)
    this.name = "ArkivExecutionError"
  }
}
