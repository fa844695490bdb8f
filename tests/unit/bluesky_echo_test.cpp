// Imported events that are Convene's own coming back (core/bluesky/echo.h, docs/bluesky.md#import).
#include <doctest/doctest.h>

#include "core/bluesky/echo.h"

using namespace convene;
using namespace convene::bluesky;

TEST_CASE("echo, edited, linked, foreign") {
  const std::vector<Publication> published{{"at://did:plc:a/community.lexicon.calendar.event/3l2", "bafyA"}};
  CalendarEvent e;
  e.name = "Rust meetup";
  CHECK(provenance("at://did:plc:a/community.lexicon.calendar.event/3l2", "bafyA", e, published, "https://convene.example/") == Provenance::Echo);
  CHECK(provenance("at://did:plc:a/community.lexicon.calendar.event/3l2", "bafyB", e, published, "https://convene.example/") == Provenance::Edited);
  CHECK(provenance("at://did:plc:a/community.lexicon.calendar.event/3l9", "bafyC", e, published, "https://convene.example/") == Provenance::Foreign);
  e.uris.push_back({"https://convene.example/#/series/0xabc", "The whole series"});
  CHECK(provenance("at://did:plc:a/community.lexicon.calendar.event/3l9", "bafyC", e, published, "https://convene.example/") == Provenance::Linked);
  // Another app's page, or no app URL given: not a link.
  CHECK(provenance("at://x/y/z", "c", e, published, "https://convene.example.org/") == Provenance::Foreign);
  CHECK(provenance("at://x/y/z", "c", e, published, "") == Provenance::Foreign);
  CHECK(provenance_name(Provenance::Edited) == "edited");
}
