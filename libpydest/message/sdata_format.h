// $SDATA: a message's RFC 5424 structured data written back as text, the
// way syslog-ng 3.38 renders it, including the `[meta sequenceId="N"]` it
// adds when the destination numbers messages.
//
// Writes into the caller's buffer; thread-safe.
#ifndef LIBPYDEST_MESSAGE_SDATA_FORMAT_H_
#define LIBPYDEST_MESSAGE_SDATA_FORMAT_H_

#include <cstdint>
#include <string>

#include "libpydest/message/message_rep.h"

namespace pydest::internal {

// Appends `[ID NAME="VALUE" ...]...` for every SD element of `rep`, in the
// order they were added; `"`, `\` and `]` in values are escaped with a
// backslash (RFC 5424 section 6.3.3). When `seqnum` is not 0 and the message
// has no meta.sequenceId, syslog-ng's sequence number is added: inside an
// existing "meta" element as its first parameter, otherwise as a trailing
// `[meta sequenceId="N"]` element.
void AppendSdata(const MessageRep& rep, uint64_t seqnum, std::string* out);

}  // namespace pydest::internal

#endif  // LIBPYDEST_MESSAGE_SDATA_FORMAT_H_
