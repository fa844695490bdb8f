// The inbox: what changed for the acting wallet (docs/notices.md). Arkiv keeps history, so the same
// bounded state is read twice — at the block of the last look (`atBlock`) and now — and
// `core.notices.since` says what changed: the wallet's followed series (muted follows give nothing)
// and the gatherings it RSVP'd to. Only that is read: the wallet's own follows and RSVPs, the followed
// series with their exceptions and gatherings, the RSVP'd gatherings and the series they name with
// their exceptions; where a rule fixes the signer the node filters by it (the wallet's follows and
// RSVPs; a series' exceptions and gatherings by its organizer). The core checks every entity
// (docs/trust.md); this file decides no rule.
//
// Kept in localStorage per space and wallet: the block read last (the next look compares with it),
// the notices found so far (their ids are stable, so a notice found twice is one) and which are read.
import { and, eq } from '@arkiv-network/sdk/query';
import { anyOf, attrOf as attr, inBatches, RSVP_SKILL } from './arkiv-reads.js';

/** How far back the first look at a wallet's inbox goes: an hour of 2 s blocks. */
export const FIRST_LOOKBACK_BLOCKS = 1800n;
/** Notices kept per wallet (the oldest go first). */
const KEEP = 200;
/** Entity types whose changes can concern an inbox (live updates re-read on them). */
export const NOTICE_TYPES = new Set(['event_series', 'event_series_exception', 'virtual_gathering', 'event_series_follow', 'session']);

/**
 * Every entity matching `predicates`, as the chain held them at `block` (all pages); `signedBy`
 * filters at the node to entities created and still owned by that wallet.
 * @param {{ publicClient: any }} arkiv
 */
async function queryAt(arkiv, predicates, block, signedBy) {
  let builder = arkiv.publicClient
    .buildQuery()
    .where(predicates.length === 1 ? predicates[0] : and(predicates))
    .withAttributes(true)
    .withPayload(true)
    .withMetadata(true)
    .validAtBlock(block)
    .limit(200);
  if (signedBy) builder = builder.createdBy(signedBy).ownedBy(signedBy);
  const result = await builder.fetch();
  const out = [...result.entities];
  while (result.hasNextPage()) {
    await result.next();
    out.push(...result.entities);
  }
  return out;
}

/** Entities of `type` whose `attribute` (`$key` for the entity key) is one of `values`, at `block`, plus extra predicates. */
async function byValuesAt(arkiv, spaceId, type, attribute, values, block, signedBy, ...predicates) {
  const batches = inBatches(attribute, values.filter(Boolean));
  const results = await Promise.all(batches.map((p) => queryAt(arkiv, [eq('type', type), eq('spaceId', spaceId), p, ...predicates], block, signedBy)));
  return results.flat();
}

/**
 * One read for core.notices.since: `{series, exceptions, gatherings}` at `block` — the RSVP'd
 * gatherings and those of `alsoGatherings` (keys seen in the earlier read: after a split they name
 * another series) by key; the followed series, the series those gatherings name and the series RSVPs
 * to a date without a gathering name (`occurrences`), by key; then, per organizer those series claim,
 * the exceptions of its series, the gatherings of the followed ones, and for `occurrences` the series
 * continuing theirs after a split (`splitFrom`) and their gatherings of those dates only — all filtered
 * at the node by that organizer as signer (docs/trust.md#in-the-app; the core checks again).
 * @param {{ followed: string[], rsvped: string[], occurrences?: { seriesKey: string, recurrenceId: string }[], alsoGatherings?: string[] }} keys
 */
export async function readNoticeState(arkiv, spaceId, { followed, rsvped, occurrences = [], alsoGatherings = [] }, block) {
  const [rsvpGatherings, also] = await Promise.all([
    byValuesAt(arkiv, spaceId, 'virtual_gathering', '$key', rsvped, block),
    byValuesAt(arkiv, spaceId, 'virtual_gathering', '$key', alsoGatherings, block),
  ]);
  const dated = new Set(occurrences.map((o) => o.seriesKey));
  const named = await byValuesAt(arkiv, spaceId, 'event_series', '$key', [...followed, ...rsvpGatherings.map((g) => attr(g, 'seriesKey')), ...dated], block);
  const organizerOf = (s) => String(attr(s, 'organizerWallet') || '').toLowerCase();
  // The series that continue a dated RSVP's series after a split, by the same organizer.
  const datedByOrganizer = new Map();
  for (const s of named) if (dated.has(s.key) && organizerOf(s)) datedByOrganizer.set(organizerOf(s), [...(datedByOrganizer.get(organizerOf(s)) || []), s.key]);
  const successors = (
    await Promise.all([...datedByOrganizer].map(([organizer, keys]) => byValuesAt(arkiv, spaceId, 'event_series', 'splitFrom', keys, block, organizer)))
  ).flat();
  const series = [...new Map([...named, ...successors].map((s) => [s.key, s])).values()];
  for (const s of successors) dated.add(s.key);
  const dates = [...new Set(occurrences.map((o) => String(o.recurrenceId)))];
  const byOrganizer = new Map();
  for (const s of series) {
    const organizer = organizerOf(s);
    if (organizer) byOrganizer.set(organizer, [...(byOrganizer.get(organizer) || []), s.key]);
  }
  const follows = new Set(followed);
  const perOrganizer = await Promise.all(
    [...byOrganizer].map(([organizer, keys]) =>
      Promise.all([
        byValuesAt(arkiv, spaceId, 'event_series_exception', 'seriesKey', keys, block, organizer),
        byValuesAt(arkiv, spaceId, 'virtual_gathering', 'seriesKey', keys.filter((k) => follows.has(k)), block, organizer),
        dates.length ? byValuesAt(arkiv, spaceId, 'virtual_gathering', 'seriesKey', keys.filter((k) => dated.has(k)), block, organizer, anyOf('recurrenceId', dates)) : [],
      ]),
    ),
  );
  const exceptions = perOrganizer.flatMap(([x]) => x);
  const gatherings = new Map();
  for (const g of [...rsvpGatherings, ...perOrganizer.flatMap(([, gs, ds]) => [...gs, ...ds]), ...also]) gatherings.set(g.key, g);
  return { series, exceptions, gatherings: [...gatherings.values()] };
}

/** What a notice says, in words (the core decided what it is; this only phrases it). */
export function noticeText(n, when) {
  const name = n.title || 'Untitled';
  switch (n.kind) {
    case 'occurrenceScheduled':
      return `${name}: a new occurrence is scheduled for ${when(n.to)}.`;
    case 'templateChanged': {
      const parts = [];
      if (n.changes?.title !== undefined) parts.push(`title “${n.changes.title}”`);
      if (n.changes?.description !== undefined) parts.push('a new description');
      if (n.changes?.duration !== undefined) parts.push(`${n.changes.duration} minutes`);
      return `${name}: from ${when(n.effectiveFrom)} on, ${parts.join(', ') || 'a new template'}.`;
    }
    case 'ruleChanged':
      return `${name}: the schedule changed.`;
    case 'seriesSplit':
      return `${name}: the schedule was split; later occurrences belong to a new series.`;
    case 'seriesEnded':
      return `${name}: the series has ended.`;
    case 'occurrenceMoved':
      return `${name} moved from ${when(n.from)} to ${when(n.to)}.`;
    case 'occurrenceCancelled':
      return `${name} on ${when(n.from)} is cancelled.`;
    case 'occurrenceReinstated':
      return `${name} on ${when(n.to)} is on again.`;
    case 'joinLinkChanged':
      return `${name}: the join link changed.`;
    default:
      return `${name}: something changed.`;
  }
}

/**
 * The inbox store: `refresh(wallet)` reads and merges, `list(wallet)`, `unread(wallet)`,
 * `markRead(wallet, ids)`, `subscribe(fn)` / `version()` for React, and `onFresh(fn)` for the
 * notices a refresh found for the first time (the app shows a browser notification for them).
 * @param {{ core: any, arkiv: any, config: { spaceId: string }, clock: { now: () => number }, storage?: Storage }} deps
 */
export function createInbox({ core, arkiv, config, clock, storage = globalThis.localStorage }) {
  const listeners = new Set();
  const freshListeners = new Set();
  let version = 0;
  const running = new Map();
  const storageKey = (wallet) => `convene.inbox.${config.spaceId}.${wallet.toLowerCase()}`;
  const emit = () => {
    version += 1;
    listeners.forEach((fn) => fn());
  };

  function load(wallet) {
    try {
      const s = JSON.parse(storage.getItem(storageKey(wallet)) || 'null');
      if (s && Array.isArray(s.notices) && Array.isArray(s.read)) return s;
    } catch {
      // A damaged entry: start again.
    }
    return { baseline: null, notices: [], read: [] };
  }
  const save = (wallet, s) => storage.setItem(storageKey(wallet), JSON.stringify(s));

  async function look(wallet) {
    const s = load(wallet);
    const current = await arkiv.blockNumber();
    // The block still being built may take more transactions after this read, and the next look starts
    // from the block read now: read the last sealed one (what lands in the current block shows next time).
    const sealed = current > 0n ? current - 1n : 0n;
    const baseline = s.baseline !== null ? BigInt(s.baseline) : sealed > FIRST_LOOKBACK_BLOCKS ? sealed - FIRST_LOOKBACK_BLOCKS : 0n;
    if (current === 0n) return []; // nothing sealed yet: no state to compare from
    if (baseline >= sealed) {
      // Nothing sealed since the point to compare from. On a first look that point is still remembered,
      // or what lands next would be compared with a later state and never be news (a young chain).
      if (s.baseline === null) save(wallet, { ...s, baseline: String(sealed) });
      return [];
    }
    const spaceId = config.spaceId;
    const [follows, rsvps] = await Promise.all([
      arkiv.byTypeSignedBy('event_series_follow', spaceId, wallet, eq('followerWallet', wallet)),
      arkiv.byTypeSignedBy('session', spaceId, wallet, eq('learnerWallet', wallet), eq('skill', RSVP_SKILL)),
    ]);
    const keys = {
      followed: follows.map((f) => attr(f, 'seriesKey')).filter(Boolean),
      rsvped: rsvps.map((r) => attr(r, 'gatheringKey')).filter(Boolean),
      // RSVPs to a series date made before it had a gathering (docs/notices.md).
      occurrences: rsvps.filter((r) => !attr(r, 'gatheringKey') && attr(r, 'seriesKey') && attr(r, 'recurrenceId')).map((r) => ({ seriesKey: attr(r, 'seriesKey'), recurrenceId: attr(r, 'recurrenceId') })),
    };
    let before;
    try {
      before = await readNoticeState(arkiv, spaceId, keys, baseline);
    } catch (err) {
      // The node no longer answers for that block (it keeps limited history): look from now on.
      console.warn('inbox: the earlier state is not available; looking from now on', err);
      save(wallet, { ...s, baseline: String(sealed) });
      return [];
    }
    const after = await readNoticeState(arkiv, spaceId, { ...keys, alsoGatherings: before.gatherings.map((g) => g.key) }, sealed);
    const { notices } = core.notices.since({ wallet, follows, rsvps, before, after, currentBlock: current, now: clock.now() });
    const latest = load(wallet); // read state may have changed while reading
    const known = new Set(latest.notices.map((n) => n.id));
    const fresh = notices.filter((n) => !known.has(n.id));
    const merged = [...fresh, ...latest.notices].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, KEEP);
    const ids = new Set(merged.map((n) => n.id));
    save(wallet, { baseline: String(sealed), notices: merged, read: latest.read.filter((id) => ids.has(id)) });
    return fresh;
  }

  return {
    /** Reads what changed since the last look; one look per wallet at a time. Resolves to the fresh notices. */
    refresh(wallet) {
      if (!wallet) return Promise.resolve([]);
      const w = wallet.toLowerCase();
      if (running.has(w)) return running.get(w).then(() => this.refresh(w));
      const p = look(w)
        .then((fresh) => {
          if (fresh.length) freshListeners.forEach((fn) => fn(w, fresh));
          emit();
          return fresh;
        })
        .finally(() => running.delete(w));
      running.set(w, p);
      return p;
    },
    /** The wallet's notices, newest first, each with `read`. */
    list(wallet) {
      if (!wallet) return [];
      const s = load(wallet);
      const read = new Set(s.read);
      return s.notices.map((n) => ({ ...n, read: read.has(n.id) }));
    },
    unread(wallet) {
      if (!wallet) return 0;
      const s = load(wallet);
      const read = new Set(s.read);
      return s.notices.filter((n) => !read.has(n.id)).length;
    },
    markRead(wallet, ids) {
      const s = load(wallet);
      save(wallet, { ...s, read: [...new Set([...s.read, ...ids])] });
      emit();
    },
    /**
     * The series `wallet` follows (its own follows, newest first per series): `[{ key, seriesKey, title,
     * notifications }]`. A follow with notifications off is muted: it gives no notices.
     */
    async follows(wallet) {
      if (!wallet) return [];
      const raw = await arkiv.byTypeSignedBy('event_series_follow', config.spaceId, wallet, eq('followerWallet', wallet));
      const series = await arkiv.getMany(raw.map((f) => attr(f, 'seriesKey')).filter(Boolean));
      const titles = new Map();
      for (const s of series) {
        try {
          titles.set(s.key, core.entities.parse(s).title);
        } catch {
          // Not a series the core can read: shown by its key.
        }
      }
      const out = new Map();
      for (const f of raw) {
        let parsed;
        try {
          parsed = core.entities.parse(f);
        } catch {
          continue;
        }
        out.set(parsed.seriesKey, { key: f.key, seriesKey: parsed.seriesKey, title: titles.get(parsed.seriesKey) ?? '', notifications: parsed.notifications !== false });
      }
      return [...out.values()];
    },
    /**
     * Turns a follow's notifications on or off: the follower rewrites their own follow (updateEntity,
     * same key), built by the core. Needs the follower's unlocked wallet.
     * @param {{ address: string }} identity
     * @param {{ key: string, seriesKey: string }} follow
     */
    async setNotifications(identity, follow, on) {
      const series = core.entities.parse(await arkiv.get(follow.seriesKey));
      const draft = core.entities.build('event_series_follow', { series, followerWallet: identity.address, notifications: on }, { now: clock.now(), spaceId: config.spaceId });
      await arkiv.mutate(identity, { updates: [{ entityKey: follow.key, draft }] });
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    onFresh(fn) {
      freshListeners.add(fn);
      return () => freshListeners.delete(fn);
    },
    version: () => version,
  };
}
