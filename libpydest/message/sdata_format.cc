// $SDATA rendering.
#include "libpydest/message/sdata_format.h"

#include <string_view>

#include "libpydest/message/format_digits.h"

namespace pydest::internal {
namespace {

constexpr std::string_view kMeta = "meta";
constexpr std::string_view kSequenceId = "sequenceId";

void AppendEscapedValue(std::string_view value, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '"' || c == '\\' || c == ']') {
      out->append(value.data() + start, i - start);
      out->push_back('\\');
      start = i;
    }
  }
  out->append(value.data() + start, value.size() - start);
}

void AppendSequenceIdParam(uint64_t seqnum, std::string* out) {
  out->append(" sequenceId=\"");
  AppendUnsigned(seqnum, out);
  out->push_back('"');
}

bool HasSequenceId(const MessageRep& rep) {
  for (const SdElement& e : rep.sd) {
    if (e.id != kMeta) continue;
    for (const auto& param : e.params) {
      if (param.first == kSequenceId) return true;
    }
  }
  return false;
}

}  // namespace

void AppendSdata(const MessageRep& rep, uint64_t seqnum, std::string* out) {
  bool need_seqnum = seqnum != 0 && !HasSequenceId(rep);
  for (const SdElement& e : rep.sd) {
    // An element without parameters ("[id]" in the input) stays "[id]".
    bool add_seqnum_here = need_seqnum && e.id == kMeta;
    out->push_back('[');
    out->append(e.id);
    if (add_seqnum_here) {
      AppendSequenceIdParam(seqnum, out);
      need_seqnum = false;
    }
    for (const auto& [name, value] : e.params) {
      out->push_back(' ');
      out->append(name);
      out->append("=\"");
      AppendEscapedValue(value, out);
      out->push_back('"');
    }
    out->push_back(']');
  }
  if (need_seqnum) {
    out->append("[meta");
    AppendSequenceIdParam(seqnum, out);
    out->push_back(']');
  }
}

}  // namespace pydest::internal
