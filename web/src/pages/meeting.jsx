// The meeting page: the Jitsi call of a session or gathering (@jitsi/react-sdk's JitsiMeeting), every
// IFrame API event captured through core.events (attachJitsi -> createBatcher -> arkivSink: one
// meeting_event entity per event, signed by the acting wallet; while it is locked the events wait, in
// order, also in localStorage), and the meeting's timeline read back from Arkiv (core.events.fromEntities),
// filterable by type and participant.
//
// The IFrame API script is loaded first by web/src/meeting/jitsi.js (with a timeout): JitsiMeeting
// itself only logs a failure and would leave its spinner forever, so it is rendered once the API is
// there; offline, the page says so and offers to try again, or to replay a recorded meeting through
// the same capture (web/src/meeting/replay.js; `?replay=<run>` shows that run's records, labelled).
//
// Under the timeline, the attendance (web/src/meeting/attendance.jsx): core.meetings.summarize of the
// same records.
import { JitsiMeeting } from '@jitsi/react-sdk';
import { arkivSink, attachJitsi, httpSink } from '@convene/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useApp, useLive, useLiveStatus, useWallets } from '../app/context.js';
import { clockTimeSeconds, plural, viewerZone } from '../format.js';
import { Attendance } from '../meeting/attendance.jsx';
import { jitsiDomain, loadJitsiApi } from '../meeting/jitsi.js';
import { newReplayRunId, replayMeetingId, startReplay } from '../meeting/replay.js';
import STANDUP from '../meeting/replays/standup.json';
import { describeEvent, meetingInfo, readTimeline } from '../meeting/timeline.js';
import { Details, Fact, IgnoredNote, meetingPath } from '../ui/bits.jsx';
import { Field, LockedHint, WriteButton } from '../ui/forms.jsx';
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

/**
 * The meeting's records as the timeline and the attendance show them: read from Arkiv (readTimeline,
 * trust-filtered), again when the node reports a change that concerns them (live) or every 3 s without
 * a live connection. One read at a time; a change during a read asks for one more.
 */
function useMeetingRecords({ meetingId, signersOf }) {
  const { core, arkiv, config } = useApp();
  const identities = useWallets();
  const viewer = identities.all().length ? identities.active().address : '';
  const [result, setResult] = useState({ events: [], ignored: { total: 0 } });
  const [error, setError] = useState('');
  const reading = useRef({ busy: false, again: false });
  // What to read: the latest, also for a read asked for while another (of another meeting) was running.
  const what = useRef(null);
  what.current = { meetingId, signersOf, viewer };

  const refresh = useCallback(async () => {
    const r = reading.current;
    if (r.busy) {
      r.again = true;
      return;
    }
    r.busy = true;
    try {
      do {
        r.again = false;
        const args = what.current;
        try {
          const read = await readTimeline({ core, arkiv, spaceId: config.spaceId, ...args });
          const now = what.current;
          if (now.meetingId === args.meetingId && now.signersOf === args.signersOf && now.viewer === args.viewer) {
            setResult(read);
            setError('');
          } else {
            r.again = true; // the page moved on meanwhile: read what it shows now
          }
        } catch (err) {
          console.warn('timeline', err);
          setError('The timeline could not be read from the Arkiv node; it is tried again every few seconds.');
        }
      } while (r.again);
    } finally {
      r.busy = false;
    }
  }, [core, arkiv, config.spaceId, meetingId, signersOf, viewer]);

  // Another meeting: start from nothing rather than showing the last one's records.
  useEffect(() => {
    setResult({ events: [], ignored: { total: 0 } });
  }, [meetingId]);

  // Live: a meeting event of this meeting (or a companion that decides who may write them) re-reads the
  // records; without a live connection they are read every few seconds instead.
  const liveStatus = useLiveStatus();
  useLive((c) => {
    if (c.attrs && (c.attrs.meetingId === meetingId || c.attrs.gatheringKey === signersOf || c.attrs.sessionKey === signersOf)) refresh();
  });
  useEffect(() => {
    refresh();
    if (liveStatus === 'live') return undefined;
    const t = setInterval(refresh, 3000);
    return () => clearInterval(t);
  }, [refresh, liveStatus]);

  return { ...result, error, refresh, liveStatus };
}

function Timeline({ records, replay }) {
  const { events, ignored, error, refresh, liveStatus } = records;
  const [type, setType] = useState('');
  const [participant, setParticipant] = useState('');
  const zone = viewerZone();
  const types = [...new Set(events.map((e) => e.type))].sort();
  const participants = [...new Set(events.map((e) => e.participantId).filter(Boolean))].sort();
  const shown = events.filter((e) => (!type || e.type === type) && (!participant || e.participantId === participant));
  return (
    <section className="card timeline" aria-labelledby="timeline-h" data-replay={replay ? 'true' : 'false'}>
      <h2 id="timeline-h">{replay ? 'Timeline (replay)' : 'Timeline'}</h2>
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
            <time dateTime={e.timestamp}>{clockTimeSeconds(e.timestamp, zone)}</time> <strong>{e.type}</strong>
            {e.participantId ? ` · ${e.participantId}` : ''} <span className="muted">{describeEvent(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

const REPLAY_SPEEDS = [
  [1, '1× (real time, about 2 minutes)'],
  [10, '10× (about 12 s)'],
  [20, '20× (about 6 s)'],
];

/** Where the Jitsi script cannot load: the offer to replay a recorded meeting through the capture pipeline. */
function ReplayOffer({ onStart }) {
  const [speed, setSpeed] = useState(10);
  return (
    <div className="replay-offer" data-testid="replay-offer">
      <h3>Replay a recorded meeting</h3>
      <p>
        Without Jitsi you can replay “{STANDUP.title}”: its IFrame API events go through the same capture as a call (attachJitsi, the batcher, Arkiv), signed by your wallet and
        kept apart from this meeting’s events, so the timeline and the attendance fill as they would.
      </p>
      <div className="filters">
        <Field name="replay-speed" label="Speed" inline>
          <select data-testid="replay-speed" value={String(speed)} onChange={(e) => setSpeed(Number(e.target.value))}>
            {REPLAY_SPEEDS.map(([v, label]) => (
              <option key={v} value={String(v)}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <WriteButton testid="replay-start" className="secondary" onClick={() => onStart(speed)}>
          Start the replay
        </WriteButton>
      </div>
      <LockedHint what="replay a recorded meeting (its events are signed by your wallet)" />
    </div>
  );
}

/** The video card of a replay: what it is, how far it got, and the way back to the meeting. */
function ReplayPanel({ run, runId, recordsId, backTo }) {
  const mine = run && run.runId === runId;
  let status;
  if (!mine) status = 'This replay ran earlier: its records are read back from Arkiv below.';
  else if (run.state === 'running')
    status = `Replaying at ${run.speed}×: ${run.emitted} of ${run.total} IFrame API events emitted, ${plural(run.delivered, 'record')} written to Arkiv.`;
  else if (run.state === 'failed') status = `The replay stopped: ${run.error}`;
  else
    status = `Replay ${run.state === 'stopped' ? 'stopped' : 'done'}: ${run.emitted} of ${run.total} IFrame API events emitted, ${plural(run.delivered, 'record')} written to Arkiv${
      run.pending ? `, ${run.pending} not written (the wallet was locked or the node refused them)` : ''
    }.`;
  return (
    <section className="card video replay" aria-labelledby="video-h" data-testid="replay-panel">
      <h2 id="video-h">Replay of a recorded meeting</h2>
      <p className="notice replay-label" data-testid="replay-label">
        <strong>This is a replay, not this meeting’s call.</strong> “{STANDUP.title}”: the Jitsi IFrame API events three browsers recorded, emitted again into the real capture pipeline
        and stored on Arkiv under a meeting of their own. There is no video.
      </p>
      <p
        className="muted"
        role="status"
        data-testid="replay-status"
        data-state={mine ? run.state : 'stored'}
        data-emitted={mine ? String(run.emitted) : ''}
        data-delivered={mine ? String(run.delivered) : ''}
      >
        {status}
      </p>
      <p>
        <Link to={backTo} data-testid="replay-back">
          Back to this meeting’s call
        </Link>
      </p>
      <Details testid="replay-details">
        <Fact term="Replay run">{runId}</Fact>
        <Fact term="Records’ meetingId">
          <span data-testid="replay-meeting-id">{recordsId}</span>
        </Fact>
        <Fact term="Recording">{`${STANDUP.id}: ${STANDUP.events.length} events from ${Object.keys(STANDUP.clients).length} browsers`}</Fact>
      </Details>
    </section>
  );
}

export function MeetingPage() {
  const { key } = useParams();
  const [params, setParams] = useSearchParams();
  const { core, arkiv, config, identities, clock } = useApp();
  useWallets();
  const [info, setInfo] = useState(null);
  const [jitsi, setJitsi] = useState({ state: 'loading', message: '' });
  const [capture, setCapture] = useState('');
  const [attempt, setAttempt] = useState(0);
  const batcherRef = useRef(null);
  const baseUrl = config.jitsiBaseUrl || DEFAULT_JITSI;
  const room = (info && info.room) || params.get('room') || '';
  // A replay run (?replay=<run>): its records, under their own meetingId, instead of the meeting's.
  const replayId = params.get('replay') || '';
  const recordsId = replayId ? replayMeetingId(key, replayId) : key;
  const records = useMeetingRecords({ meetingId: recordsId, signersOf: key });
  const [run, setRun] = useState(null);
  const runnerRef = useRef(null);

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
    // With a collector configured (scripts/app.sh starts one, docs/collector.md), the same events also
    // go there in batches signed by the acting wallet; its own queue, so one store's outage never
    // holds the other back (each store gives the event its own eventId).
    const collector = config.collectorUrl
      ? core.events.createBatcher({
          send: httpSink(`${config.collectorUrl}/api/meetings/events`, { signer: identities.batchSigner }),
          storage: localStorage,
          storageKey: 'convene.collector',
          onRejected: (records, status) => console.warn(`${records.length} meeting events refused by the collector (status ${status})`),
          onError: (err) => console.warn('meeting events (collector):', err),
        })
      : null;
    batcherRef.current = collector
      ? { push: (name, payload, ctx) => (collector.push(name, payload, ctx), batcher.push(name, payload, ctx)) }
      : batcher;
    window.__conveneMeeting = { batcher, collector }; // for tests and debugging
    // Unlocking (or switching to) a wallet: send what waited at once rather than after the backoff.
    const off = identities.onChange(() => {
      if (identities.active().locked) return;
      batcher.flush().catch(() => {});
      collector?.flush().catch(() => {});
    });
    return () => {
      off();
      batcherRef.current = null;
      batcher.close().catch(() => {});
      collector?.close().catch(() => {});
    };
  }, [core, arkiv, config.spaceId, config.collectorUrl, identities, key]);

  // The replay: started here, it runs while the page shows it; leaving it (another meeting, the link
  // back to the call) stops it, and what was emitted is still written.
  const onStartReplay = useCallback(
    (speed) => {
      runnerRef.current?.stop();
      const startMs = clock.now();
      const runId = newReplayRunId(startMs);
      const wallet = { mutateEntities: ({ creates }) => arkiv.write(identities.active(), creates) };
      const update = (p) => setRun((r) => (r && r.runId === runId ? { ...r, ...p } : r));
      setRun({ runId, speed, state: 'running', total: STANDUP.events.length, emitted: 0, delivered: 0, pending: 0 });
      try {
        const runner = startReplay({
          core,
          recording: STANDUP,
          meetingId: replayMeetingId(key, runId),
          send: arkivSink(wallet, { spaceId: config.spaceId }),
          // With a collector configured, the replay's events go there too, as a call's do.
          mirror: config.collectorUrl ? httpSink(`${config.collectorUrl}/api/meetings/events`, { signer: identities.batchSigner }) : undefined,
          startMs,
          speed,
          onProgress: update,
          onError: (err) => console.warn('replay:', err),
        });
        runnerRef.current = runner;
        if (window.__conveneMeeting) window.__conveneMeeting.replay = runner;
        runner.done.catch((err) => update({ state: 'failed', error: err.message }));
      } catch (err) {
        update({ state: 'failed', error: err.message });
      }
      const next = new URLSearchParams(params);
      next.set('replay', runId);
      setParams(next);
    },
    [core, arkiv, config.spaceId, config.collectorUrl, identities, clock, key, params, setParams],
  );
  // Leaving the replay's address (the link back, the browser's Back) stops it.
  const shownReplay = useRef(replayId);
  useEffect(() => {
    if (shownReplay.current && shownReplay.current !== replayId && runnerRef.current) {
      runnerRef.current.stop();
      runnerRef.current = null;
    }
    shownReplay.current = replayId;
  }, [replayId]);
  useEffect(
    () => () => {
      runnerRef.current?.stop();
      runnerRef.current = null;
    },
    [key],
  );
  const backToCall = meetingPath(key, params.get('room') || '');

  // The IFrame API script, with a timeout: an offline page says so instead of spinning. Not for a replay.
  useEffect(() => {
    if (!room || replayId) return undefined;
    let live = true;
    setJitsi({ state: 'loading', message: '' });
    loadJitsiApi(baseUrl, JITSI_TIMEOUT_MS).then(
      () => live && setJitsi({ state: 'ready', message: '' }),
      (err) => live && setJitsi({ state: 'offline', message: err.message }),
    );
    return () => {
      live = false;
    };
  }, [baseUrl, room, attempt, replayId]);

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
        <div className="meeting-main">
          {replayId ? (
            <ReplayPanel run={run} runId={replayId} recordsId={recordsId} backTo={backToCall} />
          ) : (
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
                <>
                  <div className="notice" role="alert">
                    <p data-testid="jitsi-status" data-offline="true">
                      {jitsi.message}
                    </p>
                    <p data-testid="capture-status">No events are captured while Jitsi is unavailable; the timeline still reads Arkiv.</p>
                    <button type="button" className="secondary" data-testid="jitsi-retry" onClick={() => setAttempt((n) => n + 1)}>
                      Try again
                    </button>
                  </div>
                  <ReplayOffer onStart={onStartReplay} />
                </>
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
          )}
          <Attendance core={core} events={records.events} meetingId={recordsId} replay={Boolean(replayId)} />
        </div>
        <Timeline key={recordsId} records={records} replay={Boolean(replayId)} />
      </div>
    </PageFrame>
  );
}
