// SPDX-License-Identifier: Apache-2.0
// Building the trust graph: nodes from the world and from every principal a trust policy names;
// candidate edges from an index of trust statements; each edge confirmed by the simulator with a
// witness call. Boost.Graph lives only in this file.
#include "trustsim/graph.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include "graph/witness.h"
#include "match/condition_ops.h"
#include "trustsim/arn.h"
#include "util/parallel.h"

namespace trustsim {

using match::foldCase;

std::string_view toString(GraphNode::Kind kind) {
  switch (kind) {
    case GraphNode::Kind::User:
      return "user";
    case GraphNode::Kind::Role:
      return "role";
    case GraphNode::Kind::ExternalAccount:
      return "external-account";
    case GraphNode::Kind::ExternalPrincipal:
      return "external-principal";
    case GraphNode::Kind::Service:
      return "service";
    case GraphNode::Kind::IdentityProvider:
      return "identity-provider";
    case GraphNode::Kind::Anyone:
      return "anyone";
  }
  return "role";
}

struct TrustGraph::Impl {
  const Simulator* sim = nullptr;
  GraphOptions options;
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  std::vector<std::vector<std::size_t>> out;  // node → outgoing edge indexes
  std::vector<std::vector<std::size_t>> in;   // node → incoming edge indexes
  std::unordered_map<std::string, std::size_t> by_id;
  std::unordered_map<const Role*, std::size_t> role_node;
  // Per edge: the session its call makes when the caller is the plain session of the edge's start
  // (identityOf: session `trustsim`, no MFA, source identity, tags or session policy). Set when the
  // edge's witness call was made by that plain caller; chains reuse it instead of calling again.
  std::vector<std::optional<Identity>> plain_next;

  std::size_t add(GraphNode n) {
    const auto it = by_id.find(n.id);
    if (it != by_id.end()) {
      if (nodes[it->second].label.empty()) nodes[it->second].label = n.label;
      return it->second;
    }
    nodes.push_back(std::move(n));
    out.emplace_back();
    by_id[nodes.back().id] = nodes.size() - 1;
    return nodes.size() - 1;
  }

  bool modelled(const std::string& account) const {
    const World& w = sim->world();
    return w.accounts.count(account) > 0;
  }

  std::string accountLabel(const std::string& account) const {
    const World& w = sim->world();
    for (const Vendor& v : w.vendors) {
      if (std::find(v.accounts.begin(), v.accounts.end(), account) != v.accounts.end()) return v.name;
    }
    const auto it = w.accounts.find(account);
    return it != w.accounts.end() ? it->second.name : std::string();
  }

  Identity identityOf(std::size_t n, const std::optional<std::string>& principal_arn = std::nullopt,
                      const std::string& session = "trustsim") const {
    const GraphNode& node = nodes[n];
    const auto resolve = [&](const std::string& text) {
      auto r = sim->identity(text, session);
      return r ? r.value() : Identity{};
    };
    switch (node.kind) {
      case GraphNode::Kind::User:
      case GraphNode::Kind::Role:
      case GraphNode::Kind::ExternalPrincipal:
        return resolve(node.id);
      case GraphNode::Kind::ExternalAccount:
        return resolve(principal_arn && principal_arn->find(":" + node.account + ":") != std::string::npos
                           ? *principal_arn
                           : "arn:aws:iam::" + node.account + ":role/AnyPrincipal");
      case GraphNode::Kind::Anyone:
        return resolve(principal_arn ? *principal_arn : "arn:aws:iam::000000000000:role/AnyPrincipal");
      case GraphNode::Kind::Service:
        return resolve(node.id);
      case GraphNode::Kind::IdentityProvider: {
        Identity id;
        id.caller.kind = Caller::Kind::IdentityProvider;
        id.caller.arn = node.id;
        return id;
      }
    }
    return Identity{};
  }

  // Index keys a node's calls can match (aws-semantics §2.2).
  std::vector<std::string> keysOf(std::size_t n) const {
    const GraphNode& node = nodes[n];
    std::vector<std::string> keys = {"any"};
    const auto arn = Arn::parse(node.id);
    switch (node.kind) {
      case GraphNode::Kind::User:
        keys.push_back("arn:" + node.id);
        keys.push_back("acct:" + node.account);
        break;
      case GraphNode::Kind::Role:
        keys.push_back("role:" + node.account + "|" + foldCase(roleNameOfResource(arn ? arn->resource : "")));
        keys.push_back("acct:" + node.account);
        break;
      case GraphNode::Kind::ExternalPrincipal:
        keys.push_back("arn:" + node.id);
        keys.push_back("acct:" + node.account);
        if (arn && arn->service == "iam" && arn->resource.rfind("role/", 0) == 0) {
          keys.push_back("role:" + node.account + "|" + foldCase(roleNameOfResource(arn->resource)));
        }
        if (arn && arn->service == "sts" && arn->resource.rfind("assumed-role/", 0) == 0) {
          const std::string rest = arn->resource.substr(13);
          keys.push_back("role:" + node.account + "|" + foldCase(rest.substr(0, rest.find('/'))));
        }
        break;
      case GraphNode::Kind::ExternalAccount:
        keys.push_back("acct:" + node.account);
        keys.push_back("anyin:" + node.account);
        break;
      case GraphNode::Kind::Service:
        keys.push_back("svc:" + node.id);
        break;
      case GraphNode::Kind::IdentityProvider:
        keys.push_back("fed:" + node.id);
        break;
      case GraphNode::Kind::Anyone:
        break;
    }
    return keys;
  }
};

TrustGraph::TrustGraph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TrustGraph::TrustGraph(TrustGraph&&) noexcept = default;
TrustGraph& TrustGraph::operator=(TrustGraph&&) noexcept = default;
TrustGraph::~TrustGraph() = default;

const std::vector<GraphNode>& TrustGraph::nodes() const { return impl_->nodes; }
const std::vector<GraphEdge>& TrustGraph::edges() const { return impl_->edges; }
const Simulator& TrustGraph::simulator() const { return *impl_->sim; }
const std::vector<std::size_t>& TrustGraph::incoming(std::size_t node) const { return impl_->in.at(node); }
Identity TrustGraph::identityOf(std::size_t node) const { return impl_->identityOf(node); }

std::optional<std::size_t> TrustGraph::find(std::string_view id) const {
  const auto it = impl_->by_id.find(std::string(id));
  if (it != impl_->by_id.end()) return it->second;
  // A role by any spelling AWS accepts (path and case as in the model).
  if (const Role* r = impl_->sim->findRole(id)) {
    const auto rn = impl_->role_node.find(r);
    if (rn != impl_->role_node.end()) return rn->second;
  }
  return std::nullopt;
}

std::vector<std::size_t> TrustGraph::startingNodes() const {
  std::vector<std::size_t> out(impl_->nodes.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  return out;
}

TrustGraph TrustGraph::build(const Simulator& sim, const GraphOptions& options) {
  auto impl = std::make_unique<Impl>();
  Impl& g = *impl;
  g.sim = &sim;
  g.options = options;
  const World& w = sim.world();
  const auto ours = [&](const std::string& a) {
    const auto it = w.accounts.find(a);
    return it != w.accounts.end() && it->second.ours;
  };

  for (const auto& [arn, u] : w.users) {
    g.add(GraphNode{GraphNode::Kind::User, arn, u.account, g.accountLabel(u.account), ours(u.account)});
  }
  for (const auto& [arn, r] : w.roles) {
    g.role_node[&r] = g.add(GraphNode{GraphNode::Kind::Role, arn, r.account, g.accountLabel(r.account), ours(r.account)});
  }

  // Index of trust statements: key → (role, statement).
  // The call that meets a statement's conditions, solved once per statement and kind of caller.
  struct Witnesses {
    std::optional<graph::Witness> inside, outside;
  };
  std::map<const Statement*, Witnesses> witnesses;
  struct Target {
    const Role* role;
    const Statement* statement;
    std::optional<std::string> session;  // the statement names one session of the calling role
    const Witnesses* witness;
  };
  std::unordered_map<std::string, std::vector<Target>> index;
  const auto principalNodes = [&](const PrincipalEntry& e) {
    using T = PrincipalEntry::Type;
    switch (e.type) {
      case T::Any:
        g.add(GraphNode{GraphNode::Kind::Anyone, "*", "", "anyone", false});
        break;
      case T::Account:
        if (!g.modelled(e.account)) {
          g.add(GraphNode{GraphNode::Kind::ExternalAccount, e.account, e.account, g.accountLabel(e.account), false});
        }
        break;
      case T::User:
      case T::Role:
      case T::Session:
      case T::FederatedUser:
        if (!g.modelled(e.account)) {
          std::string id = e.value;
          g.add(GraphNode{GraphNode::Kind::ExternalPrincipal, id, e.account, g.accountLabel(e.account), false});
          g.add(GraphNode{GraphNode::Kind::ExternalAccount, e.account, e.account, g.accountLabel(e.account), false});
        }
        break;
      case T::Service:
        g.add(GraphNode{GraphNode::Kind::Service, e.value, "", e.value, false});
        break;
      case T::Federated:
        // Our own SAML/OIDC provider (an ARN in one of our accounts) is one of our principals.
        g.add(GraphNode{GraphNode::Kind::IdentityProvider, e.value, "", e.value, [&] {
                          const auto a = Arn::parse(e.value);
                          return a && ours(a->account);
                        }()});
        break;
      case T::UniqueId:
      case T::CanonicalUser:
      case T::Invalid:
        break;
    }
  };
  const auto solved = [&](const Statement& st) {
    const auto [it, fresh] = witnesses.try_emplace(&st);
    if (fresh) it->second = Witnesses{graph::solve(st, false), graph::solve(st, true)};
    return &it->second;
  };
  for (const auto& [arn, role] : w.roles) {
    for (const Statement& st : role.trust_policy.policy.statements) {
      if (st.effect != Effect::Allow || st.principal.negated) continue;
      std::set<std::string> keys;
      for (const PrincipalEntry& e : st.principal.entries) {
        principalNodes(e);
        using T = PrincipalEntry::Type;
        switch (e.type) {
          case T::Any:
            keys.insert("any");
            break;
          case T::Account:
            keys.insert("acct:" + e.account);
            break;
          case T::User:
          case T::FederatedUser:
            keys.insert("arn:" + e.value);
            break;
          case T::Role:
            keys.insert("role:" + e.account + "|" + foldCase(e.name));
            break;
          case T::Session:
            index["role:" + e.account + "|" + foldCase(e.name)].push_back({&role, &st, e.session, solved(st)});
            keys.insert("arn:" + e.value);
            break;
          case T::Service:
            keys.insert("svc:" + e.value);
            break;
          case T::Federated:
            keys.insert("fed:" + e.value);
            break;
          case T::UniqueId:
            // Held by a modelled entity? Then index it as that entity.
            for (const auto& [ra, r] : w.roles) {
              if (r.id == e.value) keys.insert("role:" + r.account + "|" + foldCase(r.name));
            }
            for (const auto& [ua, u] : w.users) {
              if (u.id == e.value) keys.insert("arn:" + ua);
            }
            break;
          case T::CanonicalUser:
          case T::Invalid:
            break;
        }
      }
      if (keys.count("any")) {
        // "*" scoped to accounts with aws:PrincipalAccount: callers of those accounts.
        for (const ConditionClause& c : st.conditions) {
          if (c.folded_key != "aws:principalaccount" || c.op.negated || c.op.if_exists) continue;
          for (const ConditionValue& v : c.values) {
            if (!isAccountId(v.raw)) continue;
            keys.insert("acct:" + v.raw);
            if (!g.modelled(v.raw)) {
              g.add(GraphNode{GraphNode::Kind::ExternalAccount, v.raw, v.raw, g.accountLabel(v.raw), false});
            }
          }
        }
      }
      for (const std::string& k : keys) index[k].push_back({&role, &st, std::nullopt, solved(st)});
    }
  }
  // Nodes named by resource policies are starting points for who-can too.
  for (const auto& [arn, res] : w.resources) {
    if (!res.policy) continue;
    for (const Statement& st : res.policy->policy.statements) {
      if (st.effect == Effect::Allow && !st.principal.negated) {
        for (const PrincipalEntry& e : st.principal.entries) principalNodes(e);
      }
    }
  }
  for (const Vendor& v : w.vendors) {
    for (const std::string& a : v.accounts) {
      if (!g.modelled(a) || !ours(a)) g.add(GraphNode{GraphNode::Kind::ExternalAccount, a, a, v.name, false});
    }
    // The principals a vendor calls from are starting points of their own.
    for (const std::string& p : v.principals) {
      const auto arn = Arn::parse(p);
      if (arn && !g.modelled(arn->account)) {
        g.add(GraphNode{GraphNode::Kind::ExternalPrincipal, p, arn->account, v.name, false});
      }
    }
  }

  // Candidate edges through the index, each confirmed with a witness call.
  // Each caller's edges are independent: witnessed on every core, kept in node order.
  const std::size_t base_nodes = g.nodes.size();
  struct Found {
    GraphEdge edge;
    std::optional<Identity> plain_next;
  };
  std::vector<std::vector<Found>> found(base_nodes);
  util::parallelFor(base_nodes, options.threads, [&](std::size_t n, unsigned) {
    const GraphNode& node = g.nodes[n];
    // By the role's node (the order of the roles in the world), never by address: the graph's
    // edge order, and so which of two equally short chains is reported, must not depend on memory.
    std::map<std::size_t, std::vector<const Target*>> candidates;
    for (const std::string& key : g.keysOf(n)) {
      const auto it = index.find(key);
      if (it == index.end()) continue;
      for (const Target& t : it->second) candidates[g.role_node.at(t.role)].push_back(&t);
    }
    const bool outside = node.kind == GraphNode::Kind::ExternalAccount || node.kind == GraphNode::Kind::Anyone;
    // AWS: a call into another account needs the caller's own identity policies to allow it. A
    // modelled user or role none of whose identity statements allows sts:AssumeRole (whatever the
    // resource and conditions) is refused every cross-account call: no need to simulate them.
    const bool modelled_caller = node.kind == GraphNode::Kind::User || node.kind == GraphNode::Kind::Role;
    const Identity plain_caller = g.identityOf(n);
    const bool may_assume_out = !modelled_caller || plain_caller.external || [&] {
      const std::string action = "sts:assumerole";
      for (const NamedPolicy* p : sim.callerPolicies(plain_caller).identity) {
        for (const Statement& st : p->policy.statements) {
          if (st.effect == Effect::Allow && st.action.matches(action)) return true;
        }
      }
      return false;
    }();
    for (const auto& [role_index, targets] : candidates) {
      const Role* role = targets.front()->role;
      if (!may_assume_out && role->account != node.account) continue;
      // Every statement that admits the caller is tried; the edge keeps the call that needs the
      // least (a statement forcing a source identity or tags can break later hops).
      std::optional<Found> best;
      for (const Target* target : targets) {
        const Target& t = *target;
        const auto& witness = outside ? t.witness->outside : t.witness->inside;
        if (!witness) continue;
        if (witness->needs_mfa && node.kind == GraphNode::Kind::User) {
          const auto u = w.users.find(node.id);
          if (u != w.users.end() && !u->second.mfa) continue;  // no MFA device: cannot pass MFA
        }
        const bool plain = !witness->principal_arn && !t.session;
        // A role's session meets an MFA condition when it was itself made with MFA.
        const bool caller_mfa = witness->needs_mfa && node.kind == GraphNode::Kind::Role;
        std::optional<Identity> special;  // a caller other than the plain one
        if (!plain || caller_mfa) {
          special = plain ? plain_caller : g.identityOf(n, witness->principal_arn, t.session.value_or("trustsim"));
          if (caller_mfa) special->mfa = true;
        }
        const Identity& caller = special ? *special : plain_caller;
        if (caller.caller.arn.empty()) continue;
        AssumeParams params = witness->params;
        params.role_arn = role->arn;
        if (caller_mfa) params.mfa = false;
        AssumeResult r = sim.assume(caller, std::span<const AssumeParams>(&params, 1));
        if (r.status != CallStatus::Allowed) continue;
        GraphEdge e;
        e.caller_mfa = caller_mfa;
        e.from = n;
        e.to = role_index;
        e.params = params;
        e.requirements = witness->requirements;
        if (t.session) {
          e.caller_session_name = t.session;
          e.requirements.insert(e.requirements.begin(), Requirement{"caller session", *t.session, "calling session named \"" + *t.session + "\""});
        }
        if (witness->principal_arn) {
          e.requirements.push_back({"aws:PrincipalArn", caller.principal_arn, "calling as " + caller.principal_arn});
        }
        if (caller_mfa) e.requirements.insert(e.requirements.begin(), Requirement{"caller mfa", "true", "calling session made with MFA"});
        for (const CallCheck& c : r.hops.back().checks) {
          for (const StatementRef& ref : c.decision.decided_by) {
            if (std::find(e.decided_by.begin(), e.decided_by.end(), ref) == e.decided_by.end()) e.decided_by.push_back(ref);
          }
        }
        const auto weight = [](const GraphEdge& x) {
          return x.requirements.size() + (x.params.source_identity ? 10 : 0) + 5 * x.params.tags.size() + (x.caller_mfa ? 3 : 0);
        };
        if (!best || weight(e) < weight(best->edge)) {
          best = Found{std::move(e), std::nullopt};
          if (plain && !caller_mfa) best->plain_next = std::move(r.hops.back().session);
        }
      }
      if (best) found[n].push_back(std::move(*best));
    }
  });
  g.in.resize(g.nodes.size());
  for (std::size_t n = 0; n < base_nodes; ++n) {
    for (Found& f : found[n]) {
      g.out[n].push_back(g.edges.size());
      g.in[f.edge.to].push_back(g.edges.size());
      g.edges.push_back(std::move(f.edge));
      g.plain_next.push_back(std::move(f.plain_next));
    }
  }
  return TrustGraph(std::move(impl));
}

std::optional<Identity> TrustGraph::walk(const Chain& chain) const {
  const Impl& g = *impl_;
  std::vector<AssumeParams> hops;
  std::string first_session = "trustsim";
  bool first_mfa = false;
  std::optional<std::string> principal_arn;
  for (std::size_t i = 0; i < chain.edges.size(); ++i) {
    const GraphEdge& e = g.edges[chain.edges[i]];
    hops.push_back(e.params);
    if (e.caller_session_name) {
      if (i == 0) {
        first_session = *e.caller_session_name;
      } else {
        hops[i - 1].session_name = *e.caller_session_name;
      }
    }
    if (e.caller_mfa) {
      if (i == 0) {
        first_mfa = true;
      } else {
        hops[i - 1].mfa = true;
      }
    }
    if (i == 0) {
      for (const Requirement& r : e.requirements) {
        if (r.key == "aws:PrincipalArn") principal_arn = r.value;
      }
    }
  }
  Identity start = g.identityOf(chain.start, principal_arn, first_session);
  start.mfa = start.mfa || first_mfa;
  if (chain.edges.empty()) return start;
  const AssumeResult r = g.sim->assume(start, hops);
  if (r.status != CallStatus::Allowed) return std::nullopt;
  return r.last().session;
}

std::vector<Requirement> TrustGraph::requirements(const Chain& chain) const {
  std::vector<Requirement> out;
  for (std::size_t e : chain.edges) {
    const auto& req = impl_->edges[e].requirements;
    out.insert(out.end(), req.begin(), req.end());
  }
  return out;
}

std::vector<Chain> TrustGraph::chains(std::size_t from, std::size_t to, std::size_t max_depth) const {
  const Impl& g = *impl_;
  std::vector<Chain> found;
  Chain current{from, {}};
  std::vector<bool> on_path(g.nodes.size(), false);
  on_path[from] = true;
  constexpr std::size_t kLimit = 1000;
  // Depth-first over simple paths (no node twice), bounded by depth and count.
  std::function<void(std::size_t)> dfs = [&](std::size_t n) {
    if (found.size() >= kLimit) return;
    if (n == to && !current.edges.empty()) {
      if (walk(current)) found.push_back(current);
      return;
    }
    if (current.edges.size() >= max_depth) return;
    for (std::size_t e : g.out[n]) {
      const std::size_t next = g.edges[e].to;
      if (on_path[next]) continue;
      on_path[next] = true;
      current.edges.push_back(e);
      dfs(next);
      current.edges.pop_back();
      on_path[next] = false;
    }
  };
  dfs(from);
  std::stable_sort(found.begin(), found.end(), [](const Chain& a, const Chain& b) { return a.edges.size() < b.edges.size(); });
  return found;
}

std::vector<Chain> TrustGraph::reachable(std::size_t from) const {
  std::vector<Chain> out;
  for (Reached& r : reachableSessions(from)) out.push_back(std::move(r.chain));
  return out;
}

std::vector<Reached> TrustGraph::reachableSessions(std::size_t from, std::optional<std::size_t> only) const {
  const Impl& g = *impl_;
  // Marks reused from call to call on each thread, so that a search costs what it reaches and
  // not the size of the graph (who-can on every role searches from every node).
  thread_local std::vector<std::uint64_t> mark;
  thread_local std::vector<std::size_t> via;  // the edge a node was first reached by
  thread_local std::vector<std::size_t> slot;  // the node's place in `order`
  thread_local std::uint64_t stamp = 0;
  if (mark.size() < g.nodes.size()) {
    mark.resize(g.nodes.size(), 0);
    via.resize(g.nodes.size());
    slot.resize(g.nodes.size());
  }
  ++stamp;
  mark[from] = stamp;
  // Breadth first, level by level: the first chain to a node is a shortest one.
  std::vector<std::size_t> order;
  std::vector<std::size_t> frontier{from}, next_frontier;
  for (std::size_t depth = 1; depth <= g.options.max_depth && !frontier.empty(); ++depth) {
    next_frontier.clear();
    for (std::size_t n : frontier) {
      for (std::size_t e : g.out[n]) {
        const std::size_t next = g.edges[e].to;
        if (mark[next] == stamp) continue;
        mark[next] = stamp;
        via[next] = e;
        slot[next] = order.size();
        order.push_back(next);
        next_frontier.push_back(next);
      }
    }
    std::swap(frontier, next_frontier);
  }
  const auto treeChain = [&](std::size_t n) {
    Chain c{from, {}};
    for (std::size_t at = n; at != from; at = g.edges[via[at]].from) c.edges.push_back(via[at]);
    std::reverse(c.edges.begin(), c.edges.end());
    return c;
  };
  // The session at the end of each node's chain in the breadth-first tree, walked one hop on from
  // its parent's session: the simulator's hop depends only on the calling session and the call.
  // Two things of the next call change the hop before it (the session name and MFA a trust policy
  // asks of its caller): such an edge is walked from the start, as walk() does.
  enum class State : unsigned char { Unknown, Allowed, Refused };
  std::vector<State> state(order.size(), State::Unknown);
  std::vector<Identity> sessions(order.size());
  // A session that calls as the plain session of its role (what the graph's witness calls used).
  const auto plain = [](const Identity& s) {
    return s.caller.kind == Caller::Kind::RoleSession && s.caller.session_name == "trustsim" && !s.mfa &&
           !s.source_identity && s.session_tags.empty() && s.transitive_keys.empty() && !s.session_policy;
  };
  const std::function<bool(std::size_t)> walkTree = [&](std::size_t n) {
    const std::size_t i = slot[n];
    if (state[i] != State::Unknown) return state[i] == State::Allowed;
    const GraphEdge& e = g.edges[via[n]];
    const std::optional<Identity>& memo = g.plain_next[via[n]];
    std::optional<Identity> session;
    if (e.from == from) {
      // The first hop is the edge's own witness call (walk() would make the same one).
      session = memo ? memo : walk(treeChain(n));
    } else if (e.caller_session_name || e.caller_mfa) {
      session = walk(treeChain(n));
    } else if (walkTree(e.from)) {
      // A refused parent refuses every chain through it, unless the hop after it changes it (above).
      const Identity& parent = sessions[slot[e.from]];
      if (memo && plain(parent)) {
        session = memo;
      } else {
        AssumeResult r = g.sim->assume(parent, std::span<const AssumeParams>(&e.params, 1));
        if (r.status == CallStatus::Allowed) session = std::move(r.hops.back().session);
      }
    }
    state[i] = session ? State::Allowed : State::Refused;
    if (session) sessions[i] = std::move(*session);
    return session.has_value();
  };
  std::vector<Reached> out;
  for (std::size_t n : order) {
    if (only && n != *only) continue;
    // Verify end to end: inherited source identity and transitive tags can break a chain that
    // every single hop allows; then try the other chains to the same role.
    if (walkTree(n)) {
      out.push_back(Reached{treeChain(n), sessions[slot[n]]});
      continue;
    }
    for (Chain& other : chains(from, n, g.options.max_depth)) {
      if (auto session = walk(other)) out.push_back(Reached{std::move(other), std::move(*session)});
      break;
    }
  }
  return out;
}

std::vector<std::size_t> TrustGraph::reaching(std::size_t to) const {
  const Impl& g = *impl_;
  std::vector<bool> seen(g.nodes.size(), false);
  std::vector<std::size_t> out, frontier{to}, next;
  for (std::size_t depth = 1; depth <= g.options.max_depth && !frontier.empty(); ++depth) {
    next.clear();
    for (std::size_t n : frontier) {
      for (std::size_t e : g.in[n]) {
        const std::size_t from = g.edges[e].from;
        if (seen[from]) continue;
        seen[from] = true;
        out.push_back(from);
        next.push_back(from);
      }
    }
    std::swap(frontier, next);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::size_t>> TrustGraph::cycles() const {
  const Impl& g = *impl_;
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Graph bg(g.nodes.size());
  std::set<std::size_t> self_loops;
  for (const GraphEdge& e : g.edges) {
    boost::add_edge(e.from, e.to, bg);
    if (e.from == e.to) self_loops.insert(e.from);
  }
  std::vector<int> component(g.nodes.size());
  const int count = boost::strong_components(bg, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, bg)));
  std::vector<std::vector<std::size_t>> groups(static_cast<std::size_t>(count));
  for (std::size_t n = 0; n < component.size(); ++n) groups[static_cast<std::size_t>(component[n])].push_back(n);
  std::vector<std::vector<std::size_t>> out;
  for (auto& grp : groups) {
    if (grp.size() > 1 || (grp.size() == 1 && self_loops.count(grp[0]))) out.push_back(std::move(grp));
  }
  return out;
}

}  // namespace trustsim
