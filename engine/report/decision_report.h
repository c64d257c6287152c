// SPDX-License-Identifier: Apache-2.0
// Decisions rendered for people (text) and programs (JSON). Deterministic: no clocks, no paths.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/decision.h"

namespace trustsim::report {

// `trust policy `TrustPolicy` statement 0 (Sid `Vendor`)`
std::string describeRef(const StatementRef& ref);

nlohmann::json refJson(const StatementRef& ref);
nlohmann::json diagnosticJson(const Diagnostic& d);

// {"decision", "decidedBy", "diagnostics", "reason", "missingAllow"?, "trace"?}
nlohmann::json decisionJson(const Decision& decision, bool with_trace);

// One line (`allowed by ...` / `implicitDeny: ...`), then the trace indented when asked for.
std::string decisionText(const Decision& decision, bool with_trace);

}  // namespace trustsim::report
