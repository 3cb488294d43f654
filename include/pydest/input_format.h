// InputFormat: the kinds of log line libpydest's readers understand
// (pydest/parse.h), as chosen on pydest's command line, by a configured
// source's flags() (ConfiguredSource), or by a host calling ParseLine.
//
// Thread-safety: a plain value; ParseInputFormatName keeps no state.
#ifndef PYDEST_INPUT_FORMAT_H_
#define PYDEST_INPUT_FORMAT_H_

#include <string_view>

#include "pydest/export.h"

namespace pydest {

enum class InputFormat {
  kAuto,     // per line: '{' -> JSON, "<PRI>1 " -> RFC 5424, else RFC 3164
  kRfc3164,
  kRfc5424,
  kJson,
  // syslog-ng's flags(no-parse): the whole line is MESSAGE, HOST is
  // host_from, the time is the receive time.
  kNoParse,
};

// "auto", "rfc3164" (also "bsd"), "rfc5424" (also "syslog"), "json",
// "no-parse" -> format. Returns false (and leaves *format untouched) for
// any other name.
PYDEST_EXPORT bool ParseInputFormatName(std::string_view name,
                                        InputFormat* format);

}  // namespace pydest

#endif  // PYDEST_INPUT_FORMAT_H_
