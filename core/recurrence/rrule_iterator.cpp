#include "core/recurrence/rrule_iterator.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/error.h"

namespace convene::recurrence {
namespace {

constexpr int kMaxYear = 9999;

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }
int pmod(int a, int b) { return ((a % b) + b) % b; }
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::vector<int> sorted_unique(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

/// dateutil's __construct_byset: keep the values an INTERVAL stepping from `start` can reach.
std::vector<int> reachable(const std::vector<int>& values, int start, int interval, int base) {
  const int g = std::gcd(interval, base);
  std::vector<int> out;
  for (int v : values)
    if (g == 1 || pmod(v - start, g) == 0) out.push_back(v);
  return out;
}

/// Month, day of month and negative day of month of every day index of a common and a
/// leap year, followed by the first 7 days of the next year (dateutil's M365MASK & co.).
struct MaskTables {
  std::array<std::array<std::uint8_t, 373>, 2> month{}, mday{};
  std::array<std::array<std::int8_t, 373>, 2> nmday{};
  std::array<std::uint8_t, 373 + 7> wday{};  // 0..6 repeated; a year starting on w copies from w
};

const MaskTables& mask_tables() {
  static const MaskTables t = [] {
    MaskTables m;
    for (int leap = 0; leap < 2; ++leap) {
      const int year = leap ? 2000 : 2001, yearlen = leap ? 366 : 365;
      int mo = 1, first = 0;
      for (int i = 0; i < 373; ++i) {
        if (i < yearlen) {
          if (i - first >= days_in_month(year, mo)) first += days_in_month(year, mo), ++mo;
          const int md = i - first + 1;
          m.month[leap][i] = static_cast<std::uint8_t>(mo);
          m.mday[leap][i] = static_cast<std::uint8_t>(md);
          m.nmday[leap][i] = static_cast<std::int8_t>(md - days_in_month(year, mo) - 1);
        } else {  // the first days of next year, for weeks that straddle New Year
          const int md = i - yearlen + 1;
          m.month[leap][i] = 1;
          m.mday[leap][i] = static_cast<std::uint8_t>(md);
          m.nmday[leap][i] = static_cast<std::int8_t>(md - 32);
        }
      }
    }
    for (std::size_t i = 0; i < m.wday.size(); ++i) m.wday[i] = static_cast<std::uint8_t>(i % 7);
    return m;
  }();
  return t;
}

}  // namespace

void WorkBudget::spend(std::int64_t units) {
  remaining -= units;
  if (remaining < 0)
    throw Error(code::kRecurrenceTooSparse, "RRULE",
                "RRULE: the rule is too sparse to expand within the work budget (it produces almost "
                "nothing); narrow the window or simplify the rule");
}

RRuleIterator::RRuleIterator(const RRule& r, LocalTime dtstart, bool date_only, std::optional<LocalTime> until,
                             std::optional<std::int64_t> count, WorkBudget& budget)
    : freq_(r.freq),
      interval_(r.interval),
      wkst_(r.wkst.value_or(0)),
      skip_(r.skip.value_or(Skip::Omit)),
      dtstart_(dtstart),
      until_(until),
      count_(count ? count : r.count),
      budget_(budget) {
  if (date_only && freq_ > Freq::Daily)
    throw Error(code::kInvalidRrule, "RRULE.FREQ", "RRULE.FREQ: HOURLY, MINUTELY and SECONDLY need a DATE-TIME DTSTART");
  const Civil c = to_civil(dtstart);
  year_ = c.year, month_ = c.month, hour_ = c.hour, minute_ = c.minute, second_ = c.second;
  day_ = days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));

  for (int m : r.bymonth) bymonth_.set(static_cast<std::size_t>(m)), has_bymonth_ = true;
  byweekno_ = r.byweekno;
  for (int d : r.byyearday) byyearday_.set(static_cast<std::size_t>(d + 366)), has_byyearday_ = true;
  for (int d : r.bymonthday) {
    (d > 0 ? bymonthday_ : bynmonthday_).set(static_cast<std::size_t>(d > 0 ? d : -d));
    has_bymonthday_ = true;
  }
  for (const auto& w : r.byday) {
    // Ordinals only mean something within a month or year (RFC 5545 §3.3.10).
    if (w.ordinal == 0 || freq_ > Freq::Monthly)
      byweekday_ |= static_cast<std::uint8_t>(1u << w.weekday);
    else
      bynweekday_.emplace_back(w.weekday, w.ordinal);
  }
  // Parts a rule leaves out are taken from DTSTART (RFC 5545 §3.3.10, "information, not
  // contained in the rule, necessary to determine the various recurrence instance start
  // time and dates are derived from the Start Time").
  if (!byweekno_.empty() && !has_byyearday_ && !has_bymonthday_ && r.byday.empty())
    byweekday_ = static_cast<std::uint8_t>(1u << weekday_of(day_));  // libical: one day per listed week
  if (freq_ == Freq::Yearly && has_bymonthday_ && !has_bymonth_ && byweekno_.empty() && !has_byyearday_ &&
      r.byday.empty())
    bymonth_.set(static_cast<std::size_t>(c.month)), has_bymonth_ = true;  // libical: DTSTART's month
  if (byweekno_.empty() && !has_byyearday_ && !has_bymonthday_ && r.byday.empty()) {
    if (freq_ == Freq::Yearly) {
      if (!has_bymonth_) bymonth_.set(static_cast<std::size_t>(c.month)), has_bymonth_ = true;
      bymonthday_.set(static_cast<std::size_t>(c.day)), has_bymonthday_ = true;
    } else if (freq_ == Freq::Monthly) {
      bymonthday_.set(static_cast<std::size_t>(c.day)), has_bymonthday_ = true;
    } else if (freq_ == Freq::Weekly) {
      byweekday_ = static_cast<std::uint8_t>(1u << weekday_of(day_));
    }
  }
  byhour_ = sorted_unique(r.byhour);
  byminute_ = sorted_unique(r.byminute);
  bysecond_ = sorted_unique(r.bysecond);
  if (date_only) byhour_ = {0}, byminute_ = {0}, bysecond_ = {0};
  if (byhour_.empty() && freq_ < Freq::Hourly) byhour_ = {c.hour};
  if (byminute_.empty() && freq_ < Freq::Minutely) byminute_ = {c.minute};
  if (bysecond_.empty() && freq_ < Freq::Secondly) bysecond_ = {c.second};
  // A sub-daily INTERVAL only ever lands on some hours/minutes/seconds: keep those.
  auto restrict = [&](std::vector<int>& set, int start, int base) {
    if (set.empty()) return;
    set = reachable(set, start, interval_, base);
    if (set.empty()) done_ = true;  // the rule can produce nothing
  };
  if (freq_ == Freq::Hourly) restrict(byhour_, c.hour, 24);
  if (freq_ == Freq::Minutely) restrict(byminute_, c.minute, 60);
  if (freq_ == Freq::Secondly) restrict(bysecond_, c.second, 60);
  bysetpos_ = r.bysetpos;
  if (freq_ < Freq::Hourly) {
    for (int h : byhour_)
      for (int mi : byminute_)
        for (int s : bysecond_) timeset_.push_back(h * 3600 + mi * 60 + s);
  } else {
    timeset_for_state();
  }
  if (freq_ == Freq::Weekly) {
    set_day(day_ - pmod(weekday_of(day_) - wkst_, 7));  // the whole first week (BYSETPOS counts it all)
  } else if (!byweekno_.empty()) {
    // libical: periods are week-numbering years, starting from DTSTART's when DTSTART is
    // itself an instance (its week listed, its day kept), else from DTSTART's calendar year.
    wyear_ = c.year;
    if (day_ < week1_start(wyear_)) --wyear_;
    else if (day_ >= week1_start(wyear_ + 1)) ++wyear_;
    rebuild(year_, month_);
    const int numweeks = static_cast<int>((week1_start(wyear_ + 1) - week1_start(wyear_)) / 7);
    const int n = static_cast<int>((day_ - week1_start(wyear_)) / 7) + 1;
    if (!(contains(byweekno_, n) || contains(byweekno_, n - numweeks - 1)) ||
        !keep_day(static_cast<int>(day_ - m_.ordinal)))
      wyear_ = c.year;
  } else {
    rebuild(year_, month_);
  }
}

// First day of week 1 of `year`: the first week (starting on WKST) with at least
// four days in the year (RFC 5545 §3.3.10 BYWEEKNO).
std::int64_t RRuleIterator::week1_start(int year) const {
  const std::int64_t jan1 = days_from_civil(year, 1, 1);
  const int into = pmod(weekday_of(jan1) - wkst_, 7);  // days of that week before Jan 1
  return 7 - into >= 4 ? jan1 - into : jan1 - into + 7;
}

// YEARLY with BYWEEKNO: the period is week-numbering year wyear_ (libical's reading).
void RRuleIterator::fill_week_year() {
  const std::int64_t w1 = week1_start(wyear_), next = week1_start(wyear_ + 1);
  const int numweeks = static_cast<int>((next - w1) / 7);
  std::vector<int> weeks;
  for (int n : byweekno_) {
    if (n < 0) n += numweeks + 1;
    if (n >= 1 && n <= numweeks) weeks.push_back(n);
  }
  weeks = sorted_unique(weeks);
  budget_.spend(1 + 7 * static_cast<std::int64_t>(weeks.size()));
  for (int n : weeks) {
    for (std::int64_t d = w1 + (n - 1) * 7LL, e = d + 7; d < e; ++d) {
      const date::year_month_day ymd{date::sys_days{date::days{d}}};
      rebuild(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())));
      if (keep_day(static_cast<int>(d - m_.ordinal)))
        dayset_.push_back(d);
    }
  }
}

void RRuleIterator::timeset_for_state() {
  timeset_.clear();
  if ((!byhour_.empty() && !contains(byhour_, hour_)) ||
      (freq_ >= Freq::Minutely && !byminute_.empty() && !contains(byminute_, minute_)) ||
      (freq_ >= Freq::Secondly && !bysecond_.empty() && !contains(bysecond_, second_)))
    return;
  if (freq_ == Freq::Hourly) {
    for (int mi : byminute_)
      for (int s : bysecond_) timeset_.push_back(hour_ * 3600 + mi * 60 + s);
  } else if (freq_ == Freq::Minutely) {
    for (int s : bysecond_) timeset_.push_back(hour_ * 3600 + minute_ * 60 + s);
  } else {
    timeset_.push_back(hour_ * 3600 + minute_ * 60 + second_);
  }
}

void RRuleIterator::rebuild(int year, int month) {
  if (year != m_.year || m_.yearlen == 0) {
    m_.year = year;
    m_.yearlen = is_leap(year) ? 366 : 365;
    m_.nextyearlen = is_leap(year + 1) ? 366 : 365;
    m_.ordinal = days_from_civil(year, 1, 1);
    m_.weekday = weekday_of(m_.ordinal);
    m_.mrange[0] = 0;
    for (int mo = 1; mo <= 12; ++mo) m_.mrange[mo] = m_.mrange[mo - 1] + days_in_month(year, mo);
    const MaskTables& t = mask_tables();
    const int leap = m_.yearlen == 366;
    std::memcpy(m_.month.data(), t.month[leap].data(), m_.month.size());
    std::memcpy(m_.mday.data(), t.mday[leap].data(), m_.mday.size());
    std::memcpy(m_.nmday.data(), t.nmday[leap].data(), m_.nmday.size());
    std::memcpy(m_.wday.data(), t.wday.data() + m_.weekday, m_.wday.size());
    m_.nwday_year = -1;
  }
  if (!bynweekday_.empty() && (m_.nwday_month != month || m_.nwday_year != year)) build_nweekday(month);
}

// BYDAY with ordinals: the n-th weekday of the month (MONTHLY, or YEARLY with BYMONTH) or year.
void RRuleIterator::build_nweekday(int month) {
  m_.nwday.fill(0);
  m_.nwday_month = month;
  m_.nwday_year = m_.year;
  std::vector<std::pair<int, int>> ranges;
  if (freq_ == Freq::Yearly) {
    if (has_bymonth_) {
      for (int mo = 1; mo <= 12; ++mo)
        if (bymonth_[static_cast<std::size_t>(mo)]) ranges.emplace_back(m_.mrange[mo - 1], m_.mrange[mo]);
    } else {
      ranges.emplace_back(0, m_.yearlen);
    }
  } else if (freq_ == Freq::Monthly) {
    ranges.emplace_back(m_.mrange[month - 1], m_.mrange[month]);
  }
  for (auto [first, last] : ranges) {
    last -= 1;
    for (auto [wd, n] : bynweekday_) {
      int i;
      if (n < 0) {
        i = last + (n + 1) * 7;
        if (i < first) continue;
        i -= pmod(m_.wday[i] - wd, 7);
      } else {
        i = first + (n - 1) * 7;
        if (i > last) continue;
        i += pmod(7 - m_.wday[i] + wd, 7);
      }
      if (first <= i && i <= last) m_.nwday[i] = 1;
    }
  }
}

bool RRuleIterator::keep_day(int i) const {
  if (has_bymonth_ && !bymonth_[m_.month[i]]) return false;
  if (byweekday_ || !bynweekday_.empty()) {
    // RFC 5545: BYDAY=MO,1TU is the union of both lists.
    bool ok = (byweekday_ >> m_.wday[i]) & 1;
    if (!ok && !bynweekday_.empty() && i < m_.yearlen) ok = m_.nwday[i];
    if (!ok) return false;
  }
  if (has_bymonthday_ && !bymonthday_[m_.mday[i]] && !bynmonthday_[static_cast<std::size_t>(-m_.nmday[i])])
    return false;
  if (has_byyearday_) {
    const int y = m_.yearlen, ny = m_.nextyearlen;
    const bool ok = i < y ? byyearday_[i + 1 + 366] || byyearday_[i - y + 366]
                          : byyearday_[i + 1 - y + 366] || byyearday_[-ny + i - y + 366];
    if (!ok) return false;
  }
  return true;
}

// RFC 7529 §3.1.1: with SKIP=BACKWARD/FORWARD a day the rule names but the month
// (or year) lacks becomes the last day of that month / the first day after it.
void RRuleIterator::add_skipped_days(std::vector<std::int64_t>& days) const {
  auto weekday_ok = [&](int i) { return !byweekday_ || ((byweekday_ >> weekday_of(m_.ordinal + i)) & 1); };
  auto add = [&](int i) {
    if (weekday_ok(i)) days.push_back(m_.ordinal + i);
  };
  const bool fwd = skip_ == Skip::Forward;
  if (has_bymonthday_) {
    for (int mo = 1; mo <= 12; ++mo) {
      const bool in_scope = freq_ == Freq::Monthly ? mo == month_ && (!has_bymonth_ || bymonth_[mo])
                                                   : (!has_bymonth_ || bymonth_[static_cast<std::size_t>(mo)]);
      if (!in_scope) continue;
      const int dim = days_in_month(m_.year, mo), first = m_.mrange[mo - 1];
      for (int d = dim + 1; d <= 31; ++d) {
        if (bymonthday_[static_cast<std::size_t>(d)]) add(fwd ? first + dim : first + dim - 1);
        if (bynmonthday_[static_cast<std::size_t>(d)]) add(fwd ? first : first - 1);
      }
    }
  }
  if (has_byyearday_ && freq_ == Freq::Yearly && m_.yearlen == 365) {
    if (byyearday_[366 + 366]) add(fwd ? 365 : 364);
    if (byyearday_[-366 + 366]) add(fwd ? 0 : -1);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
}

void RRuleIterator::fill_period() {
  int start = 0, end = 0;
  dayset_.clear();
  filtered_ = false;
  switch (freq_) {
    case Freq::Yearly:
      if (!byweekno_.empty()) {
        fill_week_year();
        break;
      }
      if (has_bymonth_) {  // only the listed months can hold instances
        for (int mo = 1; mo <= 12; ++mo) {
          if (!bymonth_[static_cast<std::size_t>(mo)]) continue;
          budget_.spend(m_.mrange[mo] - m_.mrange[mo - 1]);
          for (int i = m_.mrange[mo - 1]; i < m_.mrange[mo]; ++i)
            if (keep_day(i)) dayset_.push_back(m_.ordinal + i);
        }
        break;
      }
      start = 0, end = m_.yearlen;
      break;
    case Freq::Monthly: start = m_.mrange[month_ - 1], end = m_.mrange[month_]; break;
    case Freq::Weekly: {
      start = end = static_cast<int>(day_ - m_.ordinal);
      for (int j = 0; j < 7; ++j) {
        ++end;
        if (m_.wday[end] == wkst_) break;
      }
      break;
    }
    default: start = static_cast<int>(day_ - m_.ordinal), end = start + 1; break;
  }
  budget_.spend(1 + end - start);
  for (int i = start; i < end; ++i) {
    if (keep_day(i))
      dayset_.push_back(m_.ordinal + i);
    else
      filtered_ = true;
  }
  if (skip_ != Skip::Omit && (freq_ == Freq::Yearly || freq_ == Freq::Monthly)) add_skipped_days(dayset_);

  auto at = [&](std::int64_t day, int tod) { return local_from_days(day, tod); };
  auto emit = [&](LocalTime res) {
    if (until_ && res > *until_) {
      done_ = true;
      return false;
    }
    if (res >= dtstart_) {
      if (count_) {
        if (*count_ <= 0) {
          done_ = true;
          return false;
        }
        --*count_;
      }
      buffer_.push_back(res);
    }
    return true;
  };
  if (!bysetpos_.empty() && !timeset_.empty()) {
    const std::int64_t nt = static_cast<std::int64_t>(timeset_.size());
    const std::int64_t nd = static_cast<std::int64_t>(dayset_.size());
    std::vector<LocalTime>& poslist = poslist_;
    poslist.clear();
    for (int pos : bysetpos_) {
      std::int64_t daypos, timepos;
      if (pos < 0) {
        daypos = floor_div(pos, nt);
        timepos = pos - daypos * nt;
      } else {
        daypos = (pos - 1) / nt;
        timepos = (pos - 1) % nt;
      }
      const std::int64_t idx = daypos < 0 ? nd + daypos : daypos;
      if (idx < 0 || idx >= nd) continue;
      const LocalTime res = at(dayset_[static_cast<std::size_t>(idx)], timeset_[static_cast<std::size_t>(timepos)]);
      if (std::find(poslist.begin(), poslist.end(), res) == poslist.end()) poslist.push_back(res);
    }
    std::sort(poslist.begin(), poslist.end());
    for (LocalTime res : poslist)
      if (!emit(res)) return;
  } else {
    for (std::int64_t d : dayset_)
      for (int tod : timeset_)
        if (!emit(at(d, tod))) return;
  }
  if (count_ && *count_ <= 0) done_ = true;
}

bool RRuleIterator::mod_distance(int& value, const std::vector<int>& set, int base, int& carry) const {
  carry = 0;
  for (int i = 0; i < base; ++i) {
    value += interval_;
    carry += value / base;
    value %= base;
    if (contains(set, value)) return true;
  }
  return false;
}

void RRuleIterator::set_day(std::int64_t days) {
  day_ = days;
  const std::int64_t idx = days - m_.ordinal;
  if (m_.yearlen && idx >= 0 && idx < m_.yearlen) {  // same year: the masks know the month
    month_ = m_.month[static_cast<std::size_t>(idx)];
    if (!bynweekday_.empty()) rebuild(year_, month_);
    return;
  }
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  year_ = static_cast<int>(ymd.year());
  month_ = static_cast<int>(static_cast<unsigned>(ymd.month()));
  if (year_ > kMaxYear) {
    done_ = true;
    return;
  }
  rebuild(year_, month_);
}

void RRuleIterator::advance() {
  switch (freq_) {
    case Freq::Yearly:
      if (!byweekno_.empty()) {
        wyear_ += interval_;
        if (wyear_ > kMaxYear) done_ = true;
        return;
      }
      year_ += interval_;
      if (year_ > kMaxYear) {
        done_ = true;
        return;
      }
      rebuild(year_, month_);
      return;
    case Freq::Monthly: {
      const int idx = year_ * 12 + (month_ - 1) + interval_;
      year_ = idx / 12, month_ = idx % 12 + 1;
      if (year_ > kMaxYear) {
        done_ = true;
        return;
      }
      rebuild(year_, month_);
      return;
    }
    case Freq::Weekly: {
      // Next period starts on WKST, INTERVAL weeks after this period's week.
      const int wd = weekday_of(day_);
      set_day(day_ - pmod(wd - wkst_, 7) + 7LL * interval_);
      return;
    }
    case Freq::Daily: set_day(day_ + interval_); return;
    case Freq::Hourly: {
      if (filtered_) hour_ += ((23 - hour_) / interval_) * interval_;  // rest of the day is filtered too
      int ndays = 0;
      if (!byhour_.empty()) {
        if (!mod_distance(hour_, byhour_, 24, ndays)) {
          done_ = true;
          return;
        }
      } else {
        ndays = (hour_ + interval_) / 24;
        hour_ = (hour_ + interval_) % 24;
      }
      if (ndays) set_day(day_ + ndays);
      timeset_for_state();
      return;
    }
    case Freq::Minutely: {
      if (filtered_) minute_ += ((1439 - (hour_ * 60 + minute_)) / interval_) * interval_;
      const int rep = 1440 / std::gcd(interval_, 1440);
      bool valid = false;
      std::int64_t ndays = 0;
      for (int j = 0; j < rep && !valid; ++j) {
        budget_.spend(1);
        int nhours = 0;
        if (!byminute_.empty()) {
          if (!mod_distance(minute_, byminute_, 60, nhours)) break;
        } else {
          nhours = (minute_ + interval_) / 60;
          minute_ = (minute_ + interval_) % 60;
        }
        ndays += (hour_ + nhours) / 24;
        hour_ = (hour_ + nhours) % 24;
        valid = byhour_.empty() || contains(byhour_, hour_);
      }
      if (!valid) {
        done_ = true;
        return;
      }
      if (ndays) set_day(day_ + ndays);
      timeset_for_state();
      return;
    }
    case Freq::Secondly: {
      if (filtered_) second_ += ((86399 - (hour_ * 3600 + minute_ * 60 + second_)) / interval_) * interval_;
      const int rep = 86400 / std::gcd(interval_, 86400);
      bool valid = false;
      std::int64_t ndays = 0;
      for (int j = 0; j < rep && !valid; ++j) {
        budget_.spend(1);
        int nminutes = 0;
        if (!bysecond_.empty()) {
          if (!mod_distance(second_, bysecond_, 60, nminutes)) break;
        } else {
          nminutes = (second_ + interval_) / 60;
          second_ = (second_ + interval_) % 60;
        }
        minute_ += nminutes;
        hour_ += minute_ / 60;
        minute_ %= 60;
        ndays += hour_ / 24;
        hour_ %= 24;
        valid = (byhour_.empty() || contains(byhour_, hour_)) && (byminute_.empty() || contains(byminute_, minute_)) &&
                (bysecond_.empty() || contains(bysecond_, second_));
      }
      if (!valid) {
        done_ = true;
        return;
      }
      if (ndays) set_day(day_ + ndays);
      timeset_for_state();
      return;
    }
  }
}

std::optional<LocalTime> RRuleIterator::next() {
  while (pos_ >= buffer_.size()) {
    if (done_) return std::nullopt;
    buffer_.clear();
    pos_ = 0;
    fill_period();
    if (!done_) advance();
  }
  return buffer_[pos_++];
}

void RRuleIterator::seek(LocalTime t) {
  if (count_ || done_ || t <= dtstart_) return;
  const Civil tc = to_civil(t);
  const std::int64_t tdays = days_from_civil(tc.year, static_cast<unsigned>(tc.month), static_cast<unsigned>(tc.day));
  switch (freq_) {
    case Freq::Yearly: {
      const int target = std::min(tc.year, kMaxYear) - 1;
      if (!byweekno_.empty()) {
        if (target > wyear_) wyear_ += (target - wyear_) / interval_ * interval_;
        return;
      }
      if (target > year_) {
        year_ += (target - year_) / interval_ * interval_;
        rebuild(year_, month_);
      }
      return;
    }
    case Freq::Monthly: {
      const std::int64_t cur = year_ * 12LL + month_ - 1;
      const std::int64_t target = std::min(tc.year, kMaxYear) * 12LL + tc.month - 1 - 1;
      if (target > cur) {
        const std::int64_t idx = cur + (target - cur) / interval_ * interval_;
        year_ = static_cast<int>(idx / 12), month_ = static_cast<int>(idx % 12 + 1);
        rebuild(year_, month_);
      }
      return;
    }
    case Freq::Weekly: {
      // Periods after the first start on WKST, INTERVAL weeks apart from DTSTART's week.
      const std::int64_t ws0 = day_ - pmod(weekday_of(day_) - wkst_, 7);
      const std::int64_t step = 7LL * interval_;
      const std::int64_t k = (tdays - 7 - ws0) / step;
      if (k >= 1) set_day(ws0 + k * step);
      return;
    }
    case Freq::Daily: {
      const std::int64_t target = tdays - 1;
      if (target > day_) set_day(day_ + (target - day_) / interval_ * interval_);
      return;
    }
    default: {
      const std::int64_t unit = freq_ == Freq::Hourly ? 3600 : freq_ == Freq::Minutely ? 60 : 1;
      const std::int64_t cur = day_ * 86400 + hour_ * 3600 + minute_ * 60 + second_;
      const std::int64_t target = t.time_since_epoch().count() - 86400;
      const std::int64_t step = unit * interval_;
      if (target <= cur) return;
      const std::int64_t next = cur + (target - cur) / step * step;
      const std::int64_t nd = floor_div(next, 86400), sod = next - nd * 86400;
      hour_ = static_cast<int>(sod / 3600), minute_ = static_cast<int>(sod / 60 % 60), second_ = static_cast<int>(sod % 60);
      set_day(nd);
      timeset_for_state();
      return;
    }
  }
}

}  // namespace convene::recurrence
