// core.bluesky — Convene's gatherings as ATProto calendar records (docs/bluesky.md).
// Lexicons: community.lexicon.calendar.event / .rsvp (kept as data in the repository's lexicons/).

/** A `#uri` location or an entry of `uris`: an absolute URI (RFC 3986) with an optional display name. */
export interface NamedUri {
  uri: string;
  name?: string;
}

/** A `community.lexicon.calendar.event` record as written (`$type` included). Datetimes are RFC 3339 UTC with milliseconds. */
export interface CalendarEventRecord {
  $type: 'community.lexicon.calendar.event';
  name: string;
  description?: string;
  createdAt: string;
  startsAt?: string;
  endsAt?: string;
  mode: string;    // a community.lexicon.calendar.event#<mode> token; Convene writes #virtual
  status: string;  // a community.lexicon.calendar.event#<status> token
  locations?: Array<NamedUri & { $type: 'community.lexicon.calendar.event#uri' }>;
  uris?: NamedUri[];
}

export type CalendarEventStatus = 'planned' | 'scheduled' | 'rescheduled' | 'cancelled' | 'postponed';
export type CalendarEventMode = 'virtual' | 'inperson' | 'hybrid';

/** An event record read from a repo, checked against the lexicon. Instants ISO 8601 UTC; null when absent. */
export interface CalendarEvent {
  name: string;
  description: string;
  createdAt: string;
  startsAt: string | null;
  endsAt: string | null;
  mode: CalendarEventMode;
  status: CalendarEventStatus;
  locations: NamedUri[];
  uris: NamedUri[];
}

/** One person's RSVP on Bluesky: their DID, the status of their newest RSVP, the wallet they claimed (if both halves of
 *  the claim exist, docs/bluesky.md#claims), and whether that wallet is also going on Arkiv. */
export interface RsvpPerson {
  did: string;
  status: 'going' | 'interested' | 'notgoing';
  wallet: string | null;
  alsoOnArkiv: boolean;
}

export interface RsvpCounts {
  going: number;
  interested: number;
  notGoing: number;
  /** People going on Bluesky whose claimed wallet also RSVP'd on Arkiv (count them once). */
  alsoOnArkiv: number;
  /** Each DID counted, sorted by DID. */
  people: RsvpPerson[];
  /** Entries that were not valid RSVP records (skipped, not thrown: they are other people's data). */
  ignored: number;
  /** bluesky_account_link entities that are no evidence, by reason. */
  ignoredLinks: object;
}

/** A record as listed from a repo: the repo's DID, the record key, the value. */
export interface RepoRecordInput {
  did: string;
  rkey: string;
  record: object;
}

/** What Convene published (a bluesky_publication entity that is evidence). Instants ISO 8601 UTC. */
export interface Publication {
  key: string;
  organizerWallet: string;
  did: string;
  uri: string;
  cid: string;
  rkey: string;
  /** The record's `createdAt` (ISO 8601 UTC), kept on every update. */
  createdAt: string;
  seriesKey: string | null;
  recurrenceId: string | null;
  gatheringKey: string | null;
}

/** An event record as listed from a repo (`com.atproto.repo.listRecords`): at-uri, the repo's DID, CID, value. */
export interface ImportedEventInput {
  uri: string;
  did: string;
  cid?: string;
  record: object;
}

export type Provenance = 'echo' | 'edited' | 'linked' | 'foreign';

/** A series that imported events fit (core.bluesky.proposeSeries). */
export interface SeriesProposal {
  /** The DID of the repo the events came from. */
  organizer: string;
  /** The name of the earliest event of the group, as written. */
  name: string;
  /** DTSTART (in the zone asked for), RRULE and EXDATE lines, as core.recurrence reads them. */
  ical: string;
  rrule: string;
  /** at-uris of the events the rule covers, by start. */
  uris: string[];
  /** at-uris of the group's events that break the pattern or repeat a start. */
  leftOut: string[];
  /** Instances of the rule with no event (its EXDATEs). */
  gaps: number;
  /** covered / (covered + gaps + left out), 0..1. */
  confidence: number;
}

/** One step of publishing a series (core.bluesky.planSeries). Instants ISO 8601 UTC. */
export interface PublishAction {
  kind: 'create' | 'update';
  recurrenceId: string;
  startsAt: string;
  /** The record key to put the record at (a TID fixed by the series and RECURRENCE-ID). */
  rkey: string;
  record: CalendarEventRecord;
  /** Hex SHA-256 of the record without createdAt: store it in the bluesky_publication entity. */
  digest: string;
  /** For an update: the CID Convene stored, to pass as `swapRecord` (null for a create: the record must not exist). */
  swapRecord: string | null;
  /** For an update: the bluesky_publication entity to update. */
  publicationKey: string | null;
}

export interface Bluesky {
  readonly collections: { readonly event: 'community.lexicon.calendar.event'; readonly rsvp: 'community.lexicon.calendar.rsvp'; readonly walletLink: 'app.convene.walletLink' };
  /** The event record of a gathering and its deterministic record key, for `com.atproto.repo.putRecord`.
   *  `gathering`: the virtual_gathering entity as read with metadata (signed by its organizer, docs/trust.md).
   *  Status: cancelled → #cancelled (no join link); a series occurrence moved from its RECURRENCE-ID → #rescheduled.
   *  `rkey`: per (seriesKey, RECURRENCE-ID) for an occurrence, else per gathering, so retries and other devices
   *  write one record. `createdAt`: when Convene first published it (default now).
   *  @throws ConveneError UNVERIFIED_ENTITY / MALFORMED_ENTITY (`gathering`), INVALID_URL (`event.uris.0.uri`),
   *  INVALID_DATE (`createdAt`) */
  gatheringEvent(args: { gathering: object; pageUrl?: string; createdAt?: string | number | Date }): {
    collection: 'community.lexicon.calendar.event';
    rkey: string;
    record: CalendarEventRecord;
  };
  /** @throws ConveneError naming the field (`record.name`, `record.startsAt`, …) for a record the lexicon refuses */
  parseEventRecord(record: object): CalendarEvent;
  /** One RSVP per DID (the newest by its TID record key) to `subject` (the event's at-uri). */
  countRsvps(args: {
    subject: string;
    rsvps: Array<{ did: string; rkey: string; record: object }>;
    /** bluesky_account_link entities as read (with metadata). */
    links?: object[];
    /** The RSVPers' app.convene.walletLink records. */
    linkRecords?: RepoRecordInput[];
    /** Wallets with an RSVP on Arkiv to the same meeting. */
    arkivGoing?: string[];
  }): RsvpCounts;
  /** The repo half of a DID claim: put it in the DID's repo. `createdAt` default now.
   *  @throws ConveneError INVALID_WALLET (`wallet`), INVALID_DATE (`createdAt`) */
  walletLinkRecord(args: { wallet: string; createdAt?: string | number | Date }): {
    collection: 'app.convene.walletLink';
    rkey: string;
    record: { $type: 'app.convene.walletLink'; wallet: string; createdAt: string };
  };
  /** DID claims both halves of which exist (docs/bluesky.md#claims); the newest link of each wallet counts. */
  claims(args: { links: object[]; linkRecords: RepoRecordInput[] }): { claims: Array<{ wallet: string; did: string }>; ignored: object };
  /** Publications that are evidence (signed by their organizer), the newest per occurrence or gathering. */
  publications(args: { publications: object[] }): { publications: Publication[]; ignored: object };
  /** The record key (a TID) of a series occurrence's event. */
  occurrenceRkey(args: { seriesKey: string; recurrenceId: string | number | Date }): string;
  /** Series proposed from imported events (docs/bluesky.md#import): grouped by organizer, name (numbering, case and
   *  punctuation set aside) and wall-clock time of day in `tzid` (default UTC); groups of at least `minEvents` (default 3)
   *  given the simplest rule. Cancelled events and events without a start are not used; entries that are not valid
   *  event records are counted in `ignored`. Sorted by confidence.
   *  @throws ConveneError INVALID_TYPE (`events`), INVALID_INPUT (`minEvents`), UNKNOWN_TIME_ZONE (`tzid`) */
  proposeSeries(args: {
    events: ImportedEventInput[];
    published?: Array<{ uri: string; cid: string }>;
    appUrl?: string;
    tzid?: string;
    minEvents?: number;
  }): {
    proposals: SeriesProposal[];
    /** Convene's own publications among `events` (not used). */
    echoes: number;
    ignored: number;
  };
  /** What each imported event is to Convene: an `echo` of a publication in `published` (same at-uri and CID), `edited`
   *  (same at-uri, another CID), `linked` (its `uris` start with `appUrl`) or `foreign`. Invalid entries are counted in
   *  `ignored`. @throws ConveneError INVALID_TYPE (`events`, `published`) */
  /** What to publish now for a series (docs/bluesky.md#publishing-state): a create for the occurrence not yet ended
   *  (running, else next) without a record, updates for published occurrences whose record changed. Publications not
   *  signed by their organizer are counted in `ignored`. @throws ConveneError as core.series.* for the series entities,
   *  INVALID_DATE (`now`), INVALID_URL (`event.uris.0.uri`) for a bad page URL */
  planSeries(args: { series: object; exceptions?: object[]; gatherings?: object[]; publications?: object[]; now?: string | number | Date; pageUrl?: string }): {
    actions: PublishAction[];
    orphaned: Array<{ uri: string; cid: string; recurrenceId: string | null }>;
    ignored: object;
  };
  classifyEvents(args: { events: ImportedEventInput[]; published?: Array<{ uri: string; cid: string }>; appUrl?: string }): {
    events: Array<{ uri: string; provenance: Provenance }>;
    ignored: number;
  };
}
