// Sessions panel: request a session from another wallet, and the viewer's sessions with the
// status the core computes, confirm/decline actions and the Jitsi link once both confirmed.
import { formatWhen, fromLocalInput, h, joinLink, meetingLink, replace, toLocalInput } from './dom.js';
import { ignoredNote } from './ignored.js';
import { runAction } from './notice.js';

const tick = (yes) => (yes ? '✓' : '○');

export function mountSessions(el, { service, identities, clock, notice }) {
  const withWho = h('select', { testid: 'session-with', 'aria-label': 'Mentor' });
  const skill = h('input', { name: 'skill', required: true, testid: 'session-skill', placeholder: 'Rust lifetimes' });
  const date = h('input', { type: 'datetime-local', name: 'sessionDate', testid: 'session-date', oninput: (e) => (e.target.dataset.edited = '1') });
  const duration = h('input', { type: 'number', name: 'duration', min: '1', value: '60', testid: 'session-duration', class: 'narrow' });
  const notes = h('input', { name: 'notes', testid: 'session-notes', placeholder: 'optional' });
  const request = h('button', { type: 'submit', testid: 'session-request', dataset: { write: '1' } }, 'Request session');
  const list = h('ul', { class: 'cards', testid: 'session-list' });
  const state = h('p', { class: 'muted', testid: 'sessions-state' });
  const ignoredSlot = h('div', { testid: 'sessions-ignored' });

  const form = h(
    'form',
    {
      class: 'card form',
      testid: 'session-form',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const ok = await runAction(notice, request, 'Request session', async () => {
          await service.request({
            learner: identities.active(),
            mentorWallet: withWho.value,
            skill: skill.value,
            sessionDate: fromLocalInput(date.value),
            duration: Number(duration.value),
            notes: notes.value,
          });
          return `Session “${skill.value}” requested from ${identities.labelOf(withWho.value)}; it is pending until both confirm.`;
        });
        if (ok) {
          skill.value = '';
          notes.value = '';
          await refresh();
        }
      },
    },
    h('h3', {}, 'Request a session'),
    h('div', { class: 'row' }, h('label', { class: 'field' }, h('span', {}, 'With (mentor)'), withWho), h('label', { class: 'field grow' }, h('span', {}, 'Skill'), skill)),
    h('div', { class: 'row' }, h('label', { class: 'field' }, h('span', {}, 'Starts'), date), h('label', { class: 'field' }, h('span', {}, 'Minutes'), duration), h('label', { class: 'field grow' }, h('span', {}, 'Notes'), notes), request),
  );

  replace(el, h('div', { class: 'panel-head' }, h('h2', {}, 'My sessions')), state, ignoredSlot, list, form);

  function renderMentorChoices() {
    const me = identities.active();
    const current = withWho.value;
    const others = identities.all().filter((i) => i.address !== me.address);
    replace(withWho, others.map((i) => h('option', { value: i.address, selected: i.address === current }, i.label)));
  }

  function card(view) {
    const { session: s, status: st, jitsi, role, iConfirmed, counterpart } = view;
    const buttons = [];
    if (st.status === 'pending' && !iConfirmed) {
      const b = h('button', {
        type: 'button',
        testid: 'session-confirm',
        dataset: { write: '1' },
        onclick: async () => {
          if (await runAction(notice, b, 'Confirm', async () => {
            const r = await service.confirm({ session: s, by: identities.active() });
            return r.wroteJitsi ? 'Confirmed: both sides have confirmed, the Jitsi room is written.' : 'Confirmed; waiting for the other side.';
          })) await refresh();
        },
      }, 'Confirm');
      buttons.push(b);
    }
    if (st.status === 'pending' || st.status === 'scheduled') {
      const b = h('button', {
        type: 'button',
        class: 'danger',
        testid: 'session-decline',
        dataset: { write: '1' },
        onclick: async () => {
          if (await runAction(notice, b, 'Decline', async () => {
            await service.decline({ session: s, by: identities.active() });
            return 'Declined: the session is cancelled.';
          })) await refresh();
        },
      }, 'Decline');
      buttons.push(b);
    }
    return h(
      'li',
      { class: `card session ${st.status}`, testid: 'session', dataset: { key: s.key, status: st.status } },
      h(
        'div',
        { class: 'card-head' },
        h('strong', { testid: 'session-skill-text' }, s.skill),
        h('span', { class: `status ${st.status}`, testid: 'session-status' }, st.status),
      ),
      h(
        'div',
        { class: 'meta' },
        h('span', {}, role === 'mentor' ? `${identities.labelOf(counterpart)} asked you (you mentor)` : `you asked ${identities.labelOf(counterpart)} (you learn)`),
        ` · ${formatWhen(s.sessionDate)} · ${s.duration} min`,
      ),
      h(
        'div',
        { class: 'evidence muted', testid: 'session-evidence' },
        `mentor ${tick(st.mentorConfirmed)} · learner ${tick(st.learnerConfirmed)}`,
        st.status === 'cancelled' && st.reason ? ` · ${st.reason}${st.by ? ` by ${identities.labelOf(st.by)}` : ''}` : '',
        ` · ends ${formatWhen(st.endsAt)}`,
      ),
      s.notes ? h('p', { class: 'desc' }, s.notes) : null,
      h(
        'div',
        { class: 'actions' },
        jitsi ? joinLink(jitsi.videoJoinUrl, 'session-join') : null,
        jitsi ? meetingLink(s.key, jitsi.videoRoomName, 'session-meeting') : null,
        jitsi ? h('code', { class: 'room', testid: 'session-room' }, jitsi.videoRoomName) : null,
        buttons,
      ),
    );
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    renderMentorChoices();
    // Suggest a start an hour ahead of the app clock until the user picks one.
    if (!date.dataset.edited) date.value = toLocalInput(clock.now() + 3600000);
    try {
      const viewer = identities.active();
      const views = await service.list({ viewer });
      if (mine !== seq) return;
      replace(list, views.map(card));
      replace(ignoredSlot, ignoredNote(views.ignored));
      state.textContent = views.length ? `${views.length} session${views.length === 1 ? '' : 's'} as ${viewer.label}` : `No sessions for ${viewer.label} yet.`;
      el.dataset.viewer = viewer.address;
      el.dataset.loadedAt = String(clock.now());
    } catch (err) {
      if (mine !== seq) return;
      notice.error(err, 'Loading sessions');
    }
  }

  return { refresh };
}
