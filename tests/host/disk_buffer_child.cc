// The child process of the disk-buffer crash test (disk_buffer_crash_e2e.py):
// a host with a reliable disk buffer whose parent kills it with SIGKILL at
// random moments.
//
//   disk_buffer_child send  DIR OUT FIRST COUNT   # Send ids FIRST.., print
//                                                 # each once Send returned
//   disk_buffer_child drain DIR OUT               # deliver what is buffered
//
// OUT is where the destination appends each delivered message's text.
// `send` prints "accepted ID" after each Send returned OK: with
// reliable(yes) the message is on disk by then, so whatever the parent saw
// printed must be delivered in the end, however the child died.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pydest/destination_options.h"
#include "pydest/host.h"
#include "pydest/message.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s send|drain DIR OUT [FIRST COUNT]\n",
                 argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  pydest::DestinationOptions options;
  options.class_name = "durable_recorder.DurableRecorder";
  options.python_path = {PYDEST_TEST_CLASSES_DIR};
  options.persist_name = "crash_test";
  pydest::OptionValue path, delay;
  path.text = argv[3];
  delay.text = mode == "send" ? "0.002" : "0";
  options.options = {{"path", path}, {"delay", delay}};
  pydest::DiskBufferSpec spec;
  spec.reliable = true;
  spec.dir = argv[2];
  spec.mem_buf_length = 50;  // most of a backlog waits in the files
  options.disk_buffer = spec;
  options.log_sink = [](const pydest::LogRecord&) {};
  auto host = pydest::PyDestinationHost::Create(options);
  if (!host.ok()) {
    std::fprintf(stderr, "%s\n", host.status().ToString().c_str());
    return 1;
  }
  if (mode == "send" && argc == 6) {
    const long first = std::atol(argv[4]);
    const long count = std::atol(argv[5]);
    for (long id = first; id < first + count; ++id) {
      const std::string text = absl::StrCat(id);
      if (!(*host)->Send(pydest::MessageBuilder().SetText(text).Build()).ok()) {
        return 1;
      }
      const std::string line = absl::StrCat("accepted ", id, "\n");
      // write(2): nothing buffered in this process when the kill comes.
      if (::write(1, line.data(), line.size()) < 0) return 1;
    }
  }
  if (!(*host)->Flush(absl::Now() + absl::Seconds(60)).ok()) return 3;
  return (*host)->Shutdown(absl::Now() + absl::Seconds(5)).ok() ? 0 : 4;
}
