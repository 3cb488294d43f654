// The exit statuses of the pydest command. They are part of its interface
// (scripts test them); docs/pydest.md and `pydest --help` list them.
#ifndef PYDEST_TOOLS_PYDEST_EXIT_STATUS_H_
#define PYDEST_TOOLS_PYDEST_EXIT_STATUS_H_

namespace pydest::cli {

enum ExitStatus : int {
  kExitAllDelivered = 0,     // every message read reached delivered
  kExitSomeDropped = 1,      // at least one message was dropped (any reason)
  kExitUsageError = 2,       // bad command line, configuration or input file
  kExitDestinationFailed = 3,  // a destination failed to start (import/init)
  kExitDestinationEnded = 4,   // a destination ended the process (os._exit)
  kExitFatalSignal = 5,        // a fatal signal (a crash in native code)
};

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_EXIT_STATUS_H_
