#include "libpydest/config/disk_buffer_parser.h"

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libpydest/config/diagnostics.h"
#include "libpydest/config/lexer.h"

namespace pydest {
namespace config_internal {
namespace {

// syslog-ng's names first, then AxoSyslog's for the same options.
const std::vector<std::string_view>& DiskBufferOptionNames() {
  static const auto* const kNames = new std::vector<std::string_view>{
      "reliable",          "dir",
      "disk-buf-size",     "mem-buf-size",
      "mem-buf-length",    "front-cache-size",
      "qout-size",         "truncate-size-ratio",
      "prealloc",          "capacity-bytes",
      "flow-control-window-bytes", "flow-control-window-size",
      "compaction"};
  return *kNames;
}

// truncate-size-ratio(0.1): a number from 0 to 1.
absl::StatusOr<double> ReadRatio(TokenStream& in, const std::string& option) {
  PYDEST_CFG_ASSIGN_OR_RETURN(Token token, in.Next());
  const std::string text = token.text;
  char* end = nullptr;
  const double value = IsScalar(token) && !text.empty()
                           ? std::strtod(text.c_str(), &end)
                           : -1;
  if (end == nullptr || *end != '\0' || !(value >= 0 && value <= 1)) {
    return in.ErrorAt(token.pos,
                      absl::StrCat(option, " expects a number from 0 to 1, got ",
                                   DescribeToken(token)));
  }
  PYDEST_CFG_RETURN_IF_ERROR(
      in.Expect(TokenKind::kRParen, absl::StrCat("')' to close ", option))
          .status());
  return value;
}

}  // namespace

absl::Status ParseDiskBufferBody(TokenStream& in, DiskBufferSpec* out) {
  while (true) {
    PYDEST_CFG_ASSIGN_OR_RETURN(Token name, in.Next());
    if (name.kind == TokenKind::kRParen) break;
    if (name.kind != TokenKind::kWord) {
      return in.ErrorAt(name.pos,
                        absl::StrCat("expected a disk-buffer() option or ')', "
                                     "got ",
                                     DescribeToken(name)));
    }
    const std::string canonical = CanonicalName(name.text);
    bool known = false;
    for (std::string_view option : DiskBufferOptionNames()) {
      known = known || option == canonical;
    }
    if (!known) {
      return in.ErrorAt(
          name.pos,
          absl::StrCat("unknown option '", name.text, "' in disk-buffer()",
                       DidYouMean(name.text, DiskBufferOptionNames())));
    }
    PYDEST_CFG_RETURN_IF_ERROR(
        in.Expect(TokenKind::kLParen, absl::StrCat("'(' after '", name.text,
                                                   "'"))
            .status());
    const std::string option = absl::StrCat(canonical, "()");
    if (canonical == "reliable") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->reliable, in.ReadBoolArg(option));
    } else if (canonical == "prealloc") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->prealloc, in.ReadBoolArg(option));
    } else if (canonical == "compaction") {
      PYDEST_CFG_ASSIGN_OR_RETURN(out->compaction, in.ReadBoolArg(option));
    } else if (canonical == "dir") {
      PYDEST_CFG_ASSIGN_OR_RETURN(Token value, in.Peek());
      PYDEST_CFG_ASSIGN_OR_RETURN(out->dir, in.ReadStringArg(option));
      if (out->dir.empty()) {
        return in.ErrorAt(value.pos, "dir() must name a folder");
      }
    } else if (canonical == "disk-buf-size" || canonical == "capacity-bytes") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 0));
      out->disk_buf_size =
          std::max<uint64_t>(static_cast<uint64_t>(n), kMinDiskBufSize);
    } else if (canonical == "mem-buf-size" ||
               canonical == "flow-control-window-bytes") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 0));
      out->mem_buf_size = static_cast<uint64_t>(n);
    } else if (canonical == "mem-buf-length" ||
               canonical == "flow-control-window-size") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      out->mem_buf_length = static_cast<uint64_t>(n);
    } else if (canonical == "front-cache-size" || canonical == "qout-size") {
      PYDEST_CFG_ASSIGN_OR_RETURN(int64_t n, in.ReadIntArg(option, 1));
      out->front_cache_size = static_cast<uint64_t>(n);
    } else {  // truncate-size-ratio
      PYDEST_CFG_ASSIGN_OR_RETURN(double ratio, ReadRatio(in, option));
      out->truncate_size_ratio = ratio;
    }
  }
  return absl::OkStatus();
}

}  // namespace config_internal
}  // namespace pydest
