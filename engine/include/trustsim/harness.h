// SPDX-License-Identifier: Apache-2.0
// trustsim as a test harness for access: expectations that pin who may and may not reach what,
// what-if variants (JSON Patch / Merge Patch against a scenario), snapshots and diffs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trustsim/findings.h"
#include "trustsim/graph.h"
#include "trustsim/load.h"
#include "trustsim/simulator.h"

namespace trustsim {

// One hop of an expected call.
struct HopSpec {
  std::string role;
  std::optional<std::string> external_id, session_name, source_identity;
  std::vector<Tag> tags;
  std::vector<std::string> transitive_tags;
  std::optional<int> duration;
  bool mfa = false;
};

struct Suppression {
  std::string rule;
  std::optional<std::string> resource;
  std::optional<std::string> principal;
  std::string reason;
  std::optional<std::string> expires;  // YYYY-MM-DD; after it the suppression no longer applies
};

struct Expectation {
  enum class Kind { Assume, Request, WhoCan, NoFindings, Finding };
  Kind kind = Kind::Assume;
  std::string name;
  std::string description;
  std::vector<std::string> when;  // variant names ("base" = no variant); empty: every world
  std::string file, where;        // for messages
  // Assume / Request
  std::string as;
  std::optional<std::string> as_session;  // the caller's own session name when `as` is a role
  std::vector<HopSpec> hops;  // Assume: the chain; Request: the roles to go through first
  std::string action, resource;
  std::vector<std::pair<std::string, std::string>> context;
  std::string outcome;  // allowed, denied, accessDenied, validationError, explicitDeny, implicitDeny
  std::optional<std::string> message;        // AWS's exact message
  std::optional<std::string> failed_action;  // e.g. sts:SetSourceIdentity
  // WhoCan
  enum class SetMode { Exactly, AtMost, AtLeast };
  SetMode mode = SetMode::Exactly;
  std::vector<std::string> principals;
  // NoFindings / Finding
  FindingSeverity threshold = FindingSeverity::High;
  std::vector<Suppression> except;
  std::string rule;
  bool present = true;
};

// Reads the `expect` array of a scenario or an expectation file. Strict: unknown keys, unknown
// outcomes, duplicate names are errors (`expect.*`) with file and pointer.
Result<std::vector<Expectation>> parseExpectations(const nlohmann::json& list, const std::string& file,
                                                   const std::string& where);

struct ExpectationResult {
  const Expectation* expectation = nullptr;
  bool passed = false;
  bool input_error = false;  // the expectation names something that is not there (a typo)
  std::string expected;  // in words
  std::string actual;    // in words
  std::vector<std::string> details;  // chain, statements, message
};

// Runs expectations against one world. `today` (YYYY-MM-DD) decides suppression expiry.
std::vector<ExpectationResult> runExpectations(const std::vector<Expectation>& expectations, const Simulator& sim,
                                               const std::string& variant, const std::string& today);

// A suite: the expectations found in PATHs (scenario files with `expect`, expectation files
// `{"format": "trustsim-expectations/1", "world": [...], "expect": [...]}`, folders of either),
// each with the world it runs against.
struct Suite {
  std::string file;
  std::vector<std::string> world_files;  // the files that make its world
  std::vector<Expectation> expectations;
};
Result<std::vector<Suite>> collectSuites(const std::vector<std::string>& paths, const FileReader& read);

// Loads the world made of `files`, with the named variant applied (scenario `variants`:
// {"name": {"description", "patch": [RFC 6902 ops] | "mergePatch": {...}}}). Errors:
// `whatif.unknown` (no file has that variant), `whatif.patch_failed` (with the op index).
Result<World> loadWorldVariant(const std::vector<std::string>& files, const std::string& variant,
                               const FileReader& read, const LoadOptions& options = {});
// Loads `files` with an external patch (`--patch FILE`: an RFC 6902 array or a merge-patch object,
// or {"target": "file", "patch"|"mergePatch": ...}) applied to the first scenario file.
Result<World> loadWorldPatched(const std::vector<std::string>& files, const nlohmann::json& patch,
                               const std::string& patch_file, const FileReader& read, const LoadOptions& options = {});

// What a world grants: who reaches which role, who can do what, and the findings.
struct Snapshot {
  struct ReachEntry {
    std::string from, role;
    std::vector<std::string> chain;  // role ARNs
    std::vector<std::string> conditions;
    friend auto operator<=>(const ReachEntry&, const ReachEntry&) = default;
  };
  struct PermissionEntry {
    std::string caller, via;  // via: the role whose session holds it ("" = the caller itself)
    std::string action, resource;
    bool conditional = false;
    friend auto operator<=>(const PermissionEntry&, const PermissionEntry&) = default;
  };
  struct FindingEntry {
    std::string rule, severity, resource, principal, statement;
    friend auto operator<=>(const FindingEntry&, const FindingEntry&) = default;
  };
  std::vector<ReachEntry> reach;
  std::vector<PermissionEntry> permissions;
  std::vector<FindingEntry> findings;
};
Snapshot takeSnapshot(const TrustGraph& graph);
nlohmann::json snapshotJson(const Snapshot& snapshot);
Result<Snapshot> parseSnapshot(const nlohmann::json& doc, const std::string& file);

struct SnapshotDiff {
  std::vector<Snapshot::ReachEntry> reach_gained, reach_lost;
  std::vector<Snapshot::PermissionEntry> permissions_gained, permissions_lost;
  std::vector<Snapshot::FindingEntry> findings_new, findings_fixed;
  bool widened() const { return !reach_gained.empty() || !permissions_gained.empty(); }
  bool empty() const;
};
SnapshotDiff diffSnapshots(const Snapshot& before, const Snapshot& after);

}  // namespace trustsim
