// 1:1 sessions: request (with the requester's own confirmation), confirm, decline, withdraw, and the
// status the core computes. Writes: core.entities.build / core.sessions.planConfirmation -> SDK.
// Reads (with signer metadata): SDK -> core.sessions.statuses.
import { eq, not, or } from '@arkiv-network/sdk/query';
import { readOnce, timePredicates } from './arkiv-reads.js';
import { appError } from './errors.js';

/** Sessions per page of the list ("Load more" reads the next page). */
export const SESSIONS_PER_PAGE = 12;

/** Statuses after which a session is over ("past"); 'in-progress' is "happening now". */
const PAST = new Set(['completed', 'cancelled', 'expired']);

/** 'now' | 'upcoming' | 'past' for a status the core computed. */
export const sessionPhase = (status) => (status === 'in-progress' ? 'now' : PAST.has(status) ? 'past' : 'upcoming');

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any }} deps
 */
export function createSessionService({ core, arkiv, clock, config }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });


  /**
   * A session requested by `learner` from `mentor`, then — once its key is known — the requester's
   * own confirmation in a second transaction: the request is the requester's commitment, so the
   * mentor's confirmation completes the pair (and writes the Jitsi room). A request must start in the
   * future (START_IN_PAST, before anything is written).
   * @param {{ learner: import('./wallets.js').Identity, mentorWallet: string, skill: string, sessionDate: string, duration: number, notes: string }} input
   * @returns {Promise<{ key: string, confirmed: boolean, confirmError?: unknown }>}
   */
  async function request({ learner, mentorWallet, skill, sessionDate, duration, notes }) {
    const start = Date.parse(sessionDate);
    if (Number.isFinite(start) && start <= clock.now()) throw appError('START_IN_PAST', 'input.sessionDate', 'a session request must start in the future');
    const slug = skill && skill.trim() ? core.entities.skillSlug(skill) : '';
    const draft = core.entities.build(
      'session',
      {
        mentorWallet,
        learnerWallet: learner.address,
        skill,
        ...(slug ? { skill_id: slug } : {}),
        sessionDate,
        duration,
        notes,
        status: 'pending',
      },
      opts(),
    );
    const { entityKeys } = await arkiv.write(learner, [draft]);
    const key = entityKeys[0];
    try {
      await confirm({ session: core.entities.parse(await arkiv.get(key)), by: learner });
      return { key, confirmed: true };
    } catch (confirmError) {
      // The request is on the node; the requester can send the confirmation again from the session.
      return { key, confirmed: false, confirmError };
    }
  }

  /** One computed session as the viewer sees it. */
  function view({ session, status }, me) {
    const role = session.mentorWallet === me ? 'mentor' : 'learner';
    const counterpart = role === 'mentor' ? session.learnerWallet : session.mentorWallet;
    // Who asked: the wallet that signed the session (a fact, docs/trust.md), not a claim in it.
    const requester = session.creator || session.learnerWallet;
    const iConfirmed = role === 'mentor' ? status.mentorConfirmed : status.learnerConfirmed;
    const theyConfirmed = role === 'mentor' ? status.learnerConfirmed : status.mentorConfirmed;
    const jitsi = status.videoJoinUrl ? { videoJoinUrl: status.videoJoinUrl, videoRoomName: status.videoRoomName } : null;
    return {
      session,
      status,
      phase: sessionPhase(status.status),
      jitsi,
      role,
      counterpart,
      requester,
      iRequested: requester === me,
      iConfirmed,
      theyConfirmed,
    };
  }

  /**
   * Sessions of `keys` with their status, in one core call: confirmations, rejections and rooms read for
   * those keys only (batched by sessionKey). Only evidence counts (docs/trust.md); `ignored` counts the rest.
   */
  async function withStatus(sessions, me, now) {
    const keys = sessions.map((e) => e.key);
    const of = (type) => (keys.length ? arkiv.byTypeFor(type, config.spaceId, 'sessionKey', keys) : []);
    const [confirmations, rejections, jitsi] = await Promise.all([of('session_confirmation'), of('session_rejection'), of('session_jitsi')]);
    const result = core.sessions.statuses({ sessions, confirmations, rejections, jitsi, now });
    return { views: result.sessions.filter((r) => !r.session.isGatheringRsvp).map((r) => view(r, me)), ignored: result.ignored };
  }

  /**
   * One page of the viewer's 1:1 sessions (gathering RSVPs are shown with their gathering) for a tab,
   * each with its computed status. 'upcoming': sessions not yet over in time (`endsAtSec > now`,
   * soonest first; the core's status may still call one past: declined, withdrawn or expired);
   * 'past': sessions whose time is over (`endsAtSec <= now`, most recent first), and on the first page
   * also the viewer's not-yet-ended sessions whose status is past. The node filters, orders and cuts
   * (docs/domain.md#time-attributes); companions are read for the page's sessions only. Sessions written
   * before the time attributes existed are read once per app session and viewer (the node finds them
   * only by looking at every session of the viewer), joined to first pages and placed by the core.
   * @returns {Promise<{ items: object[], cursor: string | null, ignored: object }>}
   */
  const legacySessions = readOnce();
  async function list({ viewer, tab = 'upcoming', cursor = null, limit = SESSIONS_PER_PAGE }) {
    const now = clock.now();
    const me = viewer.address;
    const cut = cursor ? cursor.indexOf('|') : -1;
    const at = cut > 0 ? Number(cursor.slice(0, cut)) : Math.floor(now / 1000);
    const mine = [eq('type', 'session'), eq('spaceId', config.spaceId), or([eq('mentorWallet', me), eq('learnerWallet', me)])];
    // The windows are the core's (core.entities.timeQuery, docs/domain.md#time-attributes).
    const notEnded = timePredicates(core.entities.timeQuery({ when: 'notEnded', now: at * 1000 }));
    const shownQ = tab === 'past' ? timePredicates(core.entities.timeQuery({ when: 'past', now: at * 1000 })) : notEnded;
    const upcoming = [...mine, ...notEnded.where];
    const first = !cursor;
    const [pageRead, legacy, stillOn] = await Promise.all([
      arkiv.page([...mine, ...shownQ.where], { orderBy: shownQ.orderBy, limit, cursor: cut > 0 ? cursor.slice(cut + 1) : null }),
      first ? legacySessions(me, () => arkiv.query([...mine, not('startsAtSec')])) : [],
      first && tab === 'past' ? arkiv.query(upcoming) : [],
    ]);
    const { views, ignored } = await withStatus([...pageRead.entities, ...legacy, ...stillOn], me, now);
    const seen = new Set();
    const paged = new Set(pageRead.entities.map((e) => e.key));
    const keep = views.filter((v) => {
      if (seen.has(v.session.key)) return false;
      seen.add(v.session.key);
      // Legacy sessions and the past tab's not-yet-ended ones go where their phase puts them.
      if (paged.has(v.session.key)) return true;
      return tab === 'past' ? v.phase === 'past' : v.phase !== 'past';
    });
    const byStart = (a, b) => a.session.sessionDate.localeCompare(b.session.sessionDate) || a.session.key.localeCompare(b.session.key);
    keep.sort(tab === 'past' ? (a, b) => byStart(b, a) : byStart);
    return { items: keep, cursor: pageRead.cursor ? `${at}|${pageRead.cursor}` : null, ignored };
  }

  /** One session with its companions; `view` is null when the key is unknown or the session is no evidence. */
  async function one({ key, viewer }) {
    const now = clock.now();
    const raw = await arkiv.get(key).catch(() => null);
    if (!raw) return { view: null, missing: true };
    const of = (type) => arkiv.byType(type, config.spaceId, eq('sessionKey', key));
    const [confirmations, rejections, jitsi] = await Promise.all([of('session_confirmation'), of('session_rejection'), of('session_jitsi')]);
    const result = core.sessions.statuses({ sessions: [raw], confirmations, rejections, jitsi, now });
    const found = result.sessions[0];
    if (!found) return { view: null, ignored: result.ignored };
    const v = view(found, viewer.address);
    const participant = viewer.address === found.session.mentorWallet || viewer.address === found.session.learnerWallet;
    // What the core left out while reading this session's companions (unreadable ones included).
    return { view: v, participant, ignored: result.ignored };
  }

  /**
   * `by` confirms: the core plans the confirmation and, when it completes the pair, the session_jitsi
   * entity; both go in one transaction.
   * @returns {Promise<{ wroteJitsi: boolean, alreadyConfirmed: boolean }>}
   */
  async function confirm({ session, by }) {
    const [confirmations, jitsi] = await Promise.all([
      arkiv.byType('session_confirmation', config.spaceId, eq('sessionKey', session.key)),
      arkiv.byType('session_jitsi', config.spaceId, eq('sessionKey', session.key)),
    ]);
    const plan = core.sessions.planConfirmation(
      { session, by: by.address, confirmations, jitsi, ...(config.jitsiBaseUrl ? { baseUrl: config.jitsiBaseUrl } : {}) },
      opts(),
    );
    const drafts = [plan.confirmation, plan.jitsi].filter(Boolean);
    if (drafts.length) await arkiv.write(by, drafts);
    return { wroteJitsi: Boolean(plan.jitsi), alreadyConfirmed: plan.alreadyConfirmed };
  }

  /**
   * `by` turns the session down with a session_rejection (a rejection wins over confirmations: the
   * core then reports 'cancelled', with `by`). The requester doing so withdraws, the other person declines.
   */
  async function decline({ session, by, reason }) {
    const draft = core.entities.build('session_rejection', { session, rejectedBy: by.address, ...(reason ? { reason } : {}) }, opts());
    await arkiv.write(by, [draft]);
  }

  /** The requester withdraws their own request. */
  const withdraw = ({ session, by }) => decline({ session, by, reason: 'withdrawn' });

  return { request, list, one, confirm, decline, withdraw };
}
