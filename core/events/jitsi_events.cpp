#include "core/events/jitsi_events.h"

#include <unordered_map>

namespace convene::events {
namespace {

// One row per event of external_api.js's `events` map (alphabetical), plus largeVideoChanged. Payload shapes: jitsi-meet modules/API/API.js
// (notify* methods) and the handbook's dev-guide-iframe-events page.
constexpr JitsiEventSpec kCatalogue[] = {
    {"audioAvailabilityChanged", "audio.availability.changed", "", "available"},
    {"audioMuteStatusChanged", "audio.mute.changed", "", "muted"},
    {"audioOnlyChanged", "audio.only.changed", "", "audioOnlyChanged"},
    {"audioOrVideoSharingToggled", "media.sharing.toggled", "participantId", "mediaType,value"},
    {"avatarChanged", "participant.avatar.changed", "id", "avatarURL"},
    {"breakoutRoomsUpdated", "breakout.rooms.updated", "", "*"},
    {"browserSupport", "browser.support", "", "supported"},
    {"cameraError", "camera.error", "", "type,message"},
    {"chatUpdated", "chat.updated", "", "unreadCount,isOpen"},
    {"computePressureChanged", "compute.pressure.changed", "", "*"},
    {"conferenceCreatedTimestamp", "conference.created", "", "timestamp"},
    {"contentSharingParticipantsChanged", "content.sharing.participants.changed", "", "data.sharingParticipantIds=participantIds"},
    {"customNotificationActionTriggered", "notification.action.triggered", "", "data.id=actionId"},
    {"dataChannelClosed", "data.channel.closed", "", "code,reason"},
    {"dataChannelOpened", "data.channel.opened", "", ""},
    {"deviceListChanged", "device.list.changed", "", "*"},
    {"displayNameChange", "participant.display.name.changed", "id", "displayname=displayName,formattedDisplayName"},
    {"dominantSpeakerChanged", "dominant.speaker.changed", "id", ""},
    {"emailChange", "participant.email.changed", "id", "email"},
    {"endpointTextMessageReceived", "endpoint.message.received", "data.senderInfo.id", "data.senderInfo.displayName=displayName,data.eventData=eventData"},
    {"errorOccurred", "error.occurred", "", "error.name=name,error.message=message,error.type=errorType,error.isFatal=isFatal,details"},
    {"faceLandmarkDetected", "face.landmark.detected", "", "faceExpression"},
    {"feedbackPromptDisplayed", "feedback.prompt.displayed", "", ""},
    {"feedbackSubmitted", "feedback.submitted", "", "error"},
    {"fileDeleted", "file.deleted", "", "*"},
    {"fileUploaded", "file.uploaded", "", "*"},
    {"filmstripDisplayChanged", "ui.filmstrip.display.changed", "", "visible"},
    {"incomingMessage", "message.received", "from", "nick,message,privateMessage,stamp"},
    {"knockingParticipant", "lobby.participant.knocking", "participant.id", "participant.name=displayName"},
    {"log", "log", "", "logLevel,args"},
    {"micError", "mic.error", "", "type,message"},
    {"moderationParticipantApproved", "moderation.participant.approved", "id", "mediaType"},
    {"moderationParticipantRejected", "moderation.participant.rejected", "id", "mediaType"},
    {"moderationStatusChanged", "moderation.status.changed", "", "mediaType,enabled"},
    {"mouseEnter", "ui.mouse.enter", "", ""},
    {"mouseLeave", "ui.mouse.leave", "", ""},
    {"mouseMove", "ui.mouse.move", "", ""},
    {"nonParticipantMessageReceived", "message.nonparticipant.received", "", "id=senderId,message"},
    {"notificationTriggered", "notification.triggered", "", "title,description"},
    {"outgoingMessage", "message.sent", "", "message,privateMessage"},
    {"p2pStatusChanged", "p2p.status.changed", "", "isP2p"},
    {"participantJoined", "participant.joined", "id", "displayName,formattedDisplayName"},
    {"participantKickedOut", "participant.kicked", "kicked.id", "kicked.local=local,kicker.id=kickerId"},
    {"participantLeft", "participant.left", "id", ""},
    {"participantMenuButtonClick", "ui.participant.menu.clicked", "participantId", "key,preventExecution"},
    {"participantMuted", "participant.muted", "id", "isMuted,mediaType"},
    {"participantRoleChanged", "participant.role.changed", "id", "role"},
    {"participantsPaneToggled", "ui.participants.pane.toggled", "", "open"},
    {"passwordRequired", "conference.password.required", "", ""},
    {"peerConnectionFailure", "connection.peer.failed", "", "isP2P,wasConnected"},
    {"prejoinScreenLoaded", "prejoin.loaded", "id", "displayName"},
    {"proxyConnectionEvent", "proxy.connection.event", "", "*"},
    {"raiseHandUpdated", "participant.hand.changed", "id", "handRaised"},
    {"readyToClose", "conference.ready.to.close", "", ""},
    {"ready", "api.ready", "", ""},
    {"recordingConsentDialogOpen", "recording.consent.dialog", "", "open"},
    {"recordingLinkAvailable", "recording.link.available", "", "link,ttl"},
    {"recordingStatusChanged", "recording.started", "", "on,mode,error,transcription", "on", "recording.stopped"},
    {"screenSharingStatusChanged", "screen.share.started", "", "on,details.sourceType=sourceType", "on", "screen.share.stopped"},
    {"subjectChange", "conference.subject.changed", "", "subject"},
    {"suspendDetected", "conference.suspend.detected", "", ""},
    {"tileViewChanged", "ui.tile.view.changed", "", "enabled"},
    {"toolbarButtonClicked", "ui.toolbar.button.clicked", "", "key,preventExecution"},
    {"toolbarVisibilityChanged", "ui.toolbar.visibility.changed", "", "visible"},
    {"transcribingStatusChanged", "transcription.started", "", "on", "on", "transcription.stopped"},
    {"transcriptionChunkReceived", "transcription.chunk.received", "data.participant.id",
     "data.messageID=messageID,data.language=language,data.participant.name=participantName,data.final=final,data.stable=stable,data.unstable=unstable"},
    {"videoAvailabilityChanged", "video.availability.changed", "", "available"},
    {"videoConferenceJoined", "conference.joined", "id", "roomName,displayName,breakoutRoom,visitor"},
    {"videoConferenceLeft", "conference.left", "", "roomName"},
    {"videoMuteStatusChanged", "video.mute.changed", "", "muted"},
    {"videoQualityChanged", "video.quality.changed", "", "videoQuality"},
    {"whiteboardStatusChanged", "whiteboard.status.changed", "", "status"},
    // Emitted by JitsiMeetExternalAPI itself (not API.js) when the on-stage participant changes.
    {"largeVideoChanged", "ui.large.video.changed", "", ""},
};

}  // namespace

std::span<const JitsiEventSpec> jitsi_event_catalogue() { return kCatalogue; }

const JitsiEventSpec* find_jitsi_event(std::string_view name) {
  // Built once; lookups happen on every push.
  static const std::unordered_map<std::string_view, const JitsiEventSpec*> index = [] {
    std::unordered_map<std::string_view, const JitsiEventSpec*> m;
    for (const auto& s : kCatalogue) {
      m.emplace(s.jitsi, &s);
      m.emplace(s.type, &s);
      if (!s.type_off.empty()) m.emplace(s.type_off, &s);
    }
    return m;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

std::string_view record_type(const JitsiEventSpec& spec, std::string_view name, bool on) {
  if (spec.on_field.empty()) return spec.type;
  if (name == spec.type) on = true;
  else if (name == spec.type_off) on = false;
  return on ? spec.type : spec.type_off;
}

}  // namespace convene::events
