// Parser for the options of isolation(process) inside python(): isolation(),
// send-timeout(), memory-limit() and worker-executable(), libpydest options
// (include/pydest/isolation.h and destination_options.h say what each
// does), and the rules the JSON form checks the same way: the accepted
// values and that the last three need isolation(process).
//
// Thread-safety: stateless functions.
#ifndef LIBPYDEST_CONFIG_ISOLATION_PARSER_H_
#define LIBPYDEST_CONFIG_ISOLATION_PARSER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libpydest/config/token_stream.h"
#include "pydest/destination_options.h"
#include "pydest/isolation.h"

namespace pydest {
namespace config_internal {

// isolation()'s values: "thread", "process".
const std::vector<std::string_view>& IsolationNames();
std::optional<Isolation> IsolationFromName(std::string_view name);

// What is wrong with send-timeout(seconds), to follow "send-timeout()
// expects " (the caller adds what it got), or "" when it is accepted.
std::string SendTimeoutProblem(double seconds);

// What is wrong with memory-limit(mib), to follow "memory-limit() expects "
// (with what it got and why), or "" when it is accepted.
std::string MemoryLimitProblem(int64_t mib);

// The option (its '-' spelling, without "()") among send-timeout(),
// memory-limit() and worker-executable() that `options` sets without
// isolation(process), or "" if none: those would silently do nothing.
std::string ProcessOnlyOptionWithoutProcess(
    const DestinationOptions& options);

// Reads the argument of `name` (after its '(', up to and including the ')')
// into `out` when `canonical` is one of the four options, and returns true;
// returns false, reading nothing, for any other option. Remembers in
// `first_process_only` where the first of the last three was given.
absl::StatusOr<bool> ParseIsolationOption(
    TokenStream& in, const Token& name, const std::string& canonical,
    DestinationOptions* out, std::optional<Token>* first_process_only);

// The error, at `first_process_only`, when one of send-timeout(),
// memory-limit() and worker-executable() was given without
// isolation(process); OK otherwise. Called once python()'s body is read,
// since isolation() may come after them.
absl::Status CheckProcessOnlyOptions(
    TokenStream& in, const std::optional<Token>& first_process_only,
    const DestinationOptions& out);

}  // namespace config_internal
}  // namespace pydest

#endif  // LIBPYDEST_CONFIG_ISOLATION_PARSER_H_
