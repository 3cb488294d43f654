#include "tools/pydest/input_plan.h"

#include <algorithm>

namespace pydest::cli {
namespace {

// A FILE argument is read as a file() source named s_file would be (s_stdin
// for "-"), keeping the HOST of each line, in the --format given.
PlannedInput FromArgument(const std::string& path, const CommandLine& cl) {
  PlannedInput in;
  in.path = path;
  in.format = cl.format;
  in.follow = cl.follow;
  if (path == "-") {
    in.options.source_name = "s_stdin";
  } else {
    in.options.source_name = "s_file";
    in.options.file_name = path;
  }
  return in;
}

}  // namespace

std::vector<PlannedInput> PlanInputs(
    const CommandLine& cl, const Config& config,
    const std::vector<ConfiguredDestination>& chosen) {
  std::vector<PlannedInput> plan;
  if (!cl.inputs.empty()) {
    for (const std::string& path : cl.inputs) {
      plan.push_back(FromArgument(path, cl));
    }
    return plan;
  }
  bool stdin_taken = false;
  for (const ConfiguredSource& source : config.sources) {
    PlannedInput in;
    for (const std::string& name : source.destinations) {
      bool selected = std::any_of(
          chosen.begin(), chosen.end(),
          [&](const ConfiguredDestination& d) { return d.name == name; });
      if (selected) in.destinations.push_back(name);
    }
    if (in.destinations.empty()) continue;
    const bool is_stdin = source.driver == ConfiguredSource::Driver::kStdin;
    if (is_stdin && stdin_taken) continue;  // one reader of stdin
    stdin_taken = stdin_taken || is_stdin;
    in.path = is_stdin ? "-" : source.path;
    in.format = cl.format_given ? cl.format : source.format;
    in.options.source_name = source.name;
    if (!is_stdin) in.options.file_name = source.path;
    in.options.keep_hostname = source.keep_hostname;
    in.follow = cl.follow;
    if (source.follow_freq.has_value()) in.follow_freq = *source.follow_freq;
    plan.push_back(std::move(in));
  }
  if (plan.empty()) plan.push_back(FromArgument("-", cl));
  return plan;
}

bool SameInputs(const std::vector<PlannedInput>& a,
                const std::vector<PlannedInput>& b) {
  auto same = [](const PlannedInput& x, const PlannedInput& y) {
    return x.path == y.path && x.format == y.format &&
           x.destinations == y.destinations &&
           x.options.source_name == y.options.source_name &&
           x.options.file_name == y.options.file_name &&
           x.options.keep_hostname == y.options.keep_hostname &&
           x.follow == y.follow && x.follow_freq == y.follow_freq;
  };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same);
}

}  // namespace pydest::cli
