// The compiled value-pairs plan and its per-message evaluation (spec
// section 5.4): selected name-value pairs, then macros, then pair()s, each
// renamed by the rekey chain, later sources replacing earlier ones with the
// same final name, typed per spec section 4.2, sorted by strcmp.
//
// Everything that depends only on the configuration is decided in Compile:
// the macro list with each macro's final key id, the pair() templates with
// theirs. Decisions for name-value pair names (selected? final key id?) are
// cached per name the first time a name is seen.
#include "libpydest/value_pairs/value_pairs.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libpydest/message/message_rep.h"
#include "libpydest/template/pair_selection.h"
#include "libpydest/template/template.h"
#include "libpydest/types/type_converter.h"
#include "libpydest/value_pairs/rekey.h"

namespace pydest::internal {
namespace {

// Past this many distinct pair names, new names are decided without being
// cached, so messages with ever-changing names cannot grow memory.
constexpr size_t kMaxCachedNames = 16384;

ValueKind ToValueKind(TypedKind k) {
  switch (k) {
    case TypedKind::kBytes: return ValueKind::kBytes;
    case TypedKind::kInt: return ValueKind::kInt;
    case TypedKind::kDouble: return ValueKind::kDouble;
    case TypedKind::kBool: return ValueKind::kBool;
    case TypedKind::kDateTime: return ValueKind::kDateTime;
    case TypedKind::kList: return ValueKind::kList;
    case TypedKind::kNull: return ValueKind::kNull;
  }
  return ValueKind::kBytes;
}

// One produced value before sorting and de-duplication.
struct Candidate {
  uint64_t prefix;            // KeyRef::prefix
  std::string_view key_name;  // owned by the KeyTable
  uint32_t key;
  uint32_t order;  // production order: later wins on equal names
  TypeHint hint;
  uint32_t offset;  // of the text in Record::buffer
  uint32_t size;
};

struct KeyRef {
  uint32_t id = 0;
  std::string_view name;
  // The first 8 bytes of name, big-endian, zero-padded: comparing prefixes
  // orders names as strcmp does whenever the prefixes differ.
  uint64_t prefix = 0;
};

uint64_t SortPrefix(std::string_view name) {
  uint64_t p = 0;
  for (size_t i = 0; i < 8; ++i) {
    p = (p << 8) | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0);
  }
  return p;
}

// strcmp order of the final names; production order among equal names.
bool CandidateLess(const Candidate& a, const Candidate& b) {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  int c = a.key_name.compare(b.key_name);
  return c != 0 ? c < 0 : a.order < b.order;
}

// Where each source's production order starts: nv-pairs, then macros, then
// pair()s, so a later source wins on equal names.
constexpr uint32_t kMacroOrderBase = 1u << 30;
constexpr uint32_t kPairOrderBase = 2u << 30;

class ValuePairsImpl final : public ValuePairs {
 public:
  ValuePairsImpl(const ValuePairsSpec& spec, const ValuePairsOptions& options)
      : selection_(spec.scopes, spec.patterns),
        rekey_(spec.rekeys),
        converter_(options.version, options.on_error),
        omit_empty_(spec.omit_empty_values) {
    // 4.x types macros (FACILITY_NUM -> int, ...) unless cast(yes); 3.38's
    // python destination passes every macro as a string.
    typed_macros_ = options.version.AtLeast(4, 0) && !spec.cast.value_or(false);
    for (int i = 0; i < kBuiltinPairCount; ++i) {
      builtin_[i].selected = selection_.SelectsPair(kBuiltinPairNames[i]);
      if (builtin_[i].selected) builtin_[i].key = FinalKey(kBuiltinPairNames[i]);
    }
    for (MacroId id : selection_.macros()) {
      macros_.push_back(MacroPlan{
          id, FinalKey(MacroName(id)),
          typed_macros_ ? MacroType(id) : TypeHint::kNone,
          kMacroOrderBase + static_cast<uint32_t>(macros_.size())});
    }
    SortPlans(&macros_);
  }

  absl::Status AddPair(const ValuePair& p) {
    auto t = Template::Compile(p.template_text);
    if (!t.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("value-pairs pair(\"", p.name, "\"): ",
                       std::string(t.status().message())));
    }
    pairs_.push_back(
        PairPlan{std::move(*t), p.hint, FinalKey(p.name),
                 kPairOrderBase + static_cast<uint32_t>(pairs_.size())});
    SortPlans(&pairs_);
    return absl::OkStatus();
  }

  void Evaluate(const Message& msg, const MacroContext& ctx, Record* record,
                EvaluationReport* report) const override {
    record->Clear();
    // Each source fills its own list; macros and pair()s come out already
    // sorted (their plans were sorted in Compile), the name-value pairs are
    // sorted here, and the three are merged.
    thread_local std::vector<Candidate> nv, fixed, candidates;
    nv.clear();
    fixed.clear();
    candidates.clear();
    std::string& buf = record->buffer;
    auto push = [&](std::vector<Candidate>& list, const KeyRef& key,
                    uint32_t order, TypeHint hint, size_t offset) {
      uint32_t size = static_cast<uint32_t>(buf.size() - offset);
      if (omit_empty_ && size == 0) {
        buf.resize(offset);
        return;
      }
      // Filled in place: a Candidate built on the stack and copied was
      // read back with 16-byte loads over its narrower stores, a
      // store-forwarding stall per value (the hottest spot of Evaluate for
      // scope(everything)).
      Candidate& c = list.emplace_back();
      c.prefix = key.prefix;
      c.key_name = key.name;
      c.key = key.id;
      c.order = order;
      c.hint = hint;
      c.offset = static_cast<uint32_t>(offset);
      c.size = size;
    };

    // 1. Name-value pairs; empty values are kept.
    if (selection_.walks_pairs()) {
      const MessageRep& rep = msg.rep();
      uint32_t order = 0;
      auto take = [&](const KeyRef& key, std::string_view value) {
        size_t offset = buf.size();
        buf.append(value.data(), value.size());
        push(nv, key, order++, TypeHint::kNone, offset);
      };
      // The built-in pairs' decisions were made at compile time.
      for (int i = 0; i < kBuiltinPairCount; ++i) {
        if (!rep.has_builtin(static_cast<BuiltinPair>(i)) ||
            !builtin_[i].selected) {
          continue;
        }
        take(builtin_[i].key, rep.builtin[i]);
      }
      KeyRef key;
      for (const auto& [name, value] : rep.pairs) {
        if (DecidePair(name, &key)) take(key, value);
      }
      thread_local std::string sd_name;
      for (const SdElement& e : rep.sd) {
        for (const auto& [param, value] : e.params) {
          sd_name.assign(kSdataPrefix.data(), kSdataPrefix.size());
          sd_name.append(e.id).append(".").append(param);
          if (DecidePair(sd_name, &key)) take(key, value);
        }
      }
      std::sort(nv.begin(), nv.end(), CandidateLess);
    }
    // 2. Macros and 3. pair()s, merged in key order. Empty macro values are
    // left out; pair()s are kept even when empty.
    size_t mi = 0, pi = 0;
    while (mi < macros_.size() || pi < pairs_.size()) {
      bool macro_next =
          pi >= pairs_.size() ||
          (mi < macros_.size() && !PlanLess(pairs_[pi].key, pairs_[pi].order,
                                            macros_[mi].key, macros_[mi].order));
      size_t offset = buf.size();
      if (macro_next) {
        const MacroPlan& m = macros_[mi++];
        AppendMacro(m.id, msg, ctx, &buf);
        if (buf.size() == offset) continue;
        push(fixed, m.key, m.order, m.hint, offset);
      } else {
        const PairPlan& p = pairs_[pi++];
        p.tmpl->Format(msg, ctx, &buf);
        push(fixed, p.key, p.order, p.hint, offset);
      }
    }
    std::merge(nv.begin(), nv.end(), fixed.begin(), fixed.end(),
               std::back_inserter(candidates), CandidateLess);
    record->entries.reserve(candidates.size());
    thread_local std::string list_text;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      if (i + 1 < candidates.size() && candidates[i + 1].key == c.key) {
        continue;  // a later source with the same final name wins
      }
      // Built in place for the same reason as Candidate; taken back when
      // the value is omitted.
      RecordEntry& e = record->entries.emplace_back();
      e.key = c.key;
      e.value_offset = c.offset;
      e.value_size = c.size;
      if (c.hint != TypeHint::kNone && c.hint != TypeHint::kString) {
        TypedValue v;
        std::string_view text(buf.data() + c.offset, c.size);
        if (c.hint == TypeHint::kList) {
          // The items are appended to the buffer the text lives in.
          list_text.assign(text.data(), text.size());
          text = list_text;
        }
        size_t first_item = record->list_items.size();
        CastVerdict verdict = converter_.Convert(
            c.hint, text, &v, &buf, &record->list_items,
            report ? &report->log : nullptr);
        if (v.failed && report) ++report->casting_errors;
        if (verdict == CastVerdict::kDropMessage) {
          // on-error(drop-message): the whole dict is abandoned.
          record->Clear();
          if (report) report->drop_message = true;
          return;
        }
        if (verdict == CastVerdict::kOmit) {
          record->entries.pop_back();
          continue;
        }
        e.kind = ToValueKind(v.kind);
        e.integer = v.integer;
        e.real = v.real;
        if (e.kind == ValueKind::kList) {
          e.value_offset = static_cast<uint32_t>(first_item);
          e.value_size =
              static_cast<uint32_t>(record->list_items.size() - first_item);
        }
      }
    }
  }

  const KeyTable& keys() const override { return keys_; }

 private:
  struct MacroPlan {
    MacroId id;
    KeyRef key;
    TypeHint hint;
    uint32_t order;
  };
  struct PairPlan {
    std::shared_ptr<const Template> tmpl;
    TypeHint hint;
    KeyRef key;
    uint32_t order;
  };

  static bool PlanLess(const KeyRef& a, uint32_t a_order, const KeyRef& b,
                       uint32_t b_order) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    int c = a.name.compare(b.name);
    return c != 0 ? c < 0 : a_order < b_order;
  }
  template <typename Plan>
  static void SortPlans(std::vector<Plan>* plans) {
    std::sort(plans->begin(), plans->end(),
              [](const Plan& a, const Plan& b) {
                return PlanLess(a.key, a.order, b.key, b.order);
              });
  }
  struct NameDecision {
    bool selected = false;
    KeyRef key;
  };

  KeyRef FinalKey(std::string_view name) const {
    KeyRef ref;
    if (rekey_.empty()) {
      ref.id = keys_.Intern(name);
    } else {
      thread_local std::string renamed;
      rekey_.Apply(name, &renamed);
      ref.id = keys_.Intern(renamed);
    }
    ref.name = keys_.Name(ref.id);
    ref.prefix = SortPrefix(ref.name);
    return ref;
  }

  bool DecidePair(std::string_view name, KeyRef* key) const {
    absl::string_view lookup(name.data(), name.size());
    {
      std::shared_lock<std::shared_mutex> lock(cache_mu_);
      auto it = cache_.find(lookup);
      if (it != cache_.end()) {
        *key = it->second.key;
        return it->second.selected;
      }
    }
    NameDecision d;
    d.selected = selection_.SelectsPair(name);
    if (d.selected) d.key = FinalKey(name);
    std::unique_lock<std::shared_mutex> lock(cache_mu_);
    if (cache_.size() < kMaxCachedNames) cache_.emplace(std::string(name), d);
    *key = d.key;
    return d.selected;
  }

  PairSelection selection_;
  RekeyChain rekey_;
  TypeConverter converter_;
  bool omit_empty_;
  bool typed_macros_ = false;
  std::vector<MacroPlan> macros_;
  std::vector<PairPlan> pairs_;
  // Interned final key names; Intern is thread-safe.
  mutable KeyTable keys_;
  std::array<NameDecision, kBuiltinPairCount> builtin_;
  // A shared_mutex: lookups of known names only take it shared (and it
  // skips absl::Mutex's deadlock detection in debug builds).
  mutable std::shared_mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, NameDecision> cache_;  // cache_mu_
};

}  // namespace

absl::StatusOr<std::unique_ptr<ValuePairs>> ValuePairs::Compile(
    const ValuePairsSpec& spec, const ValuePairsOptions& options) {
  auto vp = std::make_unique<ValuePairsImpl>(spec, options);
  for (const ValuePair& p : spec.pairs) {
    auto st = vp->AddPair(p);
    if (!st.ok()) return st;
  }
  return std::unique_ptr<ValuePairs>(std::move(vp));
}

}  // namespace pydest::internal
