// SPDX-License-Identifier: Apache-2.0
// Snapshots of what a world grants, and their differences (what-if, baselines).
#include <algorithm>
#include <set>

#include "trustsim/harness.h"
#include "trustsim/questions.h"

namespace trustsim {
namespace {

template <typename T>
void sortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

template <typename T>
std::vector<T> minus(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Snapshot takeSnapshot(const TrustGraph& g) {
  Snapshot s;
  const auto& nodes = g.nodes();
  for (const Reach& r : reach(g, ReachQuery{})) {
    Snapshot::ReachEntry e{nodes[r.start].id, nodes[r.target].id, {}, {}};
    for (std::size_t edge : r.chain.edges) e.chain.push_back(nodes[g.edges()[edge].to].id);
    for (const Requirement& q : r.requirements) e.conditions.push_back(q.text);
    s.reach.push_back(std::move(e));
  }
  for (std::size_t n : g.startingNodes()) {
    for (const WhatCan& w : whatCan(g, n)) {
      const std::string via = w.node == n ? "" : nodes[w.node].id;
      for (const Grant& gr : w.grants) {
        if (!gr.effective) continue;
        for (const std::string& a : gr.actions) {
          const std::vector<std::string> resources = gr.resources.empty() ? std::vector<std::string>{"*"} : gr.resources;
          for (const std::string& res : resources) {
            s.permissions.push_back({nodes[n].id, via, (gr.not_action ? "NotAction:" : "") + a,
                                     (gr.not_resource ? "NotResource:" : "") + res, gr.conditional});
          }
        }
      }
    }
  }
  for (const Finding& f : audit(g)) {
    s.findings.push_back({f.rule, std::string(toString(f.severity)), f.resource, f.principal,
                          f.statement ? f.statement->where : std::string()});
  }
  sortUnique(s.reach);
  sortUnique(s.permissions);
  sortUnique(s.findings);
  return s;
}

nlohmann::json snapshotJson(const Snapshot& s) {
  nlohmann::json j = {{"format", "trustsim-snapshot/1"}, {"reach", nlohmann::json::array()},
                      {"permissions", nlohmann::json::array()}, {"findings", nlohmann::json::array()}};
  for (const auto& r : s.reach) j["reach"].push_back({{"from", r.from}, {"role", r.role}, {"chain", r.chain}, {"conditions", r.conditions}});
  for (const auto& p : s.permissions) {
    j["permissions"].push_back({{"caller", p.caller}, {"via", p.via}, {"action", p.action}, {"resource", p.resource}, {"conditional", p.conditional}});
  }
  for (const auto& f : s.findings) {
    j["findings"].push_back({{"rule", f.rule}, {"severity", f.severity}, {"resource", f.resource}, {"principal", f.principal}, {"statement", f.statement}});
  }
  return j;
}

Result<Snapshot> parseSnapshot(const nlohmann::json& doc, const std::string& file) {
  const auto fail = [&](const std::string& msg, const std::string& where) {
    return Result<Snapshot>(Diagnostics{Diagnostic{"snapshot.invalid", msg, where, file, Severity::Error}});
  };
  if (!doc.is_object() || doc.value("format", std::string()) != "trustsim-snapshot/1") {
    return fail("not a trustsim snapshot (`\"format\": \"trustsim-snapshot/1\"`); make one with `trustsim snapshot`", "/format");
  }
  Snapshot s;
  try {
    for (const auto& r : doc.at("reach")) {
      s.reach.push_back({r.at("from").get<std::string>(), r.at("role").get<std::string>(), r.at("chain").get<std::vector<std::string>>(),
                         r.at("conditions").get<std::vector<std::string>>()});
    }
    for (const auto& p : doc.at("permissions")) {
      s.permissions.push_back({p.at("caller").get<std::string>(), p.at("via").get<std::string>(), p.at("action").get<std::string>(),
                               p.at("resource").get<std::string>(), p.at("conditional").get<bool>()});
    }
    for (const auto& f : doc.at("findings")) {
      s.findings.push_back({f.at("rule").get<std::string>(), f.at("severity").get<std::string>(), f.at("resource").get<std::string>(),
                            f.at("principal").get<std::string>(), f.at("statement").get<std::string>()});
    }
  } catch (const nlohmann::json::exception& ex) {
    return fail(std::string("malformed snapshot: ") + ex.what(), "");
  }
  sortUnique(s.reach);
  sortUnique(s.permissions);
  sortUnique(s.findings);
  return s;
}

bool SnapshotDiff::empty() const {
  return reach_gained.empty() && reach_lost.empty() && permissions_gained.empty() && permissions_lost.empty() &&
         findings_new.empty() && findings_fixed.empty();
}

SnapshotDiff diffSnapshots(const Snapshot& before, const Snapshot& after) {
  SnapshotDiff d;
  // Reach compares on (from, role) and on what it takes: access that now needs less (a dropped
  // ExternalId, MFA or source condition) is gained; access that now needs more is lost.
  const auto subset = [](std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
  };
  const auto covered = [&](const Snapshot::ReachEntry& e, const std::vector<Snapshot::ReachEntry>& other, bool as_gain) {
    for (const auto& o : other) {
      if (o.from != e.from || o.role != e.role) continue;
      // gained unless the other side already reached it with no more conditions than now
      if (as_gain ? subset(o.conditions, e.conditions) : subset(e.conditions, o.conditions) || subset(o.conditions, e.conditions)) {
        return true;
      }
    }
    return false;
  };
  for (const auto& a : after.reach) {
    if (!covered(a, before.reach, true)) d.reach_gained.push_back(a);
  }
  for (const auto& b : before.reach) {
    bool kept = false;
    for (const auto& a : after.reach) {
      if (a.from == b.from && a.role == b.role && subset(a.conditions, b.conditions)) kept = true;
    }
    if (!kept) d.reach_lost.push_back(b);
  }
  d.permissions_gained = minus(after.permissions, before.permissions);
  d.permissions_lost = minus(before.permissions, after.permissions);
  // Findings compare without the statement pointer, which moves when statements are reordered.
  const auto fkey = [](std::vector<Snapshot::FindingEntry> v) {
    for (auto& f : v) f.statement.clear();
    sortUnique(v);
    return v;
  };
  d.findings_new = minus(fkey(after.findings), fkey(before.findings));
  d.findings_fixed = minus(fkey(before.findings), fkey(after.findings));
  return d;
}

}  // namespace trustsim
