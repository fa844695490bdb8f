#include "core/events/stored.h"

#include <algorithm>
#include <map>
#include <vector>

#include "core/entities/verified.h"
#include "core/error.h"

namespace convene::events {

using entities::EntityRecord;

namespace {

struct Stored {
  std::string timestamp, event_id;
  Json record;
};

/// The record of a meeting_event entity, checked against the attributes a query matched.
Json record_of(const EntityRecord& r, const std::string& f) {
  const Json& rec = r.payload;
  Input in(rec, f + ".payload");
  in.str("eventId");
  in.str("type");
  in.str("timestamp");
  in.str("meetingId");
  static const std::pair<const char*, const char*> kSame[] = {
      {"meetingId", "meetingId"}, {"eventType", "type"}, {"eventId", "eventId"}, {"participantId", "participantId"}};
  for (auto [attr, field] : kSame) {
    auto a = r.attributes.find(attr);
    if (a == r.attributes.end()) continue;
    auto v = rec.find(field);
    if (v == rec.end() || *v != *a)
      throw Error(code::kConflictingFields, f + "." + attr, f + "." + attr + " differs between the attributes and the record");
  }
  return rec;
}

}  // namespace

Json meeting_events_from_entities(const Json* list, const std::set<entities::Wallet>& signers) {
  entities::Ignored ignored;
  // Keyed by (signer, eventId): a retried batch repeats one signer's records; another signer reusing an
  // eventId is that signer's own claim and must not hide the first signer's record.
  std::map<std::pair<std::string, std::string>, std::pair<entities::ChainPosition, Stored>> by_id;
  entities::for_each_entity(list, "entities", ignored, [&](const EntityRecord& r, const std::string& f) {
    if (auto t = r.attributes.find("type"); t != r.attributes.end() && *t != "meeting_event") return;
    Json rec = record_of(r, f);
    auto signer = r.provenance.signer();
    if (!signer || !signers.count(*signer))
      throw Error(code::kUnverifiedEntity, f, f + " was not signed by a wallet allowed for this meeting");
    entities::ChainPosition pos = r.provenance.position.value_or(entities::ChainPosition{});
    rec["signer"] = signer->str();
    std::string id = rec["eventId"].get<std::string>();
    auto key = std::make_pair(signer->str(), id);
    auto it = by_id.find(key);
    if (it != by_id.end() && !(pos < it->second.first)) return;  // a later copy of a retried batch
    by_id.insert_or_assign(key, std::make_pair(pos, Stored{rec["timestamp"].get<std::string>(), id, std::move(rec)}));
  });
  std::vector<Stored*> out;
  for (auto& [id, v] : by_id) out.push_back(&v.second);
  std::sort(out.begin(), out.end(), [](const Stored* a, const Stored* b) {
    if (a->timestamp != b->timestamp) return a->timestamp < b->timestamp;
    if (a->event_id != b->event_id) return a->event_id < b->event_id;
    return a->record["signer"].get_ref<const std::string&>() < b->record["signer"].get_ref<const std::string&>();
  });
  Json events = Json::array();
  for (Stored* s : out) events.push_back(std::move(s->record));
  return Json{{"events", std::move(events)}, {"ignored", ignored.to_json()}};
}

}  // namespace convene::events
