// Gatherings panel: the create form and the upcoming list with RSVPs.
import { formatWhen, fromLocalInput, h, joinLink, meetingLink, replace, toLocalInput } from './dom.js';
import { ignoredNote, sumIgnored } from './ignored.js';
import { runAction } from './notice.js';

export function mountGatherings(el, { service, identities, clock, notice }) {
  const title = h('input', { name: 'title', required: true, testid: 'gathering-title', placeholder: 'Rust study group' });
  const community = h('input', { name: 'community', required: true, testid: 'gathering-community', placeholder: 'Rust Berlin' });
  const description = h('textarea', { name: 'description', rows: 2, testid: 'gathering-description', placeholder: 'What it is about' });
  const date = h('input', { type: 'datetime-local', name: 'sessionDate', testid: 'gathering-date', oninput: (e) => (e.target.dataset.edited = '1') });
  const duration = h('input', { type: 'number', name: 'duration', min: '1', value: '60', testid: 'gathering-duration', class: 'narrow' });
  const create = h('button', { type: 'submit', testid: 'gathering-create', dataset: { write: '1' } }, 'Create gathering');
  const filter = h('select', { testid: 'community-filter', 'aria-label': 'Community', onchange: () => refresh() }, h('option', { value: '' }, 'All communities'));
  const list = h('ul', { class: 'cards', testid: 'gathering-list' });
  const status = h('p', { class: 'muted', testid: 'gatherings-state' });
  const ignoredSlot = h('div', { testid: 'gatherings-ignored' });

  const form = h(
    'form',
    {
      class: 'card form',
      testid: 'gathering-form',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const ok = await runAction(notice, create, 'Create gathering', async () => {
          await service.create({
            organizer: identities.active(),
            title: title.value,
            community: community.value,
            description: description.value,
            sessionDate: fromLocalInput(date.value),
            duration: Number(duration.value),
          });
          return `Gathering “${title.value}” created; its Jitsi room exists now.`;
        });
        if (ok) {
          title.value = '';
          description.value = '';
          await refresh();
        }
      },
    },
    h('h3', {}, 'New virtual gathering'),
    h('div', { class: 'row' }, h('label', { class: 'field grow' }, h('span', {}, 'Title'), title), h('label', { class: 'field grow' }, h('span', {}, 'Community'), community)),
    h('label', { class: 'field' }, h('span', {}, 'Description'), description),
    h('div', { class: 'row' }, h('label', { class: 'field' }, h('span', {}, 'Starts'), date), h('label', { class: 'field' }, h('span', {}, 'Minutes'), duration), create),
  );

  replace(
    el,
    h('div', { class: 'panel-head' }, h('h2', {}, 'Upcoming gatherings'), h('label', { class: 'field inline' }, h('span', {}, 'Community'), filter)),
    status,
    ignoredSlot,
    list,
    form,
  );

  function card({ gathering: g, rsvpCount, myRsvp, myStatus }) {
    const rsvpButton = h(
      'button',
      {
        type: 'button',
        testid: 'rsvp',
        dataset: { write: '1', blocked: myRsvp ? '1' : '' },
        disabled: Boolean(myRsvp),
        title: myRsvp ? 'You have already RSVPed (the core refuses a second RSVP)' : 'RSVP as the active wallet',
        onclick: async () => {
          const me = identities.active();
          if (await runAction(notice, rsvpButton, 'RSVP', async () => {
            await service.rsvp({ gathering: g, attendee: me });
            return `RSVPed to “${g.title}” as ${me.label}.`;
          })) await refresh();
        },
      },
      myRsvp ? 'RSVPed ✓' : 'RSVP',
    );
    return h(
      'li',
      { class: 'card gathering', testid: 'gathering', dataset: { key: g.key, community: g.community } },
      h('div', { class: 'card-head' }, h('strong', { testid: 'gathering-name' }, g.title || '(untitled)'), h('span', { class: 'badge community', testid: 'gathering-community-slug' }, g.community)),
      h('div', { class: 'meta' }, h('span', { testid: 'gathering-when' }, formatWhen(g.sessionDate)), ` · ${g.duration} min · by `, h('span', { testid: 'gathering-organizer', title: `signed by ${g.organizerWallet}` }, identities.labelOf(g.organizerWallet))),
      g.description ? h('p', { class: 'desc' }, g.description) : null,
      h(
        'div',
        { class: 'actions' },
        g.videoJoinUrl ? joinLink(g.videoJoinUrl, 'gathering-join') : h('span', { class: 'muted' }, 'no video link'),
        g.videoRoomName ? meetingLink(g.key, g.videoRoomName, 'gathering-meeting') : null,
        h('span', { class: 'count', title: 'Distinct attendees who signed their RSVP (core.gatherings.rsvps)' }, h('b', { testid: 'rsvp-count' }, String(rsvpCount)), rsvpCount === 1 ? ' going' : ' going'),
        myStatus ? h('span', { class: `status ${myStatus.status}`, testid: 'my-rsvp-status' }, `you: ${myStatus.status}`) : null,
        rsvpButton,
      ),
      g.videoRoomName ? h('code', { class: 'room', testid: 'gathering-room' }, g.videoRoomName) : null,
    );
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    // Suggest a start two hours ahead of the app clock until the user picks one.
    if (!date.dataset.edited) date.value = toLocalInput(clock.now() + 2 * 3600000);
    try {
      const viewer = identities.active();
      const result = await service.list({ community: filter.value, viewer });
      if (mine !== seq) return;
      const selected = filter.value;
      replace(filter, h('option', { value: '' }, 'All communities'), result.communities.map((c) => h('option', { value: c, selected: c === selected }, c)));
      if (selected && !result.communities.includes(selected)) filter.append(h('option', { value: selected, selected: true }, selected));
      replace(list, result.gatherings.map(card));
      status.textContent = result.gatherings.length ? `${result.gatherings.length} upcoming` : 'No upcoming gatherings.';
      replace(ignoredSlot, ignoredNote(sumIgnored(result.ignored.gatherings, result.ignored.rsvps)));
      el.dataset.viewer = viewer.address;
      el.dataset.loadedAt = String(clock.now());
    } catch (err) {
      if (mine !== seq) return;
      notice.error(err, 'Loading gatherings');
    }
  }

  return { refresh };
}
