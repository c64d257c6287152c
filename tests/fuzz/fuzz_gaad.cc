// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the AWS dumps → readJson → World. Every document goes through the
// `get-account-authorization-details` loader (policy documents as JSON objects, JSON strings and
// URL-encoded strings reach the parser as Dump); one that looks like an organisation file also
// goes through the organisation loader.
#include "fuzz_input.h"
#include "load/gaad.h"
#include "load/organizations.h"
#include "parse/json_reader.h"
#include "targets.h"

namespace trustsim::fuzz {
namespace {

void expectConsistent(const Result<World>& world, const char* what) {
  if (!world) {
    TRUSTSIM_FUZZ_CHECK(hasErrors(world.error()), what, "a failed load without an error");
    for (const Diagnostic& d : world.error()) (void)formatDiagnostic(d);
  } else {
    TRUSTSIM_FUZZ_CHECK(!hasErrors(world.value().diagnostics), what,
                        "a loaded dump that carries errors");
  }
}

}  // namespace

int gaad(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = parse::readJson(text, "dump.json");
  if (!doc) {
    return 0;
  }
  (void)load::looksLikeGaad(doc.value());
  expectConsistent(load::loadGaad(doc.value(), "dump.json"), "gaad");
  if (load::looksLikeOrganization(doc.value())) {
    expectConsistent(load::loadOrganization(doc.value(), "dump.json"), "organization");
  }
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(gaad)
