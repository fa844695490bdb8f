// People's time and words: dates with the weekday (and the year when it is not this year), in the
// event's zone and the viewer's where they differ; durations; community names; wallet labels.
// The instants themselves always come from the core (sessionDate, startsAt, endsAt); this file only
// writes them down.

export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The year of `ms` in `timeZone`. */
function yearIn(ms, timeZone) {
  try {
    return new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(ms);
  } catch {
    return String(new Date(ms).getUTCFullYear());
  }
}

/** "Berlin time", "New York time", "UTC". */
export function zoneName(tz) {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return 'UTC';
  const city = tz.split('/').pop().replace(/_/g, ' ');
  return `${city} time`;
}

/**
 * "Thu 11 Mar, 19:00" (this year) or "Thu 11 Mar 2027, 19:00", as wall time in `timeZone`.
 * @param {string|number} at ISO 8601 or epoch ms
 * @param {{ timeZone?: string, now?: number, time?: boolean }} [options] `now`: the app clock (for "this year")
 */
export function dateTime(at, { timeZone = viewerZone(), now = Date.now(), time = true } = {}) {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at ?? '');
  const sameYear = yearIn(ms, timeZone) === yearIn(now, timeZone);
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(sameYear ? {} : { year: 'numeric' }),
      ...(time ? { hour: '2-digit', minute: '2-digit' } : {}),
      timeZone,
    }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}

/** Only the wall clock time ("19:00") in `timeZone`. */
export function clockTime(at, timeZone = viewerZone()) {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  try {
    return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone }).format(ms);
  } catch {
    return '';
  }
}

/** The wall clock time with seconds ("19:00:05") in `timeZone`: meeting records, where seconds matter. */
export function clockTimeSeconds(at, timeZone = viewerZone()) {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  try {
    return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone }).format(ms);
  } catch {
    return '';
  }
}

/**
 * A start as people need it: in the event's zone when it has one, and in the viewer's zone when that
 * differs. `{ event, viewer }` texts; `viewer` is null when the zones agree (or there is no event zone).
 */
export function whenText(at, { eventZone, now } = {}) {
  const mine = viewerZone();
  if (eventZone && eventZone !== mine) {
    // The viewer's date only when it is another day there.
    const sameDay = dateTime(at, { timeZone: eventZone, now, time: false }) === dateTime(at, { timeZone: mine, now, time: false });
    const theirs = sameDay ? clockTime(at, mine) : dateTime(at, { timeZone: mine, now });
    return { event: `${dateTime(at, { timeZone: eventZone, now })} ${zoneName(eventZone)}`, viewer: `${theirs} your time, ${zoneName(mine)}` };
  }
  return { event: `${dateTime(at, { timeZone: mine, now })} ${zoneName(mine)}`, viewer: null };
}

/** "45 min", "1 h", "1 h 30 min". */
export function duration(minutes) {
  const m = Number(minutes) || 0;
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/**
 * A duration given in seconds, rounded to the second for reading: "0 s", "45 s", "3 min 5 s", "1 h 2 min".
 * (The seconds themselves come from the core, e.g. core.meetings.summarize's presenceSeconds.)
 */
export function durationSeconds(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const m = Math.round(s / 60);
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}

/** "in 3 h", "in 2 days", "5 min ago": the distance from `now` to `at`, rounded for reading. */
export function relative(at, now) {
  const ms = (typeof at === 'number' ? at : Date.parse(at)) - now;
  const abs = Math.abs(ms);
  const unit = abs < 3600_000 ? ['min', 60_000] : abs < 2 * 86400_000 ? ['h', 3600_000] : ['days', 86400_000];
  const n = Math.max(1, Math.round(abs / unit[1]));
  const text = `${n} ${unit[0] === 'days' && n === 1 ? 'day' : unit[0]}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A community's name: the name as typed when the entity keeps it (`communityName`, kept since the core
 * stores it with the slug), else one made from its slug ("rust-berlin" -> "Rust Berlin") for entities
 * written before that and for a bare slug (a filter).
 * @param {string | { community?: string, communityName?: string }} slugOrEntity
 */
export function communityLabel(slugOrEntity) {
  if (slugOrEntity && typeof slugOrEntity === 'object') return slugOrEntity.communityName || communityName(slugOrEntity.community);
  return communityName(slugOrEntity);
}

/** A name made from a community slug ("rust-berlin" -> "Rust Berlin"). */
export function communityName(slug) {
  const s = String(slug || '').trim();
  if (!s) return 'No community';
  return s
    .split('-')
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** "0x1234…abcd" */
export const shortAddress = (a) => (a && a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : String(a || ''));

/** "1 person", "3 people". */
export const people = (n) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** "1 entry", "2 entries". */
export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `datetime-local` value (the viewer's wall time, minutes) for an epoch ms. */
export function toLocalInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value -> ISO 8601 UTC for the core. Unparsable or empty input is passed through
 * unchanged so the core names the problem (INVALID_DATE) instead of the UI guessing.
 */
export function fromLocalInput(value) {
  const ms = new Date(value).getTime();
  return value && Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}
