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
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
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
};

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
    for (MacroId id : selection_.macros()) {
      macros_.push_back(MacroPlan{id, FinalKey(MacroName(id)),
                                  typed_macros_ ? MacroType(id) : TypeHint::kNone});
    }
  }

  absl::Status AddPair(const ValuePair& p) {
    auto t = Template::Compile(p.template_text);
    if (!t.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("value-pairs pair(\"", p.name, "\"): ",
                       std::string(t.status().message())));
    }
    pairs_.push_back(PairPlan{std::move(*t), p.hint, FinalKey(p.name)});
    return absl::OkStatus();
  }

  void Evaluate(const Message& msg, const MacroContext& ctx, Record* record,
                EvaluationReport* report) const override {
    record->Clear();
    thread_local std::vector<Candidate> candidates;
    candidates.clear();
    std::string& buf = record->buffer;
    uint32_t order = 0;
    auto push = [&](KeyRef key, TypeHint hint, size_t offset) {
      uint32_t size = static_cast<uint32_t>(buf.size() - offset);
      if (omit_empty_ && size == 0) {
        buf.resize(offset);
        return;
      }
      candidates.push_back(Candidate{key.name, key.id, order++, hint,
                                     static_cast<uint32_t>(offset), size});
    };

    // 1. Name-value pairs; empty values are kept.
    if (selection_.walks_pairs()) {
      msg.ForEachPair([&](std::string_view name, std::string_view value) {
        KeyRef key;
        if (!DecidePair(name, &key)) return;
        size_t offset = buf.size();
        buf.append(value.data(), value.size());
        push(key, TypeHint::kNone, offset);
      });
    }
    // 2. Macros; empty values are left out.
    for (const MacroPlan& m : macros_) {
      size_t offset = buf.size();
      AppendMacro(m.id, msg, ctx, &buf);
      if (buf.size() == offset) continue;
      push(m.key, m.hint, offset);
    }
    // 3. pair()s, kept even when empty.
    for (const PairPlan& p : pairs_) {
      size_t offset = buf.size();
      p.tmpl->Format(msg, ctx, &buf);
      push(p.key, p.hint, offset);
    }

    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) {
                int c = a.key_name.compare(b.key_name);
                return c != 0 ? c < 0 : a.order < b.order;
              });
    record->entries.reserve(candidates.size());
    thread_local std::string list_text;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      if (i + 1 < candidates.size() && candidates[i + 1].key == c.key) {
        continue;  // a later source with the same final name wins
      }
      RecordEntry e;
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
        if (verdict == CastVerdict::kOmit) continue;
        e.kind = ToValueKind(v.kind);
        e.integer = v.integer;
        e.real = v.real;
        if (e.kind == ValueKind::kList) {
          e.value_offset = static_cast<uint32_t>(first_item);
          e.value_size =
              static_cast<uint32_t>(record->list_items.size() - first_item);
        }
      }
      record->entries.push_back(e);
    }
  }

  const KeyTable& keys() const override { return keys_; }

 private:
  struct MacroPlan {
    MacroId id;
    KeyRef key;
    TypeHint hint;
  };
  struct PairPlan {
    std::shared_ptr<const Template> tmpl;
    TypeHint hint;
    KeyRef key;
  };
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
    return ref;
  }

  bool DecidePair(std::string_view name, KeyRef* key) const {
    absl::string_view lookup(name.data(), name.size());
    {
      absl::ReaderMutexLock lock(&cache_mu_);
      auto it = cache_.find(lookup);
      if (it != cache_.end()) {
        *key = it->second.key;
        return it->second.selected;
      }
    }
    NameDecision d;
    d.selected = selection_.SelectsPair(name);
    if (d.selected) d.key = FinalKey(name);
    absl::MutexLock lock(&cache_mu_);
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
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, NameDecision> cache_
      ABSL_GUARDED_BY(cache_mu_);
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
