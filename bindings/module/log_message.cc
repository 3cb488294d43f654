// _syslogng.LogMessage as a static CPython type. send() creates and drops one
// per message, so objects of the exact type are recycled through a small
// free list (guarded by the GIL), and every slot reads its arguments
// straight from the C API without conversion layers.
#include "bindings/module/log_message.h"

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "bindings/module/log_message_object.h"
#include "bindings/module/log_message_values.h"
#include "bindings/module/registrations.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/host_facts.h"

namespace pydest::internal {
namespace {

constexpr const char* kReadOnly = kLogMessageReadOnly;

RequiresGil Gil() { return RequiresGil::InsidePython(); }

extern PyTypeObject LogMessageType;

LogMessageData& Data(PyObject* self) { return LogMessageDataUnchecked(self); }

// --- allocation: a free list of the exact type's memory ---

// Enough for a batch in flight per worker plus the ones a destination keeps
// briefly; beyond it memory goes back to Python's allocator.
constexpr int kFreeListSize = 64;
PyLogMessage* free_list[kFreeListSize];  // GIL-guarded
int free_count = 0;                      // GIL-guarded

// tp_alloc: raw memory for one object, recycled when the type is exactly
// LogMessage. The object has its type and one reference, and no data yet.
PyObject* Alloc(PyTypeObject* type, Py_ssize_t nitems) {
  if (type != &LogMessageType) return PyType_GenericAlloc(type, nitems);
  void* mem = free_count > 0 ? free_list[--free_count]
                             : PyObject_Malloc(sizeof(PyLogMessage));
  if (mem == nullptr) return PyErr_NoMemory();
  return PyObject_Init(static_cast<PyObject*>(mem), type);
}

void Dealloc(PyObject* self) {
  auto* obj = reinterpret_cast<PyLogMessage*>(self);
  if (obj->weakrefs != nullptr) PyObject_ClearWeakRefs(self);
  // Drops the message and context now: a recycled object keeps nothing of
  // the message it held.
  obj->data.~LogMessageData();
  PyTypeObject* type = Py_TYPE(self);
  if (type == &LogMessageType && free_count < kFreeListSize) {
    free_list[free_count++] = obj;
    return;
  }
  type->tp_free(self);
}

// Allocates an object of `type` and constructs its data from `data`.
PyObject* Create(PyTypeObject* type, LogMessageData&& data) {
  PyObject* self = type->tp_alloc(type, 0);
  if (self == nullptr) return nullptr;
  auto* obj = reinterpret_cast<PyLogMessage*>(self);
  new (&obj->data) LogMessageData(std::move(data));
  obj->weakrefs = nullptr;
  return self;
}

// --- construction from Python: LogMessage(message=None, bookmark=None) ---

PyObject* New(PyTypeObject* type, PyObject*, PyObject*) {
  LogMessageData d;
  d.context = CurrentDestination();
  return Create(type, std::move(d));
}

int Init(PyObject* self, PyObject* args, PyObject* kwargs) {
  static const char* kwlist[] = {"message", "bookmark", nullptr};
  PyObject* message = Py_None;
  PyObject* bookmark = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:LogMessage",
                                   const_cast<char**>(kwlist), &message,
                                   &bookmark)) {
    return -1;
  }
  LogMessageData& d = Data(self);
  // Re-running __init__ would turn send()'s message writable.
  if (d.read_only) {
    PyErr_SetString(PyExc_TypeError, kReadOnly);
    return -1;
  }
  Timestamp now = NowLocal();
  MessageBuilder b;
  b.SetStamp(now).SetReceived(now);
  if (message != Py_None) {
    std::string text;
    if (!ValueText(Gil(), message, &text)) return -1;
    b.SetText(text);
  }
  d.message = b.Build();
  d.processed = now;
  d.context = CurrentDestination();
  return 0;
}

// --- mapping and sequence slots ---

PyObject* GetItem(PyObject* self, PyObject* key) {
  const LogMessageData& d = Data(self);
  std::string_view name;
  if (!NameView(Gil(), key, &name)) return nullptr;
  PyObject* value = nullptr;
  if (LookupValue(Gil(), d, name, &value) != 0) return value;
  if (CompatMode(d)) return PyBytes_FromStringAndSize("", 0);
  // Only on a miss: the message text is syslog-ng 4.x's.
  PyErr_SetString(PyExc_KeyError,
                  ("No such name-value pair " + std::string(name)).c_str());
  return nullptr;
}

int SetItem(PyObject* self, PyObject* key, PyObject* value) {
  if (value == nullptr) {
    PyErr_SetString(PyExc_TypeError,
                    "'LogMessage' object doesn't support item deletion");
    return -1;
  }
  LogMessageData& d = Data(self);
  if (d.read_only) {
    PyErr_SetString(PyExc_TypeError, kReadOnly);
    return -1;
  }
  std::string_view name;
  if (!NameView(Gil(), key, &name)) return -1;
  std::string text;
  if (!ValueText(Gil(), value, &text)) return -1;
  MessageBuilder b = Rebuild(d.message);
  b.Set(name, text);
  d.message = b.Build();
  return 0;
}

int Contains(PyObject* self, PyObject* key) {
  std::string_view name;
  if (!NameView(Gil(), key, &name)) return -1;
  return HasName(Data(self), name) ? 1 : 0;
}

PyObject* Repr(PyObject* self) {
  std::string_view text = Data(self).message.text();
  PyObject* bytes = PyBytes_FromStringAndSize(
      text.data(), static_cast<Py_ssize_t>(text.size()));
  if (bytes == nullptr) return nullptr;
  PyObject* out = PyUnicode_FromFormat("<LogMessage %R>", bytes);
  Py_DECREF(bytes);
  return out;
}

PyMappingMethods kMapping = [] {
  PyMappingMethods m{};
  m.mp_subscript = GetItem;
  m.mp_ass_subscript = SetItem;
  return m;
}();

PySequenceMethods kSequence = [] {
  PySequenceMethods s{};
  s.sq_contains = Contains;
  return s;
}();

PyTypeObject MakeType() {
  PyTypeObject t{};
  t.ob_base.ob_base.ob_refcnt = 1;  // a static type is never freed
  t.tp_name = "_syslogng.LogMessage";
  t.tp_basicsize = sizeof(PyLogMessage);
  t.tp_dealloc = Dealloc;
  t.tp_repr = Repr;
  t.tp_as_sequence = &kSequence;
  t.tp_as_mapping = &kMapping;
  // Subclassable, as the pybind11 class it replaces was.
  t.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
  t.tp_doc =
      "LogMessage(message=None, bookmark=None): a syslog-ng log message";
  t.tp_weaklistoffset = offsetof(PyLogMessage, weakrefs);
  t.tp_methods = kLogMessageMethods;
  t.tp_init = Init;
  t.tp_alloc = Alloc;
  t.tp_new = New;
  t.tp_free = PyObject_Free;
  return t;
}

PyTypeObject LogMessageType = MakeType();

}  // namespace

const LogMessageData* LogMessageDataOf(RequiresGil, PyObject* obj) {
  if (!PyObject_TypeCheck(obj, &LogMessageType)) return nullptr;
  return &Data(obj);
}

void RegisterLogMessage(pybind11::module_& m) {
  if (PyType_Ready(&LogMessageType) < 0) throw pybind11::error_already_set();
  Py_INCREF(&LogMessageType);
  if (PyModule_AddObject(m.ptr(), "LogMessage",
                         reinterpret_cast<PyObject*>(&LogMessageType)) < 0) {
    Py_DECREF(&LogMessageType);
    throw pybind11::error_already_set();
  }
}

PyObject* NewLogMessage(RequiresGil, const Message& msg, uint64_t seqnum,
                        Timestamp processed,
                        std::shared_ptr<const DestinationContext> context) {
  PyObject* self = Alloc(&LogMessageType, 0);
  if (self == nullptr) return nullptr;
  auto* obj = reinterpret_cast<PyLogMessage*>(self);
  new (&obj->data) LogMessageData{msg, /*read_only=*/true, seqnum, processed,
                                  std::move(context)};
  obj->weakrefs = nullptr;
  return self;
}

}  // namespace pydest::internal
