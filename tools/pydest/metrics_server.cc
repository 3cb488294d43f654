#include "tools/pydest/metrics_server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace pydest::cli {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& host, int port, Snapshot snapshot) {
  std::unique_ptr<MetricsServer> m(new MetricsServer());
  m->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *m->server_;
  // A scrape now and then: two threads are plenty, and stay out of the
  // destinations' way.
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  server.Get("/metrics", [snapshot = std::move(snapshot)](
                             const httplib::Request& request,
                             httplib::Response& response) {
    const MetricsFormat format =
        request.get_header_value("Accept").find(
            "application/openmetrics-text") != std::string::npos
            ? MetricsFormat::kOpenMetricsText
            : MetricsFormat::kPrometheusText;
    absl::StatusOr<std::string> text = RenderMetrics(snapshot(), format);
    if (!text.ok()) {
      response.status = 500;
      response.set_content(std::string(text.status().message()),
                           "text/plain");
      return;
    }
    response.set_content(*text, MetricsContentType(format));
  });
  if (port == 0) {
    m->port_ = server.bind_to_any_port(host);
  } else if (server.bind_to_port(host, port)) {
    m->port_ = port;
  } else {
    m->port_ = -1;
  }
  if (m->port_ <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--metrics-listen ", host, ":", port,
        ": cannot listen there (address in use, not an address of this "
        "machine, or no permission)"));
  }
  m->thread_ = std::thread([&server] { server.listen_after_bind(); });
  return m;
}

MetricsServer::~MetricsServer() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pydest::cli
