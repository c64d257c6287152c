// SPDX-License-Identifier: Apache-2.0
// reach, who-can and what-can over the trust graph. Every answer is confirmed by the simulator:
// chains are walked end to end and final permissions are decided by evaluate().
#include "trustsim/questions.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "graph/witness.h"
#include "trustsim/arn.h"
#include "util/parallel.h"

namespace trustsim {

std::vector<Reach> reach(const TrustGraph& graph, const ReachQuery& q) {
  std::vector<Reach> out;
  const auto& nodes = graph.nodes();
  std::vector<std::size_t> starts;
  if (q.from) {
    starts.push_back(*q.from);
  } else {
    starts = graph.startingNodes();
  }
  // Only the nodes with a path to the target can reach it (the shortest chains are searched within
  // the graph's depth, as reachable() does).
  if (q.to && !q.from && !q.all_chains) starts = graph.reaching(*q.to);
  // Searches from different starting points are independent: on every core, kept in order.
  std::vector<std::vector<Reach>> found(starts.size());
  util::parallelFor(starts.size(), q.threads, [&](std::size_t i, unsigned) {
    const std::size_t s = starts[i];
    if (q.to && q.all_chains) {
      for (const Chain& c : graph.chains(s, *q.to, q.max_depth)) {
        found[i].push_back(Reach{s, *q.to, c, graph.requirements(c)});
      }
      return;
    }
    for (const Chain& c : graph.reachable(s)) {
      const std::size_t target = graph.edges()[c.edges.back()].to;
      if (q.to && target != *q.to) continue;
      if (c.edges.size() > q.max_depth) continue;
      if (nodes[target].kind != GraphNode::Kind::Role) continue;
      found[i].push_back(Reach{s, target, c, graph.requirements(c)});
    }
  });
  for (auto& f : found) std::move(f.begin(), f.end(), std::back_inserter(out));
  return out;
}

std::vector<WhoCan> whoCan(const TrustGraph& graph, const std::string& action, const std::string& resource,
                           const std::vector<std::pair<std::string, std::string>>& context) {
  std::vector<WhoCan> out;
  const Simulator& sim = graph.simulator();
  const World& world = sim.world();
  // Assuming a modelled role is what the graph's edges are: answer from the witnessed chains,
  // whose calls carry what the trust policy needs (ExternalId, MFA, ...).
  if (isRoleTrustAction(action)) {
    if (const auto target = graph.find(resource); target && graph.nodes()[*target].kind == GraphNode::Kind::Role) {
      for (std::size_t s : graph.reaching(*target)) {
        for (const Reached& r : graph.reachableSessions(s, *target)) {
          Decision d;
          d.outcome = Outcome::Allowed;
          d.decided_by = graph.edges()[r.chain.edges.back()].decided_by;
          out.push_back(WhoCan{s, r.chain, graph.requirements(r.chain), std::move(d)});
        }
      }
      return out;
    }
  }
  // The account that owns the resource, when the input says: principals outside the model act on
  // our resources only; what they do in their own accounts is not the question.
  std::string resource_account;
  if (const auto arn = Arn::parse(resource)) resource_account = arn->account;
  if (const auto it = world.resources.find(resource); it != world.resources.end()) resource_account = it->second.account;
  const bool ours_resource = !resource_account.empty() && world.accounts.count(resource_account) > 0;
  for (std::size_t s : graph.startingNodes()) {
    const GraphNode& node = graph.nodes()[s];
    const bool outside = node.kind != GraphNode::Kind::User && node.kind != GraphNode::Kind::Role;
    std::optional<Identity> id = graph.walk(Chain{s, {}});
    if (id && !id->caller.arn.empty() && (!outside || ours_resource)) {
      SimulateResult r = sim.simulate(*id, action, resource, context);
      if (r.decision.outcome == Outcome::Allowed) {
        out.push_back(WhoCan{s, Chain{s, {}}, {}, std::move(r.decision)});
        continue;
      }
    }
    for (const Reached& reached : graph.reachableSessions(s)) {
      SimulateResult r = sim.simulate(reached.session, action, resource, context);
      if (r.decision.outcome == Outcome::Allowed) {
        out.push_back(WhoCan{s, reached.chain, graph.requirements(reached.chain), std::move(r.decision)});
        break;  // BFS order: the first is a shortest chain
      }
    }
  }
  return out;
}

namespace {

std::string serviceOf(const std::string& action) {
  const std::size_t colon = action.find(':');
  return colon == std::string::npos ? "*" : action.substr(0, colon);
}

std::vector<Grant> grantsOf(const Simulator& sim, const Identity& who) {
  std::vector<Grant> out;
  const PolicySet set = sim.callerPolicies(who);
  for (const NamedPolicy* p : set.identity) {
    for (const Statement& st : p->policy.statements) {
      if (st.effect != Effect::Allow) continue;
      // One grant per service named in the statement.
      std::map<std::string, std::vector<std::string>> by_service;
      for (const std::string& a : st.action.raw) by_service[serviceOf(a)].push_back(a);
      for (auto& [service, actions] : by_service) {
        Grant g;
        g.service = service;
        g.actions = actions;
        g.not_action = st.action.negated;
        g.not_resource = st.resource.negated;
        for (const ResourcePattern& r : st.resource.patterns) g.resources.push_back(r.raw);
        g.conditional = !st.conditions.empty();
        g.statement = StatementRef{p->name, PolicyType::Identity, st.index, st.sid, st.effect, st.where};
        // Check a representative request against every guardrail of the session.
        // Assuming roles is judged by the roles' trust policies (reach), not here.
        const bool role_action = std::all_of(actions.begin(), actions.end(), [](const std::string& a) { return isRoleTrustAction(a); });
        if (!g.not_action && !g.not_resource && !g.conditional && !role_action) {
          const std::string action = graph::expandGlob(actions.front() == "*" ? "*:*" : actions.front());
          const std::string resource = g.resources.empty() ? "*" : graph::expandGlob(g.resources.front());
          const SimulateResult r = sim.simulate(who, action, resource, {});
          if (r.decision.outcome != Outcome::Allowed) {
            g.effective = false;
            g.blocked_by = r.decision.missing_allow ? std::string(toString(*r.decision.missing_allow))
                                                    : (r.decision.decided_by.empty() ? std::string("deny")
                                                                                     : "explicit deny in " + std::string(toString(r.decision.decided_by.front().type)));
          }
        }
        out.push_back(std::move(g));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Grant& a, const Grant& b) { return a.service < b.service; });
  return out;
}

}  // namespace

std::vector<WhatCan> whatCan(const TrustGraph& graph, std::size_t start) {
  std::vector<WhatCan> out;
  const Simulator& sim = graph.simulator();
  if (const auto id = graph.walk(Chain{start, {}}); id && !id->external) {
    out.push_back(WhatCan{start, Chain{start, {}}, grantsOf(sim, *id)});
  }
  for (const Reached& r : graph.reachableSessions(start)) {
    out.push_back(WhatCan{graph.edges()[r.chain.edges.back()].to, r.chain, grantsOf(sim, r.session)});
  }
  return out;
}

}  // namespace trustsim
