// Target: whose Python API a destination gets where syslog-ng 4.x and
// AxoSyslog differ: target(syslog-ng) / target(axosyslog) in a
// configuration's global `options {}` (or a python() block), "target" in
// JSON (docs/python-api.md, "AxoSyslog: target()").
//
// Thread-safety: a plain value.
#ifndef PYDEST_TARGET_H_
#define PYDEST_TARGET_H_

#include <cstdint>

namespace pydest {

enum class Target : uint8_t {
  // syslog-ng 4.x: LogTemplate.format() returns str; DROP...MAX,
  // template_options and seqnum are class attributes set before __init__,
  // persist_name a class attribute set before init().
  kSyslogNg,
  // AxoSyslog: LogTemplate.format() returns bytes; template_options, seqnum
  // and persist_name are set on each instance after __init__ (before
  // init()), DROP...MAX on the class after __init__.
  kAxoSyslog,
};

}  // namespace pydest

#endif  // PYDEST_TARGET_H_
