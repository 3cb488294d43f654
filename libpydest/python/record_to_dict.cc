#include "libpydest/python/record_to_dict.h"

#include "libpydest/pyrt/py_values.h"

namespace pydest::internal {
namespace {

PyObject* StringValue(RequiresGil gil, std::string_view v,
                      const DictOptions& options) {
  return options.strings_as_str ? NewStrSurrogateEscape(gil, v)
                                : NewBytes(gil, v);
}

PyObject* ValueObject(RequiresGil gil, const Record& record,
                      const RecordEntry& e, const DictOptions& options) {
  switch (e.kind) {
    case ValueKind::kBytes:
      return StringValue(gil, record.bytes(e), options);
    case ValueKind::kInt:
      return PyLong_FromLongLong(e.integer);
    case ValueKind::kDouble:
      return PyFloat_FromDouble(e.real);
    case ValueKind::kBool:
      return PyBool_FromLong(e.integer != 0);
    case ValueKind::kDateTime:
      return NewLocalDateTime(gil, e.integer);
    case ValueKind::kList: {
      PyObject* list = PyList_New(static_cast<Py_ssize_t>(e.value_size));
      if (list == nullptr) return nullptr;
      for (uint32_t i = 0; i < e.value_size; ++i) {
        const auto& [off, size] = record.list_items[e.value_offset + i];
        std::string_view item =
            std::string_view(record.buffer).substr(off, size);
        // Lists of bytes, as in syslog-ng 4.x (syslog-ng-behaviour.md §4.2).
        PyObject* obj = StringValue(gil, item, options);
        if (obj == nullptr) {
          Py_DECREF(list);
          return nullptr;
        }
        PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), obj);  // steals
      }
      return list;
    }
    case ValueKind::kNull:
      Py_RETURN_NONE;
  }
  Py_RETURN_NONE;
}

}  // namespace

void KeyCache::Clear(RequiresGil) {
  for (PyObject* o : objects_) Py_XDECREF(o);
  objects_.clear();
}

KeyCache::~KeyCache() = default;

PyObject* KeyCache::Get(RequiresGil, uint32_t id) {
  if (id >= objects_.size()) objects_.resize(id + 1, nullptr);
  PyObject*& slot = objects_[id];
  if (slot == nullptr) {
    std::string_view name = table_->Name(id);
    PyObject* s = PyUnicode_DecodeUTF8(
        name.data(), static_cast<Py_ssize_t>(name.size()), "surrogateescape");
    if (s == nullptr) return nullptr;
    PyUnicode_InternInPlace(&s);
    slot = s;
  }
  return slot;
}

PyObject* RecordToDict(RequiresGil gil, const Record& record, KeyCache* keys,
                       const DictOptions& options) {
  PyObject* dict = PyDict_New();
  if (dict == nullptr) return nullptr;
  for (const RecordEntry& e : record.entries) {
    PyObject* key = keys->Get(gil, e.key);
    PyObject* value = key ? ValueObject(gil, record, e, options) : nullptr;
    if (value == nullptr || PyDict_SetItem(dict, key, value) != 0) {
      Py_XDECREF(value);
      Py_DECREF(dict);
      return nullptr;
    }
    Py_DECREF(value);
  }
  return dict;
}

}  // namespace pydest::internal
