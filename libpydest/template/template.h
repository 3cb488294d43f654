// A compiled syslog-ng template: literal text, $NAME, ${NAME},
// ${.SDATA.id.param}, $$ and template functions such as $(format-json ...).
// Compiled once per configuration; Format() needs no GIL and is
// thread-safe (a Template is immutable after Compile).
#ifndef LIBPYDEST_TEMPLATE_TEMPLATE_H_
#define LIBPYDEST_TEMPLATE_TEMPLATE_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libpydest/message/macros.h"
#include "pydest/message.h"

namespace pydest::internal {

class Template {
 public:
  // Errors (InvalidArgument) say what is wrong and where, e.g.
  // "template '${HOST': column 6: missing '}'"; unknown template functions
  // are errors that name the function. A text longer than kMaxTemplateBytes
  // or nested deeper than kMaxTemplateNesting (pydest/limits.h) is an error.
  static absl::StatusOr<std::shared_ptr<const Template>> Compile(
      std::string_view text);

  virtual ~Template() = default;
  // Appends the expansion for `msg` to `out`.
  virtual void Format(const Message& msg, const MacroContext& ctx,
                      std::string* out) const = 0;
  // The source text (empty for the argument templates inside a function
  // call).
  virtual const std::string& text() const = 0;
  // True when the template is one plain $NAME / ${NAME} reference (lets
  // value-pairs skip a copy); its name is then in `name`.
  virtual bool IsSingleReference(std::string* name) const = 0;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_TEMPLATE_TEMPLATE_H_
