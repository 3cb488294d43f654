// PyDestinationHost (include/pydest/host.h): a PythonDestination (the
// class, its instances, init/deinit on the calling thread) driven by a
// Delivery (queue and one worker thread per instance).
#include <algorithm>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libpydest/delivery/delivery.h"
#include "libpydest/host/default_log_sink.h"
#include "libpydest/host/open_dead_letters.h"
#include "libpydest/host/open_disk_buffer.h"
#include "libpydest/host/python_dead_letters.h"
#include "libpydest/python/python_destination.h"
#include "pydest/host.h"

namespace pydest {
namespace {

using internal::Delivery;
using internal::Driver;
using internal::PythonDestination;

// Of the time Shutdown is given, the part kept for the final flush(),
// close() and deinit() after draining stops: a fifth, at most 1 s.
absl::Duration CloseReserve(absl::Duration total) {
  if (total <= absl::ZeroDuration()) return absl::ZeroDuration();
  return std::min(total / 5, absl::Seconds(1));
}

class PyDestinationHostImpl final : public PyDestinationHost {
 public:
  PyDestinationHostImpl(std::shared_ptr<PythonDestination> python,
                        std::unique_ptr<Delivery> delivery,
                        std::shared_ptr<internal::DeadLetterSink> dead_letters)
      : python_(std::move(python)),
        delivery_(std::move(delivery)),
        dead_letters_(std::move(dead_letters)),
        python_dead_letters_(dynamic_cast<internal::PythonDeadLetters*>(
            dead_letters_.get())) {}

  ~PyDestinationHostImpl() override {
    const absl::Status st = Shutdown(absl::Now() + absl::Seconds(1));
    if (absl::IsDeadlineExceeded(st)) {
      // An abandoned worker still holds the destination and may drop the
      // last reference on its own thread when its call returns; the Python
      // objects must not be released there (PythonDestination is torn down
      // on its owner's thread), so they are deliberately kept for the
      // process's lifetime.
      new std::shared_ptr<PythonDestination>(python_);
      // The same for a second destination of dead letters, which that
      // worker's engine still holds: its last reference must not go on
      // the abandoned thread either.
      if (dead_letters_ != nullptr) {
        new std::shared_ptr<internal::DeadLetterSink>(dead_letters_);
      }
    }
  }

  using PyDestinationHost::Send;
  using PyDestinationHost::TrySend;
  using PyDestinationHost::TrySendBatch;

  absl::Status Send(Message message, uint64_t context) override {
    return delivery_->Send(std::move(message), context);
  }
  bool TrySend(Message message, uint64_t context) override {
    return delivery_->TrySend(std::move(message), context);
  }
  size_t TrySendBatch(absl::Span<const Message> messages,
                      absl::Span<const uint64_t> contexts) override {
    return delivery_->TrySendBatch(messages, contexts);
  }
  absl::Status Flush(absl::Time deadline) override {
    absl::Status status = delivery_->Flush(deadline);
    // The dead letters of what was just settled: on disk, or delivered by
    // the second destination.
    if (dead_letters_ != nullptr) status.Update(dead_letters_->Flush(deadline));
    return status;
  }

  absl::Status Shutdown(absl::Time deadline) override {
    absl::MutexLock lock(&shutdown_mu_);
    if (shut_down_) return shutdown_status_;
    shut_down_ = true;
    const absl::Time now = absl::Now();
    // A second destination receiving the dead letters is shut down after
    // this one (it gets this one's last drops), with a share of the time.
    const absl::Time own_deadline =
        python_dead_letters_ != nullptr
            ? deadline - CloseReserve(deadline - now)
            : deadline;
    const absl::Time drain =
        own_deadline - CloseReserve(own_deadline - now);
    shutdown_status_ = delivery_->Shutdown(drain, own_deadline);
    // deinit() on this thread, after the workers' close step
    // (syslog-ng-behaviour.md §2.5).
    python_->Deinit();
    if (dead_letters_ != nullptr) {
      shutdown_status_.Update(dead_letters_->Shutdown(deadline));
    }
    return shutdown_status_;
  }

  DestinationStats stats() const override { return delivery_->stats(); }
  std::optional<DestinationStats> dead_letter_stats() const override {
    if (python_dead_letters_ == nullptr) return std::nullopt;
    return python_dead_letters_->stats();
  }

 private:
  // Shared with the worker threads: an abandoned worker keeps it alive.
  std::shared_ptr<PythonDestination> python_;
  std::unique_ptr<Delivery> delivery_;
  std::shared_ptr<internal::DeadLetterSink> dead_letters_;  // null: none
  // dead_letters_ when it is a second Python destination, else null.
  internal::PythonDeadLetters* const python_dead_letters_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  absl::Status shutdown_status_ ABSL_GUARDED_BY(shutdown_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<PyDestinationHost>> PyDestinationHost::Create(
    const DestinationOptions& options) {
  DestinationOptions opts = options;
  if (!opts.log_sink) opts.log_sink = internal::DefaultLogSink();
  if (opts.log_fifo_size == 0) {
    return absl::InvalidArgumentError("log-fifo-size() must be at least 1");
  }
  // The Python side and the delivery engine count into the same counters.
  auto counters = std::make_shared<internal::DestinationCounters>();
  absl::StatusOr<std::unique_ptr<PythonDestination>> python =
      PythonDestination::Create(opts, counters);
  if (!python.ok()) return python.status();
  std::shared_ptr<PythonDestination> shared(std::move(*python));
  std::shared_ptr<internal::DurableStore> store;
  if (opts.disk_buffer.has_value()) {
    absl::StatusOr<std::shared_ptr<internal::DurableStore>> opened =
        internal::OpenDiskBuffer(&opts, shared->persist_name(), *counters);
    if (!opened.ok()) {
      shared->Deinit();  // init() ran: undo it, nothing is left running
      return opened.status();
    }
    store = std::move(*opened);
  }
  std::shared_ptr<internal::DeadLetterSink> dead_letters;
  if (opts.dead_letter.has_value()) {
    absl::StatusOr<std::shared_ptr<internal::DeadLetterSink>> opened =
        internal::OpenDeadLetters(opts, shared->persist_name());
    if (!opened.ok()) {
      shared->Deinit();
      return opened.status();
    }
    dead_letters = std::move(*opened);
  }
  std::vector<Driver*> drivers;
  for (int i = 0; i < shared->worker_count(); ++i) {
    drivers.push_back(shared->driver(i));
  }
  auto delivery =
      std::make_unique<Delivery>(opts, std::move(drivers), shared,
                                 internal::Clock::Real(), shared->preparer(),
                                 std::move(counters), std::move(store));
  shared->SetUnsettledCounter(delivery->UnsettledCounter());
  if (dead_letters != nullptr) delivery->SetDeadLetters(dead_letters);
  delivery->Start();
  return std::unique_ptr<PyDestinationHost>(new PyDestinationHostImpl(
      std::move(shared), std::move(delivery), std::move(dead_letters)));
}

}  // namespace pydest
