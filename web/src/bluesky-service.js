// What the app's pages do with Bluesky (docs/bluesky.md#the-app): the series page's "on Bluesky" section
// (the records published for the series, read from the organizer's bluesky_publication entities, with the
// RSVP counts from the PDS's repos), publishing a series' current date, and importing a handle's calendar
// events with the series they form. The records, keys, plans, counts and proposals are the core's
// (core.bluesky); the publisher is web/src/bluesky.js; the account is web/src/bluesky-account.js.
import { eq } from '@arkiv-network/sdk/query';
import { BlueskyError, createBlueskyPublisher, listRepoRecords } from './bluesky.js';

const EVENT = 'community.lexicon.calendar.event';

/** The at-uri's parts: at://<did>/<collection>/<rkey>. */
function atUriParts(uri) {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri || '');
  return m ? { did: m[1], collection: m[2], rkey: m[3] } : null;
}

/**
 * @param {{ core: any, arkiv: any, config: { spaceId: string }, account: ReturnType<typeof import('./bluesky-account.js').createBlueskyAccount>, clock: { now: () => number } }} deps
 */
export function createBlueskyService({ core, arkiv, config, account, clock }) {
  const spaceId = config.spaceId;

  /** A link that shows the record as the PDS serves it (JSON), for an at-uri on the configured PDS. */
  function recordLink(uri) {
    const p = atUriParts(uri);
    if (!p || !account.pdsUrl) return null;
    const q = new URLSearchParams({ repo: p.did, collection: p.collection, rkey: p.rkey });
    return `${account.pdsUrl.replace(/\/$/, '')}/xrpc/com.atproto.repo.getRecord?${q}`;
  }

  const handles = new Map();
  /** The handle of a DID (`com.atproto.repo.describeRepo` on the configured PDS), kept for the session; null when unknown. */
  async function handleOf(did) {
    if (!handles.has(did)) {
      handles.set(
        did,
        account
          .publicAgent()
          .then((a) => a.com.atproto.repo.describeRepo({ repo: did }))
          .then((r) => r.data.handle || null)
          .catch(() => null),
      );
    }
    return handles.get(did);
  }

  /**
   * The claims (docs/bluesky.md#claims) of `dids`: their bluesky_account_link entities on Arkiv and their walletLink
   * records, as countRsvps and claims take them.
   */
  async function linksOf(dids) {
    if (!dids.length) return { links: [], linkRecords: [] };
    const a = await account.publicAgent();
    const [links, records] = await Promise.all([
      arkiv.byTypeFor('bluesky_account_link', spaceId, 'did', dids),
      Promise.all(dids.map((d) => listRepoRecords(a, d, core.bluesky.collections.walletLink).catch(() => []))),
    ]);
    return { links, linkRecords: records.flat() };
  }

  /**
   * The series' records on Bluesky: what the organizer published for it (core.bluesky.publications: signed by the
   * organizer, the newest per date; newest date first), with the RSVPs read from the repos the PDS hosts, counted
   * by the core with the RSVPers' claims, so a person going on Arkiv and on Bluesky is counted once.
   * @param {{ seriesKey: string, organizerWallet: string, arkivGoing?: Record<string, string[]> }} args
   *   `arkivGoing`: per RECURRENCE-ID (ISO 8601 UTC), the wallets going on Arkiv.
   * @returns {Promise<{ publications: { recurrenceId: string, uri: string, cid: string, link: string | null, counts: object | null, people: { did: string, handle: string | null, status: string, wallet: string | null, alsoOnArkiv: boolean }[] }[], countsError: string | null }>}
   *   `counts` (core.bluesky.countRsvps) null when the PDS could not be read (`countsError` says why).
   */
  async function seriesOnBluesky({ seriesKey, organizerWallet, arkivGoing = {} }) {
    const entities = await arkiv.byTypeSignedBy('bluesky_publication', spaceId, organizerWallet, eq('seriesKey', seriesKey));
    const publications = core.bluesky
      .publications({ publications: entities })
      .publications.filter((p) => p.seriesKey === seriesKey && p.recurrenceId)
      .sort((a, b) => b.recurrenceId.localeCompare(a.recurrenceId));
    return withCounts(publications, (p) => arkivGoing[p.recurrenceId] || []);
  }

  /**
   * A gathering's record on Bluesky: for a standalone gathering, what its organizer published for it (by
   * gatheringKey); for a date of a series, the series' record of that date (seriesKey + RECURRENCE-ID), which
   * follows the date through moves. With the RSVP counts, as seriesOnBluesky.
   * @param {{ gathering: object, arkivGoing?: string[] }} args `gathering` as gatherings.one shows it (verified);
   *   `arkivGoing`: the wallets going on Arkiv.
   * @returns {Promise<{ publications: object[], countsError: string | null }>} at most one publication
   */
  async function gatheringOnBluesky({ gathering, arkivGoing = [] }) {
    return withCounts(await gatheringPublications(gathering), () => arkivGoing);
  }

  /** What the organizer published for a gathering (core.bluesky.publications: verified, the newest): at most one. */
  async function gatheringPublications(g) {
    const occurrence = Boolean(g.seriesKey && g.recurrenceId);
    const entities = await arkiv.byTypeSignedBy('bluesky_publication', spaceId, g.organizerWallet,
      occurrence ? eq('seriesKey', g.seriesKey) : eq('gatheringKey', g.key));
    const mine = (p) => (occurrence ? p.seriesKey === g.seriesKey && Date.parse(p.recurrenceId) === Date.parse(g.recurrenceId) : !p.seriesKey && p.gatheringKey === g.key);
    return core.bluesky.publications({ publications: entities }).publications.filter(mine);
  }

  /** Adds each publication's record link and, when a PDS is configured, its RSVP counts and people (see seriesOnBluesky). */
  async function withCounts(verified, arkivGoingOf) {
    const publications = verified.map((p) => ({
      recurrenceId: p.recurrenceId, gatheringKey: p.gatheringKey, uri: p.uri, cid: p.cid, rkey: p.rkey, createdAt: p.createdAt,
      link: recordLink(p.uri), counts: null, people: [], arkivGoing: arkivGoingOf(p),
    }));
    let countsError = null;
    if (publications.length && account.state.status !== 'off') {
      try {
        const a = await account.publicAgent();
        const repos = await account.hostedRepos();
        const subjects = new Set(publications.map((p) => p.uri));
        const rsvps = (await Promise.all(repos.map((d) => listRepoRecords(a, d, core.bluesky.collections.rsvp)))).flat()
          .filter((r) => subjects.has(r.record?.subject?.uri));
        const { links, linkRecords } = await linksOf([...new Set(rsvps.map((r) => r.did))]);
        for (const pub of publications) {
          pub.counts = core.bluesky.countRsvps({ subject: pub.uri, rsvps, links, linkRecords, arkivGoing: pub.arkivGoing });
          pub.people = await Promise.all(pub.counts.people.map(async (p) => ({ ...p, handle: await handleOf(p.did) })));
        }
      } catch (err) {
        countsError = err?.message || String(err);
      }
    }
    return { publications: publications.map(({ arkivGoing, ...p }) => p), countsError };
  }

  /**
   * Whether `wallet` and the connected account are one person (both halves of the claim exist: core.bluesky.claims).
   * @returns {Promise<{ linked: boolean, did: string | null, claims: { wallet: string, did: string }[] }>}
   */
  async function linkState({ wallet }) {
    if (account.state.status !== 'connected' || !wallet) return { linked: false, did: null, claims: [] };
    const did = account.state.did;
    const { links, linkRecords } = await linksOf([did]);
    const { claims } = core.bluesky.claims({ links, linkRecords });
    return { linked: claims.some((c) => c.did === did && c.wallet === wallet.toLowerCase()), did, claims };
  }

  /**
   * Links the acting wallet and the connected account (docs/bluesky.md#claims): the walletLink record in the
   * account's repo (written first: it is idempotent under its key), then the bluesky_account_link entity signed by
   * the wallet.
   * @param {{ identity: object }} args the unlocked wallet (web/src/wallets.js)
   * @throws BlueskyAccountError NOT_CONNECTED, BlueskyError PDS_*, WALLET_LOCKED, ConveneError from the core
   */
  async function linkWallet({ identity }) {
    const agent = account.agent();
    const did = account.state.did;
    const { collection, rkey, record } = core.bluesky.walletLinkRecord({ wallet: identity.address, createdAt: clock.now() });
    await agent.com.atproto.repo.putRecord({ repo: did, collection, rkey, record });
    const draft = core.entities.build('bluesky_account_link', { wallet: identity.address, did }, { now: clock.now(), spaceId });
    await arkiv.write(identity, [draft]);
  }

  /**
   * Publishes the series' current date on the connected account, as the organizer (web/src/bluesky.js
   * publishSeries; the note of each record is written on Arkiv with `organizer`'s wallet).
   * @param {{ seriesKey: string, organizer: object, pageUrl: string }} args
   * @returns {ReturnType<ReturnType<typeof createBlueskyPublisher>['publishSeries']>}
   * @throws BlueskyAccountError NOT_CONNECTED / NO_PDS, BlueskyError PDS_UNREACHABLE, WALLET_LOCKED
   */
  async function publishSeries({ seriesKey, organizer, pageUrl }) {
    const publisher = createBlueskyPublisher({ core, agent: account.agent() });
    const save = ({ creates = [], updates = [] }) =>
      arkiv.mutate(organizer, { creates, updates: updates.map(({ entityKey, ...draft }) => ({ entityKey, draft })) });
    return publisher.publishSeries({ arkiv, spaceId, seriesKey, save, now: clock.now(), pageUrl });
  }

  /**
   * Publishes a standalone gathering on the connected account, as its organizer (web/src/bluesky.js
   * publishGathering under the core's record key), and writes or updates the organizer's bluesky_publication
   * entity (gatheringKey) so any device continues from it: a second press after a change updates the record with
   * `swapRecord`; an unchanged one writes nothing. A date of a series is published by its series (publishSeries).
   * @param {{ gathering: object, organizer: object, pageUrl: string }} args `gathering` as gatherings.one shows it
   *   (the entity as read with metadata is re-read by key); `organizer`: the unlocked organizer wallet.
   * @returns {Promise<{ uri: string, cid: string, unchanged: boolean }>}
   * @throws BlueskyAccountError NOT_CONNECTED, BlueskyError RECORD_CHANGED / PDS_*, WALLET_LOCKED, ConveneError
   */
  async function publishGathering({ gathering, organizer, pageUrl }) {
    const entity = await arkiv.get(gathering.key);
    if (!entity) throw new BlueskyError('NOT_FOUND', `gathering ${gathering.key} is not on the Arkiv node`);
    // Only the organizer's note of the record (no RSVP counts: nothing shows them here).
    const [known] = await gatheringPublications(gathering);
    const publisher = createBlueskyPublisher({ core, agent: account.agent() });
    const published = known ? { uri: known.uri, cid: known.cid, rkey: known.rkey, createdAt: known.createdAt } : null;
    const r = await publisher.publishGathering({ gathering: entity, pageUrl, createdAt: new Date(clock.now()).toISOString(), published });
    if (known && r.unchanged && r.cid === known.cid) return { uri: r.uri, cid: r.cid, unchanged: true };
    const draft = core.entities.build('bluesky_publication', {
      organizerWallet: organizer.address, did: account.state.did, uri: r.uri, cid: r.cid, record: r.record, gatheringKey: gathering.key,
    }, { now: clock.now(), spaceId });
    await arkiv.mutate(organizer, known ? { updates: [{ entityKey: known.key, draft }] } : { creates: [draft] });
    return { uri: r.uri, cid: r.cid, unchanged: false };
  }

  /**
   * A handle's calendar events, each with what it is to Convene (echo of a publication of ours, edited,
   * linked to this app, or foreign: core.bluesky.classifyEvents) and the series the foreign ones form
   * (core.bluesky.proposeSeries). Read-only: nothing is written until a person accepts a proposal.
   * @param {{ handle: string, tzid?: string, appUrl?: string }} args `tzid`: the zone for "same time of day" (IANA).
   * @returns {Promise<{ did: string, handle: string, events: object[], proposals: object[], echoes: number, ignored: number }>}
   *   `events`: `{ uri, cid, provenance, event }` by start (`event` as core.bluesky.parseEventRecord reads it).
   * @throws BlueskyAccountError NO_PDS; errors of the PDS (an unknown handle: `handle`)
   */
  async function importHandle({ handle, tzid = 'UTC', appUrl }) {
    const a = await account.publicAgent();
    const name = String(handle || '').trim().replace(/^@/, '');
    let did = name;
    if (!name.startsWith('did:')) {
      try {
        did = (await a.com.atproto.identity.resolveHandle({ handle: name })).data.did;
      } catch (err) {
        const e = new Error(`No account “${name}” on ${account.pdsUrl} (${err?.message || err}).`);
        e.code = 'UNKNOWN_HANDLE';
        e.field = 'handle';
        throw e;
      }
    }
    const listed = [];
    let cursor;
    do {
      const res = await a.com.atproto.repo.listRecords({ repo: did, collection: EVENT, limit: 100, cursor });
      for (const r of res.data.records) listed.push({ uri: r.uri, did, cid: r.cid, record: r.value });
      cursor = res.data.records.length ? res.data.cursor : undefined;
    } while (cursor);
    // Convene's own publications in that repo (any organizer's, as published on Arkiv) are echoes.
    // Only publications signed by their organizer are evidence (docs/trust.md): a forged one cannot hide an event.
    const published = core.bluesky
      .publications({ publications: await arkiv.byType('bluesky_publication', spaceId, eq('did', did)) })
      .publications.map((p) => ({ uri: p.uri, cid: p.cid }));
    const classified = core.bluesky.classifyEvents({ events: listed, published, ...(appUrl ? { appUrl } : {}) });
    const provenance = new Map(classified.events.map((c) => [c.uri, c.provenance]));
    const events = [];
    for (const l of listed) {
      let event;
      try {
        event = core.bluesky.parseEventRecord(l.record);
      } catch {
        continue; // counted in `ignored`
      }
      events.push({ uri: l.uri, cid: l.cid, provenance: provenance.get(l.uri) || 'foreign', event });
    }
    events.sort((x, y) => String(x.event.startsAt || '').localeCompare(String(y.event.startsAt || '')));
    const proposed = core.bluesky.proposeSeries({ events: listed, published, tzid, ...(appUrl ? { appUrl } : {}) });
    return { did, handle: name, events, proposals: proposed.proposals, echoes: proposed.echoes, ignored: classified.ignored };
  }

  return { seriesOnBluesky, gatheringOnBluesky, publishSeries, publishGathering, importHandle, recordLink, linkState, linkWallet };
}
