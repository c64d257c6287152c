// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a scenario file (JSON or YAML, told apart by content as the CLI does) →
// loadScenarioText → World, and a world that loads goes on as `trustsim audit` takes it: the
// simulator, the trust graph and every finding rule. Policy file references resolve against a small
// in-memory folder: `ok*.json` holds a valid trust policy, `bad*.json` broken JSON, `*.yaml` a YAML
// policy; anything else cannot be read.
#include <string>

#include "fuzz_input.h"
#include "targets.h"
#include "trustsim/findings.h"
#include "trustsim/graph.h"
#include "trustsim/load.h"
#include "trustsim/simulator.h"

namespace trustsim::fuzz {

int scenario(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const FileReader read = [](const std::string& path,
                             std::string& error) -> std::optional<std::string> {
    const std::string name = path.substr(path.rfind('/') + 1);
    if (name.rfind("ok", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".json") {
      return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},)"
             R"("Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]})";
    }
    if (name.rfind("bad", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".json") {
      return R"({"Version":"2012-10-17","Statement":[)";
    }
    if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml") {
      return "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Principal: '*'\n    "
             "Action: sts:AssumeRole\n";
    }
    error = "no such file";
    return std::nullopt;
  };
  const auto world = loadScenarioText(text, "scenarios/fuzz.json", read);
  if (!world) {
    TRUSTSIM_FUZZ_CHECK(hasErrors(world.error()), "scenario", "a failed load without an error");
    for (const Diagnostic& d : world.error()) (void)formatDiagnostic(d);
    return 0;
  }
  TRUSTSIM_FUZZ_CHECK(!hasErrors(world.value().diagnostics), "scenario",
                      "a loaded world that carries errors");
  auto simulator = Simulator::build(world.value());
  if (!simulator) {
    TRUSTSIM_FUZZ_CHECK(hasErrors(simulator.error()), "scenario",
                        "a world the simulator refuses without an error");
    return 0;
  }
  const TrustGraph graph = TrustGraph::build(simulator.value());
  (void)audit(graph);
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(scenario)
