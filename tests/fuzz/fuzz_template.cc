// Fuzzes template compilation and expansion (libpydest/template): the input
// is a template text; when it compiles it is formatted against a rich
// message under the default and the odd template options, and used as a
// pair() template with each type hint, so the casts of libpydest/types run
// on what it expands to.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "libpydest/template/template.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace {

using pydest::TypeHint;
using pydest::internal::MacroContext;
using pydest::internal::ValuePairs;

constexpr TypeHint kHints[] = {
    TypeHint::kNone,   TypeHint::kString,  TypeHint::kLiteral,
    TypeHint::kInt32,  TypeHint::kInt64,   TypeHint::kDouble,
    TypeHint::kBoolean, TypeHint::kDateTime, TypeHint::kList,
    TypeHint::kJson,   TypeHint::kNull,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto compiled = pydest::internal::Template::Compile(text);
  if (!compiled.ok()) return 0;

  static const pydest::TemplateOptions kDefaults;
  const pydest::TemplateOptions* each[] = {
      &kDefaults, &pydest::fuzz::OddTemplateOptions()};
  std::string out;
  for (const pydest::TemplateOptions* o : each) {
    MacroContext ctx = pydest::fuzz::FixedContext(o);
    out.clear();
    (*compiled)->Format(pydest::fuzz::RichMessage(), ctx, &out);
    (*compiled)->Format(pydest::Message(), ctx, &out);
  }
  std::string name;
  (*compiled)->IsSingleReference(&name);

  // The same text as pair("p" hint(TEXT)), under both typing rules.
  pydest::ValuePairsSpec spec;
  for (TypeHint hint : kHints) {
    pydest::ValuePair pair;
    pair.name = "p" + std::to_string(static_cast<int>(hint));
    pair.template_text = std::string(text);
    pair.hint = hint;
    spec.pairs.push_back(std::move(pair));
  }
  const pydest::ConfigVersion versions[] = {{3, 38}, {4, 0}};
  MacroContext ctx = pydest::fuzz::FixedContext(&kDefaults);
  for (const pydest::ConfigVersion& version : versions) {
    pydest::internal::ValuePairsOptions options;
    options.version = version;
    options.on_error = pydest::OnError::kDropProperty;
    auto vp = ValuePairs::Compile(spec, options);
    if (!vp.ok()) __builtin_trap();  // the template compiled above
    pydest::internal::Record record;
    pydest::internal::EvaluationReport report;
    (*vp)->Evaluate(pydest::fuzz::RichMessage(), ctx, &record, &report);
  }
  return 0;
}
