// SPDX-License-Identifier: Apache-2.0
// The questions reviewers ask of a whole estate: who reaches which role (reach), who can end up
// allowed to do an action on a resource (who-can), and what a principal can do (what-can).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trustsim/graph.h"

namespace trustsim {

// A starting principal that reaches `target` (a role, or an allowed session) by `chain`.
struct Reach {
  std::size_t start = 0;
  std::size_t target = 0;
  Chain chain;
  std::vector<Requirement> requirements;
};

struct ReachQuery {
  std::optional<std::size_t> from;  // every starting node when absent
  std::optional<std::size_t> to;    // every role when absent
  std::size_t max_depth = 6;
  bool all_chains = false;  // with `to`: every simple chain, not only the shortest
  unsigned threads = 0;     // cores searched on (0: every core); the answer does not depend on it
};
std::vector<Reach> reach(const TrustGraph& graph, const ReachQuery& query);

// Every starting principal that can end up in a session allowed to do `action` on `resource`:
// directly, or through the shortest chain of roles whose last session is allowed.
struct WhoCan {
  std::size_t start = 0;
  Chain chain;  // empty when the principal itself is allowed
  std::vector<Requirement> requirements;
  Decision decision;  // the final, allowed decision
};
std::vector<WhoCan> whoCan(const TrustGraph& graph, const std::string& action, const std::string& resource,
                           const std::vector<std::pair<std::string, std::string>>& context = {});

// One Allow statement of an identity, checked against the session's guardrails.
struct Grant {
  std::string service;
  std::vector<std::string> actions;    // as written (patterns)
  std::vector<std::string> resources;  // as written; empty for NotResource-only statements
  bool not_action = false;
  bool not_resource = false;
  bool conditional = false;
  bool effective = true;  // false: a boundary, session policy, SCP or Deny takes it away
  std::string blocked_by;  // why not effective
  StatementRef statement;
};
struct WhatCan {
  std::size_t node = 0;  // the principal itself, or a reachable role
  Chain chain;
  std::vector<Grant> grants;  // sorted by service
};
std::vector<WhatCan> whatCan(const TrustGraph& graph, std::size_t start);

}  // namespace trustsim
