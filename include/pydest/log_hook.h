// SetLogHook: one process-wide place for libpydest's own log records that no
// destination's DestinationOptions::log_sink takes — those of destinations
// created without a log_sink, and those not tied to a destination (e.g.
// syslogng.Logger used on a thread the class started itself). Without a
// hook they are written to stderr, one line each, as before.
//
//   pydest::SetLogHook([](const pydest::LogRecord& r) { MyLog(r); });
//   ...
//   pydest::SetLogHook(nullptr);  // back to stderr
//
// The hook gets every level, trace and debug included (stderr shows info
// and above). It is called on the thread that logs: a worker, the prepare
// thread, a thread calling the host, or a Python thread, possibly holding
// the Python GIL, and from several threads at once. So it must:
//   - return soon, and not wait for another thread that may log or need
//     Python (a worker, or anything waiting for the host);
//   - not call SetLogHook, nor any PyDestinationHost method, nor Python;
//   - not throw.
// A record logged from inside the hook (on the hook's own thread) goes to
// stderr.
//
// What stays on stderr whatever the hook: the line a process forked by a
// destination writes before it exits (no user code runs in such a child),
// and Python's faulthandler report of a crash (a fatal signal). The record
// of a destination calling os._exit() does reach the hook (or its
// log_sink), and the process ends when the hook returns.
//
// Thread-safety: SetLogHook may be called from any thread at any time. When
// it returns, the previous hook is running on no thread and will not be
// called again (it waits for calls in progress), so what it refers to may
// be destroyed then.
#ifndef PYDEST_LOG_HOOK_H_
#define PYDEST_LOG_HOOK_H_

#include <functional>

#include "pydest/export.h"
#include "pydest/log_record.h"

namespace pydest {

using LogHook = std::function<void(const LogRecord&)>;

// Installs `hook` for the whole process, replacing the previous one; an
// empty function restores stderr.
PYDEST_EXPORT void SetLogHook(LogHook hook);

}  // namespace pydest

#endif  // PYDEST_LOG_HOOK_H_
