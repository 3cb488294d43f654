// PYDEST_EXPORT marks what libpydest.so exports: the classes and functions
// of these headers that the library defines out of line. The library is
// built with hidden visibility, so a declaration without the mark is not
// part of the ABI (docs/abi.md). Hosts never need to use it themselves.
//
// Thread-safety: a macro; nothing runs.
#ifndef PYDEST_EXPORT_H_
#define PYDEST_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define PYDEST_EXPORT __attribute__((visibility("default")))
#else
#define PYDEST_EXPORT
#endif

#endif  // PYDEST_EXPORT_H_
