// SPDX-License-Identifier: Apache-2.0
// Vendor names for account ids: the pinned public known_aws_accounts list (Apache-2.0), our
// overlay for vendors it lacks, and the world's own vendor entries (which win).
#pragma once

#include <optional>
#include <string>

#include "trustsim/world.h"

namespace trustsim::data {

// The vendor name for an account id, if any source knows it.
std::optional<std::string> vendorName(const World& world, const std::string& account);

}  // namespace trustsim::data
