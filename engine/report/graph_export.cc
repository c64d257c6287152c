// SPDX-License-Identifier: Apache-2.0
// Trust graph export for graph engines (issue 8): GraphML and Neo4j import CSV, written through a
// sink in 64 KB pieces. Both formats carry the same properties (graph_export.h).
#include "report/graph_export.h"

#include <algorithm>

#include "report/decision_report.h"

namespace trustsim::report {
namespace {

// Buffers text and hands it to the sink in large pieces.
class Buffered {
 public:
  explicit Buffered(const TextSink& sink) : sink_(sink) { text_.reserve(kChunk + 4096); }
  ~Buffered() { flush(); }
  Buffered(const Buffered&) = delete;
  Buffered& operator=(const Buffered&) = delete;

  Buffered& operator<<(std::string_view s) {
    text_ += s;
    if (text_.size() >= kChunk) flush();
    return *this;
  }
  void flush() {
    if (!text_.empty()) sink_(text_);
    text_.clear();
  }

 private:
  static constexpr std::size_t kChunk = 64 * 1024;
  const TextSink& sink_;
  std::string text_;
};

// The properties of one edge, as text (empty: absent).
struct EdgeProperties {
  std::string action;
  bool cross_account = false;
  std::string external_id;
  bool mfa = false;
  std::string session_name;
  std::string source_identity;
  std::vector<std::string> tags;
  std::vector<std::string> requirement_keys;
  std::string requirements;
  std::string decided_by;
};

EdgeProperties edgeProperties(const TrustGraph& graph, const GraphEdge& e) {
  const GraphNode& from = graph.nodes()[e.from];
  const GraphNode& to = graph.nodes()[e.to];
  EdgeProperties p;
  // AWS: identity providers call AssumeRoleWithSAML (SAML providers) or ...WithWebIdentity.
  if (from.kind == GraphNode::Kind::IdentityProvider) {
    p.action = from.id.find(":saml-provider/") != std::string::npos ? "sts:AssumeRoleWithSAML"
                                                                     : "sts:AssumeRoleWithWebIdentity";
  } else {
    p.action = "sts:AssumeRole";
  }
  p.cross_account = !from.account.empty() && !to.account.empty() && from.account != to.account;
  p.external_id = e.params.external_id.value_or("");
  p.mfa = e.params.mfa || e.caller_mfa;
  p.session_name = e.params.session_name.value_or("");
  p.source_identity = e.params.source_identity.value_or("");
  for (const Tag& t : e.params.tags) p.tags.push_back(t.key + "=" + t.value);
  for (const Requirement& r : e.requirements) {
    p.requirement_keys.push_back(r.key);
    p.requirements += (p.requirements.empty() ? "" : "; ") + r.text;
  }
  for (const StatementRef& r : e.decided_by) p.decided_by += (p.decided_by.empty() ? "" : "; ") + describeRef(r);
  return p;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
}

// Edges by (caller id, role id): the graph's own edge order follows how it was built, which is
// not part of its contract; exports are compared and diffed, so they fix an order.
std::vector<std::size_t> edgeOrder(const TrustGraph& graph) {
  const auto& nodes = graph.nodes();
  const auto& edges = graph.edges();
  std::vector<std::size_t> order(edges.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const std::string& fa = nodes[edges[a].from].id;
    const std::string& fb = nodes[edges[b].from].id;
    if (fa != fb) return fa < fb;
    return nodes[edges[a].to].id < nodes[edges[b].to].id;
  });
  return order;
}

std::string_view neo4jLabels(GraphNode::Kind kind) {
  switch (kind) {
    case GraphNode::Kind::User:
      return "Principal;User";
    case GraphNode::Kind::Role:
      return "Principal;Role";
    case GraphNode::Kind::ExternalAccount:
      return "Principal;ExternalAccount";
    case GraphNode::Kind::ExternalPrincipal:
      return "Principal;ExternalPrincipal";
    case GraphNode::Kind::Service:
      return "Principal;Service";
    case GraphNode::Kind::IdentityProvider:
      return "Principal;IdentityProvider";
    case GraphNode::Kind::Anyone:
      return "Principal;Anyone";
  }
  return "Principal";
}

}  // namespace

std::string xmlText(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";  // kept through attribute-value normalisation
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (u < 0x20) {
          out += "\xEF\xBF\xBD";  // XML 1.0 has no way to write other C0 controls
        } else if (u == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
          out += "\xEF\xBF\xBD";  // U+FFFE, U+FFFF: not XML characters either
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string csvField(std::string_view s) {
  if (s.empty()) return {};
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void writeGraphml(const TrustGraph& graph, const TextSink& sink) {
  Buffered out(sink);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  const auto key = [&out](std::string_view id, std::string_view for_what, std::string_view type) {
    out << "  <key id=\"" << id << "\" for=\"" << for_what << "\" attr.name=\"" << id << "\" attr.type=\"" << type << "\"";
    if (type == "boolean") {
      out << "><default>false</default></key>\n";
    } else {
      out << "/>\n";
    }
  };
  key("kind", "node", "string");
  key("account", "node", "string");
  key("label", "node", "string");
  key("ours", "node", "boolean");
  key("action", "edge", "string");
  key("crossAccount", "edge", "boolean");
  key("externalId", "edge", "string");
  key("mfa", "edge", "boolean");
  key("sessionName", "edge", "string");
  key("sourceIdentity", "edge", "string");
  key("tags", "edge", "string");
  key("requirementKeys", "edge", "string");
  key("requirements", "edge", "string");
  key("decidedBy", "edge", "string");
  out << "  <graph id=\"trust\" edgedefault=\"directed\">\n";
  const auto data = [&out](std::string_view key_id, std::string_view value) {
    if (value.empty()) return;
    out << "      <data key=\"" << key_id << "\">" << xmlText(value) << "</data>\n";
  };
  for (const GraphNode& n : graph.nodes()) {
    out << "    <node id=\"" << xmlText(n.id) << "\">\n";
    data("kind", toString(n.kind));
    data("account", n.account);
    data("label", n.label);
    data("ours", n.ours ? "true" : "false");
    out << "    </node>\n";
  }
  const auto& edges = graph.edges();
  const std::vector<std::size_t> order = edgeOrder(graph);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const GraphEdge& e = edges[order[i]];
    const EdgeProperties p = edgeProperties(graph, e);
    out << "    <edge id=\"e" << std::to_string(i) << "\" source=\"" << xmlText(graph.nodes()[e.from].id)
        << "\" target=\"" << xmlText(graph.nodes()[e.to].id) << "\">\n";
    data("action", p.action);
    data("crossAccount", p.cross_account ? "true" : "false");
    data("externalId", p.external_id);
    data("mfa", p.mfa ? "true" : "false");
    data("sessionName", p.session_name);
    data("sourceIdentity", p.source_identity);
    data("tags", joined(p.tags, ";"));
    data("requirementKeys", joined(p.requirement_keys, ";"));
    data("requirements", p.requirements);
    data("decidedBy", p.decided_by);
    out << "    </edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
}

void writeNeo4jNodes(const TrustGraph& graph, const TextSink& sink) {
  Buffered out(sink);
  out << "id:ID,:LABEL,kind,account,label,ours:boolean\n";
  for (const GraphNode& n : graph.nodes()) {
    out << csvField(n.id) << "," << csvField(neo4jLabels(n.kind)) << "," << csvField(toString(n.kind)) << ","
        << csvField(n.account) << "," << csvField(n.label) << "," << (n.ours ? "true" : "false") << "\n";
  }
}

void writeNeo4jRelationships(const TrustGraph& graph, const TextSink& sink) {
  Buffered out(sink);
  out << ":START_ID,:END_ID,:TYPE,action,crossAccount:boolean,externalId,mfa:boolean,sessionName,sourceIdentity,"
         "tags:string[],requirementKeys:string[],requirements,decidedBy\n";
  for (std::size_t index : edgeOrder(graph)) {
    const GraphEdge& e = graph.edges()[index];
    const EdgeProperties p = edgeProperties(graph, e);
    out << csvField(graph.nodes()[e.from].id) << "," << csvField(graph.nodes()[e.to].id) << ",CAN_ASSUME,"
        << csvField(p.action) << "," << (p.cross_account ? "true" : "false") << "," << csvField(p.external_id) << ","
        << (p.mfa ? "true" : "false") << "," << csvField(p.session_name) << "," << csvField(p.source_identity) << ","
        << csvField(joined(p.tags, ";")) << "," << csvField(joined(p.requirement_keys, ";")) << ","
        << csvField(p.requirements) << "," << csvField(p.decided_by) << "\n";
  }
}

std::string toGraphml(const TrustGraph& graph) {
  std::string text;
  writeGraphml(graph, [&text](std::string_view piece) { text += piece; });
  return text;
}

}  // namespace trustsim::report
