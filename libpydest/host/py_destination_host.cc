// PyDestinationHost (include/pydest/host.h): a PythonDestination (the
// class, its instances, init/deinit on the calling thread) — or, under
// isolation(process), a ProcessDestination (the same in worker processes) —
// driven by a Delivery (queue and one worker thread per instance).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libpydest/config/isolation_parser.h"
#include "libpydest/delivery/delivery.h"
#include "libpydest/host/default_log_sink.h"
#include "libpydest/host/open_dead_letters.h"
#include "libpydest/host/open_disk_buffer.h"
#include "libpydest/host/python_dead_letters.h"
#include "libpydest/process/process_destination.h"
#include "libpydest/python/python_destination.h"
#include "pydest/host.h"

namespace pydest {
namespace {

using internal::Delivery;
using internal::Driver;
using internal::ProcessDestination;
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
                        std::shared_ptr<ProcessDestination> process,
                        std::unique_ptr<Delivery> delivery,
                        std::shared_ptr<internal::DeadLetterSink> dead_letters)
      : python_(std::move(python)),
        process_(std::move(process)),
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
      if (python_ != nullptr) {
        new std::shared_ptr<PythonDestination>(python_);
      }
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
    // Worker processes still in a call halfway through the close reserve
    // are killed, so that their worker threads finish (the final flush()
    // and close() still have time) instead of being abandoned.
    if (process_ != nullptr) {
      process_->SetShutdownDeadlines(drain,
                                     drain + (own_deadline - drain) / 2);
    }
    shutdown_status_ = delivery_->Shutdown(drain, own_deadline);
    // deinit() on this thread, after the workers' close step
    // (syslog-ng-behaviour.md §2.5).
    if (python_ != nullptr) {
      python_->Deinit();
    } else {
      process_->Deinit(std::max(own_deadline, absl::Now() + CloseReserve(
                                                  deadline - now)));
    }
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
  // One of the two is set, by isolation().
  std::shared_ptr<PythonDestination> python_;
  std::shared_ptr<ProcessDestination> process_;
  std::unique_ptr<Delivery> delivery_;
  std::shared_ptr<internal::DeadLetterSink> dead_letters_;  // null: none
  // dead_letters_ when it is a second Python destination, else null.
  internal::PythonDeadLetters* const python_dead_letters_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  absl::Status shutdown_status_ ABSL_GUARDED_BY(shutdown_mu_);
};

// The configuration layer's rules for the isolation(process) options, for
// options built in C++ too: an option of process isolation without it would
// silently do nothing; a value out of range fails later, less clearly.
absl::Status CheckIsolationOptions(const DestinationOptions& opts) {
  const std::string process_only =
      config_internal::ProcessOnlyOptionWithoutProcess(opts);
  if (!process_only.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        process_only, "() needs isolation(process) (DestinationOptions::"
                      "isolation = Isolation::kProcess)"));
  }
  if (opts.send_timeout.has_value()) {
    const double seconds = absl::ToDoubleSeconds(*opts.send_timeout);
    const std::string problem = config_internal::SendTimeoutProblem(seconds);
    if (!problem.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "send-timeout() expects ", problem, ", got ", seconds));
    }
  }
  if (opts.memory_limit_mib.has_value()) {
    // Past int64's range is past the maximum too.
    const int64_t mib = static_cast<int64_t>(
        std::min<uint64_t>(*opts.memory_limit_mib, INT64_MAX));
    const std::string problem = config_internal::MemoryLimitProblem(mib);
    if (!problem.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("memory-limit() expects ", problem));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PyDestinationHost>> PyDestinationHost::Create(
    const DestinationOptions& options) {
  DestinationOptions opts = options;
  if (!opts.log_sink) opts.log_sink = internal::DefaultLogSink();
  if (opts.log_fifo_size == 0) {
    return absl::InvalidArgumentError("log-fifo-size() must be at least 1");
  }
  if (absl::Status s = CheckIsolationOptions(opts); !s.ok()) return s;
  // The Python side and the delivery engine count into the same counters.
  auto counters = std::make_shared<internal::DestinationCounters>();
  std::shared_ptr<PythonDestination> python;
  std::shared_ptr<ProcessDestination> process;
  std::vector<Driver*> drivers;
  std::shared_ptr<void> keep_alive;
  std::shared_ptr<internal::Preparer> preparer;
  std::string persist_name;
  if (opts.isolation == Isolation::kProcess) {
    absl::StatusOr<std::unique_ptr<ProcessDestination>> created =
        ProcessDestination::Create(opts, counters);
    if (!created.ok()) return created.status();
    process = std::move(*created);
    for (int i = 0; i < process->worker_count(); ++i) {
      drivers.push_back(process->driver(i));
    }
    keep_alive = process;
    preparer = process->preparer();
    persist_name = process->persist_name();
  } else {
    absl::StatusOr<std::unique_ptr<PythonDestination>> created =
        PythonDestination::Create(opts, counters);
    if (!created.ok()) return created.status();
    python = std::move(*created);
    for (int i = 0; i < python->worker_count(); ++i) {
      drivers.push_back(python->driver(i));
    }
    keep_alive = python;
    preparer = python->preparer();
    persist_name = python->persist_name();
  }
  // init() ran: a failure from here on undoes it, nothing is left running.
  auto undo_init = [&] {
    if (python != nullptr) python->Deinit();
    if (process != nullptr) process->Deinit(absl::Now() + absl::Seconds(1));
  };
  std::shared_ptr<internal::DurableStore> store;
  if (opts.disk_buffer.has_value()) {
    absl::StatusOr<std::shared_ptr<internal::DurableStore>> opened =
        internal::OpenDiskBuffer(&opts, persist_name, *counters);
    if (!opened.ok()) {
      undo_init();
      return opened.status();
    }
    store = std::move(*opened);
  }
  std::shared_ptr<internal::DeadLetterSink> dead_letters;
  if (opts.dead_letter.has_value()) {
    absl::StatusOr<std::shared_ptr<internal::DeadLetterSink>> opened =
        internal::OpenDeadLetters(opts, persist_name);
    if (!opened.ok()) {
      undo_init();
      return opened.status();
    }
    dead_letters = std::move(*opened);
  }
  auto delivery = std::make_unique<Delivery>(
      opts, std::move(drivers), std::move(keep_alive), internal::Clock::Real(),
      std::move(preparer), std::move(counters), std::move(store));
  if (python != nullptr) {
    python->SetUnsettledCounter(delivery->UnsettledCounter());
  }
  if (dead_letters != nullptr) delivery->SetDeadLetters(dead_letters);
  delivery->Start();
  return std::unique_ptr<PyDestinationHost>(new PyDestinationHostImpl(
      std::move(python), std::move(process), std::move(delivery),
      std::move(dead_letters)));
}

}  // namespace pydest
