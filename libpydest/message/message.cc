// pydest::Message and pydest::MessageBuilder over internal::MessageRep.
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "libpydest/message/message_rep.h"
#include "libpydest/message/rep_pool.h"
#include "pydest/message.h"

namespace pydest {
namespace internal {

namespace {

// `name` (already known to have N characters) is the literal `text`;
// constant-size compares compile to a load and a compare or two.
template <size_t N>
bool Is(std::string_view name, const char (&text)[N]) {
  return std::memcmp(name.data(), text, N - 1) == 0;
}

}  // namespace

std::optional<BuiltinPair> FindBuiltinPair(std::string_view name) {
  // By length first: the readers set several built-in pairs per message
  // and templates look them up, so this runs a dozen times per message.
  switch (name.size()) {
    case 3:
      if (Is(name, "PID")) return BuiltinPair::kPid;
      break;
    case 4:
      if (Is(name, "HOST")) return BuiltinPair::kHost;
      break;
    case 5:
      if (Is(name, "MSGID")) return BuiltinPair::kMsgId;
      break;
    case 6:
      if (Is(name, "SOURCE")) return BuiltinPair::kSource;
      break;
    case 7:
      if (Is(name, "PROGRAM")) return BuiltinPair::kProgram;
      if (Is(name, "MESSAGE")) return BuiltinPair::kMessage;
      break;
    case 9:
      if (Is(name, "HOST_FROM")) return BuiltinPair::kHostFrom;
      if (Is(name, "FILE_NAME")) return BuiltinPair::kFileName;
      break;
    case 13:
      if (Is(name, "LEGACY_MSGHDR")) return BuiltinPair::kLegacyMsgHdr;
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::optional<std::string_view> MessageRep::GetSdata(
    std::string_view rest) const {
  for (const SdElement& e : sd) {
    if (rest.size() <= e.id.size() + 1 || rest.compare(0, e.id.size(), e.id) ||
        rest[e.id.size()] != '.') {
      continue;
    }
    std::string_view param = rest.substr(e.id.size() + 1);
    for (const auto& [name, value] : e.params) {
      if (name == param) return std::string_view(value);
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> MessageRep::Get(std::string_view name) const {
  if (auto b = FindBuiltinPair(name)) return GetBuiltin(*b);
  if (name.substr(0, kSdataPrefix.size()) == kSdataPrefix) {
    return GetSdata(name.substr(kSdataPrefix.size()));
  }
  for (const auto& [n, v] : pairs) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

namespace {

// ".SDATA.ID.PARAM" -> (ID, PARAM), splitting at the last dot.
bool SplitSdataName(std::string_view name, std::string_view* id,
                    std::string_view* param) {
  if (name.substr(0, kSdataPrefix.size()) != kSdataPrefix) return false;
  std::string_view rest = name.substr(kSdataPrefix.size());
  size_t dot = rest.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size()) {
    return false;
  }
  *id = rest.substr(0, dot);
  *param = rest.substr(dot + 1);
  return true;
}

}  // namespace

const MessageRep* EmptyRep() noexcept {
  static const MessageRep* const rep = [] {
    auto* r = new MessageRep();
    r->immortal = true;
    return r;
  }();
  return rep;
}

void RetainRep(const MessageRep* rep) noexcept {
  if (rep->immortal) return;
  rep->refs.fetch_add(1, std::memory_order_relaxed);
}

void ReleaseRep(const MessageRep* rep) noexcept {
  if (rep->immortal) return;
  // acq_rel: whoever recycles the rep sees every write made through it.
  if (rep->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  ReturnRep(const_cast<MessageRep*>(rep));
}

}  // namespace internal

using internal::MessageRep;

Timestamp Timestamp::FromTime(absl::Time time, int32_t utc_offset_seconds) {
  Timestamp t;
  int64_t usec = absl::ToUnixMicros(time);
  t.unix_seconds = usec >= 0 ? usec / 1000000 : -((-usec + 999999) / 1000000);
  t.microseconds = static_cast<int32_t>(usec - t.unix_seconds * 1000000);
  t.utc_offset_seconds = utc_offset_seconds;
  return t;
}

absl::Time Timestamp::ToTime() const {
  return absl::FromUnixSeconds(unix_seconds) + absl::Microseconds(microseconds);
}

Message::Message() : rep_(internal::EmptyRep()) {}

Timestamp Message::stamp() const { return rep_->stamp; }
Timestamp Message::received() const { return rep_->received; }
int Message::facility() const { return rep_->facility; }
int Message::severity() const { return rep_->severity; }
uint32_t Message::flags() const { return rep_->flags; }

std::optional<std::string_view> Message::Get(std::string_view name) const {
  return rep_->Get(name);
}

void Message::ForEachPairImpl(
    bool (*thunk)(void*, std::string_view, std::string_view), void* ctx) const {
  const MessageRep& r = *rep_;
  for (int i = 0; i < internal::kBuiltinPairCount; ++i) {
    if (!r.has_builtin(static_cast<internal::BuiltinPair>(i))) continue;
    if (!thunk(ctx, internal::kBuiltinPairNames[i], r.builtin[i])) return;
  }
  for (const auto& [n, v] : r.pairs) {
    if (!thunk(ctx, n, v)) return;
  }
  std::string name;
  for (const internal::SdElement& e : r.sd) {
    for (const auto& [p, v] : e.params) {
      name.assign(internal::kSdataPrefix);
      name.append(e.id).append(".").append(p);
      if (!thunk(ctx, name, v)) return;
    }
  }
}

size_t Message::sd_element_count() const { return rep_->sd.size(); }
std::string_view Message::sd_element_id(size_t i) const {
  return rep_->sd.at(i).id;
}
std::vector<SdParam> Message::sd_params(size_t i) const {
  std::vector<SdParam> out;
  for (const auto& [n, v] : rep_->sd.at(i).params) out.push_back({n, v});
  return out;
}
const std::vector<std::string>& Message::tags() const { return rep_->tags; }
std::string_view Message::source_ip() const { return rep_->source_ip; }
std::string_view Message::dest_ip() const { return rep_->dest_ip; }
int Message::dest_port() const { return rep_->dest_port; }
int Message::proto() const { return rep_->proto; }

MessageBuilder::MessageBuilder() = default;
MessageBuilder::~MessageBuilder() {
  if (rep_ != nullptr) internal::ReleaseRep(rep_);
}
MessageBuilder::MessageBuilder(MessageBuilder&& other) noexcept
    : rep_(std::exchange(other.rep_, nullptr)) {}
MessageBuilder& MessageBuilder::operator=(MessageBuilder&& other) noexcept {
  std::swap(rep_, other.rep_);
  return *this;
}

MessageBuilder& MessageBuilder::SetStamp(Timestamp t) {
  Rep()->stamp = t;
  return *this;
}
MessageBuilder& MessageBuilder::SetReceived(Timestamp t) {
  Rep()->received = t;
  return *this;
}
MessageBuilder& MessageBuilder::SetFacility(int facility) {
  Rep()->facility = static_cast<uint8_t>(std::clamp(facility, 0, 23));
  return *this;
}
MessageBuilder& MessageBuilder::SetSeverity(int severity) {
  Rep()->severity = static_cast<uint8_t>(std::clamp(severity, 0, 7));
  return *this;
}
MessageBuilder& MessageBuilder::SetPri(int pri) {
  pri = std::clamp(pri, 0, 191);
  SetFacility(pri >> 3);
  return SetSeverity(pri & 7);
}
MessageBuilder& MessageBuilder::AddFlags(uint32_t flags) {
  Rep()->flags |= flags;
  return *this;
}

MessageBuilder& MessageBuilder::Set(std::string_view name,
                                    std::string_view value) {
  if (auto b = internal::FindBuiltinPair(name)) {
    int i = static_cast<int>(*b);
    Rep()->builtin[i].assign(value.data(), value.size());
    Rep()->builtin_set |= 1u << i;
    return *this;
  }
  std::string_view id, param;
  if (internal::SplitSdataName(name, &id, &param)) {
    for (internal::SdElement& e : Rep()->sd) {
      if (e.id != id) continue;
      for (auto& [n, v] : e.params) {
        if (n == param) {
          v.assign(value.data(), value.size());
          return *this;
        }
      }
    }
    return AddSdParam(id, param, value);
  }
  internal::MessageRep* rep = Rep();
  size_t at = rep->pair_index.Find(rep->pairs, name);
  if (at < rep->pairs.size()) {
    rep->pairs[at].second.assign(value.data(), value.size());
    return *this;
  }
  rep->pairs.emplace_back(std::string(name), std::string(value));
  return *this;
}

MessageBuilder& MessageBuilder::Unset(std::string_view name) {
  if (auto b = internal::FindBuiltinPair(name)) {
    int i = static_cast<int>(*b);
    Rep()->builtin[i].clear();
    Rep()->builtin_set &= ~(1u << i);
    return *this;
  }
  std::string_view id, param;
  if (internal::SplitSdataName(name, &id, &param)) {
    for (internal::SdElement& e : Rep()->sd) {
      if (e.id != id) continue;
      e.params.erase(std::remove_if(e.params.begin(), e.params.end(),
                                    [&](const auto& p) { return p.first == param; }),
                     e.params.end());
    }
    return *this;
  }
  auto& pairs = Rep()->pairs;
  pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                             [&](const auto& p) { return p.first == name; }),
              pairs.end());
  Rep()->pair_index.Clear();  // positions after the removed one moved
  return *this;
}

MessageBuilder& MessageBuilder::AddSdParam(std::string_view sd_id,
                                           std::string_view name,
                                           std::string_view value) {
  internal::SdElement* element = nullptr;
  for (internal::SdElement& e : Rep()->sd) {
    if (e.id == sd_id) element = &e;
  }
  if (element == nullptr) {
    element = &Rep()->sd.emplace_back();
    element->id.assign(sd_id.data(), sd_id.size());
  }
  element->params.emplace_back(std::string(name), std::string(value));
  return *this;
}

MessageBuilder& MessageBuilder::AddSdElement(std::string_view sd_id) {
  for (const internal::SdElement& e : Rep()->sd) {
    if (e.id == sd_id) return *this;
  }
  Rep()->sd.emplace_back().id.assign(sd_id.data(), sd_id.size());
  return *this;
}

MessageBuilder& MessageBuilder::AddTag(std::string_view tag) {
  // syslog-ng's tags are a set: adding one twice is a no-op.
  for (const std::string& t : Rep()->tags) {
    if (t == tag) return *this;
  }
  Rep()->tags.emplace_back(tag);
  return *this;
}
MessageBuilder& MessageBuilder::SetSourceIp(std::string_view ip) {
  Rep()->source_ip.assign(ip.data(), ip.size());
  return *this;
}
MessageBuilder& MessageBuilder::SetDestIp(std::string_view ip) {
  Rep()->dest_ip.assign(ip.data(), ip.size());
  return *this;
}
MessageBuilder& MessageBuilder::SetDestPort(int port) {
  Rep()->dest_port = port;
  return *this;
}
MessageBuilder& MessageBuilder::SetProto(int proto) {
  Rep()->proto = proto;
  return *this;
}

MessageRep* MessageBuilder::Rep() {
  // Taken on first use, usually a recycled one; Build() hands it over
  // instead of copying it.
  if (rep_ == nullptr) rep_ = internal::AcquireRep();
  return rep_;
}

Message MessageBuilder::Build() {
  Rep();
  return Message(std::exchange(rep_, nullptr));
}

}  // namespace pydest
