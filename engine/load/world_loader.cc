// SPDX-License-Identifier: Apache-2.0
// Any mix of input files → one World: read, detect by content, load, merge.
#include <algorithm>

#include "load/cloudformation.h"
#include "load/gaad.h"
#include "load/organizations.h"
#include "load/scenario.h"
#include "load/terraform.h"
#include "load/world_edits.h"
#include "parse/json_reader.h"
#include "parse/json_view.h"
#include "parse/source_lines.h"
#include "parse/yaml_reader.h"
#include "util/parallel.h"
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

// AWS-managed policies (`arn:aws:iam::aws:policy/...`) are in every account's dump: the same
// document, not a redefinition.
bool sharedEverywhere(const std::string& key) { return key.rfind("arn:aws:iam::aws:policy/", 0) == 0; }

template <typename Map>
void mergeMap(Map& into, Map&& from, Diagnostics& diags, std::string_view what) {
  for (auto& [key, value] : from) {
    if (into.count(key) && !sharedEverywhere(key)) {
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
  load::applyEdits(into, other.edits);
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

namespace {

Result<nlohmann::json> parseText(const std::string& text, const std::string& path) {
  return parse::looksLikeYaml(text) ? parse::readYaml(text, path) : parse::readJson(text, path);
}

Diagnostics unreadable(const std::string& path, std::string message) {
  return Diagnostics{Diagnostic{"input.unreadable", std::move(message), "", path, Severity::Error}};
}

using EditFn = std::function<Diagnostics(const std::string&, nlohmann::json&)>;

// One file → its world. A dump that nothing edits takes the fast reader (simdjson); everything
// else, and any dump the fast reader refuses, goes through the strict reader, which has the
// diagnostics.
Result<World> loadFile(const std::string& path, const FileReader& read, const EditFn& edit, const LoadOptions& options,
                       parse::FastJsonReader& fast) {
  std::string read_error;
  const auto text = read(path, read_error);
  if (!text) return unreadable(path, read_error);
  if (!edit && !parse::looksLikeYaml(*text)) {
    if (const auto view = fast.read(*text); view && load::looksLikeGaadFast(*view)) return load::loadGaadFast(*view, path);
  }
  auto doc = parseText(*text, path);
  if (!doc) return doc.error();
  if (edit) {
    Diagnostics edit_errors = edit(path, doc.value());
    if (!edit_errors.empty()) return edit_errors;
  }
  return loadDocument(doc.value(), path, read, options);
}

}  // namespace

Result<nlohmann::json> readDocument(const std::string& path, const FileReader& read) {
  std::string read_error;
  const auto text = read(path, read_error);
  if (!text) return unreadable(path, read_error);
  return parseText(*text, path);
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
  return loadWorldDocuments(paths, read, EditFn{}, options);
}

Result<World> loadWorldDocuments(const std::vector<std::string>& paths, const FileReader& read, const EditFn& edit,
                                 const LoadOptions& options) {
  if (paths.empty()) {
    return Diagnostics{Diagnostic{"input.none", "no input files: give scenario files and/or AWS dumps", "", "", Severity::Error}};
  }
  // Files load independently (one per account in an organisation's dump), then merge in the
  // order given, so the world is the same whatever the number of threads.
  std::vector<std::optional<Result<World>>> loaded(paths.size());
  std::vector<parse::FastJsonReader> readers(util::workerCount(options.threads, paths.size()));
  util::parallelFor(paths.size(), options.threads, [&](std::size_t i, unsigned worker) {
    loaded[i].emplace(loadFile(paths[i], read, edit, options, readers[worker]));
  });
  World world;
  Diagnostics errors;
  for (auto& result : loaded) {
    if (!*result) {
      errors.insert(errors.end(), result->error().begin(), result->error().end());
      continue;
    }
    mergeWorld(world, std::move(*result).value());
    result.reset();
  }
  if (!errors.empty()) return errors;
  return world;
}

}  // namespace trustsim
