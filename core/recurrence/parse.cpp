#include "core/recurrence/parse.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "core/error.h"

namespace convene::recurrence {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::array<std::string_view, 7> kFreqs = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY",
                                                    "HOURLY", "MINUTELY", "SECONDLY"};

[[noreturn]] void fail(std::string_view field, const std::string& message) {
  throw Error(code::kInvalidRrule, std::string(field), std::string(field) + ": " + message);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 40));
  if (s.size() > 40) out += "...";
  return out + "'";
}

/// Integer with optional sign; the whole text must be consumed.
bool parse_int(std::string_view s, long long& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

int int_in(std::string_view text, long long lo, long long hi, bool allow_zero, std::string_view field) {
  long long v = 0;
  if (!parse_int(text, v)) fail(field, quote(text) + " is not an integer");
  if (v < lo || v > hi || (!allow_zero && v == 0))
    fail(field, quote(text) + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) +
                    (allow_zero ? "" : ", not 0") + ")");
  return static_cast<int>(v);
}

std::vector<int> int_list(std::string_view text, long long lo, long long hi, bool allow_zero, std::string_view field) {
  std::vector<int> out;
  for (auto item : split(text, ',')) out.push_back(int_in(trim(item), lo, hi, allow_zero, field));
  return out;
}

int weekday_index(std::string_view s, std::string_view field) {
  std::string u = upper(s);
  for (int i = 0; i < 7; ++i)
    if (u == kWeekdays[i]) return i;
  fail(field, quote(s) + " is not a weekday (SU, MO, TU, WE, TH, FR, SA)");
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view weekday_name(int weekday) { return kWeekdays.at(static_cast<std::size_t>(weekday)); }

DateTimeValue parse_date_time(std::string_view text, std::string_view tzid, bool value_date, std::string_view field) {
  text = trim(text);
  auto bad = [&](const std::string& why) -> DateTimeValue {
    fail(field, quote(text) + " is not an iCalendar DATE or DATE-TIME (" + why + ")");
  };
  if (text.size() < 8 || !digits(text.substr(0, 8))) return bad("expected YYYYMMDD");
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    std::from_chars(text.data() + pos, text.data() + pos + len, v);
    return v;
  };
  Civil c{num(0, 4), num(4, 2), num(6, 2), 0, 0, 0};
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > days_in_month(c.year, c.month))
    return bad("no such calendar date");
  DateTimeValue v;
  if (text.size() == 8) {
    v.kind = ValueKind::Date;
  } else {
    if (value_date) return bad("VALUE=DATE takes YYYYMMDD");
    bool utc = text.size() == 16 && (text[15] == 'Z' || text[15] == 'z');
    if (!(text.size() == 15 || utc) || (text[8] != 'T' && text[8] != 't') || !digits(text.substr(9, 6)))
      return bad("expected YYYYMMDDTHHMMSS[Z]");
    c.hour = num(9, 2), c.minute = num(11, 2), c.second = num(13, 2);
    if (c.hour > 23 || c.minute > 59 || c.second > 59) return bad("time out of range");
    // A UTC value ignores any TZID (RFC 5545 §3.3.5: the Z form is absolute).
    v.kind = utc ? ValueKind::Utc : (tzid.empty() ? ValueKind::Floating : ValueKind::Zoned);
    if (v.kind == ValueKind::Zoned) v.tzid = std::string(tzid);
  }
  v.local = from_civil(c);
  return v;
}

RRule parse_rrule(std::string_view value) {
  RRule r;
  bool has_freq = false;
  std::vector<std::string> seen;
  for (auto raw : split(value, ';')) {
    std::string_view part = trim(raw);
    if (part.empty()) continue;  // trailing or doubled ';' in real feeds
    auto eq = part.find('=');
    if (eq == std::string_view::npos) fail("RRULE", quote(part) + " is not NAME=VALUE");
    std::string name = upper(trim(part.substr(0, eq)));
    std::string_view val = trim(part.substr(eq + 1));
    if (name.rfind("X-", 0) == 0) continue;  // RFC 5545 x-name rule parts: ignored
    std::string field = "RRULE." + name;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) fail(field, "given more than once");
    seen.push_back(name);
    if (val.empty()) fail(field, "has no value");
    const std::string uval = upper(val);
    if (name == "FREQ") {
      auto it = std::find(kFreqs.begin(), kFreqs.end(), uval);
      if (it == kFreqs.end()) fail(field, quote(val) + " is not one of SECONDLY..YEARLY");
      r.freq = static_cast<Freq>(it - kFreqs.begin());
      has_freq = true;
    } else if (name == "INTERVAL") {
      r.interval = int_in(val, 1, 1000000, false, field);
    } else if (name == "COUNT") {
      long long n = 0;
      if (!parse_int(val, n) || n < 1) fail(field, quote(val) + " is not a positive integer");
      r.count = n;
    } else if (name == "UNTIL") {
      r.until = parse_date_time(val, "", false, field);
    } else if (name == "BYSECOND") {
      r.bysecond = int_list(val, 0, 59, true, field);
    } else if (name == "BYMINUTE") {
      r.byminute = int_list(val, 0, 59, true, field);
    } else if (name == "BYHOUR") {
      r.byhour = int_list(val, 0, 23, true, field);
    } else if (name == "BYDAY") {
      for (auto item : split(val, ',')) {
        item = trim(item);
        if (item.size() < 2) fail(field, quote(item) + " is not [+/-n]WEEKDAY");
        WeekdayNum w;
        w.weekday = weekday_index(item.substr(item.size() - 2), field);
        std::string_view ord = item.substr(0, item.size() - 2);
        if (!ord.empty()) w.ordinal = int_in(ord, -53, 53, false, field);
        r.byday.push_back(w);
      }
    } else if (name == "BYMONTHDAY") {
      r.bymonthday = int_list(val, -31, 31, false, field);
    } else if (name == "BYYEARDAY") {
      r.byyearday = int_list(val, -366, 366, false, field);
    } else if (name == "BYWEEKNO") {
      r.byweekno = int_list(val, -53, 53, false, field);
    } else if (name == "BYMONTH") {
      r.bymonth = int_list(val, 1, 12, false, field);
    } else if (name == "BYSETPOS") {
      r.bysetpos = int_list(val, -366, 366, false, field);
    } else if (name == "WKST") {
      r.wkst = weekday_index(val, field);
    } else if (name == "RSCALE") {
      if (uval != "GREGORIAN")
        fail(field, quote(val) + " is not supported (only GREGORIAN, RFC 7529)");
      r.rscale = uval;
    } else if (name == "SKIP") {
      if (uval == "OMIT") r.skip = Skip::Omit;
      else if (uval == "BACKWARD") r.skip = Skip::Backward;
      else if (uval == "FORWARD") r.skip = Skip::Forward;
      else fail(field, quote(val) + " is not OMIT, BACKWARD or FORWARD (RFC 7529)");
    } else {
      fail(field, "is not an RFC 5545 / RFC 7529 rule part");
    }
  }
  if (!has_freq) fail("RRULE.FREQ", "is required");
  if (r.count && r.until) fail("RRULE.COUNT", "COUNT and UNTIL must not both be given (RFC 5545 §3.3.10)");
  // RFC 5545 §3.3.10 restrictions on which parts go with which FREQ.
  if (!r.byweekno.empty() && r.freq != Freq::Yearly) fail("RRULE.BYWEEKNO", "is only valid with FREQ=YEARLY");
  if (!r.byyearday.empty() && (r.freq == Freq::Monthly || r.freq == Freq::Weekly || r.freq == Freq::Daily))
    fail("RRULE.BYYEARDAY", "is not valid with FREQ=DAILY, WEEKLY or MONTHLY");
  if (!r.bymonthday.empty() && r.freq == Freq::Weekly) fail("RRULE.BYMONTHDAY", "is not valid with FREQ=WEEKLY");
  for (const auto& w : r.byday)
    if (w.ordinal != 0 && r.freq != Freq::Monthly && r.freq != Freq::Yearly)
      fail("RRULE.BYDAY", "ordinals (like 2MO) need FREQ=MONTHLY or YEARLY");
  for (const auto& w : r.byday)
    if (w.ordinal != 0 && !r.byweekno.empty())
      fail("RRULE.BYDAY", "ordinals (like 2MO) must not be combined with BYWEEKNO (RFC 5545 §3.3.10)");
  if (!r.bysetpos.empty() && r.byday.empty() && r.bymonthday.empty() && r.byyearday.empty() &&
      r.byweekno.empty() && r.bymonth.empty() && r.byhour.empty() && r.byminute.empty() && r.bysecond.empty())
    fail("RRULE.BYSETPOS", "needs another BYxxx rule part (RFC 5545 §3.3.10)");
  return r;
}

namespace {

struct Line {
  std::string name;
  std::string tzid;
  std::string value_type;
  std::string_view value;
};

/// Splits `NAME;P=V;P="V":value`, honouring quoted parameter values.
Line parse_line(std::string_view line, std::string& storage) {
  storage.assign(line);
  std::string_view s(storage);
  Line out;
  std::size_t i = 0;
  while (i < s.size() && s[i] != ';' && s[i] != ':') ++i;
  out.name = upper(trim(s.substr(0, i)));
  while (i < s.size() && s[i] == ';') {
    std::size_t start = ++i;
    bool quoted = false;
    while (i < s.size() && (quoted || (s[i] != ';' && s[i] != ':'))) {
      if (s[i] == '"') quoted = !quoted;
      ++i;
    }
    std::string_view param = s.substr(start, i - start);
    auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string pname = upper(trim(param.substr(0, eq)));
    std::string_view pval = trim(param.substr(eq + 1));
    if (pval.size() >= 2 && pval.front() == '"' && pval.back() == '"') pval = pval.substr(1, pval.size() - 2);
    if (pval.find('"') != std::string_view::npos)  // RFC 5545 §3.1: param values hold no DQUOTE
      fail(out.name.empty() ? "RRULE" : out.name, "parameter " + pname + " contains a double quote");
    if (pname == "TZID") out.tzid = std::string(pval);
    if (pname == "VALUE") out.value_type = upper(pval);
  }
  if (i >= s.size() || s[i] != ':') {
    out.name.clear();  // not a property line
    return out;
  }
  out.value = s.substr(i + 1);
  return out;
}

std::vector<DateTimeValue> parse_value_list(const Line& l, std::string_view field) {
  if (l.value_type == "PERIOD") fail(field, "VALUE=PERIOD is not supported");
  if (!l.value_type.empty() && l.value_type != "DATE" && l.value_type != "DATE-TIME")
    fail(field, "VALUE=" + l.value_type + " is not DATE or DATE-TIME");
  std::vector<DateTimeValue> out;
  for (auto item : split(l.value, ','))
    if (!trim(item).empty()) out.push_back(parse_date_time(item, l.tzid, l.value_type == "DATE", field));
  return out;
}

}  // namespace

RecurrenceSet parse_recurrence_set(std::string_view ical) {
  // Unfold (RFC 5545 §3.1): a line starting with a space or tab continues the previous one.
  std::vector<std::string> lines;
  for (auto raw : split(ical, '\n')) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t') && !lines.empty())
      lines.back().append(raw.substr(1));
    else
      lines.emplace_back(raw);
  }
  RecurrenceSet set;
  bool has_dtstart = false;
  std::string storage;
  for (const auto& text : lines) {
    if (trim(text).empty()) continue;
    Line l = parse_line(text, storage);
    if (l.name == "DTSTART") {
      if (has_dtstart) fail("DTSTART", "given more than once");
      if (l.value_type == "PERIOD") fail("DTSTART", "VALUE=PERIOD is not allowed");
      set.dtstart = parse_date_time(l.value, l.tzid, l.value_type == "DATE", "DTSTART");
      has_dtstart = true;
    } else if (l.name == "RRULE") {
      if (set.rrule) fail("RRULE", "more than one RRULE is not supported (RFC 5545 says SHOULD NOT)");
      set.rrule = parse_rrule(l.value);
    } else if (l.name == "RDATE") {
      for (auto& v : parse_value_list(l, "RDATE")) set.rdates.push_back(std::move(v));
    } else if (l.name == "EXDATE") {
      for (auto& v : parse_value_list(l, "EXDATE")) set.exdates.push_back(std::move(v));
    } else if (l.name == "EXRULE") {
      fail("EXRULE", "is deprecated (RFC 5545 removed it) and not supported");
    }
    // Any other property (BEGIN, SUMMARY, ...) is not about recurrence: ignored.
  }
  if (!has_dtstart) fail("DTSTART", "is required");
  if (set.rrule && set.rrule->until) {
    // RFC 5545: UNTIL has DTSTART's value type; a UTC UNTIL goes with UTC/zoned DTSTART.
    // Tolerated (real feeds): DATE UNTIL with DATE-TIME DTSTART, UTC UNTIL with floating.
    const auto& u = *set.rrule->until;
    if (set.dtstart.kind == ValueKind::Date && u.kind != ValueKind::Date && u.kind != ValueKind::Utc &&
        u.kind != ValueKind::Floating)
      fail("RRULE.UNTIL", "must be a DATE when DTSTART is a DATE");
  }
  return set;
}

std::string format_property(std::string_view name, const DateTimeValue& v) {
  std::string out(name);
  if (v.kind == ValueKind::Zoned) {
    // RFC 5545 §3.1: a parameter value with ';', ':' or ',' is written in double quotes.
    const bool quote = v.tzid.find_first_of(";:,") != std::string::npos;
    out += ";TZID=" + (quote ? "\"" + v.tzid + "\"" : v.tzid);
  }
  if (v.kind == ValueKind::Date) out += ";VALUE=DATE";
  out += ':';
  out += format_basic(v.local, v.kind == ValueKind::Date);
  if (v.kind == ValueKind::Utc) out += 'Z';
  return out;
}

std::string format_rrule(const RRule& r) {
  std::string out;
  auto add = [&](std::string_view name, const std::string& value) {
    if (!out.empty()) out += ';';
    out.append(name).append("=").append(value);
  };
  auto list = [&](std::string_view name, const std::vector<int>& v) {
    if (v.empty()) return;
    std::string s;
    for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    add(name, s);
  };
  if (r.rscale) add("RSCALE", *r.rscale);
  add("FREQ", std::string(kFreqs[static_cast<std::size_t>(r.freq)]));
  if (r.until) {
    std::string u = format_basic(r.until->local, r.until->kind == ValueKind::Date);
    add("UNTIL", r.until->kind == ValueKind::Utc ? u + "Z" : u);
  }
  if (r.count) add("COUNT", std::to_string(*r.count));
  if (r.interval != 1) add("INTERVAL", std::to_string(r.interval));
  list("BYSECOND", r.bysecond);
  list("BYMINUTE", r.byminute);
  list("BYHOUR", r.byhour);
  if (!r.byday.empty()) {
    std::string s;
    for (const auto& w : r.byday) {
      if (!s.empty()) s += ',';
      if (w.ordinal) s += std::to_string(w.ordinal);
      s += weekday_name(w.weekday);
    }
    add("BYDAY", s);
  }
  list("BYMONTHDAY", r.bymonthday);
  list("BYYEARDAY", r.byyearday);
  list("BYWEEKNO", r.byweekno);
  list("BYMONTH", r.bymonth);
  list("BYSETPOS", r.bysetpos);
  if (r.wkst) add("WKST", std::string(weekday_name(*r.wkst)));
  if (r.skip) add("SKIP", *r.skip == Skip::Omit ? "OMIT" : *r.skip == Skip::Backward ? "BACKWARD" : "FORWARD");
  return out;
}

std::string format_recurrence_set(const RecurrenceSet& set) {
  std::string out = format_property("DTSTART", set.dtstart);
  if (set.rrule) out += "\nRRULE:" + format_rrule(*set.rrule);
  for (const auto& v : set.rdates) out += "\n" + format_property("RDATE", v);
  for (const auto& v : set.exdates) out += "\n" + format_property("EXDATE", v);
  return out;
}

}  // namespace convene::recurrence
