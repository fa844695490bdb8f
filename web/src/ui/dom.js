// A tiny DOM builder: h('button', { onclick, dataset: { testid: 'x' } }, 'Label').
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'testid') el.dataset.testid = v;
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** `datetime-local` value (local wall time, minutes) for an epoch ms. */
export function toLocalInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value -> ISO 8601 UTC for the core. Unparsable or empty input is passed
 * through unchanged so the core names the problem (INVALID_DATE) instead of the UI guessing.
 */
export function fromLocalInput(value) {
  const ms = new Date(value).getTime();
  return value && Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

/** Human date-time in the browser's locale. */
export function formatWhen(iso) {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/**
 * Link to this app's meeting page (web/meeting.html) for a session's or gathering's room: it embeds
 * the Jitsi IFrame API and records the meeting's events on Arkiv (docs/events.md). Keeps the
 * visibly-labelled `?kdf=` test setting of the current page, if any.
 * @param {string} meetingId the session or gathering entity key
 * @param {string} room the Jitsi room name
 */
export function meetingLink(meetingId, room, testid) {
  const url = new URL('meeting.html', location.href);
  url.search = '';
  url.searchParams.set('meeting', meetingId);
  url.searchParams.set('room', room);
  const kdf = new URLSearchParams(location.search).get('kdf');
  if (kdf) url.searchParams.set('kdf', kdf);
  return h('a', { href: url.href, target: '_blank', rel: 'noopener', class: 'join', testid }, 'Meeting page');
}

/** A link that opens in a new tab (Jitsi join links). */
export function joinLink(url, testid, text = 'Join on Jitsi') {
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'join', testid, title: url }, text);
}
