// $(env), $(uuid), $(tag) and $(ipv4-to-int).
//
// $(env NAME...) reads the environment when the template is compiled
// (getenv is not safe against a concurrent setenv on the delivery path);
// a variable changed afterwards is not seen. syslog-ng 3.38 reads it at
// each expansion; for a daemon's environment the result is the same.
// $(tag NAME [IF-SET] [IF-UNSET]) is syslog-ng 4.x (AxoSyslog): "1"/"0"
// by default, per its documentation; 3.38 has no such function.
#include <arpa/inet.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

class ConstantFunction final : public TemplateFunction {
 public:
  explicit ConstantFunction(std::string value) : value_(std::move(value)) {}
  void Call(const Message&, const MacroContext&,
            std::string* out) const override {
    out->append(value_);
  }

 private:
  std::string value_;
};

FunctionResult CompileEnv(std::string_view name,
                          const std::vector<FunctionArg>& args,
                          const CallSite& site) {
  std::string value;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].kind == FunctionArg::Kind::kGroup) {
      return FunctionError(site, args[i].offset, name, "unexpected '('");
    }
    if (i > 0) value.push_back(' ');
    if (const char* v = std::getenv(args[i].text.c_str())) value += v;
  }
  return std::unique_ptr<TemplateFunction>(
      std::make_unique<ConstantFunction>(std::move(value)));
}

// A random (version 4) UUID, lower-case hex, from OpenSSL's thread-safe
// RAND_bytes.
class UuidFunction final : public TemplateFunction {
 public:
  void Call(const Message&, const MacroContext&,
            std::string* out) const override {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) return;
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    static const char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
      out->push_back(kHex[b[i] >> 4]);
      out->push_back(kHex[b[i] & 0xf]);
    }
  }
};

FunctionResult CompileUuid(std::string_view, const std::vector<FunctionArg>&,
                           const CallSite&) {
  return std::unique_ptr<TemplateFunction>(std::make_unique<UuidFunction>());
}

class TagFunction final : public TemplateFunction {
 public:
  TagFunction(std::string tag, TemplatePtr if_set, TemplatePtr if_unset)
      : tag_(std::move(tag)),
        if_set_(std::move(if_set)),
        if_unset_(std::move(if_unset)) {}
  void Call(const Message& msg, const MacroContext& ctx,
            std::string* out) const override {
    bool set = false;
    for (const std::string& t : msg.tags()) set = set || t == tag_;
    const TemplatePtr& t = set ? if_set_ : if_unset_;
    if (t) {
      t->Format(msg, ctx, out);
    } else {
      out->push_back(set ? '1' : '0');
    }
  }

 private:
  std::string tag_;
  TemplatePtr if_set_, if_unset_;
};

FunctionResult CompileTag(std::string_view name,
                          const std::vector<FunctionArg>& args,
                          const CallSite& site) {
  if (args.empty() || args.size() > 3 ||
      args[0].kind == FunctionArg::Kind::kGroup) {
    return FunctionError(site, site.offset, name,
                         "takes a tag name and optional values for set and "
                         "unset");
  }
  std::vector<FunctionArg> rest(args.begin() + 1, args.end());
  auto compiled = CompileArgs(rest, site, name);
  if (!compiled.ok()) return compiled.status();
  TemplatePtr if_set, if_unset;
  if (compiled->size() >= 1) if_set = (*compiled)[0];
  if (compiled->size() == 2) if_unset = (*compiled)[1];
  if (if_set && !if_unset) {
    // Only the "set" value given: unset expands to nothing.
    auto empty = Template::Compile("");
    if (!empty.ok()) return empty.status();
    if_unset = *empty;
  }
  return std::unique_ptr<TemplateFunction>(std::make_unique<TagFunction>(
      args[0].text, std::move(if_set), std::move(if_unset)));
}

// $(ipv4-to-int ADDRESS...): each dotted-quad address as a number, joined
// by ','. An invalid address expands to nothing (syslog-ng 3.38 prints an
// uninitialised value there; docs/compatibility.md).
FunctionResult CompileIpv4ToInt(std::string_view name,
                                const std::vector<FunctionArg>& args,
                                const CallSite& site) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(
      std::move(*compiled), [](std::vector<std::string>& v, std::string* out) {
        for (size_t i = 0; i < v.size(); ++i) {
          if (i > 0) out->push_back(',');
          struct in_addr addr;
          if (inet_aton(v[i].c_str(), &addr) != 0) {
            absl::StrAppend(out, ntohl(addr.s_addr));
          }
        }
      });
}

}  // namespace

std::vector<FunctionEntry> MiscFunctions() {
  return {{"env", CompileEnv},
          {"uuid", CompileUuid},
          {"tag", CompileTag},
          {"ipv4-to-int", CompileIpv4ToInt}};
}

}  // namespace pydest::internal
