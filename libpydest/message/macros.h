// syslog-ng macros ($HOST, $ISODATE, $S_WEEKDAY, $MSGHDR, ...) derived from a
// Message, with syslog-ng's names and formats.
//
// Evaluation appends to a caller's buffer and allocates nothing in the
// common case; it touches no Python state (no GIL needed). Thread-safe.
#ifndef LIBPYDEST_MESSAGE_MACROS_H_
#define LIBPYDEST_MESSAGE_MACROS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pydest/message.h"
#include "pydest/options.h"
#include "pydest/value_pairs.h"

namespace pydest::internal {

// Identifies one macro; dense, usable as an array index.
using MacroId = uint16_t;

// What a macro needs besides the message.
struct MacroContext {
  // frac-digits(), ts-format(), local-time-zone(). Never null when used.
  const TemplateOptions* template_options = nullptr;
  uint64_t seqnum = 0;   // $SEQNUM; 0 = none (empty)
  Timestamp now;         // $C_* (current time)
  Timestamp processed;   // $P_* (when the destination took the message)
  std::string_view loghost;  // $LOGHOST (this machine's name)
  std::string_view hostid;   // $HOSTID
  uint64_t runid = 1;        // $RUNID
  int64_t sysuptime = 0;     // $SYSUPTIME (seconds... as syslog-ng counts)
};

// The macro called `name` (without '$'), or nullopt.
std::optional<MacroId> LookupMacro(std::string_view name);
std::string_view MacroName(MacroId id);

// Appends the value of macro `id` for `msg` to `out`.
void AppendMacro(MacroId id, const Message& msg, const MacroContext& ctx,
                 std::string* out);

// The type a macro's value has under a 4.x configuration (FACILITY_NUM ->
// kInt32, UNIXTIME -> kDateTime, TAGS -> kList, ...); kNone for strings.
TypeHint MacroType(MacroId id);

// The names the all-macros scope yields, in syslog-ng 3.38's table order.
const std::vector<MacroId>& AllMacros();

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_MACROS_H_
