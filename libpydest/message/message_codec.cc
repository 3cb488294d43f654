#include "libpydest/message/message_codec.h"

#include <cstddef>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libpydest/message/message_rep.h"
#include "libpydest/message/varint.h"

namespace pydest::internal {
namespace {

// Signed values (seconds before 1970, offsets west of UTC) zigzagged so
// that small magnitudes stay short.
void PutSigned(int64_t v, std::string* out) {
  PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63),
            out);
}

void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s.data(), s.size());
}

void PutTimestamp(const Timestamp& t, std::string* out) {
  PutSigned(t.unix_seconds, out);
  PutVarint(static_cast<uint32_t>(t.microseconds), out);
  PutSigned(t.utc_offset_seconds, out);
}

// Reads what PutVarint & co. wrote, failing on anything past the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Fail("truncated integer");
      const uint8_t byte = static_cast<uint8_t>(in_[pos_++]);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return Fail("integer longer than 10 bytes");
  }
  bool Signed(int64_t* v) {
    uint64_t u;
    if (!Varint(&u)) return false;
    *v = static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
    return true;
  }
  bool Small(uint64_t max, uint64_t* v, const char* what) {
    if (!Varint(v)) return false;
    if (*v > max) return Fail(what);
    return true;
  }
  bool String(std::string_view* s) {
    uint64_t n;
    if (!Varint(&n)) return false;
    if (n > in_.size() - pos_) return Fail("string longer than the record");
    *s = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // A count of items that each take at least one byte: larger than what is
  // left cannot be true, so a hostile count never drives a long loop.
  bool Count(uint64_t* n) {
    if (!Varint(n)) return false;
    if (*n > in_.size() - pos_) return Fail("count larger than the record");
    return true;
  }
  bool Byte(uint8_t* b) {
    if (pos_ >= in_.size()) return Fail("truncated");
    *b = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  bool Timestamp(pydest::Timestamp* t) {
    int64_t seconds, offset;
    uint64_t micros;
    if (!Signed(&seconds) || !Small(999999, &micros, "microseconds > 999999") ||
        !Signed(&offset)) {
      return false;
    }
    if (offset < -86400 || offset > 86400) return Fail("UTC offset > 1 day");
    t->unix_seconds = seconds;
    t->microseconds = static_cast<int32_t>(micros);
    t->utc_offset_seconds = static_cast<int32_t>(offset);
    return true;
  }

  bool at_end() const { return pos_ == in_.size(); }
  absl::Status error() const {
    return absl::DataLossError(
        absl::StrCat("message encoding: ", error_, " at byte ", error_pos_));
  }
  bool Fail(const char* what) {
    if (error_ == nullptr) {
      error_ = what;
      error_pos_ = pos_;
    }
    return false;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  const char* error_ = nullptr;
  size_t error_pos_ = 0;
};

}  // namespace

void EncodeMessage(const Message& message, std::string* out) {
  const MessageRep& rep = MessageAccess::Rep(message);
  out->push_back(static_cast<char>(kMessageCodecVersion));
  PutTimestamp(rep.stamp, out);
  PutTimestamp(rep.received, out);
  out->push_back(static_cast<char>(rep.facility));
  out->push_back(static_cast<char>(rep.severity));
  PutVarint(rep.flags, out);
  PutVarint(rep.builtin_set, out);
  for (int i = 0; i < kBuiltinPairCount; ++i) {
    if ((rep.builtin_set >> i) & 1u) PutString(rep.builtin[i], out);
  }
  PutVarint(rep.pairs.size(), out);
  for (const auto& [name, value] : rep.pairs) {
    PutString(name, out);
    PutString(value, out);
  }
  PutVarint(rep.sd.size(), out);
  for (const SdElement& element : rep.sd) {
    PutString(element.id, out);
    PutVarint(element.params.size(), out);
    for (const auto& [name, value] : element.params) {
      PutString(name, out);
      PutString(value, out);
    }
  }
  PutVarint(rep.tags.size(), out);
  for (const std::string& tag : rep.tags) PutString(tag, out);
  PutString(rep.source_ip, out);
  PutString(rep.dest_ip, out);
  PutSigned(rep.dest_port, out);
  PutSigned(rep.proto, out);
}

absl::StatusOr<Message> DecodeMessage(std::string_view bytes) {
  Reader in(bytes);
  MessageBuilder b;
  uint8_t version = 0;
  if (!in.Byte(&version)) return in.error();
  if (version != kMessageCodecVersion) {
    return absl::DataLossError(absl::StrCat(
        "message encoding: version ", version, " (this build reads ",
        kMessageCodecVersion, ")"));
  }
  Timestamp stamp, received;
  uint8_t facility = 0, severity = 0;
  uint64_t flags = 0, builtin_set = 0;
  if (!in.Timestamp(&stamp) || !in.Timestamp(&received) ||
      !in.Byte(&facility) || !in.Byte(&severity) ||
      !in.Small(UINT32_MAX, &flags, "flags wider than 32 bits") ||
      !in.Small((1u << kBuiltinPairCount) - 1, &builtin_set,
                "unknown built-in pair")) {
    return in.error();
  }
  if (facility > 23 || severity > 7) {
    in.Fail("facility or severity out of range");
    return in.error();
  }
  b.SetStamp(stamp).SetReceived(received).SetFacility(facility)
      .SetSeverity(severity).AddFlags(static_cast<uint32_t>(flags));
  std::string_view name, value;
  for (int i = 0; i < kBuiltinPairCount; ++i) {
    if (((builtin_set >> i) & 1u) == 0) continue;
    if (!in.String(&value)) return in.error();
    b.Set(kBuiltinPairNames[i], value);
  }
  uint64_t n = 0;
  if (!in.Count(&n)) return in.error();
  for (uint64_t i = 0; i < n; ++i) {
    if (!in.String(&name) || !in.String(&value)) return in.error();
    // A hostile encoding may repeat a name or use a built-in or SDATA
    // name here: Set files it where a builder would, nothing worse.
    b.Set(name, value);
  }
  if (!in.Count(&n)) return in.error();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view id;
    uint64_t params = 0;
    if (!in.String(&id) || !in.Count(&params)) return in.error();
    b.AddSdElement(id);
    for (uint64_t j = 0; j < params; ++j) {
      if (!in.String(&name) || !in.String(&value)) return in.error();
      b.AddSdParam(id, name, value);
    }
  }
  if (!in.Count(&n)) return in.error();
  for (uint64_t i = 0; i < n; ++i) {
    if (!in.String(&value)) return in.error();
    b.AddTag(value);
  }
  std::string_view source_ip, dest_ip;
  int64_t port = 0, proto = 0;
  if (!in.String(&source_ip) || !in.String(&dest_ip) || !in.Signed(&port) ||
      !in.Signed(&proto)) {
    return in.error();
  }
  if (port < INT32_MIN || port > INT32_MAX || proto < INT32_MIN ||
      proto > INT32_MAX) {
    in.Fail("port or protocol wider than 32 bits");
    return in.error();
  }
  b.SetSourceIp(source_ip).SetDestIp(dest_ip)
      .SetDestPort(static_cast<int>(port)).SetProto(static_cast<int>(proto));
  if (!in.at_end()) {
    in.Fail("bytes after the message");
    return in.error();
  }
  return b.Build();
}

}  // namespace pydest::internal
