// Any failure -> what a person reads, next to the field it concerns.
//
// The core's errors carry a stable `code` (core/error.h) and the input `field` they concern
// (`input.sessionDate`, `RRULE.BYDAY`, ...); the app's own checks use the same shape (appError below).
// `explain` turns one into { code, field, text, detail }: `field` is the form field to mark (the
// core's path without `input.`; rule fields become `recurrence`), `text` a sentence from MESSAGES
// keyed by the code, `detail` the core's own message (shown only where people edit technical text,
// such as the iCalendar rule).

/** An error raised by the app itself (before anything reaches the core or the SDK), shaped like ConveneError. */
export function appError(code, field, message) {
  const err = new Error(message || code);
  err.name = 'AppError';
  err.code = code;
  err.field = field || '';
  return err;
}

/** The label of `field` in lower case, for the middle of a sentence. */
const lower = (label) => (label ? label.charAt(0).toLowerCase() + label.slice(1) : 'this field');

/**
 * Words for each stable code. `label` is the field's label in the form that failed ("Starts", "Title"),
 * `raw` the error itself.
 * @type {Record<string, (ctx: { label: string, raw: any }) => string>}
 */
export const MESSAGES = {
  // Input the core refused.
  MISSING_FIELD: ({ label }) => `Please fill in the ${lower(label)}.`,
  INVALID_INPUT: ({ label, raw }) =>
    /slug/.test(raw?.message || '') ? `Use at least one letter or digit in ${lower(label)}.` : `${label || 'This value'} is not in a form the app can use.`,
  INVALID_TYPE: ({ label }) => `${label || 'This value'} has the wrong kind of value (a number where text is expected, or the other way round).`,
  INVALID_WALLET: ({ label }) => `${label || 'This'} is not a wallet address: it looks like 0x followed by 40 letters a–f and digits.`,
  INVALID_DATE: () => 'Pick a date and time.',
  INVALID_DURATION: () => 'Use a whole number of minutes, from 1 to 10080 (one week).',
  SESSION_ENDED: () => 'That time is already over. Pick a time in the future.',
  START_IN_PAST: () => 'A request must start in the future: pick a later time.',
  NO_CHANGE: () => 'Nothing is changed yet: edit the title, the time or the length first.',
  INVALID_ATTRIBUTE_VALUE: ({ label }) => `${label || 'This field'} cannot contain a double quote (").`,
  INVALID_ATTRIBUTE_KEY: () => 'An internal field name was refused by Arkiv.',
  PAYLOAD_TOO_LARGE: () => 'This is too long to store: Arkiv takes at most 128 KB per transaction. Shorten the description.',
  SAME_PARTICIPANT: () => 'You cannot request a session with yourself: choose someone else.',
  NOT_PARTICIPANT: () => 'Only the two people of a session can confirm or decline it.',
  ALREADY_RSVPED: () => 'You have already RSVP’d to this gathering.',
  ALREADY_FOLLOWING: () => 'You already follow this series.',
  NOT_AN_OCCURRENCE: () => 'That date is not an occurrence of this series.',
  INVALID_RRULE: () => 'The repeat rule has a mistake (see below).',
  UNBOUNDED_RECURRENCE: () => 'The rule never ends and has no limit: choose when it ends.',
  RECURRENCE_TOO_SPARSE: () => 'The rule produces (almost) no dates: check the weekdays and the end.',
  UNKNOWN_TIME_ZONE: () => 'That time zone is unknown: choose one from the list.',
  INVALID_URL: ({ label }) => `${label || 'This'} is not a web address.`,
  INVALID_ROOM_NAME: () => 'That video room name cannot be used.',
  INVALID_JWT: () => 'The video access token is malformed or expired.',
  INVALID_TX_HASH: () => 'That is not a transaction hash (0x followed by 64 hex digits).',
  // Bluesky (web/src/bluesky-account.js, web/src/bluesky.js).
  NO_PDS: () => 'No Bluesky server (PDS) is configured for this app.',
  LOGIN_FAILED: ({ raw }) => raw?.message || 'The Bluesky server refused the handle or the app password.',
  NOT_CONNECTED: () => 'Connect a Bluesky account first, on the Bluesky page.',
  UNKNOWN_HANDLE: ({ raw }) => raw?.message || 'There is no account with that handle.',
  PDS_UNREACHABLE: () => 'The Bluesky server did not answer. Check the connection and try again.',
  PDS_ERROR: ({ raw }) => `The Bluesky server refused it: ${raw?.message || 'an error'}.`,
  RECORD_CHANGED: ({ raw }) => `The record on Bluesky was changed with another app since Convene published it; it was left as it is (${raw?.uri || ''}).`,
  // Wallets.
  BAD_PASSPHRASE: () => 'That passphrase does not unlock this wallet. Check it and try again.',
  EMPTY_PASSPHRASE: () => 'Enter a passphrase.',
  PASSPHRASE_MISMATCH: () => 'The two passphrases differ: type the same one twice.',
  NAME_TAKEN: ({ raw }) => `${raw?.message || 'That name is already used'}: choose another name.`,
  INVALID_MINUTES: () => 'Use a whole number of minutes, from 1 to 10080 (one week).',
  WALLET_LOCKED: () => 'Your wallet is locked: unlock it to sign this.',
  LOCKED: () => 'Your wallet is locked: unlock it to sign this.',
  CORRUPT_KEYSTORE: () => 'This wallet’s stored key is damaged and cannot be opened.',
  UNSUPPORTED_KEYSTORE: () => 'This wallet was stored by a newer version of the app.',
  INVALID_KEY: () => 'That is not a valid private key.',
  // Reading.
  UNVERIFIED_ENTITY: () => 'This entry is not signed by a wallet allowed to write it, so it is not shown.',
  CONFLICTING_FIELDS: () => 'This entry contradicts itself (its attributes and its content differ), so it is not shown.',
  MALFORMED_ENTITY: () => 'This entry cannot be read.',
  NOT_FOUND: () => 'Nothing with this key is on the Arkiv node (it may have expired or been cancelled).',
  UNKNOWN_EVENT_TYPE: () => 'The video meeting reported an event the app does not know.',
  // The node and the network.
  NODE_UNREACHABLE: () => 'The Arkiv node did not answer. Is it running? Try again in a moment.',
  TRANSACTION_FAILED: () => 'The Arkiv node refused the transaction. Try again.',
  INTERNAL: () => 'Something went wrong inside the app’s core. Try again; if it persists, reload the page.',
};

/** Turns an SDK / viem / fetch failure into one of the codes above. */
function networkCode(err) {
  const text = `${err?.name || ''} ${err?.shortMessage || ''} ${err?.message || ''}`;
  if (/HttpRequestError|fetch|Failed to fetch|NetworkError|ECONNREFUSED|timed? ?out/i.test(text)) return 'NODE_UNREACHABLE';
  if (/Transaction|revert|nonce|gas/i.test(text)) return 'TRANSACTION_FAILED';
  return '';
}

/**
 * The error as a code, message and field (never blank).
 * @returns {{ code: string, message: string, field: string }}
 */
export function describeError(err) {
  if (err && typeof err === 'object') {
    if (err.name === 'ConveneError' || err.name === 'AppError' || (typeof err.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(err.code))) {
      return { code: err.code, message: err.message || 'the core refused the input', field: err.field || '' };
    }
    const message = err.shortMessage || err.details || err.message;
    return { code: networkCode(err) || (err.name && err.name !== 'Error' ? err.name : 'ERROR'), message: String(message || err), field: '' };
  }
  return { code: 'ERROR', message: String(err ?? 'unknown failure'), field: '' };
}

/** The form field an error path names: `input.sessionDate` -> `sessionDate`; iCalendar parts -> `recurrence`. */
export function fieldOf(path) {
  const p = String(path || '');
  if (!p) return '';
  if (/^(DTSTART|RRULE|RDATE|EXDATE|EXRULE|UNTIL|input\.recurrence)/.test(p)) return 'recurrence';
  const parts = p.split('.');
  if (parts[0] === 'input' || parts[0] === 'options') parts.shift();
  return parts[0] || '';
}

/**
 * What to show for `err` in a form whose fields are labelled `labels` ({ sessionDate: 'Starts', ... });
 * `aliases` sends a core field to the form field that sets it ({ learnerWallet: 'mentorWallet' }).
 * @returns {{ code: string, field: string, text: string, detail: string }}
 */
export function explain(err, labels = {}, aliases = {}) {
  const d = describeError(err);
  const named = fieldOf(d.field);
  const field = aliases[named] || named;
  const label = labels[field] || '';
  const words = MESSAGES[d.code];
  const text = words ? words({ label, raw: err }) : `Something went wrong: ${d.message}`;
  return { code: d.code, field: field in labels ? field : '', text, detail: d.message };
}
