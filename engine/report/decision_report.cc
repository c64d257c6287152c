// SPDX-License-Identifier: Apache-2.0
#include "report/decision_report.h"

namespace trustsim::report {

std::string describeRef(const StatementRef& ref) {
  std::string out = std::string(toString(ref.type)) + " policy `" + ref.policy + "` statement " +
                    std::to_string(ref.index);
  if (ref.sid && !ref.sid->empty()) {
    out += " (Sid `" + *ref.sid + "`)";
  }
  return out;
}

nlohmann::json refJson(const StatementRef& ref) {
  nlohmann::json j = {{"policy", ref.policy},
                      {"type", std::string(toString(ref.type))},
                      {"statement", ref.index},
                      {"effect", std::string(toString(ref.effect))},
                      {"where", ref.where}};
  if (ref.sid) {
    j["sid"] = *ref.sid;
  }
  return j;
}

nlohmann::json diagnosticJson(const Diagnostic& d) {
  nlohmann::json j = {{"code", d.code},
                      {"message", d.message},
                      {"where", d.where},
                      {"severity", d.severity == Severity::Error ? "error" : "warning"}};
  if (!d.file.empty()) {
    j["file"] = d.file;
  }
  return j;
}

nlohmann::json decisionJson(const Decision& d, bool with_trace) {
  nlohmann::json j;
  j["decision"] = std::string(toString(d.outcome));
  j["decidedBy"] = nlohmann::json::array();
  for (const StatementRef& r : d.decided_by) {
    j["decidedBy"].push_back(refJson(r));
  }
  j["diagnostics"] = nlohmann::json::array();
  for (const Diagnostic& diag : d.diagnostics) {
    j["diagnostics"].push_back(diagnosticJson(diag));
  }
  j["reason"] = std::string(d.reason);
  if (d.missing_allow) {
    j["missingAllow"] = std::string(toString(*d.missing_allow));
  }
  if (with_trace) {
    j["trace"] = d.trace;
  }
  return j;
}

std::string decisionText(const Decision& d, bool with_trace) {
  std::string out(toString(d.outcome));
  out += ": ";
  out += d.reason;
  if (!d.decided_by.empty()) {
    out += d.outcome == Outcome::ExplicitDeny ? "\n    denied by: " : "\n    allowed by: ";
    for (std::size_t i = 0; i < d.decided_by.size(); ++i) {
      out += (i ? "; " : "") + describeRef(d.decided_by[i]);
    }
  }
  for (const Diagnostic& diag : d.diagnostics) {
    out += "\n    " + formatDiagnostic(diag);
  }
  if (with_trace) {
    for (const std::string& line : d.trace) {
      out += "\n    | " + line;
    }
  }
  return out;
}

}  // namespace trustsim::report
