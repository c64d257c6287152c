// SPDX-License-Identifier: Apache-2.0
// Policy JSON (already read by json_reader) → the Policy model, with every grammar error reported.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/policy.h"

namespace trustsim::parse {

class NlohmannView;  // parse/json_view.h
class SimdView;

struct PolicyParseOptions {
  PolicyKind kind = PolicyKind::Identity;
  PolicyOrigin origin = PolicyOrigin::Authored;
  std::string file;          // for diagnostics
  std::string base_pointer;  // pointer of the document inside its file (`/cases/3/resourcePolicy`)
};

// Never fails: problems go to Policy::diagnostics (errors for Authored origin, which also clear
// Policy::valid; warnings for Dump origin). Codes are listed in docs/diagnostics.md.
Policy parsePolicy(const nlohmann::json& document, const PolicyParseOptions& options);
// The same rules over simdjson's DOM (dumps): members are visited in document order.
Policy parsePolicyView(const SimdView& document, const PolicyParseOptions& options);
Policy parsePolicyView(const NlohmannView& document, const PolicyParseOptions& options);

}  // namespace trustsim::parse
