/**
 * The error type of @convene/core. Every failure the core reports — bad input,
 * a wrong passphrase, an unbounded recurrence — is thrown as a ConveneError.
 *
 * - `code`: a stable UPPER_SNAKE_CASE string (e.g. `INVALID_WALLET`,
 *   `MISSING_FIELD`, `INVALID_RRULE`); switch on it, never on the message.
 * - `field`: dotted path of the offending input (`input.mentorWallet`), or ''.
 * - `message`: a sentence that names the field.
 *
 * The WASM module is never left unusable by an error: it is reported as a
 * value by the bindings and thrown here, in JavaScript.
 */
export class ConveneError extends Error {
  /**
   * @param {string} code stable error code
   * @param {string} message human-readable sentence naming the field
   * @param {string} [field] dotted input path
   */
  constructor(code, message, field = '') {
    super(message);
    this.name = 'ConveneError';
    this.code = code;
    this.field = field;
  }
}

/** @param {{code:string, field?:string, message:string}} e */
export function fromNative(e) {
  return new ConveneError(e.code, e.message, e.field || '');
}
