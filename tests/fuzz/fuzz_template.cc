// Fuzzes template compilation and expansion (libpydest/template): the input
// is a template text; when it compiles it is formatted against a rich
// message and an empty one under the default and the odd template options,
// and what it expands to is given each type hint through value-pairs, so the
// casts of libpydest/types run on it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "libpydest/template/template.h"
#include "libpydest/value_pairs/value_pairs.h"

namespace {

using pydest::TypeHint;
using pydest::internal::MacroContext;
using pydest::internal::ValuePairs;

// pair("pN" hint("${FUZZ}")) for every hint, under the 3.38 and 4.0 rules:
// the expansion is cast by each hint without compiling the input again.
const std::unique_ptr<ValuePairs>* CastingValuePairs() {
  static const auto* const kValuePairs = [] {
    constexpr TypeHint kHints[] = {
        TypeHint::kNone,    TypeHint::kString,   TypeHint::kLiteral,
        TypeHint::kInt32,   TypeHint::kInt64,    TypeHint::kDouble,
        TypeHint::kBoolean, TypeHint::kDateTime, TypeHint::kList,
        TypeHint::kJson,    TypeHint::kNull,
    };
    pydest::ValuePairsSpec spec;
    for (TypeHint hint : kHints) {
      spec.pairs.push_back(pydest::ValuePair{
          "p" + std::to_string(static_cast<int>(hint)), "${FUZZ}", hint});
    }
    auto* all = new std::unique_ptr<ValuePairs>[2];
    pydest::internal::ValuePairsOptions options;
    options.on_error = pydest::OnError::kDropProperty;
    options.version = {3, 38};
    all[0] = std::move(ValuePairs::Compile(spec, options)).value();
    options.version = {4, 0};
    all[1] = std::move(ValuePairs::Compile(spec, options)).value();
    return all;
  }();
  return kValuePairs;
}

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
    (*compiled)->Format(pydest::Message(), ctx, &out);
    out.clear();
    (*compiled)->Format(pydest::fuzz::RichMessage(), ctx, &out);
  }
  std::string name;
  (*compiled)->IsSingleReference(&name);

  pydest::Message expanded = pydest::MessageBuilder().Set("FUZZ", out).Build();
  MacroContext ctx = pydest::fuzz::FixedContext(&kDefaults);
  for (int v = 0; v < 2; ++v) {
    pydest::internal::Record record;
    pydest::internal::EvaluationReport report;
    CastingValuePairs()[v]->Evaluate(expanded, ctx, &record, &report);
  }
  return 0;
}
