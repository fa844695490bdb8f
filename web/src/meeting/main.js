// The meeting page: embeds the Jitsi IFrame API for a session's or gathering's room, captures its
// events through core.events into the Arkiv sink (one meeting_event entity per event), and shows the
// meeting's timeline read back from Arkiv. URL: meeting.html?meeting=<entity key>&room=<room name>[&name=<display name>]
import { arkivSink, attachJitsi, loadCore } from '@convene/core';
import { createArkiv } from '../arkiv.js';
import { loadConfig } from '../config.js';
import { mountNotice } from '../ui/notice.js';
import { mountWallet } from '../ui/wallet.js';
import { TEST_KDF, createWallets } from '../wallets.js';
import { jitsiDomain, loadJitsiApi } from './jitsi.js';
import { readTimeline, renderTimeline } from './timeline.js';
import '../style.css';

const $ = (id) => document.getElementById(id);
const DEFAULT_JITSI = 'https://meet.jit.si';

async function start() {
  const notice = mountNotice($('notice'));
  const params = new URLSearchParams(location.search);
  const meetingId = params.get('meeting') || '';
  const room = params.get('room') || '';
  try {
    if (!meetingId || !room) throw new Error('meeting.html needs ?meeting=<session or gathering key>&room=<Jitsi room name>');
    const config = await loadConfig();
    const core = await loadCore();
    const arkiv = createArkiv(config.arkivRpcUrl);
    // The acting wallet signs the event entities (web/src/wallets.js; ?kdf=interactive: cheap Argon2id for tests).
    const identities = await createWallets({ core, kdf: params.get('kdf') === 'interactive' ? TEST_KDF : undefined });
    mountWallet($('identity'), { identities, notice });
    $('meeting-info').textContent = `meeting ${meetingId} · room ${room}`;

    // Writes: one mutateEntities per batch, signed by the active wallet. While it is locked the
    // write fails (WALLET_LOCKED), which the batcher treats as a failed delivery: the events wait,
    // in order, with backoff, and are also kept in localStorage.
    const wallet = { mutateEntities: ({ creates }) => arkiv.write(identities.active(), creates) };
    const batcher = core.events.createBatcher({
      send: arkivSink(wallet, { spaceId: config.spaceId }),
      storage: localStorage,
      onRejected: (records, status) => notice.error(new Error(`${records.length} events refused (status ${status})`), 'Meeting events'),
      onError: (err) => console.warn('meeting events:', err),
    });
    window.__conveneMeeting = { batcher }; // for tests and debugging
    // Unlocking (or switching to) a wallet: send what waited at once rather than after the backoff.
    identities.onChange(() => {
      if (!identities.active()?.locked) batcher.flush().catch(() => {});
    });

    const ui = { list: $('timeline'), typeSelect: $('filter-type'), participantSelect: $('filter-participant'), status: $('timeline-status') };
    let events = { events: [], ignored: { total: 0 } };
    const refresh = async () => {
      try {
        events = await readTimeline({ core, arkiv, spaceId: config.spaceId, meetingId, viewer: identities.active()?.address });
        renderTimeline(ui, events);
      } catch (err) {
        notice.error(err, 'Reading the timeline from Arkiv');
      }
    };
    ui.typeSelect.addEventListener('change', () => renderTimeline(ui, events));
    ui.participantSelect.addEventListener('change', () => renderTimeline(ui, events));
    $('refresh').addEventListener('click', refresh);
    setInterval(refresh, 3000);

    const baseUrl = config.jitsiBaseUrl || DEFAULT_JITSI;
    try {
      const JitsiMeetExternalAPI = await loadJitsiApi(baseUrl);
      const api = new JitsiMeetExternalAPI(jitsiDomain(baseUrl), {
        roomName: room,
        parentNode: $('jitsi'),
        width: '100%',
        height: 360,
        userInfo: { displayName: params.get('name') || identities.active()?.label || 'Guest' },
      });
      const sub = attachJitsi(api, batcher, { meetingId, onError: (err, name) => console.warn(`event ${name}:`, err) });
      $('jitsi-status').textContent = `Jitsi room ${room} on ${jitsiDomain(baseUrl)}`;
      $('capture-status').textContent = `Capturing ${sub.events.length} IFrame API event types.`;
      window.__conveneMeeting.api = api;
    } catch (err) {
      const status = $('jitsi-status');
      status.textContent = err.message;
      status.dataset.offline = 'true';
      status.className = 'notice';
      $('capture-status').textContent = 'No events are captured while Jitsi is unavailable; the timeline below still reads Arkiv.';
    }
    await refresh();
    document.body.dataset.ready = 'true';
  } catch (err) {
    console.error(err);
    notice.error(err, 'Starting the meeting page');
  }
}

start();
