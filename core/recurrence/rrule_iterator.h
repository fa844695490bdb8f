// convene/core/recurrence/rrule_iterator.h — the instances of one RRULE, in wall-clock time.
//
// Algorithm: period by period (a year, month, week, day, hour, minute or second,
// every INTERVAL-th from DTSTART), build the candidate days of the period, drop
// those the BYxxx parts reject, combine with the times of day, apply BYSETPOS,
// then COUNT/UNTIL (RFC 5545 §3.3.10's expand/limit table). The structure follows
// python-dateutil's rrule (the reference of the differential tests), with these
// intended differences, which follow libical and its conformance vectors
// (docs/recurrence.md): WEEKLY periods are whole weeks from WKST even for the
// first one (BYSETPOS counts the whole week); YEARLY with BYWEEKNO steps through
// week-numbering years and, without BYDAY/BYMONTHDAY/BYYEARDAY, takes DTSTART's
// weekday; YEARLY with BYMONTHDAY alone takes DTSTART's month; BYDAY mixing
// plain and ordinal days is a union (dateutil intersects them); RFC 7529 SKIP.
//
// Bounded work: the iterator ends after year 9999 (the RFC's 4-digit years) and
// charges every period and candidate day to a `WorkBudget`; when the budget is
// spent it throws Error{RECURRENCE_TOO_SPARSE} instead of running on. `seek`
// jumps whole periods forward when there is no COUNT, so a window 100 years
// after DTSTART costs the same as one next week.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/recurrence/civil.h"
#include "core/recurrence/rule.h"

namespace convene::recurrence {

/// Units of work (periods + candidate days) one expansion may spend.
struct WorkBudget {
  std::int64_t remaining = 20'000'000;
  /// Throws Error{RECURRENCE_TOO_SPARSE, "RRULE"} when exhausted.
  void spend(std::int64_t units);
};

class RRuleIterator {
 public:
  /// `dtstart`: wall time of DTSTART; `date_only`: DTSTART is a DATE (times are
  /// 00:00:00; BYHOUR/BYMINUTE/BYSECOND are ignored, as libical does).
  /// `until`: inclusive wall-time bound; `count`: overrides rule.count when given.
  /// Throws INVALID_RRULE for FREQ finer than DAILY with a DATE DTSTART.
  RRuleIterator(const RRule& rule, LocalTime dtstart, bool date_only, std::optional<LocalTime> until,
                std::optional<std::int64_t> count, WorkBudget& budget);

  /// Skips whole periods that end before `t` (only when there is no COUNT, which
  /// needs every earlier instance counted). Call before the first next().
  void seek(LocalTime t);

  /// The next instance, or nullopt when the rule is exhausted.
  std::optional<LocalTime> next();

 private:
  struct YearMasks {
    int year = 0, yearlen = 0, nextyearlen = 0, weekday = 0;  // weekday of Jan 1 (0=MO)
    std::int64_t ordinal = 0;                                   // day number of Jan 1
    std::array<std::uint8_t, 373> month{}, mday{}, wday{};
    std::array<std::int8_t, 373> nmday{};
    std::array<int, 13> mrange{};
    std::array<std::uint8_t, 373> nwday{};
    int nwday_month = -1, nwday_year = -1;
  };

  void rebuild(int year, int month);
  void build_nweekday(int month);
  bool keep_day(int i) const;
  void fill_period();
  void add_skipped_days(std::vector<std::int64_t>& days) const;
  void fill_week_year();
  std::int64_t week1_start(int year) const;
  void advance();
  void timeset_for_state();
  void set_day(std::int64_t days);
  bool mod_distance(int& value, const std::vector<int>& set, int base, int& carry) const;

  // normalized rule
  Freq freq_;
  int interval_, wkst_;
  std::bitset<13> bymonth_;
  bool has_bymonth_ = false;
  std::vector<int> byweekno_, bysetpos_, byhour_, byminute_, bysecond_;
  std::bitset<733> byyearday_;  // index v + 366
  bool has_byyearday_ = false;
  std::bitset<32> bymonthday_, bynmonthday_;  // index |v|
  bool has_bymonthday_ = false;
  std::uint8_t byweekday_ = 0;                 // plain BYDAY bits (1 << weekday)
  std::vector<std::pair<int, int>> bynweekday_;  // (weekday, ordinal)
  std::vector<int> timeset_;                   // seconds of day, sorted
  Skip skip_ = Skip::Omit;

  // bounds
  LocalTime dtstart_;
  std::optional<LocalTime> until_;
  std::optional<std::int64_t> count_;
  WorkBudget& budget_;

  // state (dateutil's year, month, day, hour, minute, second, weekday)
  int year_, month_, hour_, minute_, second_;
  std::int64_t day_;  // day number (WEEKLY and finer)
  bool filtered_ = false, done_ = false;
  YearMasks m_;
  std::vector<LocalTime> buffer_;
  std::size_t pos_ = 0;
  std::vector<std::int64_t> dayset_;  // day numbers of the current period's days
  std::vector<LocalTime> poslist_;    // BYSETPOS picks of the current period
  int wyear_ = 0;                     // week-numbering year (YEARLY with BYWEEKNO)
};

}  // namespace convene::recurrence
