// Turns any failure into something the UI can show: ConveneError codes from the core,
// SDK/viem errors by their short message, anything else by its message. Never blank.
export function describeError(err) {
  if (err && typeof err === 'object') {
    if (err.name === 'ConveneError' || (typeof err.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(err.code))) {
      return { code: err.code, message: err.message || 'the core refused the input', field: err.field || '' };
    }
    const message = err.shortMessage || err.details || err.message;
    return { code: err.name && err.name !== 'Error' ? err.name : 'ERROR', message: String(message || err), field: '' };
  }
  return { code: 'ERROR', message: String(err ?? 'unknown failure'), field: '' };
}
