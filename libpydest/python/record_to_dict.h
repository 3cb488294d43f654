// Record -> dict: the value-pairs result of one message as the dict send()
// receives (syslog-ng-behaviour.md §4.1, §4.2). Key objects are made once
// per KeyTable id and reused for every message (DESIGN.md rule 4); values
// are built straight from the Record's bytes, with no intermediate form.
//
// Thread-safety: a KeyCache is used under the GIL only, so the workers of
// one destination may share it.
#ifndef LIBPYDEST_PYTHON_RECORD_TO_DICT_H_
#define LIBPYDEST_PYTHON_RECORD_TO_DICT_H_

#include <Python.h>

#include <vector>

#include "libpydest/pyrt/gil.h"
#include "libpydest/value_pairs/record.h"

namespace pydest::internal {

// Interned str objects for the keys of a KeyTable.
class KeyCache {
 public:
  explicit KeyCache(const KeyTable* table) : table_(table) {}
  // Drops the references; needs the GIL (call Clear before destruction
  // when the interpreter may have objects in it).
  void Clear(RequiresGil gil);
  ~KeyCache();  // leaks the objects if Clear was not called (no GIL here)
  // A borrowed reference to the key object of `id`; nullptr with a Python
  // error set on failure.
  PyObject* Get(RequiresGil gil, uint32_t id);
  size_t size() const { return objects_.size(); }

 private:
  const KeyTable* table_;
  std::vector<PyObject*> objects_;
};

struct DictOptions {
  // DestinationOptions::strings_as_str: bytes values become str (UTF-8,
  // surrogateescape), a libpydest option; syslog-ng always gives bytes.
  bool strings_as_str = false;
};

// A new dict for `record`, entries in record order; nullptr with a Python
// error set on failure.
PyObject* RecordToDict(RequiresGil gil, const Record& record, KeyCache* keys,
                       const DictOptions& options);

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYTHON_RECORD_TO_DICT_H_
