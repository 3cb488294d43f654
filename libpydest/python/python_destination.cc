#include "libpydest/python/python_destination.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings/module/syslogng_interpreter.h"
#include "bindings/module/syslogng_module.h"
#include "libpydest/pyrt/gil.h"
#include "libpydest/pyrt/interpreter.h"
#include "libpydest/pyrt/process_guard.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"
#include "libpydest/python/class_loader.h"
#include "libpydest/python/options_dict.h"
#include "libpydest/python/python_driver.h"
#include "libpydest/python/record_preparer.h"

namespace pydest::internal {
namespace {

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

// loaders()/imports(): failures are logged, not fatal
// (syslog-ng-behaviour.md §2.2 step 2).
void ImportLoaders(RequiresGil gil, DestinationShared* shared) {
  for (const std::string& name : shared->options.loaders) {
    Ref m;
    {
      DestinationCall call("import");
      m = Ref(PyImport_ImportModule(name.c_str()));
    }
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

// The result constants syslog-ng sets on the user's class
// (syslog-ng-behaviour.md §2.2 step 4): plain ints that shadow
// LogDestination's enum members.
absl::Status InjectResultConstants(RequiresGil gil, PyObject* cls,
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
  return absl::OkStatus();
}

// template_options and seqnum: on the class before __init__ (syslog-ng),
// on each instance after it (AxoSyslog, target()).
absl::Status InjectDriverAttributes(RequiresGil gil, PyObject* target,
                                    DestinationShared* shared) {
  Ref options(NewLogTemplateOptions(gil, shared->options.template_options));
  Ref seqnum(NewSeqNum(gil, shared->seqnum));
  if (!options || !seqnum ||
      PyObject_SetAttrString(target, "template_options", options.get()) != 0 ||
      PyObject_SetAttrString(target, "seqnum", seqnum.get()) != 0) {
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
    return absl::OkStatus();  // no init(): fine
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
  const std::string where = absl::StrCat(
      "; driver='", shared->options.name, "', class='",
      shared->options.class_name, "'");
  if (!r) {
    // Reported here once, with its traceback; Call did not log it.
    std::string what = absl::StrCat(
        "Error initializing Python driver object, init() raised ",
        err.Summary(), where);
    if (!err.traceback.empty()) absl::StrAppend(&what, "\n", err.traceback);
    return absl::FailedPreconditionError(what);
  }
  const std::string what = absl::StrCat(
      "Error initializing Python driver object, init() returned FALSE", where);
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
    std::shared_ptr<const ValuePairs> value_pairs,
    std::shared_ptr<DestinationCounters> counters) {
  if (absl::Status s = EnsureInterpreter(); !s.ok()) return s;
  std::unique_ptr<PythonDestination> dest(new PythonDestination());
  if (counters == nullptr) counters = std::make_shared<DestinationCounters>();
  dest->shared_ = std::make_unique<DestinationShared>(
      options, std::move(value_pairs), std::move(counters));
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
  {
    DestinationCall call("python {} block");
    if (absl::Status s = LoadGlobalCode(gil, options); !s.ok()) return s;
  }
  ImportLoaders(gil, shared);
  absl::StatusOr<PyObject*> cls_or;
  {
    DestinationCall call("import");
    cls_or = ResolveClass(gil, options.class_name);
  }
  if (!cls_or.ok()) return cls_or.status();
  Ref cls(*cls_or);
  CheckBaseClass(gil, cls.get(), shared);
  const bool per_instance = options.target == Target::kAxoSyslog;
  if (!per_instance) {
    absl::Status s = InjectResultConstants(gil, cls.get(), shared);
    if (s.ok()) s = InjectDriverAttributes(gil, cls.get(), shared);
    if (!s.ok()) return s;
  }
  for (int i = 0; i < workers; ++i) {
    Ref instance;
    {
      DestinationCall call("__init__");
      instance = Ref(PyObject_CallNoArgs(cls.get()));
    }
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
  if (per_instance) {
    absl::Status s = InjectResultConstants(gil, cls.get(), shared);
    for (size_t i = 0; s.ok() && i < dest->drivers_.size(); ++i) {
      s = InjectDriverAttributes(gil, dest->drivers_[i]->instance(), shared);
    }
    if (!s.ok()) return s;
  }
  // persist_name is there for init() but not __init__()
  // (syslog-ng-behaviour.md §2.2 step 8): a class attribute, or an
  // instance one under target(axosyslog).
  dest->persist_name_ =
      ComputePersistName(gil, shared, dest->drivers_[0]->instance());
  Ref pn(PyUnicode_FromString(dest->persist_name_.c_str()));
  for (size_t i = 0; pn && i < (per_instance ? dest->drivers_.size() : 1);
       ++i) {
    PyObject* on = per_instance ? dest->drivers_[i]->instance() : cls.get();
    if (PyObject_SetAttrString(on, "persist_name", pn.get()) != 0) {
      PyErr_Clear();
    }
  }
  if (!pn) PyErr_Clear();
  for (auto& driver : dest->drivers_) {
    if (absl::Status s = InitInstance(gil, shared, driver->instance());
        !s.ok()) {
      return s;  // not initialised: deinit() does not run
    }
  }
  if (shared->value_pairs) {
    dest->preparer_ = std::make_shared<RecordPreparer>(shared->value_pairs,
                                                       shared->context);
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

const DestinationCounters& PythonDestination::counters() const {
  return *shared_->context->counters;
}

void PythonDestination::SetUnsettledCounter(
    std::function<uint64_t()> count) {
  shared_->context->unsettled->Set(std::move(count));
}

std::shared_ptr<Preparer> PythonDestination::preparer() const {
  return preparer_;
}

}  // namespace pydest::internal
