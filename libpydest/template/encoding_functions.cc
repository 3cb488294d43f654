// $(base64-encode), $(base64-decode), $(url-encode), $(url-decode): each
// works on its arguments concatenated without a separator, as syslog-ng's
// basicfuncs do. base64-decode is not in syslog-ng 3.38 (it came with 4.x):
// it follows the AxoSyslog documentation (standard alphabet, padding
// optional; invalid input expands to nothing).
#include <utility>

#include "libpydest/template/function_util.h"

namespace pydest::internal {
namespace {

constexpr char kBase64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Concat(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x;
  return s;
}

void Base64Encode(std::string_view in, std::string* out) {
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out->push_back(kBase64[(n >> 18) & 63]);
    out->push_back(kBase64[(n >> 12) & 63]);
    out->push_back(kBase64[(n >> 6) & 63]);
    out->push_back(kBase64[n & 63]);
  }
  size_t rest = in.size() - i;
  if (rest == 0) return;
  uint32_t n = static_cast<unsigned char>(in[i]) << 16;
  if (rest == 2) n |= static_cast<unsigned char>(in[i + 1]) << 8;
  out->push_back(kBase64[(n >> 18) & 63]);
  out->push_back(kBase64[(n >> 12) & 63]);
  out->push_back(rest == 2 ? kBase64[(n >> 6) & 63] : '=');
  out->push_back('=');
}

bool Base64Decode(std::string_view in, std::string* out) {
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') { ++pad; continue; }
    else return false;
    if (pad > 0) return false;  // data after padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return pad <= 2;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoding; false on a broken escape or an escaped NUL (syslog-ng then
// expands to nothing).
bool UrlDecode(std::string_view in, std::string* out) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
    int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) return false;
    char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return false;
    out->push_back(c);
    i += 2;
  }
  return true;
}

template <typename Fn>
FunctionResult Compile(std::string_view name,
                       const std::vector<FunctionArg>& args,
                       const CallSite& site, Fn fn) {
  auto compiled = CompileArgs(args, site, name);
  if (!compiled.ok()) return compiled.status();
  return MakeSimpleFunction(std::move(*compiled),
                            [fn](std::vector<std::string>& v, std::string* out) {
                              fn(Concat(v), out);
                            });
}

FunctionResult CompileBase64Encode(std::string_view name,
                                   const std::vector<FunctionArg>& args,
                                   const CallSite& site) {
  return Compile(name, args, site, [](const std::string& s, std::string* out) {
    Base64Encode(s, out);
  });
}

FunctionResult CompileBase64Decode(std::string_view name,
                                   const std::vector<FunctionArg>& args,
                                   const CallSite& site) {
  return Compile(name, args, site, [](const std::string& s, std::string* out) {
    std::string decoded;
    if (Base64Decode(s, &decoded)) out->append(decoded);
  });
}

FunctionResult CompileUrlEncode(std::string_view name,
                                const std::vector<FunctionArg>& args,
                                const CallSite& site) {
  return Compile(name, args, site, [](const std::string& s, std::string* out) {
    static const char kHex[] = "0123456789ABCDEF";
    for (char ch : s) {
      unsigned char c = static_cast<unsigned char>(ch);
      if (IsUnreserved(c)) {
        out->push_back(ch);
      } else {
        out->push_back('%');
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
      }
    }
  });
}

FunctionResult CompileUrlDecode(std::string_view name,
                                const std::vector<FunctionArg>& args,
                                const CallSite& site) {
  return Compile(name, args, site, [](const std::string& s, std::string* out) {
    std::string decoded;
    if (UrlDecode(s, &decoded)) out->append(decoded);
  });
}

}  // namespace

std::vector<FunctionEntry> EncodingFunctions() {
  return {{"base64-encode", CompileBase64Encode},
          {"base64-decode", CompileBase64Decode},
          {"url-encode", CompileUrlEncode},
          {"url-decode", CompileUrlDecode}};
}

}  // namespace pydest::internal
