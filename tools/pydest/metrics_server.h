// MetricsServer: pydest's --metrics-listen — GET /metrics answered with the
// destinations' counters in the Prometheus text format (or OpenMetrics when
// the scraper asks for it in Accept), rendered by pydest::RenderMetrics.
// HTTP is cpp-httplib's (Debian's libcpp-httplib-dev): no hand-written
// request parsing.
//
// Thread-safety: requests are answered on the server's own threads, which
// call `snapshot`; Start and the destructor from the owning thread.
#ifndef TOOLS_PYDEST_METRICS_SERVER_H_
#define TOOLS_PYDEST_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "pydest/metrics.h"

namespace httplib {
class Server;
}

namespace pydest::cli {

class MetricsServer {
 public:
  using Snapshot = std::function<std::vector<NamedDestinationStats>()>;

  // Binds `host`:`port` (0: a free port) and starts answering. An address
  // that cannot be bound (in use, not local, no permission) is an error
  // naming it.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& host, int port, Snapshot snapshot);
  // Stops answering and joins the server's threads.
  ~MetricsServer();

  // The bound port (the chosen one for port 0).
  int port() const { return port_; }

 private:
  MetricsServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace pydest::cli

#endif  // TOOLS_PYDEST_METRICS_SERVER_H_
