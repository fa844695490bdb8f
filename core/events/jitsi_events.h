// convene/core/events/jitsi_events.h — the Jitsi IFrame API event catalogue.
//
// Every event a `JitsiMeetExternalAPI` emits (the `events` map of jitsi-meet's
// modules/API/external/external_api.js, payloads from modules/API/API.js and
// the handbook's "IFrame API events" page) mapped to a dotted Convene type and
// to the payload fields worth keeping. docs/events.md#jitsi-iframe-api-mapping.
//
// Mapping rules, read from the table in jitsi_events.cpp:
//   - `type` is the normalized name (`participantJoined` -> `participant.joined`).
//   - Events that report an on/off state through a boolean become two types:
//     `screenSharingStatusChanged` {on:true} -> `screen.share.started`,
//     {on:false} -> `screen.share.stopped`; same for recording and transcribing.
//   - `participant` is the dotted path of the participant id inside the Jitsi
//     payload (`id`, `from`, `data.participant.id`, ...); events about the local
//     user (mute, screen share) have none and take `ctx.participantId`.
//   - `fields` lists what the normalized payload keeps: comma separated
//     `path` or `path=outName` (paths are dotted); `*` keeps the whole payload,
//     sanitized and size-capped (normalize.h). Anything not listed is dropped.
#pragma once

#include <span>
#include <string_view>

namespace convene::events {

/// One row of the catalogue.
struct JitsiEventSpec {
  std::string_view jitsi;        ///< IFrame API event name, e.g. "participantJoined"
  std::string_view type;         ///< dotted Convene type, e.g. "participant.joined"
  std::string_view participant;  ///< dotted path of the participant id in the payload, "" if none
  std::string_view fields;       ///< kept fields: "path[=out],..." or "*" (whole payload, capped)
  std::string_view on_field = {};   ///< boolean field choosing between `type` (true) and `type_off`
  std::string_view type_off = {};   ///< type when `on_field` is false/absent
};

/// The whole catalogue: the 72 events of external_api.js plus `largeVideoChanged`.
std::span<const JitsiEventSpec> jitsi_event_catalogue();

/// Looks up an event by its Jitsi name (case-sensitive, as the IFrame API emits it)
/// or by a Convene dotted type (either `type` or `type_off`). nullptr when unknown.
const JitsiEventSpec* find_jitsi_event(std::string_view name);

/// The record type of an event of row `spec` received under `name`. Rows with an
/// `on_field` give `type` when `on` (the payload's boolean) is true, else `type_off`;
/// a Convene type given as `name` wins over the boolean. Other rows: `type`.
std::string_view record_type(const JitsiEventSpec& spec, std::string_view name, bool on);

}  // namespace convene::events
