// OutcomeReport: what a host learns about one message when it is settled —
// its Outcome, the context the host handed over with it, and whether
// handing it over again could end differently. Delivered to
// DestinationOptions::on_outcome_report.
//
// Thread-safety: a plain value.
#ifndef PYDEST_OUTCOME_REPORT_H_
#define PYDEST_OUTCOME_REPORT_H_

#include <cstdint>

#include "pydest/outcome.h"

namespace pydest {

struct OutcomeReport {
  Outcome outcome = Outcome::kDelivered;
  // The value the host passed to Send/TrySend/TrySendBatch with the message
  // (0 when it passed none). libpydest never reads it and Python never sees
  // it: it is there to tie the outcome back to the upstream record (an
  // offset, a sequence number, a pointer cast to an integer).
  uint64_t context = 0;
  // IsRetryable(outcome): true when the drop came from circumstances (a
  // full queue, shutdown, a destination that kept failing), so sending the
  // same message again later may deliver it; false for kDelivered and for
  // drops about the message itself.
  bool retryable = false;
};

}  // namespace pydest

#endif  // PYDEST_OUTCOME_REPORT_H_
