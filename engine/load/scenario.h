// SPDX-License-Identifier: Apache-2.0
// Scenario files (docs/scenario-format.md): a world written by hand. Strict: unknown keys and
// dangling references are errors with the file and JSON pointer.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/load.h"

namespace trustsim::load {

// True for a document with `"format": "trustsim-scenario/1"` or scenario top-level keys.
bool looksLikeScenario(const nlohmann::json& doc);

// The top-level keys a scenario may hold beside the world (expectations, variants) are read by
// the harness; `extra_keys` lists them so the world loader does not call them unknown.
Result<World> loadScenario(const nlohmann::json& doc, const std::string& path, const FileReader& read);

// Reads a policy value of a scenario: an object, JSON text, or {"file": "relative.json"}.
// Exposed for the harness (patches and expectations carry policies too).
struct PolicyValueContext {
  const std::string& path;  // the file the value is in
  const FileReader& read;
  Diagnostics& errors;
};
std::optional<NamedPolicy> readPolicyValue(const nlohmann::json& value, PolicyKind kind, const std::string& name,
                                           const std::string& where, PolicyValueContext& ctx);

}  // namespace trustsim::load
