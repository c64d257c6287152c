// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a `get-account-authorization-details` dump → readJson → loadGaad → World. Policy
// documents inside (JSON objects, JSON strings, URL-encoded strings) reach the parser as Dump.
#include "load/gaad.h"
#include "parse/json_reader.h"
#include "fuzz_input.h"
#include "targets.h"

namespace trustsim::fuzz {

int gaad(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = parse::readJson(text, "gaad.json");
  if (!doc) {
    return 0;
  }
  (void)load::looksLikeGaad(doc.value());
  const auto world = load::loadGaad(doc.value(), "gaad.json");
  if (!world) {
    TRUSTSIM_FUZZ_CHECK(hasErrors(world.error()), "gaad", "a failed load without an error");
    for (const Diagnostic& d : world.error()) (void)formatDiagnostic(d);
  } else {
    TRUSTSIM_FUZZ_CHECK(!hasErrors(world.value().diagnostics), "gaad", "a loaded dump that carries errors");
  }
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(gaad)
