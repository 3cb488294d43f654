#include "libpydest/template/pair_selection.h"

#include <algorithm>

#include "libpydest/message/message_rep.h"

namespace pydest::internal {
namespace {

constexpr std::string_view kRfc3164Set[] = {"FACILITY", "PRIORITY", "HOST",
                                            "PROGRAM",  "PID",      "MESSAGE",
                                            "DATE"};
constexpr std::string_view kSelectedExtra[] = {"TAGS", "SOURCEIP", "SEQNUM"};

bool IsSdataName(std::string_view name) {
  return name.size() > kSdataPrefix.size() &&
         name.compare(0, kSdataPrefix.size(), kSdataPrefix) == 0;
}

}  // namespace

bool ParseScopeName(std::string_view name, uint32_t* bits) {
  struct Entry {
    std::string_view name;
    uint32_t bits;
  };
  static constexpr Entry kScopes[] = {
      {"nv-pairs", kScopeNvPairs},
      {"dot-nv-pairs", kScopeDotNvPairs},
      {"all-nv-pairs", kScopeAllNvPairs},
      {"rfc3164", kScopeRfc3164},
      {"core", kScopeRfc3164},
      {"base", kScopeRfc3164},
      {"rfc5424", kScopeRfc5424},
      {"syslog-proto", kScopeRfc5424},
      {"selected-macros", kScopeSelectedMacros},
      {"all-macros", kScopeAllMacros},
      {"sdata", kScopeSdata},
      {"everything", kScopeEverything},
      {"none", 0},
  };
  for (const Entry& e : kScopes) {
    if (e.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      char c = name[i] == '_' ? '-' : name[i];
      same = c == e.name[i];
    }
    if (same) {
      *bits = e.bits;
      return true;
    }
  }
  return false;
}

PairSelection::PairSelection(uint32_t scopes,
                             const std::vector<KeyPattern>& patterns)
    : scopes_(scopes) {
  for (const KeyPattern& p : patterns) {
    patterns_.emplace_back(p.include, Glob(p.glob));
  }
  walks_pairs_ = !patterns_.empty() ||
                 (scopes & (kScopeNvPairs | kScopeDotNvPairs | kScopeSdata |
                            kScopeRfc5424)) != 0;

  std::vector<bool> seen(MacroCount(), false);
  auto add = [&](MacroId id) {
    if (!seen[id]) {
      seen[id] = true;
      macros_.push_back(id);
    }
  };
  auto add_named = [&](std::string_view name) {
    if (!Decide(name, true)) return;
    if (auto id = LookupMacro(name)) add(*id);
  };
  if (!patterns_.empty()) {
    for (MacroId id : AllMacros()) {
      if (Decide(MacroName(id), false)) add(id);
    }
  }
  if (scopes & (kScopeRfc3164 | kScopeRfc5424 | kScopeSelectedMacros)) {
    for (std::string_view n : kRfc3164Set) add_named(n);
  }
  if (scopes & kScopeRfc5424) add_named("MSGID");
  if (scopes & kScopeSelectedMacros) {
    for (std::string_view n : kSelectedExtra) add_named(n);
  }
  if (scopes & kScopeAllMacros) {
    for (MacroId id : AllMacros()) {
      if (Decide(MacroName(id), true)) add(id);
    }
  }
}

bool PairSelection::Decide(std::string_view name, bool initial) const {
  bool decision = initial;
  for (const auto& [include, glob] : patterns_) {
    if (glob.Matches(name)) decision = include;
  }
  return decision;
}

bool PairSelection::SelectsPair(std::string_view name) const {
  bool dot = !name.empty() && name[0] == '.';
  bool included = (dot && (scopes_ & kScopeDotNvPairs)) ||
                  (!dot && (scopes_ & kScopeNvPairs)) ||
                  ((scopes_ & (kScopeSdata | kScopeRfc5424)) &&
                   IsSdataName(name));
  return Decide(name, included);
}

}  // namespace pydest::internal
