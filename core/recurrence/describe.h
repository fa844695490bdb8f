// convene/core/recurrence/describe.h — a recurrence set in a person's words (English).
//
// "every Thursday at 19:00 (Europe/Berlin time), 8 times"; "every 2 weeks on Monday and Wednesday at
// 18:30 (UTC), until Wednesday 31 March 2027"; "every month on the last Friday at 19:00"; "once on
// Thursday 4 March 2027 at 19:00". Pure: the wall time is DTSTART's (or the rule's single BYHOUR/BYMINUTE),
// UNTIL is shown as a date in the set's zone, EXDATE/RDATE are counted ("except 2 dates", "plus 1 more
// date"). Rule parts without a plain wording (BYWEEKNO, BYYEARDAY, BYSETPOS over several days, several
// months, seconds) are summarized and `exact` is false: the UI then also shows the rule text.
#pragma once

#include <string>

#include "core/recurrence/rule.h"

namespace convene::recurrence {

struct Description {
  std::string text;   ///< the sentence, without a capital or a full stop (the UI places it)
  bool exact = true;  ///< false when some rule parts were summarized
};

/// Describes `set`. Never throws for a set `parse_recurrence_set` accepted, except UNKNOWN_TIME_ZONE
/// for a TZID the embedded database lacks (only needed to place UNTIL in the zone).
Description describe(const RecurrenceSet& set);

}  // namespace convene::recurrence
