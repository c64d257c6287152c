// SPDX-License-Identifier: Apache-2.0
#include "load/cloudformation.h"

namespace trustsim::load {

bool looksLikeCloudFormation(const nlohmann::json&) { return false; }

Result<World> loadCloudFormation(const nlohmann::json&, const std::string& file, const LoadOptions&) {
  return Diagnostics{Diagnostic{"input.unsupported", "CloudFormation input is not supported yet", "", file, Severity::Error}};
}

}  // namespace trustsim::load
