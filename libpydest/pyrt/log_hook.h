// The library side of SetLogHook (include/pydest/log_hook.h): the code that
// would write one of libpydest's own records to stderr offers it to the
// process's hook first. Used by DestinationContext::Log (a context without
// a log_sink) and by the host's default log sink.
//
// Thread-safety: any thread. Lock-free while no hook was ever set; a reader
// lock around each call of a hook.
#ifndef LIBPYDEST_PYRT_LOG_HOOK_H_
#define LIBPYDEST_PYRT_LOG_HOOK_H_

#include "pydest/log_record.h"

namespace pydest::internal {

// Calls the hook with `record` and returns true; false when there is none,
// when this thread is already inside the hook, in a process forked by a
// destination (no user code runs there), or when the hook threw: the caller
// then writes its stderr line.
bool CallLogHook(const LogRecord& record);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_LOG_HOOK_H_
