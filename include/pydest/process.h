// What libpydest does to the whole process when a destination's Python code
// tries to act on the process rather than on its messages. The rules
// (docs/python-api.md, "The process belongs to the host"):
//   - signal.signal() and its relatives never change the process's signal
//     handling; the call is recorded for signal.getsignal() and logged.
//   - a child that os.fork() made inside a destination call never runs host
//     code: when the call returns into libpydest, the child _exit()s with
//     kForkedChildExitStatus and one line on stderr.
//   - os._exit(n) from a destination first logs who called it and how many
//     accepted messages are lost, then ends the process with n, or with the
//     status set here.
//
// Thread-safety: every function may be called from any thread.
#ifndef PYDEST_PROCESS_H_
#define PYDEST_PROCESS_H_

#include "pydest/export.h"

namespace pydest {

// The status a forked child of a destination ends with when its call
// returns into libpydest (EX_SOFTWARE of <sysexits.h>).
inline constexpr int kForkedChildExitStatus = 70;

// SetDestinationExitStatus's default: os._exit(n) ends the process with n.
inline constexpr int kKeepDestinationExitStatus = -1;

// The status the process ends with when a destination calls os._exit(n):
// `status` (0..255), or n again with kKeepDestinationExitStatus. A program
// with exit statuses of its own (pydest) sets one that says "a destination
// ended the process". Takes effect for every later os._exit.
PYDEST_EXPORT void SetDestinationExitStatus(int status);

}  // namespace pydest

#endif  // PYDEST_PROCESS_H_
