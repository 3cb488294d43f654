// syslog-ng macros ($HOST, $ISODATE, $S_WEEKDAY, $MSGHDR, ...) derived from a
// Message, with syslog-ng 3.38's names and formats.
//
// The macro table is syslog-ng 3.38's (164 names, AllMacros()), plus the
// name-value pair names syslog-ng templates also accept as `$NAME`
// (PROGRAM, PID, MSGID, HOST_FROM, SOURCE, LEGACY_MSGHDR, FILE_NAME and the
// aliases FULLHOST, FULLHOST_FROM, MSGONLY), so a template compiler can
// resolve every well-known name here. Unknown or unset values append nothing.
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

#include "libpydest/message/date_macros.h"
#include "pydest/message.h"
#include "pydest/template_options.h"
#include "pydest/type_hint.h"

namespace pydest::internal {

// Identifies one macro; dense, usable as an array index (0 ... MacroCount()-1).
using MacroId = uint16_t;

// What a macro needs besides the message.
struct MacroContext {
  // frac-digits(), ts-format(), local-time-zone(). Never null when used.
  const TemplateOptions* template_options = nullptr;
  // $SEQNUM, and the sequenceId $SDATA adds; 0 = none ($SEQNUM empty).
  uint64_t seqnum = 0;
  Timestamp now;         // $C_* (current time)
  // $P_* (when the destination took the message); all-zero = use `now`.
  Timestamp processed;
  std::string_view loghost;  // $LOGHOST (this machine's name)
  std::string_view hostid;   // $HOSTID, as syslog-ng prints it ("8df08c02")
  uint64_t runid = 1;        // $RUNID
  // $SYSUPTIME: hundredths of a second since the host started, the unit
  // syslog-ng 3.38 prints.
  int64_t sysuptime = 0;
  // $RCPTID (decimal) and $UNIQID (HOSTID@16 hex digits); 0 = none (empty).
  uint64_t rcptid = 0;
  // $CONTEXT_ID and $_ (correlation contexts); empty outside one.
  std::string_view context_id;
};

// The macro called `name` (without '$'), or nullopt. Case-sensitive.
std::optional<MacroId> LookupMacro(std::string_view name);
std::string_view MacroName(MacroId id);
// How many ids there are.
size_t MacroCount();

// Appends the value of macro `id` for `msg` to `out`.
void AppendMacro(MacroId id, const Message& msg, const MacroContext& ctx,
                 std::string* out);

// Which of a message's timestamps a date macro shows: the unprefixed and
// S_ macros the stamp, R_ the reception, C_ the current time, P_ the time
// the destination took the message.
enum class MacroTime : uint8_t { kStamp, kReceived, kNow, kProcessed };
inline constexpr int kMacroTimeCount = 4;

// For callers that evaluate many macros of one message and share the work
// of its date macros (value-pairs): true for a date macro, with its field
// and timestamp; false for every other macro.
bool GetDateMacro(MacroId id, DateField* field, MacroTime* time);

// The timestamp `time` of `msg` under `ctx` (P_ falls back to the current
// time when ctx.processed is all-zero).
const Timestamp& MacroTimestamp(MacroTime time, const Message& msg,
                                const MacroContext& ctx);

// The template options AppendMacro uses: *ctx.template_options, or the
// defaults when it is null.
const TemplateOptions& MacroTemplateOptions(const MacroContext& ctx);

// The type a macro's value has under a 4.x configuration (FACILITY_NUM ->
// kInt32, UNIXTIME -> kDateTime, TAGS -> kList, ...); kNone for strings.
TypeHint MacroType(MacroId id);

// The names the all-macros scope yields, in syslog-ng 3.38's table order:
// all 164 names of the macro table, none of the pair-only names. The scope
// leaves out macros whose value is empty; on a typical message those are
// CONTEXT_ID, _, RCPTID and UNIQID (no correlation context, no receipt id),
// hence 160 keys in syslog-ng's output (and 158 when MESSAGE is empty).
const std::vector<MacroId>& AllMacros();

// True for the names that are name-value pairs in syslog-ng rather than
// entries of its macro table (PROGRAM, PID, FULLHOST, ...): they are not in
// AllMacros() and the value-pairs scopes reach them as pairs.
bool IsPairOnlyName(MacroId id);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_MACROS_H_
