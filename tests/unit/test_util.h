// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the unit tests.
#pragma once

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "trustsim/result.h"

namespace trustsim::testing {

inline bool hasCode(const Diagnostics& diags, const std::string& code, const std::string& where = "*") {
  return std::any_of(diags.begin(), diags.end(), [&](const Diagnostic& d) {
    return d.code == code && (where == "*" || d.where == where);
  });
}

inline std::string dump(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags) {
    out += formatDiagnostic(d) + "\n";
  }
  return out;
}

}  // namespace trustsim::testing
