// The GIL discipline of libpydest: every call into Python happens inside a
// GilGuard, and every function that touches Python objects takes a
// RequiresGil token as its first parameter, which only a live GilGuard (or
// code already running inside Python, e.g. a method of the syslogng module)
// can produce. A function without the token must not touch Python.
//
// GilRelease is the opposite: a scope in which a thread that holds the GIL
// gives it up, e.g. around a blocking wait, so the host and other workers
// keep running (DESIGN.md rule 3: the host never waits while holding it).
//
// Thread-safety: a guard belongs to the thread that made it; guards nest
// (PyGILState_Ensure is re-entrant on one thread).
#ifndef LIBPYDEST_PYRT_GIL_H_
#define LIBPYDEST_PYRT_GIL_H_

#include <Python.h>

namespace pydest::internal {

class GilGuard;

// Proof that the current thread holds the GIL. Cheap to copy; never store it
// beyond the scope that produced it.
class RequiresGil {
 public:
  RequiresGil(const RequiresGil&) = default;

  // For code that Python itself calls (module methods, type slots): the
  // interpreter holds the GIL for us there.
  static RequiresGil InsidePython() { return RequiresGil(); }

 private:
  friend class GilGuard;
  RequiresGil() = default;
};

// Takes the GIL for its lifetime (PyGILState_Ensure / PyGILState_Release).
// The interpreter must be running (EnsurePythonStarted, interpreter.h).
class GilGuard {
 public:
  GilGuard() : state_(PyGILState_Ensure()) {}
  ~GilGuard() { PyGILState_Release(state_); }
  GilGuard(const GilGuard&) = delete;
  GilGuard& operator=(const GilGuard&) = delete;

  RequiresGil held() const { return RequiresGil(); }

 private:
  PyGILState_STATE state_;
};

// Gives the GIL up for its lifetime; the thread must hold it on entry.
class GilRelease {
 public:
  explicit GilRelease(RequiresGil) : saved_(PyEval_SaveThread()) {}
  ~GilRelease() { PyEval_RestoreThread(saved_); }
  GilRelease(const GilRelease&) = delete;
  GilRelease& operator=(const GilRelease&) = delete;

 private:
  PyThreadState* saved_;
};

// Keeps the calling thread's Python thread state for its lifetime, without
// holding the GIL. GilGuards on the thread then reuse that state instead of
// creating and destroying one each time, so threading.local data and the
// interpreter's per-thread frame stack survive between them. Make it on the
// thread that will use it, before any GilGuard there; destroy it on the same
// thread, with no GilGuard alive (it takes the GIL to free the state).
class PinnedThreadState {
 public:
  PinnedThreadState()
      : state_(PyGILState_Ensure()), saved_(PyEval_SaveThread()) {}
  ~PinnedThreadState() {
    PyEval_RestoreThread(saved_);
    PyGILState_Release(state_);  // the last release: frees the state
  }
  PinnedThreadState(const PinnedThreadState&) = delete;
  PinnedThreadState& operator=(const PinnedThreadState&) = delete;

 private:
  PyGILState_STATE state_;
  PyThreadState* saved_;
};

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_GIL_H_
