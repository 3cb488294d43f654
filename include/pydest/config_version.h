// ConfigVersion: a configuration's `@version:`. It decides how values reach
// the Python class: under 3.x every value is a string; from 4.0 on pairs
// keep their type hints and an unset name is a KeyError; from 4.2 on
// options() values keep their type too (docs/syslog-ng-behaviour.md §10).
//
// Thread-safety: a plain value.
#ifndef PYDEST_CONFIG_VERSION_H_
#define PYDEST_CONFIG_VERSION_H_

namespace pydest {

struct ConfigVersion {
  // 4.0, what syslog-ng assumes for a configuration without `@version:`.
  // Set it to the version a destination was written for when it expects
  // another representation (e.g. {3, 38} for a class that wants strings).
  int major = 4;
  int minor = 0;

  // True when this version is `ma`.`mi` or later.
  bool AtLeast(int ma, int mi) const {
    return major > ma || (major == ma && minor >= mi);
  }
};

}  // namespace pydest

#endif  // PYDEST_CONFIG_VERSION_H_
