// SPDX-License-Identifier: Apache-2.0
#include "load/terraform.h"

namespace trustsim::load {

bool looksLikeTerraform(const nlohmann::json&) { return false; }

Result<World> loadTerraform(const nlohmann::json&, const std::string& file, const LoadOptions&) {
  return Diagnostics{Diagnostic{"input.unsupported", "Terraform input is not supported yet", "", file, Severity::Error}};
}

}  // namespace trustsim::load
