#include "time.h"

#include <cmath>
#include <cstdio>

#include <date/date.h>

#include "error.h"

namespace convene {
namespace {

[[noreturn]] void bad_date(std::string_view field, std::string_view text, const char* why) {
  throw Error(code::kInvalidDate, std::string(field),
              std::string(field) + " must be an ISO 8601 date-time with a UTC offset (e.g. 2026-01-20T18:00:00Z); got \"" +
                  std::string(text.substr(0, 64)) + "\" (" + why + ")");
}

struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool digits(int n, int& out) {
    if (i + n > s.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += n;
    out = v;
    return true;
  }
  bool eat(char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  }
  bool done() const { return i == s.size(); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
};

}  // namespace

UtcTime parse_iso8601(std::string_view text, std::string_view field) {
  using namespace std::chrono;
  Cursor c{text};
  int y, mo, d;
  bool neg_year = c.eat('-');
  if (!c.digits(4, y) || !c.eat('-') || !c.digits(2, mo) || !c.eat('-') || !c.digits(2, d))
    bad_date(field, text, "expected YYYY-MM-DD");
  if (neg_year) y = -y;
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) bad_date(field, text, "no such calendar date");
  if (c.done()) return UtcTime{date::sys_days{ymd}};

  if (!(c.eat('T') || c.eat('t') || c.eat(' '))) bad_date(field, text, "expected 'T' after the date");
  int hh, mm, ss = 0, ms = 0;
  if (!c.digits(2, hh) || !c.eat(':') || !c.digits(2, mm)) bad_date(field, text, "expected HH:MM");
  if (c.eat(':')) {
    if (!c.digits(2, ss)) bad_date(field, text, "expected seconds");
    if (c.eat('.') || c.eat(',')) {
      int n = 0, digit;
      while (c.digits(1, digit)) {
        if (n < 3) ms = ms * 10 + digit;
        ++n;
      }
      if (n == 0) bad_date(field, text, "empty fraction");
      for (int k = n; k < 3; ++k) ms *= 10;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) bad_date(field, text, "time out of range");
  int offset_min = 0;
  if (c.eat('Z') || c.eat('z')) {
  } else if (c.peek() == '+' || c.peek() == '-') {
    int sign = c.peek() == '-' ? -1 : 1;
    ++c.i;
    int oh, om;
    if (!c.digits(2, oh)) bad_date(field, text, "bad UTC offset");
    c.eat(':');
    if (!c.digits(2, om)) bad_date(field, text, "bad UTC offset");
    if (oh > 23 || om > 59) bad_date(field, text, "UTC offset out of range");
    offset_min = sign * (oh * 60 + om);
  } else {
    bad_date(field, text, "missing UTC offset ('Z' or ±HH:MM)");
  }
  if (!c.done()) bad_date(field, text, "trailing characters");
  auto local = date::sys_days{ymd} + hours{hh} + minutes{mm} + seconds{ss} + milliseconds{ms};
  return time_point_cast<Millis>(local - minutes{offset_min});
}

void append_iso8601(std::string& out, UtcTime t) {
  using namespace std::chrono;
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd{day};
  date::hh_mm_ss<Millis> tod{t - day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {  // outside the 4-digit form: the general (slower) path
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                  static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                  static_cast<int>(tod.subseconds().count()));
    out += buf;
    return;
  }
  // Digits written directly: this runs once per meeting event (events/record.h).
  char buf[25] = "0000-00-00T00:00:00.000Z";
  auto put = [&](int pos, int width, long v) {
    for (int i = pos + width - 1; i >= pos; --i, v /= 10) buf[i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, year);
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, tod.hours().count());
  put(14, 2, tod.minutes().count());
  put(17, 2, tod.seconds().count());
  put(20, 3, tod.subseconds().count());
  out.append(buf, 24);
}

std::string format_iso8601(UtcTime t) {
  std::string out;
  append_iso8601(out, t);
  return out;
}

UtcTime from_epoch_ms(double ms, std::string_view field) {
  if (!std::isfinite(ms) || std::fabs(ms) > 8.64e15)
    throw Error(code::kInvalidDate, std::string(field),
                std::string(field) + " must be a finite number of epoch milliseconds within the JS Date range");
  return UtcTime{Millis{static_cast<std::int64_t>(std::floor(ms))}};
}

}  // namespace convene
