// The limits libpydest puts on input that nests or expands.
//
// Configuration text, templates and JSON may come from anyone (a shared
// configuration directory, a log line, a Python class calling
// syslogng.LogTemplate), so everything that nests or expands is bounded:
// past a limit the input is rejected with an error that names the limit and
// the place (file:line:column in a configuration, the column in a
// template), never a crash, a hang or unbounded memory. Each limit is far
// above what real syslog-ng configurations use; docs/compatibility.md
// lists them beside syslog-ng's own behaviour.
//
// Thread-safety: constants only.
#ifndef PYDEST_LIMITS_H_
#define PYDEST_LIMITS_H_

#include <cstddef>

namespace pydest {

// Brackets open at once in a configuration: nested log/junction/channel/if
// blocks, and ( [ { inside any statement. syslog-ng configurations nest a
// handful deep.
inline constexpr int kMaxConfigNesting = 256;

// @include files within @include files (also what catches an include loop).
inline constexpr int kMaxIncludeDepth = 16;

// Blocks used inside the expansion of blocks (an SCL driver built on
// another); also what stops a block that uses itself.
inline constexpr int kMaxBlockDepth = 64;

// One configuration file (the main one or an @include'd one), in bytes.
// Only regular files are read, so /dev/zero or a FIFO is an error, not a
// hang.
inline constexpr size_t kMaxConfigFileBytes = 16 * 1024 * 1024;

// Files that @include may read in one configuration, and their bytes, all
// together: a file included twice by a file included twice ... grows
// exponentially within kMaxIncludeDepth. syslog-ng's whole SCL is about a
// hundred files.
inline constexpr size_t kMaxIncludedFiles = 10000;
inline constexpr size_t kMaxIncludedBytes = 64 * 1024 * 1024;

// Bytes that `@define` (backtick) substitution may produce in one
// configuration, all files together: a chain of defines that each repeat
// the last one grows exponentially and stops here.
inline constexpr size_t kMaxDefineExpansionBytes = 16 * 1024 * 1024;

// Template functions nested inside template functions ($(echo $(echo ...)))
// and parentheses nested inside one call's arguments, together.
inline constexpr int kMaxTemplateNesting = 128;

// The text of one template, in bytes (compiling costs at most
// kMaxTemplateNesting times this in time and transient memory).
inline constexpr size_t kMaxTemplateBytes = 256 * 1024;

// Objects and arrays nested in one JSON-lines input line (deeper lines are
// parse errors: MESSAGE is the line) and in the JSON form of the options.
inline constexpr int kMaxJsonDepth = 128;

// Members of one JSON-lines input line, nested ones included (the
// name-value pairs one message may get from JSON). Past it the line is a
// parse error.
inline constexpr size_t kMaxJsonFields = 65536;

}  // namespace pydest

#endif  // PYDEST_LIMITS_H_
