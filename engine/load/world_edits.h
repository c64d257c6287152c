// SPDX-License-Identifier: Apache-2.0
// Applying WorldEdits (world.h): what one input (a Terraform plan) changes in the inputs merged
// before it. Used by mergeWorld, and by the Terraform loader on its own world.
#pragma once

#include <vector>

#include "trustsim/world.h"

namespace trustsim::load {

// Applies `edits` to `world`: removals and detachments first, then additions, each in the order
// given, so that "detach P, attach P" (an attachment that moved to a new address) keeps P.
// An addition whose principal, group or organisation node is not in `world` is not applied and,
// when `unresolved` is not null, is appended to it instead of being reported. With `unresolved`
// null, each one becomes an `input.unresolved_target` warning in `world.diagnostics`.
void applyEdits(World& world, const std::vector<WorldEdit>& edits,
                std::vector<WorldEdit>* unresolved = nullptr);

}  // namespace trustsim::load
