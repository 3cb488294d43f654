// $(md5), $(sha1), $(sha256), $(sha512) and $(hash) (= sha256) of syslog-ng's
// cryptofuncs module: the hex digest of the arguments concatenated without
// a separator; --length N (-l N) keeps the first N hex digits (0 or more
// than the digest: all of them). Digests come from OpenSSL's libcrypto
// (EVP one-shot calls: no shared state, thread-safe).
#include <openssl/evp.h>

#include <utility>

#include "absl/strings/numbers.h"
#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

const EVP_MD* Digest(std::string_view name) {
  if (name == "md5") return EVP_md5();
  if (name == "sha1") return EVP_sha1();
  if (name == "sha512") return EVP_sha512();
  return EVP_sha256();  // sha256, hash
}

FunctionResult CompileHash(std::string_view name,
                           const std::vector<FunctionArg>& args,
                           const CallSite& site) {
  auto parsed = ParseOptions(args, {{"length", 'l', true}}, site, name);
  if (!parsed.ok()) return parsed.status();
  int64_t length = 0;
  if (const std::string* l = parsed->Get("length")) {
    // syslog-ng 3.38 accepts a negative length and then prints memory past
    // the digest; here it means the whole digest (docs/compatibility.md).
    if (!absl::SimpleAtoi(*l, &length)) {
      return FunctionError(site, site.offset, name,
                           "--length must be an integer");
    }
    if (length < 0) length = 0;
  }
  if (parsed->positional.empty()) {
    return FunctionError(site, site.offset, name, "needs an argument");
  }
  auto compiled = CompileArgs(parsed->positional, site, name);
  if (!compiled.ok()) return compiled.status();
  const EVP_MD* md = Digest(name);
  size_t keep = static_cast<size_t>(length);
  return MakeSimpleFunction(
      std::move(*compiled),
      [md, keep](std::vector<std::string>& v, std::string* out) {
        std::string data;
        for (const std::string& s : v) data += s;
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (EVP_Digest(data.data(), data.size(), digest, &n, md, nullptr) !=
            1) {
          return;
        }
        static const char kHex[] = "0123456789abcdef";
        std::string hex;
        for (unsigned int i = 0; i < n; ++i) {
          hex.push_back(kHex[digest[i] >> 4]);
          hex.push_back(kHex[digest[i] & 0xf]);
        }
        if (keep > 0 && keep < hex.size()) hex.resize(keep);
        out->append(hex);
      });
}

}  // namespace

std::vector<FunctionEntry> HashFunctions() {
  return {{"md5", CompileHash},
          {"sha1", CompileHash},
          {"sha256", CompileHash},
          {"sha512", CompileHash},
          {"hash", CompileHash}};
}

}  // namespace pydest::internal
