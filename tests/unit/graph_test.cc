// SPDX-License-Identifier: Apache-2.0
// The trust graph and the questions asked of it (reach, who-can, what-can) over small scenario
// worlds: chains across accounts, cycles, session names, chains that fail end to end, and a
// fixed-seed comparison of who-can with brute-force AssumeRole over random worlds (aws-semantics
// §2-§5, §9).
#include "trustsim/graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "test_util.h"
#include "trustsim/load.h"
#include "trustsim/questions.h"
#include "trustsim/simulator.h"

namespace trustsim {
namespace {

using nlohmann::json;

const std::string kA = "111111111111";  // ours
const std::string kB = "222222222222";  // ours
const std::string kC = "333333333333";  // ours
const std::string kV = "999999999999";  // a third party outside the model
const std::string kW = "888888888888";  // another third party outside the model
const std::string kVendorId = "vendor-issued-5f2c9a7e41d0";

std::string roleArn(const std::string& account, const std::string& name) {
  return "arn:aws:iam::" + account + ":role/" + name;
}
std::string userArn(const std::string& account, const std::string& name) {
  return "arn:aws:iam::" + account + ":user/" + name;
}
std::string rootArn(const std::string& account) { return "arn:aws:iam::" + account + ":root"; }

// --- Policy documents ----------------------------------------------------------------------------

json doc(json statements) {
  return {{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

json aws(json principal) { return {{"AWS", std::move(principal)}}; }

json trustStatement(json principal, json condition = nullptr, json actions = "sts:AssumeRole") {
  json s = {
      {"Effect", "Allow"}, {"Principal", std::move(principal)}, {"Action", std::move(actions)}};
  if (!condition.is_null()) {
    s["Condition"] = std::move(condition);
  }
  return s;
}

// A trust policy of one Allow statement.
json trust(json principal, json condition = nullptr, json actions = "sts:AssumeRole") {
  return doc(json::array(
      {trustStatement(std::move(principal), std::move(condition), std::move(actions))}));
}

json externalId(const std::string& value) {
  return {{"StringEquals", {{"sts:ExternalId", value}}}};
}

json allow(json actions, json resources = "*") {
  return {{"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
}

// --- Worlds --------------------------------------------------------------------------------------

// A scenario document built entity by entity; build() loads it as a scenario file would be.
class Scenario {
 public:
  // `allows`: statements of one inline identity policy (none when empty).
  Scenario& role(const std::string& arn, json trust_policy, json allows = json::array(),
                 json extra = json::object()) {
    json r = {{"arn", arn}, {"trustPolicy", std::move(trust_policy)}};
    if (!allows.empty()) {
      r["policies"] = json::array({{{"name", "inline"}, {"document", doc(std::move(allows))}}});
    }
    r.update(extra);
    doc_["roles"].push_back(std::move(r));
    return *this;
  }
  Scenario& user(const std::string& arn, json allows = json::array(), json extra = json::object()) {
    json u = {{"arn", arn}};
    if (!allows.empty()) {
      u["policies"] = json::array({{{"name", "inline"}, {"document", doc(std::move(allows))}}});
    }
    u.update(extra);
    doc_["users"].push_back(std::move(u));
    return *this;
  }
  Scenario& policy(const std::string& arn, json statements) {
    doc_["policies"].push_back({{"arn", arn}, {"document", doc(std::move(statements))}});
    return *this;
  }
  Scenario& resource(const std::string& arn, const std::string& account, json policy = nullptr) {
    json r = {{"arn", arn}, {"account", account}};
    if (!policy.is_null()) {
      r["policy"] = std::move(policy);
    }
    doc_["resources"].push_back(std::move(r));
    return *this;
  }
  const json& document() const { return doc_; }
  Simulator build() const {
    const FileReader no_files = [](const std::string&,
                                   std::string& error) -> std::optional<std::string> {
      error = "tests read no files";
      return std::nullopt;
    };
    auto world = loadScenarioText(doc_.dump(), "test.json", no_files);
    EXPECT_TRUE(world.has_value()) << (world ? "" : testing::dump(world.error())) << doc_.dump(2);
    auto sim = Simulator::build(world ? std::move(world).value() : World{});
    EXPECT_TRUE(sim.has_value());
    return std::move(sim).value();
  }

 private:
  json doc_ = {{"format", "trustsim-scenario/1"}, {"name", "graph-test"}, {"roles", json::array()}};
};

// --- Graph helpers -------------------------------------------------------------------------------

std::size_t node(const TrustGraph& graph, const std::string& id) {
  const auto n = graph.find(id);
  EXPECT_TRUE(n.has_value()) << "no node " << id;
  return n.value_or(0);
}

// The node ids a chain visits, start first.
std::vector<std::string> path(const TrustGraph& graph, const Chain& chain) {
  std::vector<std::string> out = {graph.nodes()[chain.start].id};
  for (std::size_t e : chain.edges) {
    out.push_back(graph.nodes()[graph.edges()[e].to].id);
  }
  return out;
}

std::string show(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    out += (out.empty() ? "" : " -> ") + id;
  }
  return out;
}

std::string show(const TrustGraph& graph, const std::vector<Chain>& chains) {
  std::string out;
  for (const Chain& c : chains) {
    out += "  " + show(path(graph, c)) + "\n";
  }
  return out.empty() ? "  (none)\n" : out;
}

std::string show(const TrustGraph& graph, const std::vector<Reach>& reaches) {
  std::vector<Chain> chains;
  for (const Reach& r : reaches) {
    chains.push_back(r.chain);
  }
  return show(graph, chains);
}

const Requirement* requirement(const std::vector<Requirement>& reqs, const std::string& key) {
  for (const Requirement& r : reqs) {
    if (r.key == key) {
      return &r;
    }
  }
  return nullptr;
}

// The one outgoing edge from -> to, if the graph has it.
const GraphEdge* edge(const TrustGraph& graph, std::size_t from, std::size_t to) {
  for (const GraphEdge& e : graph.edges()) {
    if (e.from == from && e.to == to) {
      return &e;
    }
  }
  return nullptr;
}

std::vector<Reach> reachFromTo(const TrustGraph& graph, std::size_t from, std::size_t to,
                               std::size_t max_depth = 6, bool all_chains = false) {
  ReachQuery q;
  q.from = from;
  q.to = to;
  q.max_depth = max_depth;
  q.all_chains = all_chains;
  return reach(graph, q);
}

// --- Chains across accounts (§3.2, §5) -----------------------------------------------------------

// alice (kA, MFA device) → kB/Hop1 (needs MFA) → kC/Hop2 (needs an ExternalId) → kA/Target.
// bob has no MFA device.
Scenario threeAccountWorld() {
  const json assume_any = json::array({allow("sts:AssumeRole")});
  return Scenario()
      .user(userArn(kA, "alice"), assume_any, {{"mfa", true}})
      .user(userArn(kA, "bob"), assume_any)
      .role(roleArn(kB, "Hop1"),
            trust(aws(json::array({userArn(kA, "alice"), userArn(kA, "bob")})),
                  {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}}),
            assume_any)
      .role(roleArn(kC, "Hop2"),
            trust(aws(roleArn(kB, "Hop1")), externalId("hop2-external-7f3a9c")), assume_any)
      .role(roleArn(kA, "Target"), trust(aws(roleArn(kC, "Hop2"))),
            json::array({allow("s3:GetObject", "arn:aws:s3:::reports/*")}));
}

TEST(GraphReach, ThreeHopsAcrossThreeAccountsWithTheirRequirements) {
  // AWS: each cross-account hop needs the trust Allow and the caller's identity Allow; the chain
  // carries what each trust statement demands (MFA on the first hop, an ExternalId on the second).
  const Simulator sim = threeAccountWorld().build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t alice = node(graph, userArn(kA, "alice"));
  const std::size_t target = node(graph, roleArn(kA, "Target"));
  const std::vector<Reach> found = reachFromTo(graph, alice, target);
  ASSERT_EQ(found.size(), 1u) << show(graph, found);
  const Reach& r = found.front();
  EXPECT_EQ(r.start, alice);
  EXPECT_EQ(r.target, target);
  EXPECT_EQ(path(graph, r.chain),
            (std::vector<std::string>{userArn(kA, "alice"), roleArn(kB, "Hop1"),
                                      roleArn(kC, "Hop2"), roleArn(kA, "Target")}));
  std::set<std::string> accounts;
  for (std::size_t e : r.chain.edges) {
    accounts.insert(graph.nodes()[graph.edges()[e].to].account);
  }
  EXPECT_EQ(accounts.size(), 3u);
  const Requirement* mfa = requirement(r.requirements, "aws:MultiFactorAuthPresent");
  ASSERT_NE(mfa, nullptr);
  EXPECT_EQ(mfa->text, "MFA");
  const Requirement* id = requirement(r.requirements, "sts:ExternalId");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->value, "hop2-external-7f3a9c");
  // The hops carry the parameters that meet them.
  EXPECT_TRUE(graph.edges()[r.chain.edges[0]].params.mfa);
  EXPECT_EQ(graph.edges()[r.chain.edges[1]].params.external_id, "hop2-external-7f3a9c");
  // Walking the chain ends in a session of Target.
  const auto session = graph.walk(r.chain);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->caller.arn, "arn:aws:sts::" + kA + ":assumed-role/Target/trustsim");
}

TEST(GraphReach, UserWithoutMfaDeviceCannotMeetAnMfaCondition) {
  // AWS: aws:MultiFactorAuthPresent is true only for a caller that authenticated with MFA.
  const Simulator sim = threeAccountWorld().build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t bob = node(graph, userArn(kA, "bob"));
  EXPECT_EQ(edge(graph, bob, node(graph, roleArn(kB, "Hop1"))), nullptr);
  ReachQuery q;
  q.from = bob;
  EXPECT_TRUE(reach(graph, q).empty()) << show(graph, reach(graph, q));
}

TEST(GraphReach, ShortestChainIsChosen) {
  // dev → R1 → R2 → T and dev → R3 → T: reach answers the two-hop chain.
  const json assume_any = json::array({allow("sts:AssumeRole")});
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "dev"), assume_any)
          .role(roleArn(kA, "R1"), trust(aws(userArn(kA, "dev"))), assume_any)
          .role(roleArn(kA, "R2"), trust(aws(roleArn(kA, "R1"))), assume_any)
          .role(roleArn(kA, "R3"), trust(aws(userArn(kA, "dev"))), assume_any)
          .role(roleArn(kA, "T"), trust(aws(json::array({roleArn(kA, "R2"), roleArn(kA, "R3")}))))
          .build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::vector<Reach> found = reachFromTo(graph, u, node(graph, roleArn(kA, "T")));
  ASSERT_EQ(found.size(), 1u) << show(graph, found);
  EXPECT_EQ(path(graph, found.front().chain),
            (std::vector<std::string>{userArn(kA, "dev"), roleArn(kA, "R3"), roleArn(kA, "T")}));
  // Every role is answered once, with its shortest chain.
  ReachQuery all;
  all.from = u;
  std::map<std::string, std::size_t> hops;
  for (const Reach& r : reach(graph, all)) {
    EXPECT_TRUE(hops.emplace(graph.nodes()[r.target].id, r.chain.edges.size()).second);
  }
  EXPECT_EQ(hops, (std::map<std::string, std::size_t>{{roleArn(kA, "R1"), 1},
                                                      {roleArn(kA, "R2"), 2},
                                                      {roleArn(kA, "R3"), 1},
                                                      {roleArn(kA, "T"), 2}}));
}

TEST(GraphReach, OneCharacterUserNameIsNoObstacle) {
  // AWS: user names are 1-64 characters, RoleSessionName 2-64 and chosen by the caller
  // (aws-semantics §1.3), so a user named `x` can assume any role that trusts it.
  // A session name is the caller's choice: a one-character user name is no obstacle.
  const Simulator sim = Scenario()
                            .user(userArn(kA, "x"), json::array({allow("sts:AssumeRole")}))
                            .role(roleArn(kA, "Target"), trust(aws(userArn(kA, "x"))))
                            .build();
  AssumeParams p;
  p.role_arn = roleArn(kA, "Target");
  p.session_name = "x-session";
  const auto x = sim.identity(userArn(kA, "x"));
  ASSERT_TRUE(x.has_value());
  ASSERT_EQ(sim.assume(x.value(), {p}).status, CallStatus::Allowed);  // AWS allows the call
  const TrustGraph graph = TrustGraph::build(sim);
  EXPECT_NE(edge(graph, node(graph, userArn(kA, "x")), node(graph, roleArn(kA, "Target"))),
            nullptr);
  EXPECT_EQ(
      reachFromTo(graph, node(graph, userArn(kA, "x")), node(graph, roleArn(kA, "Target"))).size(),
      1u);
}

// dev may assume P and Q; P and Q trust each other; T trusts both.
Scenario diamondWorld() {
  const json assume_any = json::array({allow("sts:AssumeRole")});
  return Scenario()
      .user(userArn(kA, "dev"), assume_any)
      .role(roleArn(kA, "P"), trust(aws(json::array({userArn(kA, "dev"), roleArn(kA, "Q")}))),
            assume_any)
      .role(roleArn(kA, "Q"), trust(aws(json::array({userArn(kA, "dev"), roleArn(kA, "P")}))),
            assume_any)
      .role(roleArn(kA, "T"), trust(aws(json::array({roleArn(kA, "P"), roleArn(kA, "Q")}))));
}

TEST(GraphChains, ListsEverySimpleChainShortestFirst) {
  const Simulator sim = diamondWorld().build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::size_t t = node(graph, roleArn(kA, "T"));
  const std::vector<Chain> chains = graph.chains(u, t, 6);
  std::set<std::vector<std::string>> paths;
  for (const Chain& c : chains) {
    paths.insert(path(graph, c));
  }
  const std::string U = userArn(kA, "dev"), P = roleArn(kA, "P"), Q = roleArn(kA, "Q"),
                    T = roleArn(kA, "T");
  EXPECT_EQ(paths,
            (std::set<std::vector<std::string>>{{U, P, T}, {U, Q, T}, {U, P, Q, T}, {U, Q, P, T}}))
      << show(graph, chains);
  ASSERT_EQ(chains.size(), 4u);
  EXPECT_EQ(chains[0].edges.size(), 2u);
  EXPECT_EQ(chains[1].edges.size(), 2u);
  EXPECT_EQ(chains[2].edges.size(), 3u);
  EXPECT_EQ(chains[3].edges.size(), 3u);
  // reach with all_chains answers the same chains.
  EXPECT_EQ(reachFromTo(graph, u, t, 6, true).size(), 4u);
}

TEST(GraphChains, MaxDepthIsRespected) {
  const Simulator sim = diamondWorld().build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::size_t t = node(graph, roleArn(kA, "T"));
  EXPECT_EQ(graph.chains(u, t, 2).size(), 2u) << show(graph, graph.chains(u, t, 2));
  EXPECT_TRUE(graph.chains(u, t, 1).empty()) << show(graph, graph.chains(u, t, 1));
  EXPECT_TRUE(reachFromTo(graph, u, t, 1).empty());
  EXPECT_EQ(reachFromTo(graph, u, t, 1, true).size(), 0u);
  EXPECT_EQ(reachFromTo(graph, u, t, 2).size(), 1u);
  // The graph's own limit bounds reachable().
  const TrustGraph shallow = TrustGraph::build(sim, GraphOptions{1});
  std::set<std::string> targets;
  for (const Chain& c : shallow.reachable(node(shallow, userArn(kA, "dev")))) {
    EXPECT_EQ(c.edges.size(), 1u);
    targets.insert(shallow.nodes()[shallow.edges()[c.edges.back()].to].id);
  }
  EXPECT_EQ(targets, (std::set<std::string>{roleArn(kA, "P"), roleArn(kA, "Q")}));
}

// --- Cycles (§5.4) -------------------------------------------------------------------------------

TEST(GraphCycles, RolesThatTrustEachOtherAreOneCycleAndReachTerminates) {
  // AWS: cycles A → B → A are legal chains; the search must not loop.
  const json assume_any = json::array({allow("sts:AssumeRole")});
  const Simulator sim = Scenario()
                            .role(roleArn(kA, "X"), trust(aws(roleArn(kB, "Y"))), assume_any)
                            .role(roleArn(kB, "Y"), trust(aws(roleArn(kA, "X"))), assume_any)
                            .role(roleArn(kA, "Self"), trust(aws(roleArn(kA, "Self"))), assume_any)
                            .role(roleArn(kA, "Loner"), trust(aws(roleArn(kA, "X"))))
                            .build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t x = node(graph, roleArn(kA, "X"));
  const std::size_t y = node(graph, roleArn(kB, "Y"));
  const std::size_t self = node(graph, roleArn(kA, "Self"));
  std::set<std::set<std::size_t>> groups;
  for (const auto& g : graph.cycles()) {
    groups.insert(std::set<std::size_t>(g.begin(), g.end()));
  }
  EXPECT_EQ(groups, (std::set<std::set<std::size_t>>{{x, y}, {self}}));
  // reach from X terminates with Y and Loner, each once.
  ReachQuery q;
  q.from = x;
  std::multiset<std::string> targets;
  for (const Reach& r : reach(graph, q)) {
    targets.insert(graph.nodes()[r.target].id);
  }
  EXPECT_EQ(targets, (std::multiset<std::string>{roleArn(kB, "Y"), roleArn(kA, "Loner")}));
  EXPECT_EQ(graph.chains(x, y, 6).size(), 1u);
  // The whole estate too.
  EXPECT_FALSE(reach(graph, ReachQuery{}).empty());
}

// --- Session names (§2.2) ------------------------------------------------------------------------

TEST(GraphSessionName, EdgeNamingOneSessionIsWalkedWithThatName) {
  // AWS: an assumed-role session principal admits only the session of that exact name, so the
  // hop into the calling role must use it as RoleSessionName.
  const json assume_any = json::array({allow("sts:AssumeRole")});
  const std::string session_principal =
      "arn:aws:sts::" + kA + ":assumed-role/Caller/deploy-session";
  const Simulator sim = Scenario()
                            .user(userArn(kA, "dev"), assume_any)
                            .role(roleArn(kA, "Caller"), trust(aws(userArn(kA, "dev"))), assume_any)
                            .role(roleArn(kA, "Target"), trust(aws(session_principal)))
                            .build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::size_t caller = node(graph, roleArn(kA, "Caller"));
  const std::size_t target = node(graph, roleArn(kA, "Target"));
  const GraphEdge* e = edge(graph, caller, target);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->caller_session_name, "deploy-session");
  const std::vector<Reach> found = reachFromTo(graph, u, target);
  ASSERT_EQ(found.size(), 1u) << show(graph, found);
  EXPECT_EQ(found.front().chain.edges.size(), 2u);
  const Requirement* name = requirement(found.front().requirements, "caller session");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->value, "deploy-session");
  const auto session = graph.walk(found.front().chain);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->caller.arn, "arn:aws:sts::" + kA + ":assumed-role/Target/trustsim");
  // The same chain with the default session name is refused: the name is what makes it work.
  AssumeParams to_caller, to_target;
  to_caller.role_arn = roleArn(kA, "Caller");
  to_target.role_arn = roleArn(kA, "Target");
  EXPECT_EQ(sim.assume(graph.identityOf(u), {to_caller, to_target}).status,
            CallStatus::AccessDenied);
  // Starting from Caller itself: one hop, walked as the named session.
  const std::vector<Reach> direct = reachFromTo(graph, caller, target);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_TRUE(graph.walk(direct.front().chain).has_value());
}

// --- Chains that every hop allows but that fail end to end (§4.1) --------------------------------

// dev → R1 passes a source identity (R1's trust demands one); R1 → R2 is allowed from a fresh R1
// session, but R2's trust lacks sts:SetSourceIdentity, so the chain dev → R1 → R2 fails.
Scenario sourceIdentityWorld(bool with_alternative) {
  const json assume_any = json::array({allow({"sts:AssumeRole", "sts:SetSourceIdentity"})});
  Scenario s;
  s.user(userArn(kA, "dev"), assume_any)
      .role(roleArn(kA, "R1"),
            trust(aws(userArn(kA, "dev")), {{"StringEquals", {{"sts:SourceIdentity", "alice"}}}},
                  json::array({"sts:AssumeRole", "sts:SetSourceIdentity"})),
            assume_any);
  if (!with_alternative) {
    s.role(roleArn(kA, "R2"), trust(aws(roleArn(kA, "R1"))));
    return s;
  }
  // A longer chain dev → R3 → R4 → R2 carries no source identity.
  s.role(roleArn(kA, "R3"), trust(aws(userArn(kA, "dev"))), assume_any)
      .role(roleArn(kA, "R4"), trust(aws(roleArn(kA, "R3"))), assume_any)
      .role(roleArn(kA, "R2"), trust(aws(json::array({roleArn(kA, "R1"), roleArn(kA, "R4")}))));
  return s;
}

TEST(GraphEndToEnd, InheritedSourceIdentityBreaksChainThatEveryHopAllows) {
  // AWS: an inherited source identity needs sts:SetSourceIdentity in the next trust policy.
  const Simulator sim = sourceIdentityWorld(false).build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::size_t r1 = node(graph, roleArn(kA, "R1"));
  const std::size_t r2 = node(graph, roleArn(kA, "R2"));
  const GraphEdge* first = edge(graph, u, r1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->params.source_identity, "alice");
  ASSERT_NE(edge(graph, r1, r2), nullptr);  // the hop alone is allowed
  EXPECT_TRUE(reachFromTo(graph, u, r2).empty()) << show(graph, reachFromTo(graph, u, r2));
  EXPECT_TRUE(graph.chains(u, r2, 6).empty());
  // R1's own sessions (no source identity) do reach R2.
  EXPECT_EQ(reachFromTo(graph, r1, r2).size(), 1u);
}

TEST(GraphEndToEnd, FailingShortestChainIsReplacedByAWorkingOne) {
  const Simulator sim = sourceIdentityWorld(true).build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::vector<Reach> found = reachFromTo(graph, u, node(graph, roleArn(kA, "R2")));
  ASSERT_EQ(found.size(), 1u) << show(graph, found);
  EXPECT_EQ(path(graph, found.front().chain),
            (std::vector<std::string>{userArn(kA, "dev"), roleArn(kA, "R3"), roleArn(kA, "R4"),
                                      roleArn(kA, "R2")}));
  EXPECT_TRUE(graph.walk(found.front().chain).has_value());
}

TEST(GraphEndToEnd, SessionMadeWithMfaMeetsMfaConditionOnTheNextHop) {
  // AWS: a session whose AssumeRole call passed MFA signs its own calls with
  // aws:MultiFactorAuthPresent=true (aws-semantics §3.4, §5.3), so alice → Hop1 (MFA) → Vault works
  // when Vault's trust demands MFA of Hop1; the simulator agrees.
  // AWS: a session made with MFA meets the next trust policy's MFA condition.
  const json mfa = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "alice"), json::array({allow("sts:AssumeRole")}), {{"mfa", true}})
          .role(roleArn(kB, "Hop1"), trust(aws(userArn(kA, "alice")), mfa),
                json::array({allow("sts:AssumeRole")}))
          .role(roleArn(kC, "Vault"), trust(aws(roleArn(kB, "Hop1")), mfa))
          .build();
  AssumeParams hop1, vault;
  hop1.role_arn = roleArn(kB, "Hop1");
  hop1.mfa = true;
  vault.role_arn = roleArn(kC, "Vault");
  const auto alice = sim.identity(userArn(kA, "alice"));
  ASSERT_TRUE(alice.has_value());
  ASSERT_EQ(sim.assume(alice.value(), {hop1, vault}).status, CallStatus::Allowed);
  const TrustGraph graph = TrustGraph::build(sim);
  const std::vector<Reach> found =
      reachFromTo(graph, node(graph, userArn(kA, "alice")), node(graph, roleArn(kC, "Vault")));
  EXPECT_EQ(found.size(), 1u) << show(graph, found);
}

TEST(GraphEndToEnd, EdgeWitnessDoesNotImposeASourceIdentityAnotherStatementAvoids) {
  // R1's trust admits dev by two statements: one demands a source identity, the other only an
  // ExternalId. With the source identity, R1 → R2 fails (R2's trust and R1's permissions lack
  // sts:SetSourceIdentity); with the ExternalId, dev → R1 → R2 works, and the simulator agrees.
  // The edge keeps the statement whose call needs the least, so later hops stay possible.
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "dev"),
                json::array({allow({"sts:AssumeRole", "sts:SetSourceIdentity"})}))
          .role(roleArn(kA, "R1"),
                doc(json::array(
                    {trustStatement(aws(userArn(kA, "dev")),
                                    {{"StringEquals", {{"sts:SourceIdentity", "alice"}}}},
                                    json::array({"sts:AssumeRole", "sts:SetSourceIdentity"})),
                     trustStatement(aws(userArn(kA, "dev")), externalId(kVendorId))})),
                json::array({allow("sts:AssumeRole")}))
          .role(roleArn(kA, "R2"), trust(aws(roleArn(kA, "R1"))))
          .build();
  AssumeParams r1, r2;
  r1.role_arn = roleArn(kA, "R1");
  r1.external_id = kVendorId;
  r2.role_arn = roleArn(kA, "R2");
  const auto dev = sim.identity(userArn(kA, "dev"));
  ASSERT_TRUE(dev.has_value());
  ASSERT_EQ(sim.assume(dev.value(), {r1, r2}).status, CallStatus::Allowed);
  const TrustGraph graph = TrustGraph::build(sim);
  const std::vector<Reach> found =
      reachFromTo(graph, node(graph, userArn(kA, "dev")), node(graph, roleArn(kA, "R2")));
  EXPECT_EQ(found.size(), 1u) << show(graph, found);
}

// --- Outside principals (§3.2, §9.1) -------------------------------------------------------------

TEST(GraphExternal, TrustedAccountBecomesNodeThatReachesOnlyWithExternalId) {
  // AWS: a principal of an account outside the model is decided by our side only; the trust
  // statement's ExternalId condition is what it must meet.
  const Simulator sim =
      Scenario()
          .role(roleArn(kA, "VendorRole"), trust(aws(rootArn(kV)), externalId(kVendorId)))
          .role(roleArn(kA, "ConnectorRole"),
                trust(aws(roleArn(kW, "Connector")), externalId(kVendorId)))
          .build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t vendor = node(graph, kV);
  const GraphNode& n = graph.nodes()[vendor];
  EXPECT_EQ(n.kind, GraphNode::Kind::ExternalAccount);
  EXPECT_EQ(n.account, kV);
  EXPECT_FALSE(n.ours);
  const std::size_t role = node(graph, roleArn(kA, "VendorRole"));
  const GraphEdge* e = edge(graph, vendor, role);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->params.external_id, kVendorId);
  const Requirement* id = requirement(e->requirements, "sts:ExternalId");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->value, kVendorId);
  // The simulator agrees: without the ExternalId the same caller is refused.
  AssumeParams without;
  without.role_arn = roleArn(kA, "VendorRole");
  EXPECT_EQ(sim.assume(graph.identityOf(vendor), {without}).status, CallStatus::AccessDenied);
  AssumeParams with = without;
  with.external_id = kVendorId;
  EXPECT_EQ(sim.assume(graph.identityOf(vendor), {with}).status, CallStatus::Allowed);
  const std::vector<Reach> found = reachFromTo(graph, vendor, role);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(requirement(found.front().requirements, "sts:ExternalId"), nullptr);
  // A named outside role is a principal node of its own, in an ExternalAccount node's account;
  // the account as a whole does not reach a role that trusts only that role.
  const std::size_t connector = node(graph, roleArn(kW, "Connector"));
  EXPECT_EQ(graph.nodes()[connector].kind, GraphNode::Kind::ExternalPrincipal);
  const std::size_t other = node(graph, kW);
  EXPECT_EQ(graph.nodes()[other].kind, GraphNode::Kind::ExternalAccount);
  const std::size_t connector_role = node(graph, roleArn(kA, "ConnectorRole"));
  EXPECT_NE(edge(graph, connector, connector_role), nullptr);
  EXPECT_EQ(edge(graph, other, connector_role), nullptr);
}

// True when some node that is not ours has an edge into `role`.
bool reachedFromOutside(const TrustGraph& graph, const std::string& role) {
  const std::size_t target = node(graph, role);
  return std::any_of(graph.edges().begin(), graph.edges().end(), [&](const GraphEdge& e) {
    return e.to == target && !graph.nodes()[e.from].ours;
  });
}

TEST(GraphExternal, StarScopedByPrincipalArnIsReachedFromThatAccount) {
  // AWS: `"*"` with ArnLike aws:PrincipalArn admits the principals it names, here outside roles.
  const Simulator sim =
      Scenario()
          .role(roleArn(kA, "ByArn"),
                trust("*",
                      {{"ArnLike", {{"aws:PrincipalArn", "arn:aws:iam::" + kW + ":role/team-*"}}}}))
          .build();
  const TrustGraph graph = TrustGraph::build(sim);
  EXPECT_TRUE(reachedFromOutside(graph, roleArn(kA, "ByArn")));
}

TEST(GraphExternal, StarScopedByPrincipalAccountIsReachedFromThatAccount) {
  // AWS: `"*"` with StringEquals aws:PrincipalAccount admits every principal of that account
  // (aws-semantics §9.2, §9.4); when the account is outside the model, an outside node reaches it.
  // "*" scoped by aws:PrincipalAccount is reached from that account.
  const Simulator sim = Scenario()
                            .role(roleArn(kA, "ByAccount"),
                                  trust("*", {{"StringEquals", {{"aws:PrincipalAccount", kV}}}}))
                            .build();
  const auto outsider = sim.identity(roleArn(kV, "Anything"));
  ASSERT_TRUE(outsider.has_value());
  AssumeParams p;
  p.role_arn = roleArn(kA, "ByAccount");
  ASSERT_EQ(sim.assume(outsider.value(), {p}).status,
            CallStatus::Allowed);  // the simulator admits it
  const TrustGraph graph = TrustGraph::build(sim);
  EXPECT_TRUE(reachedFromOutside(graph, roleArn(kA, "ByAccount")));
}

// --- who-can -------------------------------------------------------------------------------------

TEST(WhoCan, ListsOurPrincipalsAndThirdPartiesWithShortestChains) {
  const std::string bucket = "arn:aws:s3:::reports";
  const std::string object = bucket + "/q1.csv";
  const json assume_any = json::array({allow("sts:AssumeRole")});
  const Simulator sim =
      Scenario()
          .resource(bucket, kA)
          .user(userArn(kA, "direct"), json::array({allow("s3:GetObject", bucket + "/*")}))
          .user(userArn(kB, "alice"), json::array({allow("sts:AssumeRole", roleArn(kA, "Reader"))}))
          .user(userArn(kB, "bob"), assume_any)
          .user(userArn(kB, "nobody"), json::array({allow("s3:ListAllMyBuckets")}))
          .role(roleArn(kA, "Hop"), trust(aws(userArn(kB, "bob"))), assume_any)
          .role(roleArn(kA, "Reader"),
                doc(json::array(
                    {trustStatement(aws(json::array({userArn(kB, "alice"), roleArn(kA, "Hop")}))),
                     trustStatement(aws(rootArn(kV)), externalId(kVendorId))})),
                json::array({allow("s3:GetObject", bucket + "/*")}))
          .build();
  const TrustGraph graph = TrustGraph::build(sim);
  std::map<std::string, std::size_t> hops;
  for (const WhoCan& w : whoCan(graph, "s3:GetObject", object)) {
    EXPECT_EQ(w.decision.outcome, Outcome::Allowed);
    EXPECT_TRUE(hops.emplace(graph.nodes()[w.start].id, w.chain.edges.size()).second);
    if (graph.nodes()[w.start].id == kV) {
      EXPECT_FALSE(graph.nodes()[w.start].ours);
      const Requirement* id = requirement(w.requirements, "sts:ExternalId");
      ASSERT_NE(id, nullptr);
      EXPECT_EQ(id->value, kVendorId);
    }
    if (!w.chain.edges.empty()) {
      EXPECT_EQ(graph.nodes()[graph.edges()[w.chain.edges.back()].to].id, roleArn(kA, "Reader"));
    }
  }
  EXPECT_EQ(hops, (std::map<std::string, std::size_t>{{userArn(kA, "direct"), 0},
                                                      {roleArn(kA, "Reader"), 0},
                                                      {userArn(kB, "alice"), 1},
                                                      {roleArn(kA, "Hop"), 1},
                                                      {userArn(kB, "bob"), 2},
                                                      {kV, 1}}));
}

// --- what-can ------------------------------------------------------------------------------------

TEST(WhatCan, GroupsGrantsByServiceAndMarksBoundaryBlocks) {
  // AWS: a permissions boundary caps the role's identity policies; a grant outside it is not
  // effective.
  const std::string boundary = "arn:aws:iam::" + kA + ":policy/Boundary";
  const Simulator sim =
      Scenario()
          .policy(boundary, json::array({allow({"s3:*", "ec2:*"})}))
          .user(userArn(kA, "dev"), json::array({allow("sts:AssumeRole", roleArn(kA, "Worker"))}))
          .role(roleArn(kA, "Worker"), trust(aws(userArn(kA, "dev"))),
                json::array({allow({"s3:GetObject", "iam:PassRole", "s3:PutObject"}),
                             allow("ec2:DescribeInstances")}),
                {{"permissionsBoundary", boundary}})
          .build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::size_t u = node(graph, userArn(kA, "dev"));
  const std::size_t worker = node(graph, roleArn(kA, "Worker"));
  const std::vector<WhatCan> all = whatCan(graph, u);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].node, u);
  EXPECT_TRUE(all[0].chain.edges.empty());
  ASSERT_EQ(all[0].grants.size(), 1u);
  EXPECT_EQ(all[0].grants[0].service, "sts");
  EXPECT_TRUE(all[0].grants[0].effective);
  const WhatCan& w = all[1];
  EXPECT_EQ(w.node, worker);
  EXPECT_EQ(w.chain.edges.size(), 1u);
  std::vector<std::string> services;
  for (const Grant& g : w.grants) {
    services.push_back(g.service);
  }
  EXPECT_EQ(services, (std::vector<std::string>{"ec2", "iam", "s3"}));
  ASSERT_EQ(w.grants.size(), 3u);
  EXPECT_TRUE(w.grants[0].effective);
  EXPECT_FALSE(w.grants[1].effective);
  EXPECT_EQ(w.grants[1].blocked_by, "boundary");
  EXPECT_EQ(w.grants[1].actions, (std::vector<std::string>{"iam:PassRole"}));
  EXPECT_TRUE(w.grants[2].effective);
  EXPECT_EQ(w.grants[2].actions, (std::vector<std::string>{"s3:GetObject", "s3:PutObject"}));
  EXPECT_EQ(w.grants[2].statement.index, 0u);
  EXPECT_EQ(w.grants[0].statement.index, 1u);
}

// --- Property: who-can agrees with brute force ---------------------------------------------------

const std::string kBucket = "arn:aws:s3:::prop-bucket";
const std::string kObject = kBucket + "/data.csv";
const std::vector<std::string> kAccounts = {"100000000001", "100000000002", "100000000003"};
const std::string kOutside = "900000000009";
const std::vector<std::string> kIdPool = {"ext-alpha-1001", "ext-beta-2002"};

struct RandomWorld {
  Scenario scenario;
  std::vector<std::string> principals;  // every user and role ARN
  std::vector<std::string> roles;
  std::vector<std::string> external_ids;  // values used in trust policies
};

RandomWorld randomWorld(unsigned seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  RandomWorld w;
  const std::size_t accounts = 2 + pick(2);
  const std::size_t users = 1 + pick(2);
  const std::size_t roles = 3 + pick(3);
  std::vector<std::string> user_arns;
  for (std::size_t i = 0; i < users; ++i) {
    user_arns.push_back(userArn(kAccounts[pick(accounts)], "u" + std::to_string(i)));
  }
  for (std::size_t i = 0; i < roles; ++i) {
    w.roles.push_back(roleArn(kAccounts[pick(accounts)], "r" + std::to_string(i)));
  }
  // A principal a trust policy may name: a user, a role, a modelled account or an outside one.
  const auto principal = [&]() -> std::string {
    switch (pick(4)) {
      case 0:
        return user_arns[pick(users)];
      case 1:
        return w.roles[pick(roles)];
      case 2:
        return chance(50) ? kAccounts[pick(accounts)] : rootArn(kAccounts[pick(accounts)]);
      default:
        return chance(50) ? w.roles[pick(roles)] : rootArn(kOutside);
    }
  };
  std::set<std::string> ids;
  const auto identityPolicy = [&]() {
    json statements = json::array();
    if (chance(70)) {
      if (chance(30)) {
        statements.push_back(allow("sts:AssumeRole"));
      } else {
        json targets = json::array();
        for (const std::string& r : w.roles) {
          if (chance(50)) {
            targets.push_back(r);
          }
        }
        if (!targets.empty()) {
          statements.push_back(allow("sts:AssumeRole", targets));
        }
      }
    }
    if (chance(30)) {
      statements.push_back(allow("s3:GetObject", kBucket + "/*"));
    }
    return statements;
  };
  for (const std::string& u : user_arns) {
    w.scenario.user(u, identityPolicy());
  }
  for (const std::string& r : w.roles) {
    json statements = json::array();
    const std::size_t count = 1 + pick(2);
    for (std::size_t s = 0; s < count; ++s) {
      json names = json::array({principal()});
      if (chance(40)) {
        names.push_back(principal());
      }
      json condition = nullptr;
      if (chance(35)) {
        const std::string& id = kIdPool[pick(kIdPool.size())];
        ids.insert(id);
        condition = externalId(id);
      }
      statements.push_back(trustStatement(aws(names), condition));
    }
    w.scenario.role(r, doc(statements), identityPolicy());
  }
  // The bucket lives in the first account; sometimes its policy grants a role or an account.
  json bucket_policy = nullptr;
  if (chance(50)) {
    bucket_policy =
        doc(json::array({{{"Effect", "Allow"},
                          {"Principal", aws(chance(50) ? w.roles[pick(roles)]
                                                       : rootArn(kAccounts[pick(accounts)]))},
                          {"Action", "s3:GetObject"},
                          {"Resource", kBucket + "/*"}}}));
  }
  w.scenario.resource(kBucket, kAccounts[0], bucket_policy);
  w.principals = user_arns;
  w.principals.insert(w.principals.end(), w.roles.begin(), w.roles.end());
  w.external_ids.assign(ids.begin(), ids.end());
  return w;
}

// Every sequence of roles up to `depth` hops, each hop tried without an ExternalId and with each
// value the trust policies use; true when some session reached is allowed the action.
bool bruteForce(const Simulator& sim, const RandomWorld& w, const Identity& who,
                std::size_t depth) {
  if (sim.simulate(who, "s3:GetObject", kObject, {}).decision.outcome == Outcome::Allowed) {
    return true;
  }
  if (depth == 0) {
    return false;
  }
  std::vector<std::optional<std::string>> candidates = {std::nullopt};
  candidates.insert(candidates.end(), w.external_ids.begin(), w.external_ids.end());
  for (const std::string& role : w.roles) {
    for (const auto& id : candidates) {
      AssumeParams p;
      p.role_arn = role;
      p.external_id = id;
      const AssumeResult r = sim.assume(who, {p});
      if (r.status != CallStatus::Allowed) {
        continue;
      }
      if (bruteForce(sim, w, *r.last().session, depth - 1)) {
        return true;
      }
      break;  // the session does not depend on which ExternalId admitted it
    }
  }
  return false;
}

TEST(WhoCanProperty, AgreesWithBruteForceOnRandomWorlds) {
  constexpr std::size_t kDepth = 3;
  std::size_t allowed_total = 0;
  std::size_t chained_total = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    const RandomWorld w = randomWorld(seed);
    const Simulator sim = w.scenario.build();
    const TrustGraph graph = TrustGraph::build(sim, GraphOptions{kDepth});
    std::set<std::string> from_graph;
    for (const WhoCan& c : whoCan(graph, "s3:GetObject", kObject)) {
      const GraphNode& n = graph.nodes()[c.start];
      if (n.kind == GraphNode::Kind::User || n.kind == GraphNode::Kind::Role) {
        from_graph.insert(n.id);
        chained_total += c.chain.edges.size() >= 2 ? 1 : 0;
      }
    }
    std::set<std::string> brute;
    for (const std::string& p : w.principals) {
      const auto id = sim.identity(p);
      ASSERT_TRUE(id.has_value()) << p;
      if (bruteForce(sim, w, id.value(), kDepth)) {
        brute.insert(p);
      }
    }
    EXPECT_EQ(from_graph, brute) << "seed " << seed << "\n" << w.scenario.document().dump(1);
    allowed_total += brute.size();
  }
  // The worlds are not all trivial: some principals get there, some only through chains.
  EXPECT_GT(allowed_total, 10u);
  EXPECT_GT(chained_total, 0u);
}

// --- Property: incremental walks are full walks --------------------------------------------------
// reachableSessions() takes each session one hop on from its parent's, or reuses the session an
// edge's witness call made; walk() runs the chain from its start. They must agree on every chain,
// including chains with session names, MFA, source identities and tags that later hops depend on.

Scenario richWorld(unsigned seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  Scenario sc;
  const std::size_t accounts = 2 + pick(2);
  std::vector<std::string> users, roles;
  for (std::size_t i = 0; i < 1 + pick(2); ++i) users.push_back(userArn(kAccounts[pick(accounts)], "u" + std::to_string(i)));
  for (std::size_t i = 0; i < 4 + pick(4); ++i) roles.push_back(roleArn(kAccounts[pick(accounts)], "r" + std::to_string(i)));
  const auto callerPolicy = [&]() {
    json st = json::array({allow(json::array({"sts:AssumeRole", "sts:TagSession"}))});
    if (chance(60)) st.push_back(allow("sts:SetSourceIdentity"));
    return st;
  };
  for (const std::string& u : users) sc.user(u, callerPolicy(), {{"mfa", chance(50)}});
  for (const std::string& r : roles) {
    json statements = json::array();
    for (std::size_t k = 0; k < 1 + pick(2); ++k) {
      json principal;
      switch (pick(4)) {
        case 0:
          principal = users[pick(users.size())];
          break;
        case 1:
          principal = roles[pick(roles.size())];
          break;
        case 2: {
          const std::string& caller = roles[pick(roles.size())];
          const std::string account = caller.substr(13, 12);
          principal = "arn:aws:sts::" + account + ":assumed-role/" + caller.substr(caller.rfind('/') + 1) + "/named";
          break;
        }
        default:
          principal = rootArn(kAccounts[pick(accounts)]);
      }
      json condition = nullptr;
      switch (pick(6)) {
        case 0:
          condition = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
          break;
        case 1:
          condition = {{"StringEquals", {{"sts:SourceIdentity", chance(50) ? "alice" : "bob"}}}};
          break;
        case 2:
          condition = {{"StringEquals", {{"aws:RequestTag/team", "blue"}}}};
          break;
        case 3:
          condition = externalId("ext-alpha-1001");
          break;
        default:
          break;
      }
      json st = trustStatement(aws(principal), condition,
                               json::array({"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"}));
      statements.push_back(st);
    }
    sc.role(r, doc(statements), callerPolicy());
  }
  return sc;
}

bool sameSession(const Identity& a, const Identity& b) {
  const auto tags = [](const Identity& i) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Tag& t : i.session_tags) out.emplace_back(t.key, t.value);
    return out;
  };
  return a.caller.arn == b.caller.arn && a.principal_arn == b.principal_arn && a.user_id == b.user_id &&
         a.mfa == b.mfa && a.source_identity == b.source_identity && tags(a) == tags(b) &&
         a.transitive_keys == b.transitive_keys && a.session_policy.has_value() == b.session_policy.has_value();
}

TEST(ReachableSessionsProperty, IncrementalWalksEqualFullWalks) {
  std::size_t chains = 0, long_chains = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    const Simulator sim = richWorld(seed).build();
    const TrustGraph graph = TrustGraph::build(sim, GraphOptions{4});
    for (std::size_t s : graph.startingNodes()) {
      const std::vector<Reached> all = graph.reachableSessions(s);
      const std::vector<Chain> plain = graph.reachable(s);
      ASSERT_EQ(all.size(), plain.size()) << "seed " << seed;
      for (std::size_t i = 0; i < all.size(); ++i) {
        const Reached& r = all[i];
        EXPECT_EQ(r.chain.edges, plain[i].edges) << "seed " << seed;
        const auto full = graph.walk(r.chain);
        ASSERT_TRUE(full.has_value()) << "seed " << seed << ": " << show(path(graph, r.chain));
        EXPECT_TRUE(sameSession(*full, r.session)) << "seed " << seed << ": " << show(path(graph, r.chain)) << "\n"
                                                   << full->caller.arn << " vs " << r.session.caller.arn;
        // Asking for one node walks just its chain, with the same answer.
        const std::size_t target = graph.edges()[r.chain.edges.back()].to;
        const std::vector<Reached> one = graph.reachableSessions(s, target);
        ASSERT_EQ(one.size(), 1u) << "seed " << seed;
        EXPECT_EQ(one[0].chain.edges, r.chain.edges) << "seed " << seed;
        EXPECT_TRUE(sameSession(one[0].session, r.session)) << "seed " << seed;
        ++chains;
        long_chains += r.chain.edges.size() >= 3 ? 1 : 0;
      }
    }
  }
  // The worlds are not trivial: many chains, some of three hops or more.
  EXPECT_GT(chains, 100u);
  EXPECT_GT(long_chains, 5u);
}

}  // namespace
}  // namespace trustsim
