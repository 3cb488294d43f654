#include "libpydest/config/isolation_parser.h"

#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"
#include "libpydest/config/lexer.h"

namespace pydest {
namespace config_internal {
namespace {

// send-timeout() above this is surely a mistake (about 31 years); it also
// keeps the nanoseconds the worker protocol carries inside an int64.
constexpr int64_t kMaxSendTimeoutSeconds = 1000000000;

// memory-limit() is an RLIMIT_AS in bytes: MiB << 20 must fit in 64 bits.
constexpr int64_t kMaxMemoryLimitMib = (int64_t{1} << 44) - 1;

// memory-limit() below this cannot start a worker: the interpreter and its
// libraries need more address space before the class is even imported.
constexpr int64_t kMinMemoryLimitMib = 16;

// "512M", "1Gi", "4k": syslog-ng's lexer reads them as numbers with a size
// suffix, which in an option counted in MiB would multiply MiB.
bool HasSizeSuffix(const std::string& text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return false;
  }
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// send-timeout(SECONDS): an integer as every other number of the
// configuration (0x10, 010 and 5k included), or a decimal fraction.
absl::StatusOr<absl::Duration> ReadSendTimeout(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
  double seconds = 0;
  int64_t integer = 0;
  bool number = false;
  if ((token.kind == TokenKind::kNumber || token.kind == TokenKind::kString) &&
      ParseConfigInteger(token.text, &integer)) {
    seconds = static_cast<double>(integer);
    number = true;
  } else if (token.kind == TokenKind::kFloat ||
             token.kind == TokenKind::kString) {
    number = absl::SimpleAtod(token.text, &seconds);
  }
  if (!number) {
    return in.ErrorAt(token.pos,
                      absl::StrCat("send-timeout() expects a positive number "
                                   "of seconds, got ",
                                   DescribeToken(token)));
  }
  const std::string problem = SendTimeoutProblem(seconds);
  if (!problem.empty()) {
    return in.ErrorAt(token.pos, absl::StrCat("send-timeout() expects ",
                                              problem, ", got ", token.text));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      in.Expect(TokenKind::kRParen, "')' to close send-timeout()").status());
  return absl::Seconds(seconds);
}

// memory-limit(MiB): a plain integer.
absl::StatusOr<uint64_t> ReadMemoryLimit(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
  const bool numeric =
      token.kind == TokenKind::kNumber || token.kind == TokenKind::kString;
  if (numeric && HasSizeSuffix(token.text)) {
    return in.ErrorAt(token.pos,
                      absl::StrCat("memory-limit() counts MiB and takes no "
                                   "size suffix, got ",
                                   DescribeToken(token),
                                   " (memory-limit(512) is 512 MiB)"));
  }
  int64_t mib = 0;
  if (!numeric || !ParseConfigInteger(token.text, &mib)) {
    return in.ErrorAt(token.pos,
                      absl::StrCat("memory-limit() expects an integer number "
                                   "of MiB, got ",
                                   DescribeToken(token)));
  }
  const std::string problem = MemoryLimitProblem(mib);
  if (!problem.empty()) {
    return in.ErrorAt(token.pos, absl::StrCat("memory-limit() expects ",
                                              problem));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      in.Expect(TokenKind::kRParen, "')' to close memory-limit()").status());
  return static_cast<uint64_t>(mib);
}

absl::StatusOr<Isolation> ReadIsolation(TokenStream& in) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
  PYDEST_CFG_ASSIGN_OR_RETURN(std::string text,
                              in.ReadStringArg("isolation()"));
  std::optional<Isolation> isolation = IsolationFromName(text);
  if (!isolation.has_value()) {
    return in.ErrorAt(value.pos,
                      absl::StrCat("isolation() expects thread or process; "
                                   "got '",
                                   text, "'",
                                   DidYouMean(text, IsolationNames())));
  }
  return *isolation;
}

}  // namespace

const std::vector<std::string_view>& IsolationNames() {
  static const auto* const kNames =
      new std::vector<std::string_view>{"thread", "process"};
  return *kNames;
}

std::optional<Isolation> IsolationFromName(std::string_view name) {
  if (name == "thread") return Isolation::kThread;
  if (name == "process") return Isolation::kProcess;
  return std::nullopt;
}

std::string SendTimeoutProblem(double seconds) {
  if (!(seconds > 0)) return "a positive number of seconds";
  if (seconds > static_cast<double>(kMaxSendTimeoutSeconds)) {
    return absl::StrCat("at most ", kMaxSendTimeoutSeconds, " seconds");
  }
  return "";
}

std::string MemoryLimitProblem(int64_t mib) {
  if (mib < 1) return absl::StrCat("a positive number of MiB, got ", mib);
  if (mib < kMinMemoryLimitMib) {
    return absl::StrCat("at least ", kMinMemoryLimitMib, " (MiB), got ", mib,
                        ": a worker's Python interpreter needs more address "
                        "space than that to start");
  }
  if (mib > kMaxMemoryLimitMib) {
    return absl::StrCat("at most ", kMaxMemoryLimitMib,
                        " (MiB: 16 EiB in bytes), got ", mib);
  }
  return "";
}

std::string ProcessOnlyOptionWithoutProcess(
    const DestinationOptions& options) {
  if (options.isolation == Isolation::kProcess) return "";
  if (options.send_timeout.has_value()) return "send-timeout";
  if (options.memory_limit_mib.has_value()) return "memory-limit";
  if (!options.worker_executable.empty()) return "worker-executable";
  return "";
}

absl::StatusOr<bool> ParseIsolationOption(
    TokenStream& in, const Token& name, const std::string& canonical,
    DestinationOptions* out, std::optional<Token>* first_process_only) {
  // Given twice, the last one counts, as for every python() option: a
  // block's default is overridden by what its use passes in __VARARGS__.
  if (canonical == "isolation") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->isolation, ReadIsolation(in));
    return true;
  }
  if (canonical == "send-timeout") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->send_timeout, ReadSendTimeout(in));
  } else if (canonical == "memory-limit") {
    PYDEST_CFG_ASSIGN_OR_RETURN(out->memory_limit_mib, ReadMemoryLimit(in));
  } else if (canonical == "worker-executable") {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
    PYDEST_CFG_ASSIGN_OR_RETURN(out->worker_executable,
                                in.ReadStringArg("worker-executable()"));
    if (out->worker_executable.empty()) {
      return in.ErrorAt(value.pos, "worker-executable() must name a file");
    }
  } else {
    return false;
  }
  if (!first_process_only->has_value()) *first_process_only = name;
  return true;
}

absl::Status CheckProcessOnlyOptions(
    TokenStream& in, const std::optional<Token>& first_process_only,
    const DestinationOptions& out) {
  // They would silently do nothing in-process.
  if (!first_process_only.has_value() ||
      out.isolation == Isolation::kProcess) {
    return absl::OkStatus();
  }
  return in.ErrorAt(first_process_only->pos,
                    absl::StrCat(CanonicalName(first_process_only->text),
                                 "() needs isolation(process)"));
}

}  // namespace config_internal
}  // namespace pydest
