// Private to bindings/module: what LogMessage's methods read and write — the
// value of a name (name-value pair first, then macro), the 4.x typed form
// of macro values, and the text a Python value is stored as
// (syslog-ng-behaviour.md §7.2, §4.2).
//
// Lookups take the name as a view of the key object's own buffer and
// evaluate a macro into a reused per-thread buffer, so msg["HOST"] allocates
// nothing but the result object. The clock ($C_*, $SYSUPTIME, ...) is read
// only for the macros that show it.
//
// Thread-safety: every function that touches Python needs the GIL.
#ifndef BINDINGS_MODULE_LOG_MESSAGE_VALUES_H_
#define BINDINGS_MODULE_LOG_MESSAGE_VALUES_H_

#include <Python.h>

#include <string>
#include <string_view>

#include "bindings/module/log_message.h"
#include "libpydest/message/macros.h"
#include "libpydest/pyrt/gil.h"

namespace pydest::internal {

// The UTF-8 bytes of a str or bytes key, viewing the object's own buffer
// (valid while the object lives). False with TypeError (or the str's
// UnicodeEncodeError) set otherwise.
bool NameView(RequiresGil gil, PyObject* key, std::string_view* name);

// The value of `name` in `d`: the pair when set, else the macro, typed
// under 4.x unless in compatibility mode. Returns 1 with a new reference in
// *value, 0 when `name` is neither a set pair nor a macro, -1 with a Python
// error set.
int LookupValue(RequiresGil gil, const LogMessageData& d,
                std::string_view name, PyObject** value);

// Whether LookupValue would find `name` (without making its value).
bool HasName(const LogMessageData& d, std::string_view name);

// True when a message is read with 3.x rules (@version < 4.0): unset names
// are b"" and every value is bytes.
bool CompatMode(const LogMessageData& d);

// True when macro `id` shows the clock ($C_*, $P_* without a processing
// time, $SYSUPTIME): only those make a lookup read it.
bool MacroReadsClock(MacroId id);

// The text a Python value is stored as by LogMessage(value) and
// msg[name] = value: str/bytes as is, bool as "true"/"false", int/float
// as str() gives them. False with TypeError set for anything else.
bool ValueText(RequiresGil gil, PyObject* value, std::string* text);

// A copy of `m` in a builder, to change one thing on a writable message.
MessageBuilder Rebuild(const Message& m);

}  // namespace pydest::internal

#endif  // BINDINGS_MODULE_LOG_MESSAGE_VALUES_H_
