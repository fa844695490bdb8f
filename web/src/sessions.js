// 1:1 sessions: request, confirm, decline, and the status the core computes.
// Writes: core.entities.build / core.sessions.planConfirmation -> SDK. Reads (with signer metadata): SDK -> core.sessions.statuses.
import { eq, or } from '@arkiv-network/sdk/query';

/**
 * @param {{ core: any, arkiv: ReturnType<import('./arkiv.js').createArkiv>, clock: any, config: any }} deps
 */
export function createSessionService({ core, arkiv, clock, config }) {
  const opts = () => ({ now: clock.now(), spaceId: config.spaceId });

  /** Entities of `type` where `wallet` is the mentor or the learner (companions carry both wallets). */
  const involving = (type, wallet) => arkiv.byType(type, config.spaceId, or([eq('mentorWallet', wallet), eq('learnerWallet', wallet)]));

  /**
   * A session requested by `learner` from `mentor`; stored status 'pending'. Nobody has confirmed yet.
   * @param {{ learner: import('./wallets.js').Identity, mentorWallet: string, skill: string, sessionDate: string, duration: number, notes: string }} input
   */
  async function request({ learner, mentorWallet, skill, sessionDate, duration, notes }) {
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
    return entityKeys[0];
  }

  /**
   * The viewer's 1:1 sessions (gathering RSVPs are shown with their gathering), each with its computed
   * status, in one core call: sessions signed by a participant, confirmations/rejections signed by the
   * participant they name, rooms signed by a participant (docs/trust.md). `ignored` counts the rest.
   */
  async function list({ viewer }) {
    const now = clock.now();
    const me = viewer.address;
    const [sessions, confirmations, rejections, jitsi] = await Promise.all([
      involving('session', me),
      involving('session_confirmation', me),
      involving('session_rejection', me),
      involving('session_jitsi', me),
    ]);
    const result = core.sessions.statuses({ sessions, confirmations, rejections, jitsi, now });
    const views = [];
    for (const { session, status } of result.sessions) {
      if (session.isGatheringRsvp) continue;
      const role = session.mentorWallet === me ? 'mentor' : 'learner';
      const iConfirmed = role === 'mentor' ? status.mentorConfirmed : status.learnerConfirmed;
      const jitsiRoom = status.videoJoinUrl ? { videoJoinUrl: status.videoJoinUrl, videoRoomName: status.videoRoomName } : null;
      views.push({ session, status, jitsi: jitsiRoom, role, iConfirmed, counterpart: role === 'mentor' ? session.learnerWallet : session.mentorWallet });
    }
    views.sort((a, b) => a.session.sessionDate.localeCompare(b.session.sessionDate) || a.session.key.localeCompare(b.session.key));
    return Object.assign(views, { ignored: result.ignored });
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

  /** `by` declines (a rejection wins over confirmations: the core then reports 'cancelled'). */
  async function decline({ session, by, reason }) {
    const draft = core.entities.build('session_rejection', { session, rejectedBy: by.address, ...(reason ? { reason } : {}) }, opts());
    await arkiv.write(by, [draft]);
  }

  return { request, list, confirm, decline };
}
