// Ref: owns one new reference to a Python object and drops it on scope
// exit, for C API code that returns early on every error.
//
// Thread-safety: the destructor needs the GIL, like any Py_DECREF.
#ifndef LIBPYDEST_PYRT_PY_REF_H_
#define LIBPYDEST_PYRT_PY_REF_H_

#include <Python.h>

#include <utility>

namespace pydest::internal {

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

}  // namespace pydest::internal

#endif  // LIBPYDEST_PYRT_PY_REF_H_
