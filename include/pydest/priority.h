// Severity and Facility: syslog's priority parts (RFC 5424 section 6.2.1)
// by name, for MessageBuilder::SetSeverity/SetFacility. The numbers are
// the protocol's; Message::severity() and facility() return them as int.
//
// Thread-safety: values only.
#ifndef PYDEST_PRIORITY_H_
#define PYDEST_PRIORITY_H_

#include <cstdint>

namespace pydest {

// $SEVERITY / $LEVEL: 0 is the most urgent.
enum class Severity : uint8_t {
  kEmergency = 0,      // emerg: the system is unusable
  kAlert = 1,          // alert: act immediately
  kCritical = 2,       // crit
  kError = 3,          // err
  kWarning = 4,        // warning
  kNotice = 5,         // notice: normal but significant (syslog-ng's default)
  kInformational = 6,  // info
  kDebug = 7,          // debug
};

// $FACILITY: which part of the system the message comes from.
enum class Facility : uint8_t {
  kKernel = 0,
  kUser = 1,  // syslog-ng's default for lines without <PRI>
  kMail = 2,
  kDaemon = 3,
  kAuth = 4,
  kSyslog = 5,
  kLpr = 6,
  kNews = 7,
  kUucp = 8,
  kCron = 9,
  kAuthPriv = 10,
  kFtp = 11,
  kNtp = 12,
  kSecurity = 13,  // log audit
  kConsole = 14,   // log alert
  kSolarisCron = 15,
  kLocal0 = 16,
  kLocal1 = 17,
  kLocal2 = 18,
  kLocal3 = 19,
  kLocal4 = 20,
  kLocal5 = 21,
  kLocal6 = 22,
  kLocal7 = 23,
};

}  // namespace pydest

#endif  // PYDEST_PRIORITY_H_
