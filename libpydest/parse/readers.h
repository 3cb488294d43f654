// The readers' entry points on an already prepared line (see reader_util.h):
// ParseLine prepares a line once and hands it to one of these; the public
// ParseRfc3164/ParseRfc5424/ParseJsonLine do the same for a single format.
//
// Thread-safe: stateless.
#ifndef LIBPYDEST_PARSE_READERS_H_
#define LIBPYDEST_PARSE_READERS_H_

#include "libpydest/parse/reader_util.h"
#include "pydest/message.h"
#include "pydest/parse.h"

namespace pydest::parse_internal {

Message ReadRfc3164(const PreparedLine& line, const ParseOptions& options);
Message ReadRfc5424(const PreparedLine& line, const ParseOptions& options);
Message ReadJsonLine(const PreparedLine& line, const ParseOptions& options);

}  // namespace pydest::parse_internal

#endif  // LIBPYDEST_PARSE_READERS_H_
