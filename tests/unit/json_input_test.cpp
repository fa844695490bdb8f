// parse_json's reading of text that JavaScript serialized (core/json_input.h, docs/domain.md#text-from-javascript).
#include <doctest/doctest.h>

#include "core/error.h"
#include "core/json_input.h"

using namespace convene;

TEST_CASE("parse_json reads an escaped lone surrogate as U+FFFD, as TextEncoder does; pairs are kept") {
  // What JSON.stringify writes for "a\uD83D" (half an emoji), "\uDE00b" and a whole emoji.
  CHECK(parse_json(R"({"m":"a\ud83d"})", "payload")["m"] == "a\xEF\xBF\xBD");
  CHECK(parse_json(R"({"m":"\ude00b"})", "payload")["m"] == "\xEF\xBF\xBD" "b");
  CHECK(parse_json(R"({"m":"\ud83d\ude00"})", "payload")["m"] == "\xF0\x9F\x98\x80");
  CHECK(parse_json(R"({"m":"\ud83d\ud83d\ude00\ude00"})", "payload")["m"] ==
        "\xEF\xBF\xBD\xF0\x9F\x98\x80\xEF\xBF\xBD");
  // An escaped backslash followed by "ud800" is text, not an escape.
  CHECK(parse_json(R"({"m":"C:\\ud800"})", "payload")["m"] == "C:\\ud800");
}

TEST_CASE("replace_lone_surrogate_escapes: only lone surrogates change; nothing to replace is nullopt") {
  CHECK_FALSE(replace_lone_surrogate_escapes(R"({"m":"plain \u00e9 \ud83d\ude00 \\ud800"})").has_value());
  CHECK(replace_lone_surrogate_escapes(R"(["\uD800","\uDFFF","x"])").value() == R"(["\ufffd","\ufffd","x"])");
  CHECK(replace_lone_surrogate_escapes(R"("\ud800)").value() == R"("\ufffd)");
  CHECK_FALSE(replace_lone_surrogate_escapes(R"("\ud8)").has_value());  // cut short: not an escape, left to the parser
}

TEST_CASE("parse_json still refuses malformed text, naming the field") {
  for (const char* bad : {R"({"m":"\ud800)", R"({"m":"\ud800"x})", R"({"m": \ud800})", "{"}) {
    try {
      (void)parse_json(bad, "payload");
      FAIL("accepted " << bad);
    } catch (const Error& e) {
      CHECK(e.code() == code::kInvalidInput);
      CHECK(e.field() == "payload");
    }
  }
}
