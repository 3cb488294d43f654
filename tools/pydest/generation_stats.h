// A destination's counters across reloads: each reload (SIGHUP) replaces
// its PyDestinationHost by a new one, a generation, and pydest reports the
// destination once, with the counters of all its generations added up.
// Messages one generation hands on to the next (carried over after its
// shutdown dropped them, or left in the disk buffer the next one recovers)
// count once, as the next generation's.
//
// Pure functions on plain values; thread-compatible.
#ifndef PYDEST_TOOLS_PYDEST_GENERATION_STATS_H_
#define PYDEST_TOOLS_PYDEST_GENERATION_STATS_H_

#include <cstdint>

#include "pydest/stats.h"

namespace pydest::cli {

// Adds `later` (a later generation's counters) to `*total`: every counter
// and both histograms summed; the gauges that describe the destination now
// (queue_capacity, disk_buffer_bytes) become `later`'s.
void AddGeneration(const DestinationStats& later, DestinationStats* total);

// Takes out of a retired generation's counters what it handed on:
// `carried` messages its shutdown reported kDroppedShutdown and the next
// generation accepted again (no longer queued, processed or dropped here),
// and `kept` messages it left in a disk buffer the next generation
// recovered (no longer queued, processed or kept here). Counts never go
// below zero.
void HandOn(uint64_t carried, uint64_t kept, DestinationStats* retired);

// Takes out of a generation's counters the `kept` messages it recovered
// from its predecessor's disk buffer: they were read in this run, not left
// by an earlier one (disk_buffer_recovered).
void RecoveredFromPredecessor(uint64_t kept, DestinationStats* stats);

}  // namespace pydest::cli

#endif  // PYDEST_TOOLS_PYDEST_GENERATION_STATS_H_
