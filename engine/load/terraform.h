// SPDX-License-Identifier: Apache-2.0
// Terraform input → World (issue 10). Placeholder: the loader is being written.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/load.h"
#include "trustsim/world.h"

namespace trustsim::load {

bool looksLikeTerraform(const nlohmann::json& doc);
Result<World> loadTerraform(const nlohmann::json& doc, const std::string& file, const LoadOptions& options);

}  // namespace trustsim::load
