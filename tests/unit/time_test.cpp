#include <doctest/doctest.h>

#include "core/error.h"
#include "core/time.h"

using namespace convene;

TEST_CASE("parse_iso8601 accepts Z, offsets and fractions, and round-trips via format") {
  CHECK(format_iso8601(parse_iso8601("2026-01-20T18:00:00Z", "f")) == "2026-01-20T18:00:00.000Z");
  CHECK(format_iso8601(parse_iso8601("2026-01-20T18:00:00.1234Z", "f")) == "2026-01-20T18:00:00.123Z");
  CHECK(format_iso8601(parse_iso8601("2026-01-20T20:30:00+02:30", "f")) == "2026-01-20T18:00:00.000Z");
  CHECK(format_iso8601(parse_iso8601("2026-01-20T12:00-0600", "f")) == "2026-01-20T18:00:00.000Z");
  CHECK(format_iso8601(parse_iso8601("2026-01-20", "f")) == "2026-01-20T00:00:00.000Z");
  CHECK(to_epoch_ms(parse_iso8601("1970-01-01T00:00:01Z", "f")) == 1000);
}

TEST_CASE("parse_iso8601 rejects ambiguous or impossible input, naming the field") {
  for (const char* bad : {"", "2026-02-30T00:00:00Z", "2026-01-20T18:00:00", "2026-01-20T24:00:00Z",
                          "20260120T180000Z", "tomorrow", "2026-01-20T18:00:00Zjunk"}) {
    CAPTURE(bad);
    try {
      parse_iso8601(bad, "input.sessionDate");
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == "INVALID_DATE");
      CHECK(e.field() == "input.sessionDate");
      CHECK(std::string(e.what()).find("input.sessionDate") != std::string::npos);
    }
  }
}

TEST_CASE("from_epoch_ms rejects non-finite values") {
  CHECK_THROWS_AS(from_epoch_ms(std::numeric_limits<double>::quiet_NaN(), "now"), Error);
  CHECK_THROWS_AS(from_epoch_ms(1e300, "now"), Error);
  CHECK(to_epoch_ms(from_epoch_ms(1700000000123.0, "now")) == 1700000000123);
}
