// SPDX-License-Identifier: Apache-2.0
// Suites (where expectations live) and what-if worlds (a scenario with a variant or patch applied).
#include <filesystem>

#include "load/scenario.h"
#include "load/world_loader.h"
#include "parse/json_reader.h"
#include "trustsim/harness.h"

namespace trustsim {
namespace {

using nlohmann::json;

Diagnostics applyPatch(json& doc, const json& patch, bool merge, const std::string& file, const std::string& where) {
  try {
    if (merge) {
      doc.merge_patch(patch);
    } else {
      if (!patch.is_array()) {
        return {Diagnostic{"whatif.invalid_patch", "a JSON Patch (RFC 6902) is an array of operations", where, file, Severity::Error}};
      }
      doc = doc.patch(patch);
    }
  } catch (const json::exception& ex) {
    std::string msg = ex.what();
    if (const std::size_t c = msg.find("] "); c != std::string::npos) msg = msg.substr(c + 2);
    return {Diagnostic{"whatif.patch_failed", "the patch does not apply: " + msg, where, file, Severity::Error}};
  }
  return {};
}

}  // namespace

Result<World> loadWorldVariant(const std::vector<std::string>& files, const std::string& variant, const FileReader& read,
                               const LoadOptions& options) {
  if (variant.empty() || variant == "base") return loadWorld(files, read, options);
  bool found = false;
  auto world = loadWorldDocuments(files, read, [&](const std::string& path, json& doc) -> Diagnostics {
    if (!doc.is_object()) return {};
    const auto vs = doc.find("variants");
    if (vs == doc.end()) return {};
    if (!vs->is_object()) {
      return {Diagnostic{"whatif.wrong_type", "`variants` is an object: name → {description, patch | mergePatch}", "/variants", path, Severity::Error}};
    }
    const auto v = vs->find(variant);
    if (v == vs->end()) return {};
    found = true;
    const std::string where = parse::pointerAppend("/variants", variant);
    if (!v->is_object()) return {Diagnostic{"whatif.wrong_type", "a variant is an object", where, path, Severity::Error}};
    for (const auto& [k, _] : v->items()) {
      if (k != "description" && k != "patch" && k != "mergePatch") {
        return {Diagnostic{"whatif.unknown_key", "unknown key `" + k + "` in a variant (known: description, patch, mergePatch)",
                           parse::pointerAppend(where, k), path, Severity::Error}};
      }
    }
    const json change = v->contains("patch") ? (*v)["patch"] : v->value("mergePatch", json());
    const bool merge = !v->contains("patch");
    if (change.is_null()) return {Diagnostic{"whatif.invalid_patch", "a variant needs `patch` or `mergePatch`", where, path, Severity::Error}};
    json base = doc;
    base.erase("variants");
    base.erase("expect");
    base.erase("lesson");
    Diagnostics d = applyPatch(base, change, merge, path, where + (merge ? "/mergePatch" : "/patch"));
    if (!d.empty()) return d;
    doc = std::move(base);
    return {};
  }, options);
  if (!world) return world;
  if (!found) {
    return Diagnostics{Diagnostic{"whatif.unknown", "no input file has a variant named `" + variant + "`", "", "", Severity::Error}};
  }
  return world;
}

Result<World> loadWorldPatched(const std::vector<std::string>& files, const nlohmann::json& patch,
                               const std::string& patch_file, const FileReader& read, const LoadOptions& options) {
  std::string target;
  json change = patch;
  bool merge = patch.is_object();
  if (patch.is_object() && (patch.contains("patch") || patch.contains("mergePatch"))) {
    target = patch.value("target", std::string());
    merge = !patch.contains("patch");
    change = merge ? patch["mergePatch"] : patch["patch"];
  }
  bool applied = false;
  auto world = loadWorldDocuments(files, read, [&](const std::string& path, json& doc) -> Diagnostics {
    if (applied || !load::looksLikeScenario(doc)) return {};
    if (!target.empty() && std::filesystem::path(path).filename() != std::filesystem::path(target).filename() && path != target) return {};
    applied = true;
    doc.erase("variants");
    doc.erase("expect");
    doc.erase("lesson");
    return applyPatch(doc, change, merge, patch_file, "");
  }, options);
  if (!world) return world;
  if (!applied) {
    return Diagnostics{Diagnostic{"whatif.no_target", "the patch applies to a scenario file, and none of the inputs is one" +
                                      (target.empty() ? std::string() : " named `" + target + "`"),
                                  "", patch_file, Severity::Error}};
  }
  return world;
}

Result<std::vector<Suite>> collectSuites(const std::vector<std::string>& paths, const FileReader& read) {
  std::vector<Suite> out;
  Diagnostics errors;
  for (const std::string& path : paths) {
    auto doc = readDocument(path, read);
    if (!doc) {
      errors.insert(errors.end(), doc.error().begin(), doc.error().end());
      continue;
    }
    const json& d = doc.value();
    Suite s;
    s.file = path;
    const bool expectation_file = d.is_object() && d.value("format", std::string()) == "trustsim-expectations/1";
    if (expectation_file) {
      for (const auto& [k, _] : d.items()) {
        if (k != "format" && k != "name" && k != "description" && k != "world" && k != "expect") {
          errors.push_back(Diagnostic{"expect.unknown_key", "unknown key `" + k + "` in an expectation file (known: format, name, description, world, expect)",
                                      parse::pointerAppend("", k), path, Severity::Error});
        }
      }
      const auto w = d.find("world");
      if (w == d.end() || !w->is_array() || w->empty()) {
        errors.push_back(Diagnostic{"expect.missing_key", "an expectation file lists its `world`: the dumps and scenarios it runs against", "/world", path, Severity::Error});
        continue;
      }
      for (const json& f : *w) {
        if (!f.is_string()) {
          errors.push_back(Diagnostic{"expect.wrong_type", "`world` entries are file paths", "/world", path, Severity::Error});
          continue;
        }
        const std::filesystem::path rel = f.get<std::string>();
        s.world_files.push_back((rel.is_absolute() ? rel : std::filesystem::path(path).parent_path() / rel).lexically_normal().string());
      }
    } else if (load::looksLikeScenario(d)) {
      s.world_files.push_back(path);
    } else {
      errors.push_back(Diagnostic{"expect.not_a_suite", "neither a scenario nor an expectation file (`\"format\": \"trustsim-expectations/1\"`)", "", path, Severity::Error});
      continue;
    }
    const auto e = d.find("expect");
    if (e == d.end()) {
      errors.push_back(Diagnostic{"expect.none", "the file has no `expect` list: nothing to check", "", path, Severity::Error});
      continue;
    }
    auto parsed = parseExpectations(*e, path, "/expect");
    if (!parsed) {
      errors.insert(errors.end(), parsed.error().begin(), parsed.error().end());
      continue;
    }
    s.expectations = std::move(parsed).value();
    out.push_back(std::move(s));
  }
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace trustsim
