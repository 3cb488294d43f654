#include "tools/pydest/destination_plan.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pydest::cli {
namespace {

std::string Absolute(const std::string& dir) {
  // An existing directory by its canonical name ("build/../examples/seed"
  // becomes ".../examples/seed"); one that does not exist (yet) as given.
  char resolved[PATH_MAX];
  if (!dir.empty() && realpath(dir.c_str(), resolved) != nullptr) {
    return resolved;
  }
  if (!dir.empty() && dir[0] == '/') return dir;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == nullptr) return dir;
  std::string base = cwd;
  if (dir.empty() || dir == ".") return base;
  std::string rel = dir;
  if (rel.rfind("./", 0) == 0) rel = rel.substr(2);
  if (base.back() != '/') base += '/';
  return base + rel;
}

std::string DirectoryOf(const std::string& file) {
  size_t slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return file.substr(0, slash);
}

std::string DefinedNames(const Config& config) {
  std::vector<std::string> names;
  for (const ConfiguredDestination& d : config.destinations) {
    names.push_back(d.name);
  }
  return absl::StrJoin(names, ", ");
}

std::string ScopeNames(uint32_t scopes) {
  if ((scopes & kScopeEverything) == kScopeEverything) return "everything";
  std::vector<std::string> names;
  if ((scopes & kScopeAllNvPairs) == kScopeAllNvPairs) {
    names.push_back("all-nv-pairs");
  } else {
    if (scopes & kScopeNvPairs) names.push_back("nv-pairs");
    if (scopes & kScopeDotNvPairs) names.push_back("dot-nv-pairs");
  }
  if (scopes & kScopeRfc3164) names.push_back("rfc3164");
  if (scopes & kScopeRfc5424) names.push_back("rfc5424");
  if (scopes & kScopeAllMacros) {
    names.push_back("all-macros");
  } else if (scopes & kScopeSelectedMacros) {
    names.push_back("selected-macros");
  }
  if (scopes & kScopeSdata) names.push_back("sdata");
  return absl::StrJoin(names, " ");
}

}  // namespace

absl::StatusOr<std::vector<ConfiguredDestination>> SelectDestinations(
    const Config& config, const std::vector<std::string>& names) {
  if (config.destinations.empty()) {
    return absl::InvalidArgumentError(
        "the configuration defines no python() destination");
  }
  if (names.empty()) return config.destinations;
  std::vector<ConfiguredDestination> chosen;
  std::vector<std::string> seen;
  for (const std::string& name : names) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    auto it = std::find_if(
        config.destinations.begin(), config.destinations.end(),
        [&](const ConfiguredDestination& d) { return d.name == name; });
    if (it == config.destinations.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown destination '", name,
                       "'; the configuration's python() destinations are: ",
                       DefinedNames(config)));
    }
    seen.push_back(name);
    chosen.push_back(*it);
  }
  return chosen;
}

void SetPythonPath(const std::vector<std::string>& extra_dirs,
                   const std::string& config_file,
                   DestinationOptions* options) {
  std::vector<std::string> path;
  auto add = [&path](const std::string& dir) {
    std::string abs = Absolute(dir);
    if (std::find(path.begin(), path.end(), abs) == path.end()) {
      path.push_back(std::move(abs));
    }
  };
  for (const std::string& dir : extra_dirs) add(dir);
  for (const std::string& dir : options->python_path) add(dir);
  add(DirectoryOf(config_file));
  options->python_path = std::move(path);
}

std::string DescribeValuePairs(const std::optional<ValuePairsSpec>& spec) {
  if (!spec.has_value()) return "none (send() receives a LogMessage)";
  std::vector<std::string> parts;
  if (spec->scopes != 0) {
    parts.push_back(absl::StrCat("scope(", ScopeNames(spec->scopes), ")"));
  }
  for (const KeyPattern& p : spec->patterns) {
    parts.push_back(
        absl::StrCat(p.include ? "key(\"" : "exclude(\"", p.glob, "\")"));
  }
  if (!spec->pairs.empty()) {
    parts.push_back(absl::StrCat(spec->pairs.size(), " pair()"));
  }
  if (!spec->rekeys.empty()) {
    parts.push_back(absl::StrCat(spec->rekeys.size(), " rekey()"));
  }
  if (spec->cast.has_value()) {
    parts.push_back(*spec->cast ? "cast(yes)" : "cast(no)");
  }
  if (spec->omit_empty_values) parts.push_back("omit-empty-values");
  if (parts.empty()) return "empty";
  return absl::StrJoin(parts, " ");
}

std::string DescribeDestination(const ConfiguredDestination& d) {
  const DestinationOptions& o = d.options;
  std::string out = absl::StrCat(
      d.name, ": class(", o.class_name, ") value-pairs(",
      DescribeValuePairs(o.value_pairs), ") workers(", o.workers, ")");
  if (o.batch_lines.has_value() && *o.batch_lines > 1) {
    absl::StrAppend(&out, " batch-lines(", *o.batch_lines, ")");
  }
  if (!d.file.empty()) absl::StrAppend(&out, " [", d.file, ":", d.line, "]");
  return out;
}

}  // namespace pydest::cli
