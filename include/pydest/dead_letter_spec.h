// DeadLetterSpec: where a destination's dropped messages go, so that no
// drop is only a counter (docs/dead-letters.md). Every message whose
// outcome is a drop — DROP from send()/flush(), retries exhausted, an
// on-error drop, queue overflow, the Shutdown deadline, or handed over
// after Shutdown began — is handed to exactly one of:
//
//   file("PATH")  one JSON line per message appended to PATH: the reason,
//                 the destination, the time and the message's name-value
//                 pairs. pydest's JSON-lines input reads such a file back,
//                 so dropped messages can be inspected and replayed.
//   python(...)   a second Python destination (Fluentd's secondary output)
//                 that receives them as ordinary messages.
//
// In a configuration: `dead-letter(file("/var/log/app/dropped.jsonl"))` or
// `dead-letter(python(class("mymod.Archive") options(...)))` inside
// python(). Messages kept by a disk-buffer() for the next run are not drops
// and never become dead letters.
//
// Thread-safety: a plain value.
#ifndef PYDEST_DEAD_LETTER_SPEC_H_
#define PYDEST_DEAD_LETTER_SPEC_H_

#include <memory>
#include <string>

namespace pydest {

struct DestinationOptions;

struct DeadLetterSpec {
  // file("PATH"): the JSON-lines file, created (mode 0600) when missing and
  // appended to otherwise. Create fails when it cannot be opened.
  std::string file;
  // python(...): the options of the second destination. Its fields that are
  // left at their defaults take the first destination's: python_path,
  // virtualenv, state_dir, global_code (and its file name), log_sink and
  // version; name defaults to "<name>.dead-letter" and persist_name to
  // "<persist name>.dead-letter", so that its state stays apart. It cannot
  // have a dead letter of its own. It is flushed with the first one, and
  // shut down after it, with a fifth of the Shutdown time (at most 1 s)
  // kept for it.
  std::shared_ptr<const DestinationOptions> python;
};

}  // namespace pydest

#endif  // PYDEST_DEAD_LETTER_SPEC_H_
