// SPDX-License-Identifier: Apache-2.0
// Fuzz target: policy JSON text → readJson → parsePolicy, under every PolicyKind and both origins
// (the input is a plain policy document, so seeds are the policies of the test corpus).
#include "fuzz_input.h"
#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "targets.h"

namespace trustsim::fuzz {

int policyParser(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = parse::readJson(text, "policy.json");
  if (!doc) {
    TRUSTSIM_FUZZ_CHECK(!doc.error().empty(), "policy_parser",
                        "readJson failed without a diagnostic");
    return 0;
  }
  constexpr PolicyKind kKinds[] = {PolicyKind::Identity, PolicyKind::Trust,   PolicyKind::Resource,
                                   PolicyKind::Boundary, PolicyKind::Session, PolicyKind::Scp,
                                   PolicyKind::Rcp};
  for (const PolicyKind kind : kKinds) {
    for (const PolicyOrigin origin : {PolicyOrigin::Authored, PolicyOrigin::Dump}) {
      const Policy p = parse::parsePolicy(doc.value(), {kind, origin, "policy.json", "/doc"});
      // The contract of parsePolicy: an Authored policy is invalid exactly when it has errors; a
      // Dump policy is always evaluated (its problems are warnings).
      TRUSTSIM_FUZZ_CHECK(
          p.valid == !(origin == PolicyOrigin::Authored && hasErrors(p.diagnostics)),
          "policy_parser", "Policy::valid disagrees with the diagnostics");
      TRUSTSIM_FUZZ_CHECK(origin == PolicyOrigin::Authored || !hasErrors(p.diagnostics),
                          "policy_parser", "a Dump policy carries an error-severity diagnostic");
      for (const Diagnostic& d : p.diagnostics) {
        TRUSTSIM_FUZZ_CHECK(!d.code.empty() && d.where.rfind("/doc", 0) == 0, "policy_parser",
                            "a diagnostic without a code or outside the document");
        (void)formatDiagnostic(d);
      }
    }
  }
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(policyParser)
