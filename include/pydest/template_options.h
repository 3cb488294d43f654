// TemplateOptions: the options that change how date macros ($ISODATE,
// $STAMP, $S_*, $R_*, ...) are formatted for a destination — syslog-ng's
// frac-digits(), ts-format(), local-time-zone() and send-time-zone(), set
// in python() or inherited from the global options {}. A class sees them
// as self.template_options (LogTemplateOptions).
//
// Thread-safety: a plain value.
#ifndef PYDEST_TEMPLATE_OPTIONS_H_
#define PYDEST_TEMPLATE_OPTIONS_H_

#include <string>

namespace pydest {

struct TemplateOptions {
  // frac-digits(): digits of the second's fraction in date macros; 0 = none.
  // Raise it (up to 6) when the destination needs sub-second times.
  int frac_digits = 0;
  // ts-format(): "rfc3164" (also written bsd), "rfc3339" (iso), "unix",
  // "full": how $STAMP ($S_STAMP, $R_STAMP, ...) is written. Change it to
  // what the destination's consumer parses (rfc3339 for most tools).
  std::string ts_format = "rfc3164";
  // local-time-zone(): the zone date macros show timestamps in. "" = each
  // timestamp in the UTC offset it was written with; otherwise "+HH:MM" or
  // an IANA name. Set it when the destination wants every time in one zone
  // (e.g. "+00:00").
  std::string local_time_zone;
  // send-time-zone() / time-zone(): read and kept, but without effect:
  // dates are formatted in local_time_zone (docs/compatibility.md).
  std::string send_time_zone;
};

}  // namespace pydest

#endif  // PYDEST_TEMPLATE_OPTIONS_H_
