// The meeting page's attendance: who was there, when, for how long, who spoke, shared a screen or was
// muted, with role and display name. Everything shown is core.meetings.summarize's output for the
// records the timeline reads (core.events.fromEntities, trust-filtered: docs/trust.md); this file only
// writes it down, with the instants in the viewer's zone (docs/meetings.md for the rules).
import { useMemo } from 'react';
import { useClock } from '../app/context.js';
import { clockTimeSeconds, dateTime, durationSeconds, plural, viewerZone, zoneName } from '../format.js';

/** One stay: "23:05:12 – 23:07:07", or "since 23:05:12" while it is open. */
function Stay({ interval, zone }) {
  const { joinedAt, leftAt } = interval;
  return (
    <li data-testid="attendance-interval" data-joined-at={joinedAt} data-left-at={leftAt || ''}>
      {leftAt ? (
        <>
          <time dateTime={joinedAt}>{clockTimeSeconds(joinedAt, zone)}</time>
          {' – '}
          <time dateTime={leftAt}>{clockTimeSeconds(leftAt, zone)}</time>
        </>
      ) : (
        <>
          since <time dateTime={joinedAt}>{clockTimeSeconds(joinedAt, zone)}</time> (still there)
        </>
      )}
    </li>
  );
}

/** A duration cell: the seconds in words, the exact value for machines. */
function Seconds({ value, name }) {
  return (
    <td className="num" data-testid={`attendance-${name}`} data-seconds={String(value)}>
      {durationSeconds(value)}
    </td>
  );
}

/**
 * @param {{ core: any, events: object[], meetingId: string, replay?: boolean }} props
 *   `events`: the records the timeline shows (core.events.fromEntities(...).events); `meetingId`: the
 *   meeting they were read for.
 */
export function Attendance({ core, events, meetingId, replay = false }) {
  const { now } = useClock();
  const zone = viewerZone();
  const { meeting, ignored } = useMemo(() => {
    const { meetings, ignored: left } = core.meetings.summarize(events);
    return { meeting: meetings.find((m) => m.meetingId === meetingId) || null, ignored: left };
  }, [core, events, meetingId]);

  const title = replay ? 'Attendance (replay)' : 'Attendance';
  return (
    <section className="card attendance" aria-labelledby="attendance-h" data-testid="attendance-card" data-replay={replay ? 'true' : 'false'}>
      <h2 id="attendance-h">{title}</h2>
      {!meeting ? (
        <p className="muted" data-testid="attendance-empty">
          Nobody has been seen yet: the attendance fills in as the meeting’s events arrive.
        </p>
      ) : (
        <>
          <p
            className="meta"
            data-testid="attendance-summary"
            data-started-at={meeting.startedAt || ''}
            data-ended-at={meeting.endedAt || ''}
            data-as-of={meeting.asOf}
          >
            {meeting.startedAt ? (
              <>
                Started <time dateTime={meeting.startedAt}>{dateTime(meeting.startedAt, { timeZone: zone, now: now() })}</time>
              </>
            ) : (
              'No join recorded'
            )}
            {meeting.endedAt ? (
              <>
                , ended <time dateTime={meeting.endedAt}>{clockTimeSeconds(meeting.endedAt, zone)}</time>
              </>
            ) : (
              ', still going'
            )}
            {'; counted up to its latest event, '}
            <time dateTime={meeting.asOf}>{clockTimeSeconds(meeting.asOf, zone)}</time>. Times are {zoneName(zone)}.
          </p>
          <div className="table-scroll" role="region" aria-labelledby="attendance-caption" tabIndex={0}>
            <table className="attendance-table" data-testid="attendance">
              <caption id="attendance-caption">
                {`${plural(meeting.participants.length, 'participant')}: when and how long each was there, spoke, shared a screen, was muted`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Participant</th>
                  <th scope="col">There</th>
                  <th scope="col" className="num">
                    Present
                  </th>
                  <th scope="col" className="num">
                    Speaking
                  </th>
                  <th scope="col" className="num">
                    Screen share
                  </th>
                  <th scope="col" className="num">
                    Muted
                  </th>
                </tr>
              </thead>
              <tbody>
                {meeting.participants.map((p) => (
                  <tr key={p.id} data-testid="attendance-row" data-participant={p.id} data-display-name={p.displayName || ''} data-role={p.role || ''}>
                    <th scope="row">
                      <span className="who">{p.displayName || 'No name recorded'}</span>
                      {p.role ? (
                        <>
                          {' '}
                          <span className="badge" data-testid="attendance-role">
                            {p.role}
                          </span>
                        </>
                      ) : null}
                      <span className="participant-id muted">{p.id}</span>
                    </th>
                    <td>
                      {p.intervals.length ? (
                        <ul className="stays">
                          {p.intervals.map((iv) => (
                            <Stay key={iv.joinedAt} interval={iv} zone={zone} />
                          ))}
                        </ul>
                      ) : (
                        <span className="muted">no join recorded</span>
                      )}
                    </td>
                    <Seconds name="presence" value={p.presenceSeconds} />
                    <Seconds name="speaking" value={p.speakingSeconds} />
                    <Seconds name="screen-share" value={p.screenShareSeconds} />
                    <Seconds name="muted" value={p.mutedSeconds} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {ignored.total ? (
        <p className="muted" data-testid="attendance-ignored" data-total={String(ignored.total)}>
          {`${plural(ignored.total, 'record')} left out of the attendance: ${ignored.malformed} unreadable, ${ignored.conflicting} contradicting another record with the same eventId.`}
        </p>
      ) : null}
    </section>
  );
}
