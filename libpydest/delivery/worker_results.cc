// Worker result handling: what a send() or flush() result does to the
// pending batch and the connection: syslog-ng's rules
// (syslog-ng-behaviour.md §2.6, §3.2) for ERROR with retries(), DROP,
// NOT_CONNECTED, RETRY with its hard-coded limit of 3 and QUEUED
// batching, plus libpydest's backoff.max_attempts cap.
// The rest of the state machine is in worker.cc.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "libpydest/delivery/worker.h"

namespace pydest::internal {

void Worker::HandleResult(DeliveryResult result) {
  switch (result) {
    case DeliveryResult::kSuccess:
      // Acknowledges the whole pending batch (earlier QUEUED ones too).
      error_count_ = 0;
      // An empty flush() SUCCESS (after a RETRY round) proves nothing about
      // the connection: only a delivery ends a reconnect loop.
      if (Pending() > 0) {
        attempts_ = 0;
        backoff_.Reset();
      }
      Acknowledge();
      // Inside a driver batch the outcomes are reported at its end.
      if (!in_batch_) ReportDelivered();
      return;
    case DeliveryResult::kQueued:
      batching_ = true;  // never cleared (syslog-ng-behaviour.md §3.2)
      return;
    case DeliveryResult::kExplicitAckMgmt:
      // Stays pending until a later SUCCESS covers it.
      return;
    default:
      // Failures log, settle and may close: outside the driver batch (and
      // so outside the GIL).
      EndDriverBatch();
      HandleFailure(result);
      return;
  }
}

void Worker::HandleFailure(DeliveryResult result) {
  switch (result) {
    case DeliveryResult::kSuccess:
    case DeliveryResult::kQueued:
    case DeliveryResult::kExplicitAckMgmt:
      HandleResult(result);
      return;
    case DeliveryResult::kDrop: {
      const size_t n = Pending();
      Log(LogRecord::Level::kError,
          "Message(s) dropped while sending message to destination",
          {{"driver", config_->driver_name},
           {"worker_index", absl::StrCat(index_)},
           {"time_reopen", TimeReopenTag()},
           {"batch_size", absl::StrCat(n)}});
      Settle(Outcome::kDroppedByDestination);
      error_count_ = 0;
      attempts_ = 0;
      Disconnect();
      Suspend();
      return;
    }
    case DeliveryResult::kError: {
      const size_t n = Pending();
      ++error_count_;
      if (error_count_ >= config_->retries) {
        // retries() exhausted: drop and go on at once, no disconnect.
        Log(LogRecord::Level::kError,
            "Multiple failures while sending message(s) to destination, "
            "message(s) dropped",
            {{"driver", config_->driver_name},
             {"worker_index", absl::StrCat(index_)},
             {"retries", absl::StrCat(error_count_)},
             {"batch_size", absl::StrCat(n)}});
        Settle(Outcome::kDroppedRetriesExhausted);
        error_count_ = 0;
        attempts_ = 0;
        return;
      }
      Log(LogRecord::Level::kError,
          "Error occurred while trying to send a message, trying again",
          {{"driver", config_->driver_name},
           {"worker_index", absl::StrCat(index_)},
           {"retries", absl::StrCat(error_count_)},
           {"time_reopen", TimeReopenTag()},
           {"batch_size", absl::StrCat(n)}});
      tracker_->AddRetries(n);
      Rewind();
      Disconnect();
      Suspend();
      return;
    }
    case DeliveryResult::kRetry: {
      ++retry_count_;
      if (retry_count_ >= kRetryLimit) {
        HandleNotConnected();
        return;
      }
      // Resend at once, without close or suspend; the drain round ends
      // (and flush() runs) first, as in syslog-ng.
      tracker_->AddRetries(Pending());
      Rewind();
      round_broken_ = true;
      return;
    }
    case DeliveryResult::kNotConnected:
      HandleNotConnected();
      return;
    case DeliveryResult::kWorkerLost:
      HandleWorkerLost(lost_in_send_);
      return;
  }
  // Unknown values: the driver maps out-of-range results to kError, so this
  // is defensive only.
  HandleFailure(DeliveryResult::kError);
}

void Worker::HandleNotConnected() {
  const size_t n = Pending();
  retry_count_ = 0;
  ++attempts_;
  Log(LogRecord::Level::kInfo,
      "Server disconnected while preparing messages for sending, trying again",
      {{"driver", config_->driver_name},
       {"worker_index", absl::StrCat(index_)},
       {"time_reopen", TimeReopenTag()},
       {"batch_size", absl::StrCat(n)}});
  const auto& max_attempts = config_->backoff.max_attempts;
  if (max_attempts.has_value() && attempts_ >= *max_attempts) {
    // libpydest's cap on syslog-ng's endless NOT_CONNECTED/RETRY loop.
    Log(LogRecord::Level::kError,
        "Reconnect attempts exhausted, message(s) dropped",
        {{"driver", config_->driver_name},
         {"worker_index", absl::StrCat(index_)},
         {"attempts", absl::StrCat(attempts_)},
         {"batch_size", absl::StrCat(n)}});
    Settle(Outcome::kDroppedRetriesExhausted);
    attempts_ = 0;
    error_count_ = 0;
  } else {
    tracker_->AddRetries(n);
    Rewind();
  }
  Disconnect();
  Suspend();
}

void Worker::HandleWorkerLost(bool in_send) {
  if (in_send && next_ > 0) {
    const uint64_t seqnum = At(next_ - 1).seqnum;
    lost_tries_ = seqnum == lost_seqnum_ ? lost_tries_ + 1 : 1;
    lost_seqnum_ = seqnum;
    if (lost_tries_ >= config_->retries) {
      Log(LogRecord::Level::kError,
          "The worker process died in send() of the same message on every "
          "try; dropping it as a poison message",
          {{"driver", config_->driver_name},
           {"worker_index", absl::StrCat(index_)},
           {"seqnum", absl::StrCat(seqnum)},
           {"retries", absl::StrCat(lost_tries_)}});
      DropPoison();
      lost_tries_ = 0;
      lost_seqnum_ = 0;
    }
    const size_t n = Pending();
    if (n > 0) {
      Log(LogRecord::Level::kError,
          "The worker process died while sending; trying again",
          {{"driver", config_->driver_name},
           {"worker_index", absl::StrCat(index_)},
           {"time_reopen", TimeReopenTag()},
           {"batch_size", absl::StrCat(n)}});
      tracker_->AddRetries(n);
    }
    Rewind();
    Disconnect();
    Suspend();
    return;
  }
  // Died in flush() (or outside any send): the pending batch it held is
  // tried again, and retries() counts the tries as for ERROR. With nothing
  // pending there is nothing to try again: only the worker goes.
  const size_t n = Pending();
  if (n == 0) {
    Disconnect();
    Suspend();
    return;
  }
  ++error_count_;
  if (error_count_ >= config_->retries) {
    Log(LogRecord::Level::kError,
        "The worker process died on every try, message(s) dropped",
        {{"driver", config_->driver_name},
         {"worker_index", absl::StrCat(index_)},
         {"retries", absl::StrCat(error_count_)},
         {"batch_size", absl::StrCat(n)}});
    Settle(Outcome::kDroppedRetriesExhausted);
    error_count_ = 0;
  } else {
    Log(LogRecord::Level::kError,
        "The worker process died while flushing; trying again",
        {{"driver", config_->driver_name},
         {"worker_index", absl::StrCat(index_)},
         {"retries", absl::StrCat(error_count_)},
         {"time_reopen", TimeReopenTag()},
         {"batch_size", absl::StrCat(n)}});
    tracker_->AddRetries(n);
    Rewind();
  }
  Disconnect();
  Suspend();
}

void Worker::DropPoison() {
  absl::MutexLock lock(&state_mu_);
  if (abandoned()) return;
  const size_t acked = acked_.load(std::memory_order_relaxed);
  // Bring the poison message to the front of the pending ones (their order
  // is kept), so that settling up to it settles it alone.
  std::rotate(batch_.begin() + acked, batch_.begin() + (next_ - 1),
              batch_.begin() + next_);
  SettleUpTo(acked + 1, Outcome::kDroppedPoison);
}

}  // namespace pydest::internal
