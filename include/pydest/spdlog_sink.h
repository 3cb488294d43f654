// PyDestinationSink: an spdlog sink that hands every record to a
// PyDestinationHost, so a program that logs with spdlog feeds its own log
// lines to a syslog-ng Python destination. Header-only; needs spdlog 1.10
// or newer (Debian's libspdlog-dev: `pkg-config spdlog`), which libpydest
// itself does not depend on.
//
//   auto host = std::shared_ptr<pydest::PyDestinationHost>(std::move(*made));
//   auto sink = std::make_shared<pydest::PyDestinationSinkMt>(host);
//   spdlog::logger logger("checkout", sink);
//   logger.warn("card declined for order {}", 42);
//
// Each record becomes a Message:
//   - the record's time → the event time ($ISODATE, $S_*), in UTC;
//   - its level → the severity (SeverityFromSpdlogLevel); the facility is
//     SpdlogSinkOptions::facility (user);
//   - the logger's name → PROGRAM (default_program for the unnamed logger);
//   - the text (the payload, or the formatted line with use_formatter) →
//     MESSAGE; the process id → PID; HOST as SpdlogSinkOptions::host says;
//   - with a non-empty pairs_prefix, the thread id and the source location
//     (the SPDLOG_LOGGER_* macros) as "<prefix>thread_id",
//     "<prefix>file", "<prefix>line", "<prefix>function".
//
// A record the host does not accept (after Shutdown began, or a full queue
// with wait_when_full off) is counted in refused(), never lost silently;
// an accepted one gets an outcome like any other message. spdlog's flush()
// waits, up to flush_timeout, until every record accepted so far has its
// outcome (PyDestinationHost::Flush).
//
// Never route the host's log_sink or on_outcome into a logger that has this
// sink: they run on the host's own threads, which must not call the host.
//
// Thread-safety: PyDestinationSinkMt may be shared by loggers on any
// threads; PyDestinationSinkSt is for one thread (spdlog's _st rule).
#ifndef PYDEST_SPDLOG_SINK_H_
#define PYDEST_SPDLOG_SINK_H_

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pydest/host.h"
#include "pydest/message.h"
#include "pydest/priority.h"
#include "spdlog/details/log_msg.h"
#include "spdlog/details/null_mutex.h"
#include "spdlog/sinks/base_sink.h"

namespace pydest {

// spdlog's levels as syslog severities: trace and debug → debug,
// info → informational, warn → warning, err → error, critical → critical.
inline Severity SeverityFromSpdlogLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return Severity::kDebug;
    case spdlog::level::info:
      return Severity::kInformational;
    case spdlog::level::warn:
      return Severity::kWarning;
    case spdlog::level::err:
      return Severity::kError;
    case spdlog::level::critical:
      return Severity::kCritical;
    default:  // off and anything newer: nothing below is more fitting
      return Severity::kNotice;
  }
}

struct SpdlogSinkOptions {
  // The facility of every record: user, as syslog-ng's default-priority().
  Facility facility = Facility::kUser;
  // HOST of every record. "" (the default): this machine's host name up to
  // the first dot, as syslog-ng sets it for local messages.
  std::string host;
  // PROGRAM for records of a logger without a name (spdlog's default
  // logger). "" (the default): PROGRAM is not set.
  std::string default_program;
  // Prefix of the extra name-value pairs (thread id, source location).
  // ".spdlog." by default: a dot-name, so value-pairs scope(dot-nv-pairs)
  // selects them and scope(rfc5424) does not. "" turns them off.
  std::string pairs_prefix = ".spdlog.";
  // MESSAGE is the formatted line (the sink's pattern applied) instead of
  // the text alone. Off by default: the destination formats, and the time,
  // level and logger already travel in their own fields.
  bool use_formatter = false;
  // true (the default): a full queue makes the logging call wait (or drop,
  // as the host's overflow policy says), like a file sink that waits for
  // the disk. false: never wait; a record that finds the queue full is
  // refused and counted.
  bool wait_when_full = true;
  // How long spdlog's flush() waits for the outcomes. 5 s by default.
  absl::Duration flush_timeout = absl::Seconds(5);
};

template <typename Mutex>
class PyDestinationSink final : public spdlog::sinks::base_sink<Mutex> {
 public:
  explicit PyDestinationSink(std::shared_ptr<PyDestinationHost> host,
                             SpdlogSinkOptions options = {})
      : host_(std::move(host)), options_(std::move(options)) {
    if (options_.host.empty()) options_.host = ShortHostName();
    pid_ = std::to_string(static_cast<long long>(::getpid()));
  }

  // Records the host did not accept (see above).
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  // Flushes whose wait ran past flush_timeout.
  uint64_t flush_timeouts() const {
    return flush_timeouts_.load(std::memory_order_relaxed);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    builder_.SetStamp(msg.time)
        .SetReceived(std::chrono::system_clock::now())
        .SetFacility(options_.facility)
        .SetSeverity(SeverityFromSpdlogLevel(msg.level))
        .SetHost(options_.host)
        .SetPid(pid_);
    const std::string_view logger(msg.logger_name.data(),
                                  msg.logger_name.size());
    if (!logger.empty()) {
      builder_.SetProgram(logger);
    } else if (!options_.default_program.empty()) {
      builder_.SetProgram(options_.default_program);
    }
    if (options_.use_formatter) {
      spdlog::memory_buf_t line;
      this->formatter_->format(msg, line);
      std::string_view text(line.data(), line.size());
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
      }
      builder_.SetText(text);
    } else {
      builder_.SetText(std::string_view(msg.payload.data(), msg.payload.size()));
    }
    if (!options_.pairs_prefix.empty()) AddExtraPairs(msg);
    Message message = builder_.Build();
    const bool accepted = options_.wait_when_full
                              ? host_->Send(std::move(message)).ok()
                              : host_->TrySend(std::move(message));
    if (!accepted) refused_.fetch_add(1, std::memory_order_relaxed);
  }

  void flush_() override {
    if (!host_->Flush(absl::Now() + options_.flush_timeout).ok()) {
      flush_timeouts_.fetch_add(1, std::memory_order_relaxed);
    }
  }

 private:
  static std::string ShortHostName() {
    char name[256] = {};
    if (::gethostname(name, sizeof(name) - 1) != 0) return "localhost";
    std::string host(name);
    const size_t dot = host.find('.');
    return dot == std::string::npos ? host : host.substr(0, dot);
  }

  void AddExtraPairs(const spdlog::details::log_msg& msg) {
    const std::string& prefix = options_.pairs_prefix;
    builder_.Set(prefix + "thread_id", std::to_string(msg.thread_id));
    if (msg.source.empty()) return;
    if (msg.source.filename != nullptr) {
      builder_.Set(prefix + "file", msg.source.filename);
    }
    builder_.Set(prefix + "line", std::to_string(msg.source.line));
    if (msg.source.funcname != nullptr) {
      builder_.Set(prefix + "function", msg.source.funcname);
    }
  }

  std::shared_ptr<PyDestinationHost> host_;
  SpdlogSinkOptions options_;
  std::string pid_;
  // Reused for every record: the base sink's mutex serialises sink_it_.
  MessageBuilder builder_;
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> flush_timeouts_{0};
};

// spdlog's naming: _mt for a sink shared between threads, _st for one.
using PyDestinationSinkMt = PyDestinationSink<std::mutex>;
using PyDestinationSinkSt = PyDestinationSink<spdlog::details::null_mutex>;

}  // namespace pydest

#endif  // PYDEST_SPDLOG_SINK_H_
