// pydest-worker: the process a Python destination runs in under
// isolation(process). A host (libpydest) starts it with its channel on fd 3
// and its progress page on fd 4 (worker_launcher.h); it is not meant to be
// run by hand.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "libpydest/process/worker_child.h"

int main() {
  if (fcntl(pydest::internal::kWorkerChannelFd, F_GETFD) < 0) {
    std::fputs("pydest-worker: started by libpydest for isolation(process); "
               "not meant to be run by hand\n", stderr);
    return 2;
  }
  return pydest::internal::RunWorkerChild();
}
