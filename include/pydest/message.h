// pydest::Message — the log record a host hands to libpydest.
//
// A Message carries what syslog-ng keeps for a log message: the event
// timestamp (microseconds and the UTC offset it was written in), the receive
// time, facility and severity, name-value pairs (HOST, PROGRAM, PID, MSGID,
// MESSAGE and any others, in insertion order; values are bytes that are
// usually, but need not be, UTF-8), RFC 5424 structured data, tags, and the
// transport addresses. syslog-ng's macros ($ISODATE, $FACILITY, $MSGHDR, ...)
// are derived from it when a destination asks for them.
//
// A Message is built with MessageBuilder and is immutable afterwards. Copies
// share one reference-counted representation, so copying and moving are
// cheap and a copy may be read from any number of threads at once.
#ifndef PYDEST_MESSAGE_H_
#define PYDEST_MESSAGE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "pydest/export.h"
#include "pydest/priority.h"
#include "pydest/timestamp.h"

namespace pydest {

// libpydest's private side of Message; nothing here is for hosts to use.
namespace internal {
// The shared representation: opaque outside the library, so that its
// layout can change without changing Message or code built against it.
struct MessageRep;
// How the library's own layers read the representation
// (libpydest/message/message_rep.h).
class MessageAccess;
// Reference counting of the shared representation (message.cc). A
// representation whose last reference goes is recycled for a later
// message, so that a steady stream of messages allocates nothing.
PYDEST_EXPORT void RetainRep(const MessageRep* rep) noexcept;
PYDEST_EXPORT void ReleaseRep(const MessageRep* rep) noexcept;
PYDEST_EXPORT const MessageRep* EmptyRep() noexcept;
}  // namespace internal

// Syslog facility and severity numbers (RFC 5424 section 6.2.1).
inline constexpr int kFacilityUser = 1;
inline constexpr int kSeverityNotice = 5;

// One RFC 5424 SD-PARAM.
struct SdParam {
  std::string_view name;
  std::string_view value;
};

// Flags a reader or host may set on a message to say how it came to be.
enum MessageFlag : uint32_t {
  kMessageParseError = 1u << 0,  // the raw line did not parse; MESSAGE holds it
  kMessageTruncated = 1u << 1,   // the input was longer than the size limit
  kMessageInvalidUtf8 = 1u << 2, // some value is not valid UTF-8 (kept as is)
};

// Well-known name-value pair names (syslog-ng's built-in "nv-pairs").
inline constexpr std::string_view kHost = "HOST";
inline constexpr std::string_view kHostFrom = "HOST_FROM";
inline constexpr std::string_view kProgram = "PROGRAM";
inline constexpr std::string_view kPid = "PID";
inline constexpr std::string_view kMsgId = "MSGID";
inline constexpr std::string_view kMessage = "MESSAGE";
inline constexpr std::string_view kSource = "SOURCE";
inline constexpr std::string_view kLegacyMsgHdr = "LEGACY_MSGHDR";
inline constexpr std::string_view kFileName = "FILE_NAME";

// Size and ABI: a Message is one pointer (sizeof(void*)) to a reference-
// counted representation that only the library sees. Copying takes a
// reference, moving swaps the pointer, so Messages go through queues and
// into callbacks by value. Fields added to the representation change
// neither sizeof(Message) nor the inline code compiled into a host.
//
// Every string_view a Message returns points into the shared
// representation: it stays valid as long as this Message, or a copy of it,
// lives. Thread-safety: const methods may be called from any number of
// threads at once.
class PYDEST_EXPORT Message {
 public:
  // An empty message: no pairs, time zero, facility user, severity notice.
  Message();

  Message(const Message& other) noexcept : rep_(other.rep_) {
    internal::RetainRep(rep_);
  }
  // A moved-from Message is empty.
  Message(Message&& other) noexcept
      : rep_(std::exchange(other.rep_, internal::EmptyRep())) {}
  Message& operator=(const Message& other) noexcept {
    internal::RetainRep(other.rep_);
    internal::ReleaseRep(rep_);
    rep_ = other.rep_;
    return *this;
  }
  Message& operator=(Message&& other) noexcept {
    std::swap(rep_, other.rep_);
    return *this;
  }
  ~Message() { internal::ReleaseRep(rep_); }

  // The event time ($S_* macros; the unprefixed date macros).
  Timestamp stamp() const;
  // When the message was received ($R_* macros).
  Timestamp received() const;
  int facility() const;  // 0 ... 23
  int severity() const;  // 0 ... 7
  int pri() const { return facility() * 8 + severity(); }
  uint32_t flags() const;  // a bit set of MessageFlag; 0 for a clean line

  // The value of the name-value pair `name`, or nullopt when it is not set.
  // Structured data is visible as ".SDATA.<SD-ID>.<PARAM>" pairs, as in
  // syslog-ng. An empty value is a set value.
  std::optional<std::string_view> Get(std::string_view name) const;

  // Convenience readers for the built-in pairs ("" when unset).
  std::string_view host() const { return Get(kHost).value_or(""); }
  std::string_view program() const { return Get(kProgram).value_or(""); }
  std::string_view pid() const { return Get(kPid).value_or(""); }
  std::string_view msgid() const { return Get(kMsgId).value_or(""); }
  std::string_view text() const { return Get(kMessage).value_or(""); }

  // Calls fn(name, value) for every set pair, the built-in ones first, then
  // others in insertion order, then the structured-data pairs in element
  // and parameter order. Returns early when fn returns false.
  template <typename Fn>
  void ForEachPair(Fn&& fn) const;

  // RFC 5424 structured data, in the order it was added. `i` must be below
  // sd_element_count().
  size_t sd_element_count() const;
  std::string_view sd_element_id(size_t i) const;
  std::vector<SdParam> sd_params(size_t i) const;

  // Tags (syslog-ng's $TAGS), in the order they were added.
  const std::vector<std::string>& tags() const;

  // Transport information: empty/0 when the host has none.
  std::string_view source_ip() const;  // $SOURCEIP
  std::string_view dest_ip() const;    // $DESTIP
  int dest_port() const;               // $DESTPORT
  int proto() const;                   // $PROTO (IP protocol number)

 private:
  friend class MessageBuilder;
  friend class internal::MessageAccess;
  // Takes over the reference `rep` holds.
  explicit Message(const internal::MessageRep* rep) : rep_(rep) {}
  void ForEachPairImpl(bool (*thunk)(void*, std::string_view, std::string_view),
                       void* ctx) const;

  const internal::MessageRep* rep_;  // one reference; never null
};

// Fills a Message. Not thread-safe; use one builder per thread. Setting a
// pair that is already set replaces its value in place (its position in the
// insertion order stays). Every setter returns the builder, for chaining.
class PYDEST_EXPORT MessageBuilder {
 public:
  MessageBuilder();
  ~MessageBuilder();
  MessageBuilder(MessageBuilder&& other) noexcept;
  MessageBuilder& operator=(MessageBuilder&& other) noexcept;

  MessageBuilder& SetStamp(Timestamp t);
  MessageBuilder& SetReceived(Timestamp t);
  // The same from a std::chrono time point (a logging library's record
  // time), kept to the microsecond, said to be written `utc_offset_seconds`
  // east of UTC (0: in UTC).
  MessageBuilder& SetStamp(std::chrono::system_clock::time_point t,
                           int32_t utc_offset_seconds = 0) {
    return SetStamp(Timestamp::FromTime(absl::FromChrono(t),
                                        utc_offset_seconds));
  }
  MessageBuilder& SetReceived(std::chrono::system_clock::time_point t,
                              int32_t utc_offset_seconds = 0) {
    return SetReceived(Timestamp::FromTime(absl::FromChrono(t),
                                           utc_offset_seconds));
  }
  MessageBuilder& SetFacility(int facility);  // clamped to 0 ... 23
  MessageBuilder& SetSeverity(int severity);  // clamped to 0 ... 7
  MessageBuilder& SetFacility(Facility facility) {
    return SetFacility(static_cast<int>(facility));
  }
  MessageBuilder& SetSeverity(Severity severity) {
    return SetSeverity(static_cast<int>(severity));
  }
  MessageBuilder& SetPri(int pri);            // facility * 8 + severity
  MessageBuilder& AddFlags(uint32_t flags);

  MessageBuilder& SetHost(std::string_view v) { return Set(kHost, v); }
  MessageBuilder& SetProgram(std::string_view v) { return Set(kProgram, v); }
  MessageBuilder& SetPid(std::string_view v) { return Set(kPid, v); }
  MessageBuilder& SetMsgId(std::string_view v) { return Set(kMsgId, v); }
  MessageBuilder& SetText(std::string_view v) { return Set(kMessage, v); }

  // Sets any name-value pair. A name of the form ".SDATA.ID.PARAM" is stored
  // as structured data (the ID is everything up to the last dot).
  MessageBuilder& Set(std::string_view name, std::string_view value);
  // Removes a pair; a no-op when it is not set.
  MessageBuilder& Unset(std::string_view name);

  // Appends an SD-PARAM to the SD element `sd_id` (created on first use).
  MessageBuilder& AddSdParam(std::string_view sd_id, std::string_view name,
                             std::string_view value);
  // Adds the SD element `sd_id` with no parameters (RFC 5424 allows
  // "[id]"); a no-op when it exists.
  MessageBuilder& AddSdElement(std::string_view sd_id);
  // Adds a tag; tags are a set, so adding one that is there does nothing.
  MessageBuilder& AddTag(std::string_view tag);

  MessageBuilder& SetSourceIp(std::string_view ip);
  MessageBuilder& SetDestIp(std::string_view ip);
  MessageBuilder& SetDestPort(int port);
  MessageBuilder& SetProto(int proto);

  // Returns the message built so far (an empty one if nothing was set) and
  // leaves the builder empty, ready for the next message.
  Message Build();

 private:
  internal::MessageRep* Rep();

  internal::MessageRep* rep_ = nullptr;  // one reference; null until first set
};

template <typename Fn>
void Message::ForEachPair(Fn&& fn) const {
  ForEachPairImpl(
      [](void* ctx, std::string_view name, std::string_view value) -> bool {
        using R = decltype((*static_cast<std::remove_reference_t<Fn>*>(ctx))(
            name, value));
        if constexpr (std::is_void_v<R>) {
          (*static_cast<std::remove_reference_t<Fn>*>(ctx))(name, value);
          return true;
        } else {
          return static_cast<bool>(
              (*static_cast<std::remove_reference_t<Fn>*>(ctx))(name, value));
        }
      },
      const_cast<void*>(static_cast<const void*>(&fn)));
}

}  // namespace pydest

#endif  // PYDEST_MESSAGE_H_
