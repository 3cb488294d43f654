// The private representation behind pydest::Message, and MessageAccess, the
// way libpydest's own layers (macros, value-pairs, the Python view) read it
// directly for speed; hosts use the accessors in include/pydest/message.h.
#ifndef LIBPYDEST_MESSAGE_MESSAGE_REP_H_
#define LIBPYDEST_MESSAGE_MESSAGE_REP_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libpydest/message/pair_index.h"
#include "pydest/message.h"

namespace pydest::internal {

// syslog-ng's built-in name-value pairs get fixed slots: they are on nearly
// every message and are read by most scopes.
enum class BuiltinPair : uint8_t {
  kHost,
  kHostFrom,
  kProgram,
  kPid,
  kMsgId,
  kMessage,
  kSource,
  kLegacyMsgHdr,
  kFileName,
};
inline constexpr int kBuiltinPairCount = 9;
inline constexpr std::array<std::string_view, kBuiltinPairCount>
    kBuiltinPairNames = {kHost,    kHostFrom, kProgram,      kPid,     kMsgId,
                         kMessage, kSource,   kLegacyMsgHdr, kFileName};

// The slot of a built-in pair name, or nullopt for any other name.
std::optional<BuiltinPair> FindBuiltinPair(std::string_view name);

struct SdElement {
  std::string id;
  std::vector<std::pair<std::string, std::string>> params;
};

struct MessageRep {
  Timestamp stamp;
  Timestamp received;
  uint8_t facility = kFacilityUser;
  uint8_t severity = kSeverityNotice;
  uint32_t flags = 0;

  std::array<std::string, kBuiltinPairCount> builtin;
  uint32_t builtin_set = 0;  // bit i: builtin[i] is set

  // Every other pair, in insertion order.
  std::vector<std::pair<std::string, std::string>> pairs;
  PairIndex pair_index;  // the builder's lookup into `pairs` (pair_index.h)
  std::vector<SdElement> sd;
  std::vector<std::string> tags;

  std::string source_ip;
  std::string dest_ip;
  int dest_port = 0;
  int proto = 0;

  // Lifetime (message.cc, rep_pool.h): the references of Messages and of
  // the builder. The empty message's rep is immortal and never counted.
  mutable std::atomic<uint32_t> refs{1};
  bool immortal = false;
  MessageRep* next_free = nullptr;  // link in the pool of unused reps

  // Back to a new message's state, keeping the strings' buffers.
  void Reset();

  bool has_builtin(BuiltinPair p) const {
    return (builtin_set >> static_cast<int>(p)) & 1u;
  }
  const std::string& builtin_value(BuiltinPair p) const {
    return builtin[static_cast<int>(p)];
  }
  std::optional<std::string_view> GetBuiltin(BuiltinPair p) const {
    if (!has_builtin(p)) return std::nullopt;
    return std::string_view(builtin_value(p));
  }
  // Looks up ".SDATA.<id>.<param>"; `rest` is the part after ".SDATA.".
  std::optional<std::string_view> GetSdata(std::string_view rest) const;
  std::optional<std::string_view> Get(std::string_view name) const;
};

inline constexpr std::string_view kSdataPrefix = ".SDATA.";

// How libpydest's own layers (macros, templates, value-pairs, the Python
// view) reach a Message's representation: read it directly, for speed,
// where a host uses Message's accessors. A friend of Message, so the
// public header exposes no accessor.
class MessageAccess {
 public:
  // Valid as long as `message` (or a copy of it) lives.
  static const MessageRep& Rep(const Message& message) {
    return *message.rep_;
  }
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_MESSAGE_REP_H_
