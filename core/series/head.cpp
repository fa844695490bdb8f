#include "core/series/head.h"

#include <map>
#include <utility>

#include "core/entities/reader.h"

namespace convene::series {

entities::Verified<SeriesHead> verify_series_head(const entities::EntityRecord& record, std::string_view field) {
  const Json merged = record.merged(field);
  Input in(merged, std::string(field));
  (void)in.str("recurrence");
  SeriesHead h{in.opt_str("key").value_or(""), entities::Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet")),
               in.opt_str("splitFrom").value_or("")};
  const entities::Wallet organizer = h.organizer;
  return entities::SignerCheck::require(std::move(h), record.provenance, {&organizer}, field);
}

entities::SplitLinks split_links(const Json* series, std::string_view field) {
  entities::Ignored ignored;
  std::map<std::string, std::pair<entities::Wallet, std::string>, std::less<>> read;
  entities::for_each_entity(series, field, ignored, [&](const entities::EntityRecord& r, const std::string& f) {
    auto v = verify_series_head(r, f);
    read.insert_or_assign(v->key, std::make_pair(v->organizer, v->split_from));
  });
  entities::SplitLinks links;
  for (const auto& [key, info] : read) {
    if (info.second.empty() || info.second == key) continue;
    auto old = read.find(info.second);
    if (old != read.end() && old->second.first == info.first) links.emplace(key, info.second);
  }
  return links;
}

}  // namespace convene::series
