// The IFrame API event names attachJitsi() subscribes to: the `events` map of
// jitsi-meet's modules/API/external/external_api.js (72 events) plus
// `largeVideoChanged`, which JitsiMeetExternalAPI emits itself. The core's
// catalogue (core/events/jitsi_events.cpp, `core.events.catalogue()`) maps each
// to a dotted type; tests/node/events.test.js checks that both lists agree.
export const JITSI_EVENT_NAMES = Object.freeze([
  'audioAvailabilityChanged', 'audioMuteStatusChanged', 'audioOnlyChanged', 'audioOrVideoSharingToggled',
  'avatarChanged', 'breakoutRoomsUpdated', 'browserSupport', 'cameraError', 'chatUpdated',
  'computePressureChanged', 'conferenceCreatedTimestamp', 'contentSharingParticipantsChanged',
  'customNotificationActionTriggered', 'dataChannelClosed', 'dataChannelOpened', 'deviceListChanged',
  'displayNameChange', 'dominantSpeakerChanged', 'emailChange', 'endpointTextMessageReceived', 'errorOccurred',
  'faceLandmarkDetected', 'feedbackPromptDisplayed', 'feedbackSubmitted', 'fileDeleted', 'fileUploaded',
  'filmstripDisplayChanged', 'incomingMessage', 'knockingParticipant', 'log', 'micError',
  'moderationParticipantApproved', 'moderationParticipantRejected', 'moderationStatusChanged', 'mouseEnter',
  'mouseLeave', 'mouseMove', 'nonParticipantMessageReceived', 'notificationTriggered', 'outgoingMessage',
  'p2pStatusChanged', 'participantJoined', 'participantKickedOut', 'participantLeft', 'participantMenuButtonClick',
  'participantMuted', 'participantRoleChanged', 'participantsPaneToggled', 'passwordRequired',
  'peerConnectionFailure', 'prejoinScreenLoaded', 'proxyConnectionEvent', 'raiseHandUpdated', 'readyToClose',
  'ready', 'recordingConsentDialogOpen', 'recordingLinkAvailable', 'recordingStatusChanged',
  'screenSharingStatusChanged', 'subjectChange', 'suspendDetected', 'tileViewChanged', 'toolbarButtonClicked',
  'toolbarVisibilityChanged', 'transcribingStatusChanged', 'transcriptionChunkReceived',
  'videoAvailabilityChanged', 'videoConferenceJoined', 'videoConferenceLeft', 'videoMuteStatusChanged',
  'videoQualityChanged', 'whiteboardStatusChanged', 'largeVideoChanged',
]);

/** Ignored by default: fires on every mouse movement over the iframe (dozens per second). */
export const DEFAULT_IGNORED = Object.freeze(['mouseMove']);

/**
 * Subscribes a batcher to every event of a `JitsiMeetExternalAPI` instance.
 *
 * Each event is pushed as `batcher.push(jitsiName, payload, { meetingId, participantId })`,
 * where `participantId` is the local participant: `options.participantId`, or
 * the `id` of `videoConferenceJoined` once it fired. A push that throws (bad
 * payload, a name the core refuses) goes to `options.onError` and never reaches the Jitsi listener.
 *
 * `options.events` replaces the catalogue's names; `options.extraEvents` adds names to them:
 * events the catalogue does not know yet (a newer Jitsi) or the app's own. The core captures
 * such names with its generic mapping (type `x.<words>`, docs/events.md#new-event-names).
 *
 * @param {{ addListener?: Function, on?: Function, removeListener?: Function, off?: Function }} api
 * @param {{ push: (name: string, payload: unknown, ctx: {meetingId: string, participantId?: string}) => string }} batcher
 * @param {{ meetingId: string, participantId?: string, events?: readonly string[], extraEvents?: readonly string[],
 *           ignore?: readonly string[], onError?: (err: Error, name: string) => void }} options
 * @returns {{ detach: () => void, events: string[] }} `detach()` removes every listener (idempotent).
 */
export function attachJitsi(api, batcher, options = {}) {
  const { meetingId, events = JITSI_EVENT_NAMES, extraEvents = [], ignore = DEFAULT_IGNORED, onError } = options;
  if (!api || (typeof api.addListener !== 'function' && typeof api.on !== 'function')) {
    throw new TypeError('attachJitsi: api must be a JitsiMeetExternalAPI (addListener/removeListener)');
  }
  if (!batcher || typeof batcher.push !== 'function') throw new TypeError('attachJitsi: batcher must have push()');
  if (typeof meetingId !== 'string' || meetingId.trim() === '') {
    throw new TypeError('attachJitsi: options.meetingId must be a non-empty string');
  }
  if (!Array.isArray(extraEvents) || !extraEvents.every((n) => typeof n === 'string')) {
    throw new TypeError('attachJitsi: options.extraEvents must be an array of event names');
  }
  let local = options.participantId;
  const add = (api.addListener ?? api.on).bind(api);
  const remove = (api.removeListener ?? api.off).bind(api);
  const handlers = new Map();
  for (const name of new Set([...events, ...extraEvents])) {
    if (ignore.includes(name)) continue;
    const handler = (payload) => {
      if (name === 'videoConferenceJoined' && payload && typeof payload.id === 'string') local = payload.id;
      try {
        batcher.push(name, payload, local ? { meetingId, participantId: local } : { meetingId });
      } catch (err) {
        onError?.(err, name);
      }
    };
    handlers.set(name, handler);
    add(name, handler);
  }
  return {
    events: [...handlers.keys()],
    detach() {
      for (const [name, handler] of handlers) remove(name, handler);
      handlers.clear();
    },
  };
}
