// SPDX-License-Identifier: Apache-2.0
// The trust graph (aws-semantics §2-§5, §9): starting principals and roles, and "can assume"
// edges that keep what each call needs (ExternalId, MFA, session name, source identity, tags,
// source IP, ...). Every edge is witnessed: the simulator accepted a concrete AssumeRole call.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "trustsim/simulator.h"

namespace trustsim {

struct GraphNode {
  enum class Kind {
    User,               // an IAM user of a modelled account
    Role,               // a modelled role (its sessions call onward)
    ExternalAccount,    // any principal of an account outside the model
    ExternalPrincipal,  // a named principal (role, user, session) of an account outside the model
    Service,            // an AWS service principal
    IdentityProvider,   // a SAML/OIDC provider (or a web identity provider by name)
    Anyone,             // "*": any AWS principal anywhere
  };
  Kind kind = Kind::Role;
  std::string id;       // ARN, account id, service or provider name, "*"
  std::string account;  // empty for services, providers and anyone
  std::string label;    // the vendor's or account's name when known
  bool ours = false;    // a principal of one of our accounts
};
std::string_view toString(GraphNode::Kind kind);

// One condition a call must meet, for people and for reports: `sts:ExternalId = "abc"`.
struct Requirement {
  std::string key;    // condition key as written (`sts:ExternalId`), or a parameter name
  std::string value;  // the value the witness used
  std::string text;   // `ExternalId "abc"`, `MFA`, `session name like "ci-*"`
};

struct GraphEdge {
  std::size_t from = 0;
  std::size_t to = 0;  // always a Role node
  AssumeParams params;                    // the call that works
  std::vector<Requirement> requirements;  // what it took
  std::vector<StatementRef> decided_by;   // trust (and identity) statements that granted it
  // A trust statement that names one session of the calling role (`assumed-role/R/S`): the hop
  // into `from` must use this RoleSessionName.
  std::optional<std::string> caller_session_name;
  // The calling session must have been made with MFA (a trust condition on MFA, from a role).
  bool caller_mfa = false;
};

struct Chain {
  std::size_t start = 0;
  std::vector<std::size_t> edges;  // in order; empty: the start itself
};

// A chain and the session it ends in (the last role's session, as the simulator made it).
struct Reached {
  Chain chain;
  Identity session;
};

struct GraphOptions {
  std::size_t max_depth = 6;  // chains longer than this are not searched
  unsigned threads = 0;       // cores used to witness edges (0: every core); same graph whatever it is
};

class TrustGraph {
 public:
  // Builds the graph: nodes for every modelled principal and role and for every outside
  // principal a trust policy names; edges found through an index of trust statements (by
  // principal, account and `*`), each confirmed by a simulated AssumeRole.
  static TrustGraph build(const Simulator& simulator, const GraphOptions& options = {});
  TrustGraph(TrustGraph&&) noexcept;
  TrustGraph& operator=(TrustGraph&&) noexcept;
  ~TrustGraph();

  const std::vector<GraphNode>& nodes() const;
  const std::vector<GraphEdge>& edges() const;
  std::optional<std::size_t> find(std::string_view id) const;  // node by id (ARN, account, ...)
  // The edges into a node (indexes into edges()), in edge order.
  const std::vector<std::size_t>& incoming(std::size_t node) const;
  // Nodes a question may start from (everything but roles nobody names... every node).
  std::vector<std::size_t> startingNodes() const;

  // The identity a node calls as (external and synthetic principals included).
  Identity identityOf(std::size_t node) const;

  // The shortest chain from `from` to each reachable role, verified end to end (inherited source
  // identity and transitive tags included); BFS order, shortest first.
  std::vector<Chain> reachable(std::size_t from) const;
  // The same chains with the session each ends in. With `only`, just the chain to that node (none
  // when it is out of reach): who-can on one role walks one chain per caller, not all of them.
  std::vector<Reached> reachableSessions(std::size_t from, std::optional<std::size_t> only = std::nullopt) const;
  // The nodes with a path of edges to `to` within max_depth hops (not yet walked end to end), in
  // index order: the only starting points worth searching for who-can on one role.
  std::vector<std::size_t> reaching(std::size_t to) const;
  // All simple chains from `from` to `to` up to `max_depth` hops, verified, shortest first.
  std::vector<Chain> chains(std::size_t from, std::size_t to, std::size_t max_depth) const;
  // Runs a chain through the simulator; nullopt when a hop is refused.
  std::optional<Identity> walk(const Chain& chain) const;
  std::vector<Requirement> requirements(const Chain& chain) const;
  // Strongly connected groups of roles that can assume each other (size > 1, or a self-loop).
  std::vector<std::vector<std::size_t>> cycles() const;

  const Simulator& simulator() const;

 private:
  struct Impl;
  explicit TrustGraph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trustsim
