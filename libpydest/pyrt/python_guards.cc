// The Python half of process_guard.h: wrappers that keep a destination from
// acting on the process. The wrappers are Python (short, and they must behave
// like the functions they replace); what they report goes through C++ to the
// destination's log sink.
#include <Python.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "libpydest/pyrt/destination_context.h"
#include "libpydest/pyrt/process_guard.h"
#include "libpydest/pyrt/py_error.h"
#include "libpydest/pyrt/py_ref.h"

namespace pydest::internal {
namespace {

// signal.signal(SIGTERM, ...) in a destination used to make pydest (or any
// host) unstoppable: the wrappers record the handler, so getsignal() returns
// what the class set, and never call sigaction. pthread_sigmask may block
// more signals in the calling thread but never unblock one the thread has
// blocked (a host's stop signals are blocked in its workers).
constexpr char kGuardsSource[] = R"PY(
import os as _os
import posix as _posix
import signal as _signal
import _signal as _csignal


def install(in_destination, note_signal, note_exit, adopted):
    # The C functions; signal.py's own wrappers look them up in _signal at
    # each call, so replacing them there covers both modules.
    real_signal = _csignal.signal
    real_getsignal = _csignal.getsignal
    real_siginterrupt = _csignal.siginterrupt
    real_sigmask = _csignal.pthread_sigmask
    real_exit = _os._exit
    recorded = {}

    def diverted():
        return not adopted or in_destination()

    def names(signums):
        out = []
        for n in sorted(signums):
            try:
                out.append(_signal.Signals(n).name)
            except ValueError:
                out.append(str(n))
        return ", ".join(out)

    def checked(signalnum):
        n = int(signalnum)
        if not 1 <= n < _signal.NSIG:
            raise ValueError("signal number out of range")
        return n

    def signal(signalnum, handler):
        if not diverted():
            return real_signal(signalnum, handler)
        n = checked(signalnum)
        if handler not in (_signal.SIG_DFL, _signal.SIG_IGN) and \
                not callable(handler):
            raise TypeError("signal handler must be signal.SIG_IGN, "
                            "signal.SIG_DFL, or a callable object")
        previous = getsignal(n)
        recorded[n] = handler
        note_signal("signal.signal", names([n]))
        return previous

    def getsignal(signalnum):
        n = checked(signalnum)
        if diverted() and n in recorded:
            return recorded[n]
        return real_getsignal(n)

    def siginterrupt(signalnum, flag):
        if not diverted():
            return real_siginterrupt(signalnum, flag)
        note_signal("signal.siginterrupt", names([checked(signalnum)]))

    def pthread_sigmask(how, mask):
        if not diverted():
            return real_sigmask(how, mask)
        mask = {checked(n) for n in mask}
        blocked = {int(n) for n in real_sigmask(_signal.SIG_BLOCK, [])}
        kept = set()
        if how == _signal.SIG_UNBLOCK:
            kept = mask & blocked
            mask -= blocked
        elif how == _signal.SIG_SETMASK:
            kept = blocked - mask
            mask |= blocked
        if kept:
            note_signal("signal.pthread_sigmask", names(kept))
        return real_sigmask(how, mask)

    def _exit(n):
        if not diverted():
            real_exit(n)
        note_exit(n)

    for f, real in ((signal, real_signal), (getsignal, real_getsignal),
                    (siginterrupt, real_siginterrupt),
                    (pthread_sigmask, real_sigmask), (_exit, real_exit)):
        f.__doc__ = real.__doc__
        f.__module__ = real.__module__
    _csignal.signal = signal
    _csignal.getsignal = getsignal
    _csignal.siginterrupt = siginterrupt
    _csignal.pthread_sigmask = pthread_sigmask
    _signal.siginterrupt = siginterrupt  # re-exported, not wrapped there
    _os._exit = _exit
    _posix._exit = _exit
    if not adopted:
        import faulthandler
        faulthandler.enable(file=2, all_threads=True)
)PY";

LogRecord DestinationRecord(const DestinationContext& c,
                            LogRecord::Level level, std::string text) {
  LogRecord r;
  r.level = level;
  r.text = std::move(text);
  r.tags = {{"driver", c.name}, {"class", c.class_name}};
  const char* method = CurrentDestinationMethod();
  if (method != nullptr) r.tags.emplace_back("function", method);
  return r;
}

PyObject* InDestination(PyObject*, PyObject*) {
  return PyBool_FromLong(InDestinationScope() ? 1 : 0);
}

// note_signal(what, signal_names): one warning in the destination's log.
PyObject* NoteSignal(PyObject*, PyObject* args) {
  const char* what;
  const char* signals;
  if (!PyArg_ParseTuple(args, "ss", &what, &signals)) return nullptr;
  std::shared_ptr<const DestinationContext> c = CurrentDestination();
  LogRecord r = DestinationRecord(
      *c, LogRecord::Level::kWarning,
      absl::StrCat(what, "() from a destination is not applied: the "
                         "process's signal handling belongs to the host"));
  r.tags.emplace_back("signal", signals);
  Py_BEGIN_ALLOW_THREADS
  c->Log(r);
  Py_END_ALLOW_THREADS
  Py_RETURN_NONE;
}

// note_exit(n): os._exit(n) from a destination — says who and what is lost,
// then ends the process.
PyObject* NoteExit(PyObject*, PyObject* arg) {
  const int code = PyLong_AsLong(arg) & 0xff;
  if (PyErr_Occurred()) return nullptr;
  if (InForkedChild()) ::_exit(code);  // a child's own exit: not the host's
  std::shared_ptr<const DestinationContext> c = CurrentDestination();
  LogRecord r = DestinationRecord(
      *c, LogRecord::Level::kError,
      "A destination ended the process with os._exit(); the messages "
      "accepted and not yet delivered are lost");
  r.tags.emplace_back("exit_code", absl::StrCat(code));
  r.tags.emplace_back("lost", absl::StrCat(c->unsettled->Get()));
  // The sink may wait for other threads that need the GIL; the thread
  // state is never restored.
  PyEval_SaveThread();
  c->Log(r);
  std::fflush(stderr);
  ::_exit(DestinationExitStatus(code));
}

PyMethodDef kInDestination = {"in_destination", InDestination, METH_NOARGS,
                              nullptr};
PyMethodDef kNoteSignal = {"note_signal", NoteSignal, METH_VARARGS, nullptr};
PyMethodDef kNoteExit = {"note_exit", NoteExit, METH_O, nullptr};

}  // namespace

absl::Status InstallPythonGuards(RequiresGil gil, bool adopted) {
  WatchForForks();
  Ref globals(PyDict_New());
  if (!globals ||
      PyDict_SetItemString(globals.get(), "__builtins__",
                           PyEval_GetBuiltins()) != 0) {
    return ErrorStatus(absl::StatusCode::kInternal,
                       "cannot prepare the process guards",
                       FetchPythonError(gil));
  }
  Ref run(PyRun_String(kGuardsSource, Py_file_input, globals.get(),
                       globals.get()));
  PyObject* install =
      run ? PyDict_GetItemString(globals.get(), "install") : nullptr;
  Ref in_destination(PyCFunction_New(&kInDestination, nullptr));
  Ref note_signal(PyCFunction_New(&kNoteSignal, nullptr));
  Ref note_exit(PyCFunction_New(&kNoteExit, nullptr));
  Ref done(install != nullptr && in_destination && note_signal && note_exit
               ? PyObject_CallFunctionObjArgs(
                     install, in_destination.get(), note_signal.get(),
                     note_exit.get(), adopted ? Py_True : Py_False, nullptr)
               : nullptr);
  if (!done) {
    return ErrorStatus(absl::StatusCode::kInternal,
                       "cannot install the process guards",
                       FetchPythonError(gil));
  }
  return absl::OkStatus();
}

}  // namespace pydest::internal
