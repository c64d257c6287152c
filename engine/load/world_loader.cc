// SPDX-License-Identifier: Apache-2.0
// Any mix of input files → one World: read, detect by content, load, merge.
#include <algorithm>

#include "load/cloudformation.h"
#include "load/gaad.h"
#include "load/organizations.h"
#include "load/scenario.h"
#include "load/terraform.h"
#include "parse/json_reader.h"
#include "parse/source_lines.h"
#include "parse/yaml_reader.h"
#include "load/world_loader.h"
#include "trustsim/load.h"

namespace trustsim {
namespace {

bool looksLikeCases(const nlohmann::json& doc) {
  if (doc.is_object()) {
    const auto f = doc.find("format");
    if (f != doc.end() && f->is_string()) return f->get<std::string>().rfind("trustsim-cases/", 0) == 0;
    return doc.contains("cases") || doc.contains("request");
  }
  return doc.is_array() && !doc.empty() && doc[0].is_object() && doc[0].contains("request");
}

template <typename Map>
void mergeMap(Map& into, Map&& from, Diagnostics& diags, std::string_view what) {
  for (auto& [key, value] : from) {
    if (into.count(key)) {
      diags.push_back(Diagnostic{"input.replaced", std::string(what) + " `" + key + "` is defined again: the later file wins",
                                 value.origin.where, value.origin.file, Severity::Warning});
    }
    into[key] = std::move(value);
  }
}

}  // namespace

std::string_view toString(InputKind kind) {
  switch (kind) {
    case InputKind::Scenario:
      return "scenario";
    case InputKind::Gaad:
      return "get-account-authorization-details dump";
    case InputKind::Organization:
      return "organization file";
    case InputKind::Terraform:
      return "Terraform plan or state (terraform show -json)";
    case InputKind::CloudFormation:
      return "CloudFormation template";
    case InputKind::RequestCases:
      return "request-case file";
    case InputKind::Unknown:
      return "unknown";
  }
  return "unknown";
}

void mergeWorld(World& into, World&& other) {
  for (auto& [id, acc] : other.accounts) {
    auto it = into.accounts.find(id);
    if (it == into.accounts.end()) {
      into.accounts[id] = std::move(acc);
    } else {
      it->second.ours = it->second.ours || acc.ours;
      if (it->second.name.empty()) it->second.name = acc.name;
    }
  }
  mergeMap(into.users, std::move(other.users), into.diagnostics, "user");
  mergeMap(into.groups, std::move(other.groups), into.diagnostics, "group");
  mergeMap(into.roles, std::move(other.roles), into.diagnostics, "role");
  mergeMap(into.policies, std::move(other.policies), into.diagnostics, "policy");
  mergeMap(into.resources, std::move(other.resources), into.diagnostics, "resource");
  mergeMap(into.identity_providers, std::move(other.identity_providers), into.diagnostics, "identity provider");
  for (Vendor& v : other.vendors) into.vendors.push_back(std::move(v));
  if (other.organization) {
    if (into.organization) {
      into.diagnostics.push_back(Diagnostic{"input.replaced", "a second organization replaces the first", other.organization->origin.where,
                                            other.organization->origin.file, Severity::Warning});
    }
    into.organization = std::move(other.organization);
  }
  into.diagnostics.insert(into.diagnostics.end(), std::make_move_iterator(other.diagnostics.begin()),
                          std::make_move_iterator(other.diagnostics.end()));
}

Result<World> loadScenarioText(const std::string& text, const std::string& path, const FileReader& read) {
  auto doc = parse::looksLikeYaml(text) ? parse::readYaml(text, path) : parse::readJson(text, path);
  if (!doc) return doc.error();
  return load::loadScenario(doc.value(), path, read);
}

Result<nlohmann::json> readDocument(const std::string& path, const FileReader& read) {
  std::string read_error;
  const auto text = read(path, read_error);
  if (!text) {
    return Diagnostics{Diagnostic{"input.unreadable", read_error, "", path, Severity::Error}};
  }
  return parse::looksLikeYaml(*text) ? parse::readYaml(*text, path) : parse::readJson(*text, path);
}

Result<World> loadDocument(const nlohmann::json& doc, const std::string& path, const FileReader& read,
                           const LoadOptions& options) {
  // An organization file (which has `organization` too) is recognised before scenarios.
  if (load::looksLikeOrganization(doc)) return load::loadOrganization(doc, path);
  if (load::looksLikeScenario(doc)) return load::loadScenario(doc, path, read);
  if (load::looksLikeGaad(doc)) return load::loadGaad(doc, path);
  if (load::looksLikeTerraform(doc)) return load::loadTerraform(doc, path, options);
  if (load::looksLikeCloudFormation(doc)) {
    // Templates are edited by line: index the text once more, for them only.
    std::string read_error;
    const auto text = read(path, read_error);
    const parse::SourceLines lines = text ? parse::SourceLines::of(*text) : parse::SourceLines{};
    return load::loadCloudFormation(doc, path, options, &lines);
  }
  if (looksLikeCases(doc)) {
    return Diagnostics{Diagnostic{"input.request_cases", "this is a request-case file: run it with `trustsim eval`", "", path, Severity::Error}};
  }
  if (doc.is_object() && doc.contains("format") && doc["format"] == "trustsim-expectations/1") {
    return Diagnostics{Diagnostic{"input.expectations", "this is an expectation file: run it with `trustsim check`", "", path, Severity::Error}};
  }
  return Diagnostics{Diagnostic{"input.unknown_kind",
                                "not a scenario, a get-account-authorization-details dump or an organization file "
                                "(see docs/scenario-format.md)", "", path, Severity::Error}};
}

Result<World> loadWorld(const std::vector<std::string>& paths, const FileReader& read, const LoadOptions& options) {
  return loadWorldDocuments(paths, read, [](const std::string&, nlohmann::json&) { return Diagnostics{}; }, options);
}

Result<World> loadWorldDocuments(const std::vector<std::string>& paths, const FileReader& read,
                                 const std::function<Diagnostics(const std::string&, nlohmann::json&)>& edit,
                                 const LoadOptions& options) {
  World world;
  Diagnostics errors;
  if (paths.empty()) {
    return Diagnostics{Diagnostic{"input.none", "no input files: give scenario files and/or AWS dumps", "", "", Severity::Error}};
  }
  for (const std::string& path : paths) {
    auto doc = readDocument(path, read);
    if (!doc) {
      errors.insert(errors.end(), doc.error().begin(), doc.error().end());
      continue;
    }
    const Diagnostics edit_errors = edit(path, doc.value());
    if (!edit_errors.empty()) {
      errors.insert(errors.end(), edit_errors.begin(), edit_errors.end());
      continue;
    }
    auto loaded = loadDocument(doc.value(), path, read, options);
    if (!loaded) {
      errors.insert(errors.end(), loaded.error().begin(), loaded.error().end());
      continue;
    }
    mergeWorld(world, std::move(loaded).value());
  }
  if (!errors.empty()) return errors;
  return world;
}

}  // namespace trustsim
