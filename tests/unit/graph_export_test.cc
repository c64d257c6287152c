// SPDX-License-Identifier: Apache-2.0
// Trust graph export (report/graph_export.h): GraphML read back with pugixml, Neo4j CSV read back
// with an RFC 4180 parser; both agree with the graph (every node and edge, the same properties),
// and text from the input (an account name with quotes, commas and markup) survives both.
#include "report/graph_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "test_util.h"
#include "trustsim/generate.h"
#include "trustsim/load.h"
#include "trustsim/simulator.h"

namespace trustsim {
namespace {

using nlohmann::json;

// Two accounts, a vendor with an ExternalId, a role that wants MFA, a SAML provider and an account
// whose name needs escaping in both formats.
const char* kScenario = R"({
  "format": "trustsim-scenario/1",
  "name": "export",
  "accounts": [
    {"id": "111111111111", "name": "Acme, \"Prod\" <&> 'main'"},
    {"id": "222222222222", "name": "tooling"}
  ],
  "users": [
    {"arn": "arn:aws:iam::222222222222:user/ci", "mfa": true, "policies": [{"name": "p", "document": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}]}
  ],
  "roles": [
    {"arn": "arn:aws:iam::111111111111:role/Deploy",
     "trustPolicy": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:user/ci"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}},
    {"arn": "arn:aws:iam::111111111111:role/Vendor",
     "trustPolicy": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "ext-id,with=comma"}}}]}},
    {"arn": "arn:aws:iam::111111111111:role/Sso",
     "trustPolicy": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111111111111:saml-provider/Okta"},
        "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}}
  ]
})";

struct Built {
  std::optional<Simulator> sim;
  std::optional<TrustGraph> graph;
};

Built build(const std::string& text) {
  Built b;
  const FileReader none = [](const std::string&, std::string& error) -> std::optional<std::string> {
    error = "no files";
    return std::nullopt;
  };
  auto world = loadScenarioText(text, "export.json", none);
  EXPECT_TRUE(world.has_value()) << (world ? "" : testing::dump(world.error()));
  if (!world) return b;
  auto sim = Simulator::build(std::move(world).value());
  EXPECT_TRUE(sim.has_value());
  if (!sim) return b;
  b.sim.emplace(std::move(sim).value());
  b.graph.emplace(TrustGraph::build(*b.sim));
  return b;
}

// RFC 4180: quoted fields with doubled quotes; returns rows of fields.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty() && !quoted) << "a quote inside an unquoted field";
      in_quotes = quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      quoted = false;
    } else {
      EXPECT_FALSE(quoted) << "text after a closing quote";
      field += c;
    }
  }
  EXPECT_FALSE(in_quotes);
  EXPECT_TRUE(row.empty() && field.empty()) << "the last line ends with a newline";
  return rows;
}

std::string collect(void (*write)(const TrustGraph&, const report::TextSink&), const TrustGraph& g) {
  std::string text;
  write(g, [&text](std::string_view piece) { text += piece; });
  return text;
}

TEST(GraphExport, Escaping) {
  EXPECT_EQ(report::csvField(""), "");
  EXPECT_EQ(report::csvField("plain"), "\"plain\"");
  EXPECT_EQ(report::csvField("a \"b\", c\nd"), "\"a \"\"b\"\", c\nd\"");
  EXPECT_EQ(report::xmlText("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  EXPECT_EQ(report::xmlText(std::string("x\x01y\tz")), "x\xEF\xBF\xBDy&#9;z");
}

// GraphML node/edge counts, ids and every property, against the graph.
void expectGraphmlAgrees(const TrustGraph& g, const std::string& text) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_string(text.c_str());
  ASSERT_TRUE(parsed) << parsed.description();
  const pugi::xml_node root = doc.child("graphml");
  ASSERT_TRUE(root);
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://graphml.graphdrawing.org/xmlns");
  std::map<std::string, std::string> keys;  // id → for
  for (pugi::xml_node k : root.children("key")) keys[k.attribute("id").value()] = k.attribute("for").value();
  for (const char* k : {"kind", "account", "label", "ours"}) EXPECT_EQ(keys[k], "node") << k;
  for (const char* k : {"action", "crossAccount", "externalId", "mfa", "requirements", "requirementKeys", "decidedBy"}) {
    EXPECT_EQ(keys[k], "edge") << k;
  }
  const pugi::xml_node graph = root.child("graph");
  EXPECT_STREQ(graph.attribute("edgedefault").value(), "directed");
  std::vector<pugi::xml_node> nodes, edges;
  for (pugi::xml_node n : graph.children("node")) nodes.push_back(n);
  for (pugi::xml_node e : graph.children("edge")) edges.push_back(e);
  ASSERT_EQ(nodes.size(), g.nodes().size());
  ASSERT_EQ(edges.size(), g.edges().size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const GraphNode& n = g.nodes()[i];
    EXPECT_EQ(nodes[i].attribute("id").value(), n.id);
    std::map<std::string, std::string> data;
    for (pugi::xml_node d : nodes[i].children("data")) {
      ASSERT_TRUE(keys.count(d.attribute("key").value())) << "undeclared key " << d.attribute("key").value();
      data[d.attribute("key").value()] = d.text().get();
    }
    EXPECT_EQ(data["kind"], std::string(toString(n.kind)));
    EXPECT_EQ(data["account"], n.account);
    EXPECT_EQ(data["label"], n.label);
    EXPECT_EQ(data["ours"], n.ours ? "true" : "false");
  }
  // Every edge once, sorted by (caller, role); ids e0, e1, ...
  std::vector<std::pair<std::string, std::string>> want, got;
  for (const GraphEdge& e : g.edges()) want.emplace_back(g.nodes()[e.from].id, g.nodes()[e.to].id);
  std::sort(want.begin(), want.end());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    EXPECT_EQ(edges[i].attribute("id").value(), "e" + std::to_string(i));
    got.emplace_back(edges[i].attribute("source").value(), edges[i].attribute("target").value());
    for (pugi::xml_node d : edges[i].children("data")) {
      ASSERT_TRUE(keys.count(d.attribute("key").value())) << "undeclared key " << d.attribute("key").value();
    }
  }
  EXPECT_EQ(got, want);
}

TEST(GraphExport, GraphmlAgreesWithTheGraph) {
  const Built b = build(kScenario);
  ASSERT_TRUE(b.graph.has_value());
  const TrustGraph& g = *b.graph;
  const std::string text = report::toGraphml(g);
  expectGraphmlAgrees(g, text);
  // The account name round-trips through XML escaping; requirements are on the edges.
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(text.c_str()));
  bool label = false, mfa = false, external_id = false, saml = false;
  for (pugi::xml_node n : doc.child("graphml").child("graph").children("node")) {
    for (pugi::xml_node d : n.children("data")) {
      label = label || std::string(d.text().get()) == "Acme, \"Prod\" <&> 'main'";
    }
  }
  for (pugi::xml_node e : doc.child("graphml").child("graph").children("edge")) {
    for (pugi::xml_node d : e.children("data")) {
      const std::string key = d.attribute("key").value(), value = d.text().get();
      mfa = mfa || (key == "mfa" && value == "true");
      external_id = external_id || (key == "externalId" && value == "ext-id,with=comma");
      saml = saml || (key == "action" && value == "sts:AssumeRoleWithSAML");
    }
  }
  EXPECT_TRUE(label);
  EXPECT_TRUE(mfa);
  EXPECT_TRUE(external_id);
  EXPECT_TRUE(saml);
}

TEST(GraphExport, Neo4jCsvAgreesWithTheGraph) {
  const Built b = build(kScenario);
  ASSERT_TRUE(b.graph.has_value());
  const TrustGraph& g = *b.graph;
  const auto nodes = parseCsv(collect(&report::writeNeo4jNodes, g));
  const auto rels = parseCsv(collect(&report::writeNeo4jRelationships, g));
  ASSERT_EQ(nodes.size(), g.nodes().size() + 1);
  ASSERT_EQ(rels.size(), g.edges().size() + 1);
  EXPECT_EQ(nodes[0], (std::vector<std::string>{"id:ID", ":LABEL", "kind", "account", "label", "ours:boolean"}));
  EXPECT_EQ(rels[0], (std::vector<std::string>{":START_ID", ":END_ID", ":TYPE", "action", "crossAccount:boolean",
                                               "externalId", "mfa:boolean", "sessionName", "sourceIdentity",
                                               "tags:string[]", "requirementKeys:string[]", "requirements", "decidedBy"}));
  std::set<std::string> ids;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const GraphNode& n = g.nodes()[i - 1];
    ASSERT_EQ(nodes[i].size(), nodes[0].size());
    EXPECT_EQ(nodes[i][0], n.id);
    EXPECT_EQ(nodes[i][1].rfind("Principal;", 0), 0u);
    EXPECT_EQ(nodes[i][2], std::string(toString(n.kind)));
    EXPECT_EQ(nodes[i][3], n.account);
    EXPECT_EQ(nodes[i][4], n.label);
    EXPECT_EQ(nodes[i][5], n.ours ? "true" : "false");
    ids.insert(nodes[i][0]);
  }
  EXPECT_EQ(ids.size(), g.nodes().size()) << "node ids are unique";
  bool external_id = false, mfa = false;
  for (std::size_t i = 1; i < rels.size(); ++i) {
    ASSERT_EQ(rels[i].size(), rels[0].size());
    EXPECT_TRUE(ids.count(rels[i][0]) && ids.count(rels[i][1]));
    EXPECT_EQ(rels[i][2], "CAN_ASSUME");
    external_id = external_id || rels[i][5] == "ext-id,with=comma";
    mfa = mfa || rels[i][6] == "true";
  }
  EXPECT_TRUE(external_id);
  EXPECT_TRUE(mfa);
  std::vector<std::pair<std::string, std::string>> want, got;
  for (const GraphEdge& e : g.edges()) want.emplace_back(g.nodes()[e.from].id, g.nodes()[e.to].id);
  std::sort(want.begin(), want.end());
  for (std::size_t i = 1; i < rels.size(); ++i) got.emplace_back(rels[i][0], rels[i][1]);
  EXPECT_EQ(got, want);
}

TEST(GraphExport, GeneratedOrganisation) {
  std::map<std::string, std::string> files;
  auto r = generateOrganization({4, 15, 3}, [&files](const std::string& name, std::string_view text, std::string&) {
    files[name] = std::string(text);
    return true;
  });
  ASSERT_TRUE(r.has_value());
  std::vector<std::string> paths;
  for (const auto& [name, text] : files) {
    if (name.find(".json") != std::string::npos) paths.push_back(name);
  }
  const FileReader read = [&files](const std::string& path, std::string&) -> std::optional<std::string> { return files.at(path); };
  auto world = loadWorld(paths, read);
  ASSERT_TRUE(world.has_value());
  auto sim = Simulator::build(std::move(world).value());
  ASSERT_TRUE(sim.has_value());
  const TrustGraph g = TrustGraph::build(sim.value());
  ASSERT_GT(g.edges().size(), 10u);
  expectGraphmlAgrees(g, report::toGraphml(g));
  EXPECT_EQ(parseCsv(collect(&report::writeNeo4jNodes, g)).size(), g.nodes().size() + 1);
  EXPECT_EQ(parseCsv(collect(&report::writeNeo4jRelationships, g)).size(), g.edges().size() + 1);
}

}  // namespace
}  // namespace trustsim
