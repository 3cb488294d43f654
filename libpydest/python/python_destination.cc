#include "libpydest/python/python_destination.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/python/gil.h"
#include "libpydest/python/interpreter.h"
#include "libpydest/python/options_dict.h"
#include "libpydest/python/py_error.h"
#include "libpydest/python/python_driver.h"

namespace pydest::internal {
namespace {

// Owns one new reference.
class Ref {
 public:
  explicit Ref(PyObject* p = nullptr) : p_(p) {}
  ~Ref() { Py_XDECREF(p_); }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  Ref& operator=(Ref&& other) noexcept {
    std::swap(p_, other.p_);
    return *this;
  }
  PyObject* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  PyObject* p_;
};

std::string Repr(RequiresGil, PyObject* obj) {
  Ref r(PyObject_Repr(obj));
  const char* s = r ? PyUnicode_AsUTF8(r.get()) : nullptr;
  if (s == nullptr) {
    PyErr_Clear();
    return "?";
  }
  return s;
}

std::string AsText(RequiresGil, PyObject* obj) {
  if (PyBytes_Check(obj)) {
    return std::string(PyBytes_AS_STRING(obj),
                       static_cast<size_t>(PyBytes_GET_SIZE(obj)));
  }
  Ref s(PyObject_Str(obj));
  const char* p = s ? PyUnicode_AsUTF8(s.get()) : nullptr;
  if (p == nullptr) {
    PyErr_Clear();
    return "";
  }
  return p;
}

// The configuration's python {} blocks as a fresh module _syslogng_main
// (spec 9.2). The same code text reuses the module already loaded, so the
// destinations of one configuration share its namespace.
absl::Status LoadGlobalCode(RequiresGil gil, const DestinationOptions& o) {
  if (o.global_code.empty()) return absl::OkStatus();
  PyObject* modules = PyImport_GetModuleDict();  // borrowed
  if (PyObject* existing = PyDict_GetItemString(modules, "_syslogng_main")) {
    Ref source(PyObject_GetAttrString(existing, "__pydest_source__"));
    if (!source) PyErr_Clear();
    if (source && PyUnicode_Check(source.get())) {
      const char* s = PyUnicode_AsUTF8(source.get());
      if (s != nullptr && o.global_code == s) return absl::OkStatus();
      PyErr_Clear();
    }
  }
  std::string filename = o.global_code_filename.empty()
                             ? std::string("<python-global-code>")
                             : o.global_code_filename;
  Ref code(Py_CompileString(o.global_code.c_str(), filename.c_str(),
                            Py_file_input));
  if (!code) {
    return ErrorStatus(absl::StatusCode::kInvalidArgument,
                       "Error compiling Python global code block",
                       FetchPythonError(gil));
  }
  Ref module(PyModule_New("_syslogng_main"));
  if (!module) {
    return ErrorStatus(absl::StatusCode::kInternal,
                       "cannot create _syslogng_main", FetchPythonError(gil));
  }
  PyObject* dict = PyModule_GetDict(module.get());  // borrowed
  PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins());
  Ref file(PyUnicode_DecodeFSDefault(filename.c_str()));
  Ref source(PyUnicode_FromString(o.global_code.c_str()));
  if (!file || !source) PyErr_Clear();
  if (file) PyDict_SetItemString(dict, "__file__", file.get());
  if (source) PyDict_SetItemString(dict, "__pydest_source__", source.get());
  // linecache serves the block's lines so tracebacks show the source.
  if (Ref linecache{PyImport_ImportModule("linecache")}; linecache && source) {
    Ref lines(PyObject_CallMethod(source.get(), "splitlines", "O", Py_True));
    Ref cache(PyObject_GetAttrString(linecache.get(), "cache"));
    if (lines && cache) {
      Ref entry(Py_BuildValue("(nOOO)", PyUnicode_GetLength(source.get()),
                              Py_None, lines.get(), file.get()));
      if (entry) PyObject_SetItem(cache.get(), file.get(), entry.get());
    }
  }
  if (PyErr_Occurred()) PyErr_Clear();
  // Registered before running so the code can import itself by name.
  PyDict_SetItemString(modules, "_syslogng_main", module.get());
  Ref result(PyEval_EvalCode(code.get(), dict, dict));
  if (!result) {
    PythonError err = FetchPythonError(gil);
    PyDict_DelItemString(modules, "_syslogng_main");
    PyErr_Clear();
    return ErrorStatus(absl::StatusCode::kInvalidArgument,
                       "Error evaluating global Python block", err);
  }
  return absl::OkStatus();
}

// loaders()/imports(): failures are logged, not fatal (spec 2.2 step 2).
void ImportLoaders(RequiresGil gil, DestinationShared* shared) {
  for (const std::string& name : shared->options.loaders) {
    Ref m(PyImport_ImportModule(name.c_str()));
    if (m) continue;
    PythonError err = FetchPythonError(gil);
    LogRecord r;
    r.level = LogRecord::Level::kError;
    r.text = "Error loading Python module";
    r.tags = {{"module", name}, {"exception", err.Summary()}};
    r.traceback = err.traceback;
    shared->LogWithoutGil(gil, r);
  }
}

// class(): split at the last dot, import the left part, fetch the right
// part; no dot: from _syslogng_main (spec 2.2 step 3).
absl::StatusOr<PyObject*> ResolveClass(RequiresGil gil,
                                       const std::string& class_name) {
  if (class_name.empty()) {
    return absl::InvalidArgumentError(
        "python() destination: class() is required");
  }
  size_t dot = class_name.rfind('.');
  std::string module_name =
      dot == std::string::npos ? "_syslogng_main" : class_name.substr(0, dot);
  std::string attr =
      dot == std::string::npos ? class_name : class_name.substr(dot + 1);
  Ref module;
  if (dot == std::string::npos) {
    PyObject* m = PyDict_GetItemString(PyImport_GetModuleDict(),
                                       "_syslogng_main");  // borrowed
    if (m == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "Error looking up Python driver class '", class_name,
          "': a class without a module part is looked up in the "
          "configuration's python {} block, and there is none"));
    }
    Py_INCREF(m);
    module = Ref(m);
  } else {
    module = Ref(PyImport_ImportModule(module_name.c_str()));
    if (!module) {
      PythonError err = FetchPythonError(gil);
      std::string path = Repr(gil, PySys_GetObject("path"));
      return ErrorStatus(
          absl::StatusCode::kNotFound,
          absl::StrCat("Error looking up Python driver class '", class_name,
                       "': cannot import module '", module_name,
                       "' (sys.path searched: ", path, ")"),
          err);
    }
  }
  PyObject* cls = PyObject_GetAttrString(module.get(), attr.c_str());
  if (cls == nullptr) {
    PyErr_Clear();
    return absl::NotFoundError(absl::StrCat(
        "Error looking up Python driver class '", class_name, "': module '",
        module_name, "' has no attribute '", attr, "'"));
  }
  if (!PyCallable_Check(cls)) {
    Py_DECREF(cls);
    return absl::InvalidArgumentError(absl::StrCat(
        "Error looking up Python driver class '", class_name,
        "': it is not a class"));
  }
  return cls;
}

// The class attributes syslog-ng sets on the user's class (spec 2.2 step
// 4): plain ints that shadow LogDestination's enum members.
absl::Status InjectClassAttributes(RequiresGil gil, PyObject* cls,
                                   DestinationShared* shared) {
  static constexpr std::pair<const char*, int> kConstants[] = {
      {"DROP", 0},          {"ERROR", 1}, {"SUCCESS", 3}, {"QUEUED", 4},
      {"NOT_CONNECTED", 5}, {"RETRY", 6}, {"MAX", 7}};
  for (const auto& [name, value] : kConstants) {
    Ref v(PyLong_FromLong(value));
    if (!v || PyObject_SetAttrString(cls, name, v.get()) != 0) {
      return ErrorStatus(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("cannot set ", name, " on class '",
                                      shared->options.class_name, "'"),
                         FetchPythonError(gil));
    }
  }
  Ref options(NewLogTemplateOptions(gil, shared->options.template_options));
  Ref seqnum(NewSeqNum(gil, shared->seqnum));
  if (!options || !seqnum ||
      PyObject_SetAttrString(cls, "template_options", options.get()) != 0 ||
      PyObject_SetAttrString(cls, "seqnum", seqnum.get()) != 0) {
    return ErrorStatus(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("cannot set attributes on class '",
                                    shared->options.class_name, "'"),
                       FetchPythonError(gil));
  }
  return absl::OkStatus();
}

// @version >= 4.0 wants a syslogng.LogDestination subclass; libpydest warns
// and goes on (docs/compatibility.md).
void CheckBaseClass(RequiresGil gil, PyObject* cls, DestinationShared* shared) {
  if (!shared->options.version.AtLeast(4, 0) || !PyType_Check(cls)) return;
  Ref syslogng(PyImport_ImportModule("syslogng"));
  Ref base(syslogng ? PyObject_GetAttrString(syslogng.get(), "LogDestination")
                    : nullptr);
  if (!base) {
    PyErr_Clear();
    return;
  }
  int is_sub = PyObject_IsSubclass(cls, base.get());
  if (is_sub < 0) PyErr_Clear();
  if (is_sub != 0) return;
  LogRecord r;
  r.level = LogRecord::Level::kWarning;
  r.text =
      "python-dest: the class is not a subclass of syslogng.LogDestination; "
      "running it in compatibility mode";
  r.tags = {{"driver", shared->options.name},
            {"class", shared->options.class_name}};
  shared->LogWithoutGil(gil, r);
}

std::string ComputePersistName(RequiresGil gil, DestinationShared* shared,
                               PyObject* instance) {
  const DestinationOptions& o = shared->options;
  std::string fallback = absl::StrCat("python(", o.class_name, ")");
  if (!o.persist_name.empty()) return absl::StrCat("python.", o.persist_name);
  Ref method(PyObject_GetAttrString(instance, "generate_persist_name"));
  if (!method) {
    PyErr_Clear();
    return fallback;
  }
  Ref options(NewOptionsDict(gil, o));
  if (!options) {
    PyErr_Clear();
    return fallback;
  }
  Ref r(shared->Call(gil, method.get(), "generate_persist_name",
                     options.get()));
  if (!r || !(PyUnicode_Check(r.get()) || PyBytes_Check(r.get()))) {
    LogRecord w;
    w.level = LogRecord::Level::kError;
    w.text = "Failed while generating persist name, using default";
    w.tags = {{"default_persist_name", fallback}};
    shared->LogWithoutGil(gil, w);
    return fallback;
  }
  return absl::StrCat("python.", AsText(gil, r.get()));
}

// Whether init takes no argument (def init(self):), so it gets none.
bool TakesNoArgument(RequiresGil, PyObject* method) {
  Ref inspect(PyImport_ImportModule("inspect"));
  Ref sig(inspect ? PyObject_CallMethod(inspect.get(), "signature", "O", method)
                  : nullptr);
  Ref params(sig ? PyObject_GetAttrString(sig.get(), "parameters") : nullptr);
  Py_ssize_t n = params ? PyObject_Length(params.get()) : -1;
  if (PyErr_Occurred()) PyErr_Clear();
  return n == 0;
}

absl::Status InitInstance(RequiresGil gil, DestinationShared* shared,
                          PyObject* instance) {
  Ref init(PyObject_GetAttrString(instance, "init"));
  if (!init) {
    PyErr_Clear();
    return absl::OkStatus();  // no init(): fine (spec 2.2 step 10)
  }
  Ref options;
  if (!TakesNoArgument(gil, init.get())) {
    options = Ref(NewOptionsDict(gil, shared->options));
    if (!options) {
      return ErrorStatus(absl::StatusCode::kInvalidArgument,
                         "cannot build the options() dict",
                         FetchPythonError(gil));
    }
  }
  PythonError err;
  Ref r(shared->Call(gil, init.get(), "init", options.get(), &err));
  std::string what = absl::StrCat(
      "Error initializing Python driver object, init() returned FALSE; "
      "driver='",
      shared->options.name, "', class='", shared->options.class_name, "'");
  if (!r) return ErrorStatus(absl::StatusCode::kFailedPrecondition, what, err);
  int truthy = PyObject_IsTrue(r.get());
  if (truthy < 0) PyErr_Clear();
  if (truthy != 1) return absl::FailedPreconditionError(what);
  return absl::OkStatus();
}

}  // namespace

PythonDestination::PythonDestination() = default;

absl::StatusOr<std::unique_ptr<PythonDestination>>
PythonDestination::CreateWithValuePairs(
    const DestinationOptions& options,
    std::shared_ptr<const ValuePairs> value_pairs) {
  if (absl::Status s = EnsureInterpreter(); !s.ok()) return s;
  std::unique_ptr<PythonDestination> dest(new PythonDestination());
  dest->shared_ =
      std::make_unique<DestinationShared>(options, std::move(value_pairs));
  DestinationShared* shared = dest->shared_.get();
  dest->deinitialized_ = true;  // until every init() succeeded
  const int workers = options.workers < 1 ? 1 : options.workers;

  GilGuard guard;
  RequiresGil gil = guard.held();
  DestinationScope scope(shared->context);
  if (absl::Status s =
          AddSearchPaths(gil, options.python_path, options.virtualenv);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = LoadGlobalCode(gil, options); !s.ok()) return s;
  ImportLoaders(gil, shared);
  absl::StatusOr<PyObject*> cls_or = ResolveClass(gil, options.class_name);
  if (!cls_or.ok()) return cls_or.status();
  Ref cls(*cls_or);
  CheckBaseClass(gil, cls.get(), shared);
  if (absl::Status s = InjectClassAttributes(gil, cls.get(), shared);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < workers; ++i) {
    Ref instance(PyObject_CallNoArgs(cls.get()));
    if (!instance) {
      return ErrorStatus(
          absl::StatusCode::kFailedPrecondition,
          absl::StrCat("Error instantiating Python driver class '",
                       options.class_name, "'"),
          FetchPythonError(gil));
    }
    auto driver = std::make_unique<PythonDriver>(gil, shared, instance.get());
    absl::Status bound = driver->Bind(gil);
    dest->drivers_.push_back(std::move(driver));
    if (!bound.ok()) return bound;
  }
  // persist_name is a class attribute, there for init() but not __init__()
  // (spec 2.2 step 8).
  dest->persist_name_ =
      ComputePersistName(gil, shared, dest->drivers_[0]->instance());
  Ref pn(PyUnicode_FromString(dest->persist_name_.c_str()));
  if (!pn || PyObject_SetAttrString(cls.get(), "persist_name", pn.get()) != 0) {
    PyErr_Clear();
  }
  for (auto& driver : dest->drivers_) {
    if (absl::Status s = InitInstance(gil, shared, driver->instance());
        !s.ok()) {
      return s;  // not initialised: deinit() does not run
    }
  }
  dest->deinitialized_ = false;
  return dest;
}

PythonDestination::~PythonDestination() {
  if (shared_ == nullptr) return;
  Deinit();
  GilGuard guard;
  for (auto& d : drivers_) d->Release(guard.held());
  if (shared_->keys) shared_->keys->Clear(guard.held());
}

Driver* PythonDestination::driver(int index) {
  return drivers_.at(static_cast<size_t>(index)).get();
}

void PythonDestination::Deinit() {
  if (deinitialized_ || shared_ == nullptr) return;
  deinitialized_ = true;
  GilGuard guard;
  for (auto& d : drivers_) {
    if (d->instance() == nullptr) continue;
    Ref m(PyObject_GetAttrString(d->instance(), "deinit"));
    if (!m) {
      PyErr_Clear();
      continue;
    }
    Ref r(shared_->Call(guard.held(), m.get(), "deinit", nullptr));
  }
}

uint64_t PythonDestination::python_exceptions() const {
  return shared_->python_exceptions.load(std::memory_order_relaxed);
}

uint64_t PythonDestination::written_bytes() const {
  return shared_->context->written_bytes->load(std::memory_order_relaxed);
}

uint64_t PythonDestination::casting_errors() const {
  return shared_->casting_errors.load(std::memory_order_relaxed);
}

}  // namespace pydest::internal
