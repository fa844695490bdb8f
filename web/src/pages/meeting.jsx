// The meeting page: the Jitsi call of a session or gathering (@jitsi/react-sdk's JitsiMeeting), every
// IFrame API event captured through core.events (attachJitsi -> createBatcher -> arkivSink: one
// meeting_event entity per event, signed by the acting wallet; while it is locked the events wait, in
// order, also in localStorage), and the meeting's timeline read back from Arkiv (core.events.fromEntities),
// filterable by type and participant.
//
// The IFrame API script is loaded first by web/src/meeting/jitsi.js (with a timeout): JitsiMeeting
// itself only logs a failure and would leave its spinner forever, so it is rendered once the API is
// there; offline, the page says so and offers to try again.
import { JitsiMeeting } from '@jitsi/react-sdk';
import { arkivSink, attachJitsi } from '@convene/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useApp, useLive, useLiveStatus, useWallets } from '../app/context.js';
import { jitsiDomain, loadJitsiApi } from '../meeting/jitsi.js';
import { describeEvent, meetingInfo, readTimeline } from '../meeting/timeline.js';
import { Details, Fact, IgnoredNote } from '../ui/bits.jsx';
import { Field } from '../ui/forms.jsx';
import { PageFrame } from '../ui/page.jsx';

const DEFAULT_JITSI = 'https://meet.jit.si';
const JITSI_TIMEOUT_MS = 10_000;

/** /meeting without a meeting: what the page is for and where to start one. */
export function MeetingHelp() {
  return (
    <PageFrame name="meeting-help" title="Meeting page">
      <div className="card" data-testid="meeting-help">
        <p>This page holds the video call of one session or gathering, and records what happens in it (who joined, mutes, screen shares…) on Arkiv.</p>
        <p>Open it from a gathering or a confirmed session: each has a “Meeting page” link next to “Join on Jitsi”.</p>
        <ul>
          <li>
            <Link to="/gatherings/now">Gatherings happening now</Link>
          </li>
          <li>
            <Link to="/gatherings">Upcoming gatherings</Link>
          </li>
          <li>
            <Link to="/sessions">My sessions</Link>
          </li>
        </ul>
      </div>
    </PageFrame>
  );
}

function Timeline({ meetingId }) {
  const { core, arkiv, config } = useApp();
  const identities = useWallets();
  const viewer = identities.all().length ? identities.active().address : '';
  const [result, setResult] = useState({ events: [], ignored: { total: 0 } });
  const [error, setError] = useState('');
  const [type, setType] = useState('');
  const [participant, setParticipant] = useState('');

  const refresh = useCallback(async () => {
    try {
      setResult(await readTimeline({ core, arkiv, spaceId: config.spaceId, meetingId, viewer }));
      setError('');
    } catch (err) {
      console.warn('timeline', err);
      setError('The timeline could not be read from the Arkiv node; it is tried again every few seconds.');
    }
  }, [core, arkiv, config.spaceId, meetingId, viewer]);

  // Live: a meeting event of this meeting (or a companion that decides who may write them) re-reads the
  // timeline; without a live connection the timeline is read every few seconds instead.
  const liveStatus = useLiveStatus();
  useLive((c) => {
    if (c.attrs && (c.attrs.meetingId === meetingId || c.attrs.gatheringKey === meetingId || c.attrs.sessionKey === meetingId)) refresh();
  });
  useEffect(() => {
    refresh();
    if (liveStatus === 'live') return undefined;
    const t = setInterval(refresh, 3000);
    return () => clearInterval(t);
  }, [refresh, liveStatus]);

  const { events, ignored } = result;
  const types = [...new Set(events.map((e) => e.type))].sort();
  const participants = [...new Set(events.map((e) => e.participantId).filter(Boolean))].sort();
  const shown = events.filter((e) => (!type || e.type === type) && (!participant || e.participantId === participant));
  return (
    <section className="card timeline" aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline</h2>
      <div className="filters">
        <Field name="type" label="Event" inline>
          <select data-testid="filter-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">all</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field name="participant" label="Participant" inline>
          <select data-testid="filter-participant" value={participant} onChange={(e) => setParticipant(e.target.value)}>
            <option value="">all</option>
            {participants.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        {liveStatus === 'live' ? (
          <span className="muted" data-testid="timeline-live">
            Updates live
          </span>
        ) : (
          <button type="button" className="secondary" data-testid="refresh-timeline" onClick={refresh}>
            Refresh
          </button>
        )}
      </div>
      <p className="muted" data-testid="timeline-status" data-total={String(events.length)} role="status">
        {`${shown.length} of ${events.length} events`}
      </p>
      <IgnoredNote ignored={ignored} />
      {error ? (
        <p className="msg-error" data-testid="timeline-error">
          {error}
        </p>
      ) : null}
      <ol className="events" data-testid="timeline">
        {shown.map((e) => (
          <li key={e.eventId} data-testid="timeline-event" data-type={e.type} data-participant={e.participantId || ''} data-event-id={e.eventId}>
            <time dateTime={e.timestamp}>{e.timestamp.slice(11, 19)}</time> <strong>{e.type}</strong>
            {e.participantId ? ` · ${e.participantId}` : ''} <span className="muted">{describeEvent(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function MeetingPage() {
  const { key } = useParams();
  const [params] = useSearchParams();
  const { core, arkiv, config, identities } = useApp();
  useWallets();
  const [info, setInfo] = useState(null);
  const [jitsi, setJitsi] = useState({ state: 'loading', message: '' });
  const [capture, setCapture] = useState('');
  const [attempt, setAttempt] = useState(0);
  const batcherRef = useRef(null);
  const baseUrl = config.jitsiBaseUrl || DEFAULT_JITSI;
  const room = (info && info.room) || params.get('room') || '';

  // What the meeting is (a session or gathering on Arkiv), for its title and verified room.
  useEffect(() => {
    let live = true;
    setInfo(null);
    meetingInfo({ core, arkiv, spaceId: config.spaceId, meetingId: key }).then((i) => live && setInfo(i));
    return () => {
      live = false;
    };
  }, [core, arkiv, config.spaceId, key]);

  // The event pipeline, one per meeting: events signed by the acting wallet; kept while it is locked.
  useEffect(() => {
    const wallet = { mutateEntities: ({ creates }) => arkiv.write(identities.active(), creates) };
    const batcher = core.events.createBatcher({
      send: arkivSink(wallet, { spaceId: config.spaceId }),
      storage: localStorage,
      onRejected: (records, status) => console.warn(`${records.length} meeting events refused (status ${status})`),
      onError: (err) => console.warn('meeting events:', err),
    });
    batcherRef.current = batcher;
    window.__conveneMeeting = { batcher }; // for tests and debugging
    // Unlocking (or switching to) a wallet: send what waited at once rather than after the backoff.
    const off = identities.onChange(() => {
      if (!identities.active().locked) batcher.flush().catch(() => {});
    });
    return () => {
      off();
      batcherRef.current = null;
      batcher.close().catch(() => {});
    };
  }, [core, arkiv, config.spaceId, identities, key]);

  // The IFrame API script, with a timeout: an offline page says so instead of spinning.
  useEffect(() => {
    if (!room) return undefined;
    let live = true;
    setJitsi({ state: 'loading', message: '' });
    loadJitsiApi(baseUrl, JITSI_TIMEOUT_MS).then(
      () => live && setJitsi({ state: 'ready', message: '' }),
      (err) => live && setJitsi({ state: 'offline', message: err.message }),
    );
    return () => {
      live = false;
    };
  }, [baseUrl, room, attempt]);

  const subRef = useRef(null);
  useEffect(() => () => subRef.current?.detach(), []);
  const onApiReady = useCallback(
    (api) => {
      subRef.current?.detach();
      // Pushes go to the meeting's current batcher (it is replaced when the page moves to another meeting).
      const batcher = { push: (...args) => batcherRef.current?.push(...args) };
      const sub = attachJitsi(api, batcher, { meetingId: key, onError: (err, name) => console.warn(`event ${name}:`, err) });
      subRef.current = sub;
      if (window.__conveneMeeting) window.__conveneMeeting.api = api;
      setCapture(`Recording ${sub.events.length} kinds of meeting events on Arkiv, signed by the acting wallet.`);
    },
    [key],
  );
  const userInfo = useMemo(() => ({ displayName: params.get('name') || identities.active().label || 'Guest' }), [params, identities]);
  const frameRef = useCallback((node) => {
    if (node) node.style.height = '420px';
  }, []);

  const title = info && info.title ? `Meeting: ${info.title}` : 'Meeting';
  return (
    <PageFrame name="meeting" title={title} heading={title}>
      <p className="meta" data-testid="meeting-info">
        {info && info.kind ? (
          <>
            The {info.kind} <Link to={info.href}>{info.title}</Link>
          </>
        ) : info ? (
          'A meeting that is not on the Arkiv node: only your own events are shown.'
        ) : (
          'Reading the meeting…'
        )}
      </p>
      <div className="meeting-grid">
        <section className="card video" aria-labelledby="video-h">
          <h2 id="video-h">Video</h2>
          {!room ? (
            <p className="notice" data-testid="jitsi-status" data-offline="false">
              This link names no video room, and the meeting has none yet (a session gets its room once both people confirm). Open the meeting from its session or gathering.
            </p>
          ) : jitsi.state === 'loading' ? (
            <p className="muted" data-testid="jitsi-status" role="status">
              Connecting to Jitsi at {jitsiDomain(baseUrl)}… (at most {JITSI_TIMEOUT_MS / 1000} s)
            </p>
          ) : jitsi.state === 'offline' ? (
            <div className="notice" role="alert">
              <p data-testid="jitsi-status" data-offline="true">
                {jitsi.message}
              </p>
              <p data-testid="capture-status">No events are captured while Jitsi is unavailable; the timeline still reads Arkiv.</p>
              <button type="button" className="secondary" data-testid="jitsi-retry" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          ) : (
            <>
              <p className="muted" data-testid="jitsi-status">
                Video call on {jitsiDomain(baseUrl)}
              </p>
              <div data-testid="jitsi" className="jitsi">
                <JitsiMeeting key={`${key}|${room}`} domain={jitsiDomain(baseUrl)} roomName={room} userInfo={userInfo} onApiReady={onApiReady} getIFrameRef={frameRef} />
              </div>
              <p className="muted" data-testid="capture-status">
                {capture}
              </p>
              <Details testid="meeting-details">
                <Fact term="Meeting (entity key)">{key}</Fact>
                <Fact term="Video room">{room}</Fact>
              </Details>
            </>
          )}
        </section>
        <Timeline meetingId={key} />
      </div>
    </PageFrame>
  );
}
