// SPDX-License-Identifier: Apache-2.0
// The generator (trustsim/generate.h): the same seed gives the same bytes, the dumps load with
// our loaders, counts match the arguments, planted findings are found by audit, chains of three
// to five hops exist, and the files have the AWS CLI's shapes (ids, dates, key order, versions).
#include "trustsim/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/vendors.h"
#include "gen/json_text.h"
#include "gen/random.h"
#include "test_util.h"
#include "trustsim/findings.h"
#include "trustsim/load.h"
#include "trustsim/questions.h"
#include "trustsim/simulator.h"

namespace trustsim {
namespace {

using nlohmann::json;
using Files = std::map<std::string, std::string>;

struct Generated {
  GenerateSummary summary;
  Files files;
  std::vector<std::string> order;  // names in the order written
};

Generated generate(std::size_t accounts, std::size_t roles, std::uint64_t seed) {
  Generated g;
  auto r = generateOrganization({accounts, roles, seed}, [&g](const std::string& name, std::string_view text, std::string&) {
    g.files[name] = std::string(text);
    g.order.push_back(name);
    return true;
  });
  EXPECT_TRUE(r.has_value()) << (r ? "" : testing::dump(r.error()));
  if (r) g.summary = r.value();
  return g;
}

std::vector<std::string> dumpNames(const Files& files) {
  std::vector<std::string> out;
  for (const auto& [name, text] : files) {
    if (name.size() > 5 && name.substr(name.size() - 5) == ".json") out.push_back(name);
  }
  return out;
}

Result<World> load(const Files& files) {
  const FileReader read = [&files](const std::string& path, std::string& error) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) {
      error = "no such file";
      return std::nullopt;
    }
    return it->second;
  };
  return loadWorld(dumpNames(files), read);
}

// One generated organisation shared by the slower tests (5 accounts x 20 roles).
struct Estate {
  Generated generated;
  std::optional<Simulator> sim;
  std::optional<TrustGraph> graph;
};
const Estate& estate() {
  static const Estate* e = [] {
    auto* out = new Estate{generate(5, 20, 7), std::nullopt, std::nullopt};
    auto world = load(out->generated.files);
    if (world) {
      auto sim = Simulator::build(std::move(world).value());
      if (sim) {
        out->sim.emplace(std::move(sim).value());
        out->graph.emplace(TrustGraph::build(*out->sim));
      }
    }
    return out;
  }();
  return *e;
}

TEST(GenerateRandom, KnownAnswers) {
  // splitmix64's published first outputs from state 0, and our xoshiro256** stream for seed 42:
  // a change here changes every generated organisation.
  std::uint64_t state = 0;
  EXPECT_EQ(gen::splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(gen::splitmix64(state), 0x6e789e6aa1b965f4ULL);
  gen::Rng r(42);
  EXPECT_EQ(r.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(r.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(r.next(), 0xae17533239e499a1ULL);
  gen::Rng bounded(7);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_LT(bounded.below(12), 12u);
    const auto v = bounded.between(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
  }
}

TEST(GenerateJsonText, PythonIndentLayout) {
  std::string out;
  gen::JsonText j(out, 4);
  j.beginObject();
  j.key("List");
  j.beginArray();
  j.string("a\"b\\c\n\x01");
  j.number(3);
  j.endArray();
  j.key("Empty");
  j.beginArray();
  j.endArray();
  j.key("Obj");
  j.beginObject();
  j.endObject();
  j.fieldBool("Flag", false);
  j.endObject();
  EXPECT_EQ(out,
            "{\n    \"List\": [\n        \"a\\\"b\\\\c\\n\\u0001\",\n        3\n    ],\n    \"Empty\": [],\n"
            "    \"Obj\": {},\n    \"Flag\": false\n}");
  EXPECT_TRUE(json::accept(out));
}

TEST(Generate, SameSeedSameBytes) {
  const Generated a = generate(6, 15, 11);
  const Generated b = generate(6, 15, 11);
  EXPECT_EQ(a.order, b.order);
  EXPECT_TRUE(a.files == b.files);
}

TEST(Generate, ThreadsDoNotChangeTheFiles) {
  const Generated one = generate(9, 15, 4);
  for (std::size_t threads : {2u, 3u, 16u}) {
    Generated many;
    auto r = generateOrganization({9, 15, 4, threads}, [&many](const std::string& name, std::string_view text, std::string&) {
      many.files[name] = std::string(text);
      many.order.push_back(name);
      return true;
    });
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(one.order, many.order) << threads << " threads";
    EXPECT_TRUE(one.files == many.files) << threads << " threads";
    EXPECT_EQ(one.summary.planted.size(), r.value().planted.size());
  }
}

// FNV-1a, 64 bits: enough to notice that a file changed.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// The same arguments give the same bytes on every platform, not only twice in one process: these
// digests were taken when the generator last changed on purpose. A deliberate change to the output
// updates them (the failure prints the new values); any other change is a determinism bug, such as
// iterating an unordered container or a standard-library distribution.
TEST(Generate, PinnedOutput) {
  const Generated g = generate(4, 12, 7);
  const std::map<std::string, std::uint64_t> pinned = {
      {"README.txt", 0x119f6f2778375978ULL},
      {"account_228761324132.json", 0x21301c018329d881ULL},
      {"account_280532851383.json", 0x0caf92d2e1e985e0ULL},
      {"account_387938507348.json", 0x286c17aaec2eb6b5ULL},
      {"account_801843666698.json", 0xc60ee06a28fd3c0eULL},
      {"manifest.yaml", 0x6cf90a2d50f8ad09ULL},
      {"org_o-j3ts5m4os0.json", 0xd24cc47fe8589072ULL},
  };
  std::string now;
  for (const auto& [name, text] : g.files) {
    char line[128];
    std::snprintf(line, sizeof line, "      {\"%s\", 0x%016llxULL},\n", name.c_str(), static_cast<unsigned long long>(fnv1a(text)));
    now += line;
  }
  std::map<std::string, std::uint64_t> digests;
  for (const auto& [name, text] : g.files) digests[name] = fnv1a(text);
  EXPECT_TRUE(digests == pinned) << "generate 4 x 12, seed 7 changed; if on purpose, pin:\n" << now;
}

TEST(Generate, DifferentSeedDifferentOrganisation) {
  const Generated a = generate(6, 15, 11);
  const Generated b = generate(6, 15, 12);
  EXPECT_NE(a.summary.organization_id, b.summary.organization_id);
  EXPECT_NE(a.summary.management_account, b.summary.management_account);
  const auto na = dumpNames(a.files), nb = dumpNames(b.files);
  std::vector<std::string> common;
  std::set_intersection(na.begin(), na.end(), nb.begin(), nb.end(), std::back_inserter(common));
  EXPECT_TRUE(common.empty()) << "account ids are drawn from the seed";
}

TEST(Generate, AccountStreamsAreIndependentOfN) {
  // Each account is drawn from its own stream: growing the organisation keeps the ids of the
  // accounts it had (their content may differ: cross-account references depend on N).
  const Generated small = generate(8, 12, 3);
  const Generated large = generate(9, 12, 3);
  const auto a = dumpNames(small.files);
  const auto b = dumpNames(large.files);
  for (const std::string& name : a) {
    if (name.rfind("account_", 0) == 0) {
      EXPECT_TRUE(std::count(b.begin(), b.end(), name)) << name;
    }
  }
}

TEST(Generate, FilesInOrder) {
  const Generated g = generate(3, 12, 1);
  ASSERT_EQ(g.order.size(), 3u + 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(g.order[i].rfind("account_", 0), 0u) << g.order[i];
  EXPECT_EQ(g.order[3], "org_" + g.summary.organization_id + ".json");
  EXPECT_EQ(g.order[4], "manifest.yaml");
  EXPECT_EQ(g.order[5], "README.txt");
  std::uint64_t bytes = 0;
  for (const GeneratedFile& f : g.summary.files) {
    EXPECT_EQ(f.bytes, g.files.at(f.name).size()) << f.name;
    if (f.name.find(".json") != std::string::npos) bytes += f.bytes;
  }
  EXPECT_EQ(bytes, g.summary.dump_bytes);
}

TEST(Generate, RejectsBadOptions) {
  struct Case {
    std::size_t accounts, roles;
    const char* code;
  };
  constexpr Case kCases[] = {
      {0, 10, "generate.invalid_accounts"},
      {kMaxGenerateAccounts + 1, 10, "generate.invalid_accounts"},
      {3, 0, "generate.invalid_roles"},
      {3, kMaxGenerateRoles + 1, "generate.invalid_roles"},
  };
  for (const Case& c : kCases) {
    int writes = 0;
    auto r = generateOrganization({c.accounts, c.roles, 1}, [&writes](const std::string&, std::string_view, std::string&) {
      ++writes;
      return true;
    });
    ASSERT_FALSE(r.has_value()) << c.accounts << "x" << c.roles;
    EXPECT_TRUE(testing::hasCode(r.error(), c.code)) << testing::dump(r.error());
    EXPECT_TRUE(testing::hasCode(checkGenerateOptions({c.accounts, c.roles, 1}), c.code));
    EXPECT_EQ(writes, 0);
  }
}

TEST(Generate, StopsWhenAWriteFails) {
  for (std::size_t threads : {1u, 4u}) {
    int writes = 0;
    auto r = generateOrganization({12, 10, 1, threads}, [&writes](const std::string&, std::string_view, std::string& error) {
      if (++writes == 2) {
        error = "No space left on device";
        return false;
      }
      return true;
    });
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(testing::hasCode(r.error(), "generate.write_failed"));
    EXPECT_NE(r.error().front().message.find("No space left on device"), std::string::npos);
    EXPECT_EQ(writes, 2) << threads << " threads";
  }
}

// Every size loads without errors and has exactly N accounts and M roles in each, small M and N
// (where duties fold together and shapes are left out) included.
TEST(Generate, LoadsAndCountsMatch) {
  struct Case {
    std::size_t accounts, roles;
  };
  constexpr Case kCases[] = {{1, 1}, {1, 7}, {2, 3}, {3, 12}, {5, 20}, {8, 12}, {13, 30}};
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::to_string(c.accounts) + "x" + std::to_string(c.roles));
    const Generated g = generate(c.accounts, c.roles, 5);
    auto world = load(g.files);
    ASSERT_TRUE(world.has_value()) << testing::dump(world.error());
    const World& w = world.value();
    ASSERT_TRUE(w.organization.has_value());
    EXPECT_EQ(w.accounts.size(), c.accounts);
    std::map<std::string, std::size_t> per_account;
    for (const auto& [arn, role] : w.roles) ++per_account[role.account];
    EXPECT_EQ(w.roles.size(), c.accounts * c.roles);
    for (const auto& [id, account] : w.accounts) {
      EXPECT_TRUE(account.ours) << id;
      EXPECT_EQ(per_account[id], c.roles) << id;
    }
    EXPECT_EQ(g.summary.roles, w.roles.size());
    EXPECT_EQ(g.summary.users, w.users.size());
    EXPECT_EQ(g.summary.groups, w.groups.size());
    // The only warnings: AWS-managed policies that every account's dump repeats, and the planted
    // unique id of a deleted role.
    const auto expected = [](const Diagnostic& d) {
      return (d.code == "input.replaced" && d.message.find("arn:aws:iam::aws:policy/") != std::string::npos) ||
             d.code == "principal.unique_id";
    };
    for (const Diagnostic& d : w.diagnostics) EXPECT_TRUE(expected(d)) << formatDiagnostic(d);
    auto sim = Simulator::build(std::move(world).value());
    ASSERT_TRUE(sim.has_value()) << testing::dump(sim.error());
    for (const Diagnostic& d : sim.value().warnings()) EXPECT_TRUE(expected(d)) << formatDiagnostic(d);
  }
}

TEST(Generate, PlantedFindingsAreFound) {
  const Estate& e = estate();
  ASSERT_TRUE(e.graph.has_value());
  const GenerateSummary& s = e.generated.summary;
  std::set<std::string> rules;
  for (const PlantedFinding& p : s.planted) rules.insert(p.rule);
  for (const char* rule : {"public-trust", "no-external-id", "weak-external-id", "account-root-trust",
                           "dangling-principal", "chain-to-admin"}) {
    EXPECT_TRUE(rules.count(rule)) << "nothing planted for " << rule;
  }
  const std::vector<Finding> findings = audit(*e.graph);
  for (const PlantedFinding& p : s.planted) {
    const bool found = std::any_of(findings.begin(), findings.end(),
                                   [&](const Finding& f) { return f.rule == p.rule && f.resource == p.resource; });
    EXPECT_TRUE(found) << p.rule << " on " << p.resource << " (" << p.note << ")";
  }
  // The background shapes are reported too.
  for (const auto& [rule, count] : s.background) {
    if (count == 0) continue;
    EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; })) << rule;
  }
}

TEST(Generate, ChainsOfThreeToFiveHops) {
  const Estate& e = estate();
  ASSERT_TRUE(e.graph.has_value());
  const TrustGraph& g = *e.graph;
  const auto& chains = e.generated.summary.chains;
  ASSERT_GE(chains.size(), 3u);
  std::size_t longest = 0;
  for (const auto& chain : chains) {
    SCOPED_TRACE(chain.front() + " -> " + chain.back());
    const auto from = g.find(chain.front());
    const auto to = g.find(chain.back());
    ASSERT_TRUE(from && to);
    ReachQuery q;
    q.from = *from;
    q.to = *to;
    const auto found = reach(g, q);
    ASSERT_EQ(found.size(), 1u);
    const Chain& c = found.front().chain;
    ASSERT_EQ(c.edges.size(), chain.size() - 1) << "the shortest chain is the planted one";
    EXPECT_GE(c.edges.size(), 3u);
    EXPECT_LE(c.edges.size(), 5u);
    // The same roles hop by hop; the pipeline hop may go through any workload's pipeline role
    // (all are equally short), so hops compare by role path and name.
    const auto roleName = [](const std::string& arn) { return arn.substr(arn.find(":role/") + 1); };
    for (std::size_t i = 0; i < c.edges.size(); ++i) {
      EXPECT_EQ(roleName(g.nodes()[g.edges()[c.edges[i]].to].id), roleName(chain[i + 1])) << "hop " << i + 1;
    }
    longest = std::max(longest, c.edges.size());
  }
  EXPECT_EQ(longest, 5u);
}

TEST(Generate, VendorsAreKnownAccounts) {
  const Estate& e = estate();
  ASSERT_TRUE(e.sim.has_value());
  const World& w = e.sim->world();
  const World empty;
  std::set<std::string> contractors;
  for (const PlantedFinding& p : e.generated.summary.planted) {
    if (p.rule == "account-root-trust") contractors.insert(p.resource);
  }
  std::size_t vendors = 0;
  for (const auto& [arn, role] : w.roles) {
    for (const Statement& st : role.trust_policy.policy.statements) {
      for (const PrincipalEntry& p : st.principal.entries) {
        if (p.type != PrincipalEntry::Type::Account || w.accounts.count(p.account) || contractors.count(arn)) continue;
        EXPECT_TRUE(data::vendorName(empty, p.account).has_value()) << p.account << " in " << arn;
        ++vendors;
      }
    }
  }
  EXPECT_GT(vendors, 0u);
}

TEST(Generate, AwsCliShapes) {
  const Generated g = generate(60, 14, 2);
  const std::regex role_id("AROA[A-Z2-7]{17}");
  const std::regex date(R"(20[12]\d-[01]\d-[0-3]\dT[012]\d:[0-5]\d:[0-5]\d\+00:00)");
  const std::vector<std::string> role_keys = {"Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument",
                                              "InstanceProfileList", "RolePolicyList", "AttachedManagedPolicies"};
  std::size_t sso = 0, versioned = 0, profiles = 0, boundaries = 0, last_used = 0;
  for (const std::string& name : dumpNames(g.files)) {
    const std::string& text = g.files.at(name);
    if (name.rfind("account_", 0) != 0) continue;
    ASSERT_EQ(text.rfind("{\n    \"UserDetailList\": [", 0), 0u) << name;
    const auto doc = nlohmann::ordered_json::parse(text);
    std::vector<std::string> top;
    for (const auto& [k, v] : doc.items()) top.push_back(k);
    EXPECT_EQ(top, (std::vector<std::string>{"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}));
    for (const auto& role : doc["RoleDetailList"]) {
      std::vector<std::string> keys;
      for (const auto& [k, v] : role.items()) keys.push_back(k);
      ASSERT_GE(keys.size(), role_keys.size());
      EXPECT_TRUE(std::equal(role_keys.begin(), role_keys.end(), keys.begin())) << role["Arn"];
      EXPECT_EQ(keys.back(), "RoleLastUsed");
      EXPECT_TRUE(std::regex_match(role["RoleId"].get<std::string>(), role_id));
      EXPECT_TRUE(std::regex_match(role["CreateDate"].get<std::string>(), date));
      EXPECT_TRUE(role["AssumeRolePolicyDocument"].is_object());
      EXPECT_LE(role["CreateDate"].get<std::string>(), "2025-06-30T09:00:00+00:00");
      const std::string path = role["Path"];
      if (role["RoleName"].get<std::string>().rfind("AWSReservedSSO_", 0) == 0) {
        ++sso;
        EXPECT_EQ(path.rfind("/aws-reserved/sso.amazonaws.com/", 0), 0u);
        const auto& st = role["AssumeRolePolicyDocument"]["Statement"][0];
        EXPECT_NE(st["Principal"]["Federated"].get<std::string>().find(":saml-provider/AWSSSO_"), std::string::npos);
        EXPECT_EQ(st["Action"][0], "sts:AssumeRoleWithSAML");
        EXPECT_EQ(st["Condition"]["StringEquals"]["SAML:aud"], "https://signin.aws.amazon.com/saml");
      }
      profiles += !role["InstanceProfileList"].empty();
      boundaries += role.contains("PermissionsBoundary");
      last_used += role["RoleLastUsed"].contains("LastUsedDate");
    }
    for (const auto& p : doc["Policies"]) {
      std::size_t defaults = 0;
      for (const auto& v : p["PolicyVersionList"]) {
        if (v["IsDefaultVersion"].get<bool>()) {
          ++defaults;
          EXPECT_EQ(v["VersionId"], p["DefaultVersionId"]);
        }
      }
      EXPECT_EQ(defaults, 1u) << p["Arn"];
      versioned += p["PolicyVersionList"].size() > 1;
    }
  }
  EXPECT_GE(sso, 60u * 2);
  EXPECT_GT(versioned, 0u);
  EXPECT_GT(profiles, 0u);
  EXPECT_GT(boundaries, 0u);
  EXPECT_GT(last_used, 0u);

  // The organisation: jq's 2-space layout, OUs nested three levels, FullAWSAccess everywhere.
  const std::string& org_text = g.files.at("org_" + g.summary.organization_id + ".json");
  ASSERT_EQ(org_text.rfind("{\n  \"format\": \"trustsim-organization/1\",", 0), 0u);
  const json org = json::parse(org_text);
  std::map<std::string, std::string> parent;
  for (const auto& ou : org["organizationalUnits"]) parent[ou["Id"]] = ou["ParentId"];
  std::size_t deepest = 0;
  for (const auto& [id, p] : parent) {
    std::size_t depth = 1;
    for (std::string up = p; parent.count(up); up = parent[up]) ++depth;
    deepest = std::max(deepest, depth);
  }
  EXPECT_EQ(deepest, 3u);
  EXPECT_EQ(org["accounts"].size(), 60u);
  for (const auto& a : org["accounts"]) EXPECT_TRUE(a["ParentId"] == org["roots"][0]["Id"] || parent.count(a["ParentId"]));
  bool full = false;
  for (const auto& p : org["policies"]) {
    if (p["PolicySummary"]["Name"] != "FullAWSAccess") continue;
    full = true;
    EXPECT_EQ(p["Targets"].size(), 1 + parent.size() + 60);
  }
  EXPECT_TRUE(full);
  EXPECT_GE(org["policies"].size(), 5u);
}

TEST(Generate, ManifestAndReadme) {
  const Generated g = generate(5, 20, 7);
  const std::string& manifest = g.files.at("manifest.yaml");
  EXPECT_NE(manifest.find("format: \"trustsim-generate/1\""), std::string::npos);
  EXPECT_NE(manifest.find("rolesPerAccount: 20"), std::string::npos);
  for (const PlantedFinding& p : g.summary.planted) EXPECT_NE(manifest.find("\"" + p.resource + "\""), std::string::npos);
  const std::string& readme = g.files.at("README.txt");
  EXPECT_NE(readme.find("seed 7"), std::string::npos);
  EXPECT_NE(readme.find("Planted findings"), std::string::npos);
}

}  // namespace
}  // namespace trustsim
