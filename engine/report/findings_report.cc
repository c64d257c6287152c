// SPDX-License-Identifier: Apache-2.0
#include "report/findings_report.h"

#include <map>

#include "report/decision_report.h"

namespace trustsim::report {

nlohmann::json findingJson(const Finding& f) {
  nlohmann::json j = {{"rule", f.rule},         {"severity", std::string(toString(f.severity))},
                      {"resource", f.resource}, {"principal", f.principal},
                      {"message", f.message},   {"fix", f.fix}};
  if (!f.vendor.empty()) j["vendor"] = f.vendor;
  if (f.statement) j["statement"] = refJson(*f.statement);
  if (!f.file.empty()) j["file"] = f.file;
  if (!f.address.empty()) j["address"] = f.address;
  if (f.line > 0) j["line"] = f.line;
  return j;
}

nlohmann::json findingsJson(const std::vector<Finding>& findings) {
  nlohmann::json j = {{"findings", nlohmann::json::array()}, {"counts", nlohmann::json::object()}};
  for (const Finding& f : findings) {
    j["findings"].push_back(findingJson(f));
    j["counts"][std::string(toString(f.severity))] = j["counts"].value(std::string(toString(f.severity)), 0) + 1;
  }
  return j;
}

std::string findingsText(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += std::string(toString(f.severity)) + " " + f.rule + ": " + f.resource + "\n";
    out += "    " + f.message + "\n";
    if (f.statement) {
      out += "    statement: " + describeRef(*f.statement);
      if (!f.file.empty()) out += " at " + f.file + (f.statement->where.empty() ? "" : ":" + f.statement->where);
      out += "\n";
    }
    if (!f.address.empty()) out += "    address: " + f.address + "\n";
    out += "    fix: " + f.fix + "\n";
  }
  std::map<FindingSeverity, int> counts;
  for (const Finding& f : findings) counts[f.severity]++;
  out += std::to_string(findings.size()) + " finding(s)";
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    out += (it == counts.rbegin() ? ": " : ", ") + std::to_string(it->second) + " " + std::string(toString(it->first));
  }
  out += "\n";
  return out;
}

namespace {

std::string sarifLevel(FindingSeverity s) {
  switch (s) {
    case FindingSeverity::Critical:
    case FindingSeverity::High:
      return "error";
    case FindingSeverity::Medium:
      return "warning";
    case FindingSeverity::Low:
    case FindingSeverity::Info:
      return "note";
  }
  return "note";
}

std::string securitySeverity(FindingSeverity s) {
  switch (s) {
    case FindingSeverity::Critical:
      return "9.5";
    case FindingSeverity::High:
      return "8.0";
    case FindingSeverity::Medium:
      return "5.5";
    case FindingSeverity::Low:
      return "3.0";
    case FindingSeverity::Info:
      return "0.0";
  }
  return "0.0";
}

}  // namespace

nlohmann::json findingsSarif(const std::vector<Finding>& findings, const std::string& version) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const RuleInfo& r : findingRules()) {
    rule_index[std::string(r.id)] = rules.size();
    rules.push_back({{"id", std::string(r.id)},
                     {"name", std::string(r.id)},
                     {"shortDescription", {{"text", std::string(r.title)}}},
                     {"fullDescription", {{"text", std::string(r.description)}}},
                     {"helpUri", "https://github.com/trustsim/trustsim/blob/main/docs/findings.md#" + std::string(r.id)},
                     {"defaultConfiguration", {{"level", sarifLevel(r.severity)}}},
                     {"properties", {{"security-severity", securitySeverity(r.severity)}, {"tags", {"security"}}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const Finding& f : findings) {
    nlohmann::json r = {{"ruleId", f.rule},
                        {"level", sarifLevel(f.severity)},
                        {"message", {{"text", f.message + ". Fix: " + f.fix}}},
                        {"properties", {{"severity", std::string(toString(f.severity))}, {"resource", f.resource},
                                        {"principal", f.principal}}}};
    if (rule_index.count(f.rule)) r["ruleIndex"] = rule_index[f.rule];
    nlohmann::json location = {{"logicalLocations", {{{"name", f.resource}, {"kind", "resource"}}}}};
    if (!f.address.empty()) {
      // Where the user edits: the Terraform resource address (or CloudFormation logical ID).
      location["logicalLocations"].push_back({{"name", f.address}, {"fullyQualifiedName", f.address}, {"kind", "resource"}});
    }
    if (!f.file.empty()) {
      location["physicalLocation"] = {{"artifactLocation", {{"uri", f.file}}}};
      if (f.statement || f.line > 0) location["physicalLocation"]["region"] = {{"startLine", f.line > 0 ? f.line : 1}};
      if (f.statement) location["properties"] = {{"jsonPointer", f.statement->where}};
    }
    r["locations"] = {location};
    r["partialFingerprints"] = {{"trustsim/v1", f.rule + "|" + f.resource + "|" + f.principal + "|" +
                                                    (f.statement ? std::to_string(f.statement->index) : std::string("-"))}};
    results.push_back(r);
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", {{{"tool", {{"driver", {{"name", "trustsim"}, {"version", version}, {"informationUri", "https://github.com/trustsim/trustsim"}, {"rules", rules}}}}},
                     {"results", results}}}}};
}

}  // namespace trustsim::report
