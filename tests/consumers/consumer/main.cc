// A program that uses libpydest only through its public headers: it hosts
// consumer_dest.CountingDestination and sends it three messages.
// Usage: consumer DIR_OF_consumer_dest.py OUT_FILE
#include <fstream>
#include <iostream>
#include <string>

#include "pydest/destination_options.h"
#include "pydest/host.h"
#include "pydest/message.h"
#include "pydest/option_value.h"
#include "pydest/outcome.h"
#include "pydest/value_pairs.h"

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 4 && std::string(argv[3]) == "process")) {
    std::cerr << "usage: consumer PYTHON_DIR OUT_FILE [process]\n";
    return 2;
  }
  pydest::DestinationOptions options;
  options.class_name = "consumer_dest.CountingDestination";
  options.python_path = {argv[1]};
  options.value_pairs = pydest::ValuePairsSpec{};
  options.value_pairs->scopes = pydest::kScopeRfc5424;
  options.options = {{"out", {pydest::OptionValue::Kind::kString, argv[2]}}};
  // isolation(process): the moved library must find its pydest-worker.
  if (argc == 4) options.isolation = pydest::Isolation::kProcess;
  int delivered = 0;
  options.on_outcome = [&](const pydest::Message&, pydest::Outcome o) {
    if (o == pydest::Outcome::kDelivered) ++delivered;
  };
  auto host = pydest::PyDestinationHost::Create(options);
  if (!host.ok()) {
    std::cerr << host.status() << "\n";
    return 1;
  }
  for (int i = 0; i < 3; ++i) {
    absl::Status s = (*host)->Send(pydest::MessageBuilder()
                                       .SetHost("h")
                                       .SetProgram("consumer")
                                       .SetText("message " + std::to_string(i))
                                       .Build());
    if (!s.ok()) std::cerr << s << "\n";
  }
  absl::Status s = (*host)->Shutdown(absl::Now() + absl::Seconds(10));
  std::string counted;
  std::ifstream(argv[2]) >> counted;
  std::cout << "delivered " << delivered << ", destination counted " << counted
            << "\n";
  return s.ok() && delivered == 3 && counted == "3" ? 0 : 1;
}
