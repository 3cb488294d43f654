// The compiled value-pairs plan and its per-message evaluation
// (syslog-ng-behaviour.md §5.4): selected name-value pairs, then macros,
// then pair()s, each renamed by the rekey chain, later sources replacing
// earlier ones with the same final name, typed per §4.2, sorted by strcmp.
//
// Everything that depends only on the configuration is decided in Compile:
// the macros and pair()s with their final keys, merged into one list of
// steps in key order, and which fields of which timestamps the date macros
// need. Per message, only the name-value pairs are sorted (their names vary)
// and merged with the steps while the Record is written; each timestamp's
// date fields are rendered once (DateTexts) and shared by its macros.
// The name-value pairs come from PairCollector, their names' decisions from
// PairKeys.
#include "libpydest/value_pairs/value_pairs.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/message/date_texts.h"
#include "libpydest/message/message_rep.h"
#include "libpydest/template/pair_selection.h"
#include "libpydest/template/template.h"
#include "libpydest/types/type_converter.h"
#include "libpydest/value_pairs/pair_collector.h"
#include "libpydest/value_pairs/pair_keys.h"
#include "libpydest/value_pairs/rekey.h"

namespace pydest::internal {
namespace {

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

// A Record entry that still needs its type hint applied.
struct TypedEntry {
  uint32_t index;
  TypeHint hint;
};

// Marks an entry whose value on-error() left out, until it is removed.
constexpr uint32_t kOmittedKey = UINT32_MAX;

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
        omit_empty_(spec.omit_empty_values),
        pair_keys_(&selection_, &rekey_, &keys_),
        pair_collector_(&selection_, &pair_keys_, omit_empty_) {
    // 4.x types macros (FACILITY_NUM -> int, ...) unless cast(yes); 3.38's
    // python destination passes every macro as a string.
    typed_macros_ = options.version.AtLeast(4, 0) && !spec.cast.value_or(false);
  }

  absl::Status AddPair(const ValuePair& p) {
    auto t = Template::Compile(p.template_text);
    if (!t.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("value-pairs pair(\"", p.name, "\"): ",
                       std::string(t.status().message())));
    }
    templates_.push_back(std::move(*t));
    Step step;
    step.kind = StepKind::kPair;
    step.key = pair_keys_.Final(p.name);
    step.order = kPairOrderBase + static_cast<uint32_t>(templates_.size() - 1);
    step.hint = p.hint;
    step.pair = static_cast<uint32_t>(templates_.size() - 1);
    pair_steps_.push_back(step);
    return absl::OkStatus();
  }

  // Called once every pair() was added: builds the steps.
  void Finish() {
    std::vector<Step> macro_steps;
    for (MacroId id : selection_.macros()) {
      Step step;
      step.key = pair_keys_.Final(MacroName(id));
      step.order = kMacroOrderBase + static_cast<uint32_t>(macro_steps.size());
      step.hint = typed_macros_ ? MacroType(id) : TypeHint::kNone;
      step.macro = id;
      DateField field;
      MacroTime time;
      if (GetDateMacro(id, &field, &time)) {
        step.kind = StepKind::kDate;
        step.date_slot = static_cast<uint8_t>(DateSlot(time, field));
        date_fields_ |= DateFieldBit(field);
        date_times_ |= 1u << static_cast<int>(time);
      } else {
        step.kind = StepKind::kMacro;
      }
      macro_steps.push_back(step);
    }
    std::sort(macro_steps.begin(), macro_steps.end(), StepLess);
    std::sort(pair_steps_.begin(), pair_steps_.end(), StepLess);
    steps_.clear();
    std::merge(macro_steps.begin(), macro_steps.end(), pair_steps_.begin(),
               pair_steps_.end(), std::back_inserter(steps_), StepLess);
  }

  void Evaluate(const Message& msg, const MacroContext& ctx, Record* record,
                EvaluationReport* report) const override {
    record->Clear();
    std::string& buf = record->buffer;
    std::vector<RecordEntry>& entries = record->entries;
    thread_local std::vector<CollectedPair> pairs;
    thread_local std::vector<TypedEntry> typed;
    pairs.clear();
    typed.clear();

    // 1. Name-value pairs, sorted here: their names vary per message.
    if (selection_.walks_pairs()) {
      pair_collector_.Collect(MessageAccess::Rep(msg), &buf, &pairs);
    }

    // 2. The date fields the date macros need, each timestamp's rendered
    // once and copied into the buffer once; timestamps that render alike
    // (S_ and the unprefixed ones, usually C_ and P_) share their copy.
    uint64_t dates[kMacroTimeCount * kDateFieldCount];
    if (date_times_ != 0) CopyDates(msg, ctx, &buf, dates);

    // 3. Candidates in key order, straight into the Record: the pairs merged
    // with the steps. A candidate with the same final name as the one
    // before it replaces it (a later source wins); values that need a type
    // hint applied are listed and done in 4, once the winners are known.
    entries.reserve(pairs.size() + steps_.size());
    auto emit = [&](uint32_t key, TypeHint hint, size_t offset, size_t size) {
      if (!entries.empty() && entries.back().key == key) {
        if (!typed.empty() && typed.back().index == entries.size() - 1) {
          typed.pop_back();
        }
        entries.pop_back();
      }
      // Filled in place: an entry built on the stack and copied is read
      // back with 16-byte loads over its narrower stores, a store-forwarding
      // stall per value (the hottest spot of this loop when it was so).
      RecordEntry& e = entries.emplace_back();
      e.key = key;
      e.value_offset = static_cast<uint32_t>(offset);
      e.value_size = static_cast<uint32_t>(size);
      if (hint != TypeHint::kNone && hint != TypeHint::kString) {
        typed.push_back(
            TypedEntry{static_cast<uint32_t>(entries.size() - 1), hint});
      }
    };
    const CollectedPair* next_pair = pairs.data();
    const CollectedPair* const pairs_end = next_pair + pairs.size();
    for (const Step& step : steps_) {
      // On equal names the pair goes first: the step is a later source.
      while (next_pair != pairs_end &&
             CompareKeys(next_pair->key, step.key) <= 0) {
        const CollectedPair& p = *next_pair++;
        emit(p.key.id, TypeHint::kNone, p.offset, p.size);
      }
      switch (step.kind) {
        case StepKind::kDate: {
          // Empty macro values are left out (never the case for dates).
          const uint64_t span = dates[step.date_slot];
          const uint32_t size = static_cast<uint32_t>(span >> 32);
          if (size == 0) break;
          emit(step.key.id, step.hint, static_cast<uint32_t>(span), size);
          break;
        }
        case StepKind::kMacro: {
          size_t offset = buf.size();
          AppendMacro(step.macro, msg, ctx, &buf);
          if (buf.size() == offset) break;  // empty macros are left out
          emit(step.key.id, step.hint, offset, buf.size() - offset);
          break;
        }
        case StepKind::kPair: {
          // pair()s are kept even when empty, unless omit-empty-values.
          size_t offset = buf.size();
          templates_[step.pair]->Format(msg, ctx, &buf);
          if (omit_empty_ && buf.size() == offset) break;
          emit(step.key.id, step.hint, offset, buf.size() - offset);
          break;
        }
      }
    }
    for (; next_pair != pairs_end; ++next_pair) {
      emit(next_pair->key.id, TypeHint::kNone, next_pair->offset,
           next_pair->size);
    }

    // 4. Type hints, in key order (the order of the "Casting error" log).
    if (!typed.empty()) ApplyHints(typed, record, report);
  }

  const KeyTable& keys() const override { return keys_; }

 private:
  enum class StepKind : uint8_t { kDate, kMacro, kPair };
  // One macro or pair() of the plan.
  struct Step {
    KeyRef key;
    uint32_t order = 0;
    TypeHint hint = TypeHint::kNone;
    StepKind kind = StepKind::kMacro;
    uint8_t date_slot = 0;  // kDate: DateSlot(time, field)
    MacroId macro = 0;      // kMacro
    uint32_t pair = 0;                     // kPair: index into templates_
  };
  // Where a date macro finds its span in the per-message spans.
  static int DateSlot(MacroTime time, DateField field) {
    return static_cast<int>(time) * kDateFieldCount + static_cast<int>(field);
  }

  static bool StepLess(const Step& a, const Step& b) {
    int c = CompareKeys(a.key, b.key);
    return c != 0 ? c < 0 : a.order < b.order;
  }

  // Fills `dates` (indexed by DateSlot) for every timestamp the date
  // macros use: where each field is in the buffer, offset | size << 32.
  // One 8-byte store per field, read back by one 8-byte load (two 4-byte
  // stores read back as one 8-byte load stall store forwarding, per date
  // macro). The ThreadDateTexts of up to four timestamps asked for in a
  // row stay valid together, so equal ones are found by address.
  void CopyDates(const Message& msg, const MacroContext& ctx,
                 std::string* buf, uint64_t* dates) const {
    const TemplateOptions& options = MacroTemplateOptions(ctx);
    const DateTexts* copied[kMacroTimeCount];
    uint32_t copied_base[kMacroTimeCount];
    int ncopied = 0;
    for (int t = 0; t < kMacroTimeCount; ++t) {
      if ((date_times_ & (1u << t)) == 0) continue;
      DateTexts& texts = ThreadDateTexts(
          MacroTimestamp(static_cast<MacroTime>(t), msg, ctx), options);
      texts.Render(date_fields_);
      int i = 0;
      while (i < ncopied && copied[i] != &texts) ++i;
      if (i == ncopied) {
        copied[i] = &texts;
        copied_base[i] = static_cast<uint32_t>(buf->size());
        buf->append(texts.data(), texts.size());
        ++ncopied;
      }
      uint64_t* spans = dates + t * kDateFieldCount;
      for (int f = 0; f < kDateFieldCount; ++f) {
        if ((date_fields_ & (1u << f)) == 0) continue;
        spans[f] = (copied_base[i] + texts.offsets()[f]) |
                   static_cast<uint64_t>(texts.sizes()[f]) << 32;
      }
    }
  }

  // Applies the type hints of the entries listed in `typed`, in order.
  void ApplyHints(const std::vector<TypedEntry>& typed, Record* record,
                  EvaluationReport* report) const {
    std::string& buf = record->buffer;
    thread_local std::string list_text;
    bool omitted = false;
    for (const TypedEntry& t : typed) {
      RecordEntry& e = record->entries[t.index];
      TypedValue v;
      std::string_view text(buf.data() + e.value_offset, e.value_size);
      if (t.hint == TypeHint::kList) {
        // The items are appended to the buffer the text lives in.
        list_text.assign(text.data(), text.size());
        text = list_text;
      }
      size_t first_item = record->list_items.size();
      CastVerdict verdict =
          converter_.Convert(t.hint, text, &v, &buf, &record->list_items,
                             report ? &report->log : nullptr);
      if (v.failed && report) ++report->casting_errors;
      if (verdict == CastVerdict::kDropMessage) {
        // on-error(drop-message): the whole dict is abandoned.
        record->Clear();
        if (report) report->drop_message = true;
        return;
      }
      if (verdict == CastVerdict::kOmit) {
        e.key = kOmittedKey;
        omitted = true;
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
    if (omitted) {
      auto& entries = record->entries;
      entries.erase(std::remove_if(entries.begin(), entries.end(),
                                   [](const RecordEntry& e) {
                                     return e.key == kOmittedKey;
                                   }),
                    entries.end());
    }
  }

  PairSelection selection_;
  RekeyChain rekey_;
  TypeConverter converter_;
  bool omit_empty_;
  bool typed_macros_ = false;
  // Interned final key names; Intern is thread-safe.
  mutable KeyTable keys_;
  PairKeys pair_keys_;
  PairCollector pair_collector_;
  std::vector<std::shared_ptr<const Template>> templates_;  // pair()s
  std::vector<Step> pair_steps_;  // until Finish
  std::vector<Step> steps_;       // macros and pair()s in key order
  uint32_t date_fields_ = 0;      // DateFieldBit()s the date macros show
  uint32_t date_times_ = 0;       // bit per MacroTime they read
};

}  // namespace

absl::StatusOr<std::unique_ptr<ValuePairs>> ValuePairs::Compile(
    const ValuePairsSpec& spec, const ValuePairsOptions& options) {
  auto vp = std::make_unique<ValuePairsImpl>(spec, options);
  for (const ValuePair& p : spec.pairs) {
    auto st = vp->AddPair(p);
    if (!st.ok()) return st;
  }
  vp->Finish();
  return std::unique_ptr<ValuePairs>(std::move(vp));
}

}  // namespace pydest::internal
