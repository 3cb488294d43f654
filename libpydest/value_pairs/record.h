// Record: the evaluated value-pairs of one message — (key, typed value)
// entries in the order the Python dict gets them (strcmp order of the final
// key names). Built without the GIL by ValuePairs::Evaluate, turned into a
// dict under the GIL by the python layer.
//
// Keys are interned in a KeyTable shared by every worker of a destination,
// so the python layer can create each key's Python object once and reuse it.
#ifndef LIBPYDEST_VALUE_PAIRS_RECORD_H_
#define LIBPYDEST_VALUE_PAIRS_RECORD_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace pydest::internal {

// The Python type a value becomes (syslog-ng-behaviour.md §4.2).
enum class ValueKind : uint8_t {
  kBytes,     // bytes (or str when strings_as_str)
  kInt,       // int            (RecordEntry::integer)
  kDouble,    // float          (RecordEntry::real)
  kBool,      // bool           (RecordEntry::integer != 0)
  kDateTime,  // naive local datetime (RecordEntry::integer = unix micros)
  kList,      // list of bytes  (items [value_offset, value_offset+value_size)
              //                 of Record::list_items)
  kNull,      // None
};

// Interns key names to dense ids. Ids are never reused; names stay valid for
// the table's lifetime. Thread-safe.
class KeyTable {
 public:
  uint32_t Intern(std::string_view name) ABSL_LOCKS_EXCLUDED(mu_);
  // The name of an id returned by Intern.
  std::string_view Name(uint32_t id) const ABSL_LOCKS_EXCLUDED(mu_);
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, uint32_t> ids_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> names_ ABSL_GUARDED_BY(mu_);  // stable addresses
};

struct RecordEntry {
  uint32_t key = 0;  // KeyTable id
  ValueKind kind = ValueKind::kBytes;
  uint32_t value_offset = 0;  // kBytes: into Record::buffer; kList: items
  uint32_t value_size = 0;
  int64_t integer = 0;
  double real = 0;
};

class Record {
 public:
  void Clear() {
    entries.clear();
    buffer.clear();
    list_items.clear();
  }
  std::string_view bytes(const RecordEntry& e) const {
    return std::string_view(buffer).substr(e.value_offset, e.value_size);
  }

  std::vector<RecordEntry> entries;
  std::string buffer;  // bytes values, back to back
  // List items as (offset, size) into buffer.
  std::vector<std::pair<uint32_t, uint32_t>> list_items;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_VALUE_PAIRS_RECORD_H_
