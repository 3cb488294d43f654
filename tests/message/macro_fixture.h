// Test support for the macro tests: timestamps at a civil time, and a
// fixture that evaluates a macro by name. Test-only.
#ifndef TESTS_MESSAGE_MACRO_FIXTURE_H_
#define TESTS_MESSAGE_MACRO_FIXTURE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libpydest/message/macros.h"
#include "pydest/message.h"
#include "pydest/template_options.h"

namespace pydest::internal {

// A timestamp at the given UTC civil time, expressed in `offset` seconds.
inline Timestamp At(int y, int mo, int d, int h, int mi, int s, int usec = 0,
                    int32_t offset = 0) {
  absl::Time t = absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                                 absl::UTCTimeZone());
  return Timestamp::FromTime(t + absl::Microseconds(usec), offset);
}

// A timestamp whose *local* civil time (in `offset`) is the one given.
inline Timestamp LocalAt(int y, int mo, int d, int h, int mi, int s,
                         int32_t offset, int usec = 0) {
  Timestamp ts = At(y, mo, d, h, mi, s, usec, offset);
  ts.unix_seconds -= offset;
  return ts;
}

class MacrosTest : public ::testing::Test {
 protected:
  MacrosTest() { ctx_.template_options = &options_; }

  std::string Eval(std::string_view name, const Message& m) {
    std::optional<MacroId> id = LookupMacro(name);
    EXPECT_TRUE(id.has_value()) << name;
    std::string out;
    if (id) AppendMacro(*id, m, ctx_, &out);
    return out;
  }
  std::string EvalStamp(std::string_view name, Timestamp stamp) {
    return Eval(name, MessageBuilder().SetStamp(stamp).Build());
  }

  TemplateOptions options_;
  MacroContext ctx_;
};

}  // namespace pydest::internal

#endif  // TESTS_MESSAGE_MACRO_FIXTURE_H_
