// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a request-case file (`trustsim eval`) → loadCases → evaluate every case, as the
// CLI does, with and without a trace.
#include "fuzz_input.h"
#include "targets.h"
#include "trustsim/cases.h"

namespace trustsim::fuzz {

int cases(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = loadCases(text, "cases.json");
  if (!loaded) {
    TRUSTSIM_FUZZ_CHECK(hasErrors(loaded.error()), "cases", "a failed load without an error");
    return 0;
  }
  for (const RequestCase& c : loaded.value()) {
    const Decision plain = evaluate(c.request, c.policySet());
    const Decision traced = evaluate(c.request, c.policySet(), EvalOptions{true});
    TRUSTSIM_FUZZ_CHECK(plain.outcome == traced.outcome, "cases",
                        "asking for a trace changed the decision");
    (void)awsReason(plain, c.request.action);
  }
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(cases)
