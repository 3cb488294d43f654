#include "libpydest/host/open_dead_letters.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libpydest/delivery/dead_letter_file.h"
#include "libpydest/host/python_dead_letters.h"
#include "pydest/host.h"

namespace pydest::internal {

DestinationOptions DeadLetterPythonOptions(const DestinationOptions& first,
                                           const std::string& persist_name) {
  DestinationOptions second = *first.dead_letter->python;
  const DestinationOptions defaults;
  if (second.name == defaults.name) {
    second.name = absl::StrCat(first.name, ".dead-letter");
  }
  if (second.persist_name.empty()) {
    second.persist_name = absl::StrCat(persist_name, ".dead-letter");
  }
  if (second.python_path.empty()) second.python_path = first.python_path;
  if (second.virtualenv.empty()) second.virtualenv = first.virtualenv;
  if (second.state_dir == defaults.state_dir) {
    second.state_dir = first.state_dir;
  }
  if (second.global_code.empty()) {
    second.global_code = first.global_code;
    second.global_code_filename = first.global_code_filename;
  }
  if (!second.log_sink) second.log_sink = first.log_sink;
  if (second.version.major == defaults.version.major &&
      second.version.minor == defaults.version.minor) {
    second.version = first.version;
  }
  return second;
}

absl::StatusOr<std::shared_ptr<DeadLetterSink>> OpenDeadLetters(
    const DestinationOptions& first, const std::string& persist_name) {
  const DeadLetterSpec& spec = *first.dead_letter;
  const bool file = !spec.file.empty();
  const bool python = spec.python != nullptr;
  if (file == python) {
    return absl::InvalidArgumentError(
        file ? "dead-letter() takes one of file() or python(), not both"
             : "dead-letter() needs file(\"PATH\") or python(...)");
  }
  if (file) {
    DeadLetterOrigin origin{first.name, persist_name, first.class_name};
    absl::StatusOr<std::unique_ptr<DeadLetterFile>> opened =
        DeadLetterFile::Open(spec.file, std::move(origin), first.log_sink);
    if (!opened.ok()) return opened.status();
    return std::shared_ptr<DeadLetterSink>(std::move(*opened));
  }
  if (spec.python->dead_letter.has_value()) {
    return absl::InvalidArgumentError(
        "dead-letter(python(...)) cannot have a dead-letter() of its own");
  }
  absl::StatusOr<std::unique_ptr<PyDestinationHost>> second =
      PyDestinationHost::Create(DeadLetterPythonOptions(first, persist_name));
  if (!second.ok()) {
    return absl::Status(second.status().code(),
                        absl::StrCat("dead-letter(python()): ",
                                     second.status().message()));
  }
  return std::shared_ptr<DeadLetterSink>(
      std::make_shared<PythonDeadLetters>(std::move(*second)));
}

}  // namespace pydest::internal
