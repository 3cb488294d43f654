// DestinationStats::ToJson (include/pydest/stats.h), beside the counters
// it formats (delivery owns the stats).
#include "nlohmann/json.hpp"
#include "pydest/stats.h"

namespace pydest {
namespace {

nlohmann::ordered_json HistogramJson(const LatencyHistogram& h) {
  nlohmann::ordered_json j;
  j["count"] = h.count;
  j["sum_seconds"] = h.sum_seconds;
  j["upper_bounds_seconds"] = LatencyHistogram::kUpperBoundsSeconds;
  j["counts"] = h.counts;
  return j;
}

}  // namespace

std::string DestinationStats::ToJson() const {
  // Field order as declared, so the output reads like the struct.
  nlohmann::ordered_json j;
  j["queued"] = queued;
  j["processed"] = processed;
  j["delivered"] = delivered;
  j["dropped"] = dropped();
  j["dropped_by_destination"] = dropped_by_destination;
  j["dropped_retries_exhausted"] = dropped_retries_exhausted;
  j["dropped_on_error"] = dropped_on_error;
  j["dropped_queue_overflow"] = dropped_queue_overflow;
  j["dropped_shutdown"] = dropped_shutdown;
  j["dropped_not_accepted"] = dropped_not_accepted;
  j["dropped_poison"] = dropped_poison;
  j["retries"] = retries;
  j["reopens"] = reopens;
  j["worker_restarts"] = worker_restarts;
  j["suspended_ms"] = suspended_ms;
  j["python_exceptions"] = python_exceptions;
  j["batches"] = batches;
  j["casting_errors"] = casting_errors;
  j["queue_depth"] = queue_depth;
  j["queue_capacity"] = queue_capacity;
  j["late_completions"] = late_completions;
  j["written_bytes"] = written_bytes;
  j["kept_in_disk_buffer"] = kept_in_disk_buffer;
  j["disk_buffer_recovered"] = disk_buffer_recovered;
  j["disk_buffer_possible_duplicates"] = disk_buffer_possible_duplicates;
  j["disk_buffer_damaged"] = disk_buffer_damaged;
  j["disk_buffer_bytes"] = disk_buffer_bytes;
  j["dead_lettered"] = dead_lettered;
  j["dead_letter_failed"] = dead_letter_failed;
  // After every counter, so the keys before them keep their order.
  j["send_latency"] = HistogramJson(send_latency);
  j["queue_time"] = HistogramJson(queue_time);
  return j.dump();
}

}  // namespace pydest
