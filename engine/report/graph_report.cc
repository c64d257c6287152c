// SPDX-License-Identifier: Apache-2.0
#include "report/graph_report.h"

#include <map>

#include "trustsim/arn.h"

namespace trustsim::report {
namespace {

std::string shortName(const GraphNode& n) {
  const auto arn = Arn::parse(n.id);
  if (arn && (n.kind == GraphNode::Kind::Role || n.kind == GraphNode::Kind::User ||
              n.kind == GraphNode::Kind::ExternalPrincipal)) {
    return arn->resource;
  }
  return n.id;
}

std::string accountText(const GraphNode& n) {
  if (n.account.empty()) return "";
  return n.label.empty() ? n.account : n.label + " " + n.account;
}

}  // namespace

std::string nodeLabel(const TrustGraph& graph, std::size_t node) {
  const GraphNode& n = graph.nodes()[node];
  switch (n.kind) {
    case GraphNode::Kind::ExternalAccount:
      return (n.label.empty() ? "account " + n.account : n.label + " (" + n.account + ")") + ", any principal";
    case GraphNode::Kind::Anyone:
      return "anyone (*)";
    case GraphNode::Kind::Service:
      return "service " + n.id;
    case GraphNode::Kind::IdentityProvider:
      return "identity provider " + n.id;
    case GraphNode::Kind::User:
    case GraphNode::Kind::Role:
    case GraphNode::Kind::ExternalPrincipal:
      return shortName(n) + " (" + accountText(n) + ")";
  }
  return n.id;
}

nlohmann::json requirementsJson(const std::vector<Requirement>& requirements) {
  nlohmann::json out = nlohmann::json::array();
  for (const Requirement& r : requirements) out.push_back({{"key", r.key}, {"value", r.value}, {"text", r.text}});
  return out;
}

nlohmann::json chainJson(const TrustGraph& graph, const Chain& chain) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t e : chain.edges) {
    const GraphEdge& edge = graph.edges()[e];
    nlohmann::json hop = {{"from", graph.nodes()[edge.from].id}, {"role", graph.nodes()[edge.to].id},
                          {"requirements", requirementsJson(edge.requirements)}};
    hop["decidedBy"] = nlohmann::json::array();
    for (const StatementRef& r : edge.decided_by) {
      hop["decidedBy"].push_back({{"policy", r.policy}, {"type", std::string(toString(r.type))}, {"statement", r.index},
                                  {"where", r.where}});
    }
    out.push_back(hop);
  }
  return out;
}

std::string chainText(const TrustGraph& graph, const Chain& chain, const std::string& indent) {
  std::string out;
  std::size_t i = 1;
  for (std::size_t e : chain.edges) {
    const GraphEdge& edge = graph.edges()[e];
    out += indent + std::to_string(i++) + ". -> " + nodeLabel(graph, edge.to);
    if (!edge.requirements.empty()) {
      out += "  [";
      for (std::size_t k = 0; k < edge.requirements.size(); ++k) out += (k ? "; " : "") + edge.requirements[k].text;
      out += "]";
    }
    out += "\n";
  }
  return out;
}

std::string dotEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string mermaidEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '\n':
        out += "<br/>";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

std::string edgeLabel(const GraphEdge& e) {
  std::string out;
  for (const Requirement& r : e.requirements) out += (out.empty() ? "" : "\n") + r.text;
  return out;
}

// Groups: one per account of ours, one per third party, one for services and providers.
std::map<std::string, std::vector<std::size_t>> groups(const TrustGraph& g, const GraphStyle& style) {
  std::map<std::string, std::vector<std::size_t>> out;
  for (std::size_t i = 0; i < g.nodes().size(); ++i) {
    if (!style.only_nodes.empty() && !style.only_nodes.count(i)) continue;
    const GraphNode& n = g.nodes()[i];
    std::string key;
    if (n.account.empty()) {
      key = "z|other";
    } else {
      key = (n.ours ? "a|" : "b|") + n.account;
    }
    out[key].push_back(i);
  }
  return out;
}

}  // namespace

std::string toDot(const TrustGraph& g, const GraphStyle& style) {
  std::string out = "digraph trust {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
                    "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::size_t cluster = 0;
  for (const auto& [key, members] : groups(g, style)) {
    const bool ours = key[0] == 'a';
    const bool other = key[0] == 'z';
    const GraphNode& first = g.nodes()[members.front()];
    out += "  subgraph cluster_" + std::to_string(cluster++) + " {\n";
    out += "    label=\"" + dotEscape(other ? "services, providers, anyone" : (ours ? "our account " : "third party ") + accountText(first)) + "\";\n";
    out += ours ? "    style=rounded; color=\"#2b6cb0\";\n" : "    style=dashed; color=\"#c05621\";\n";
    for (std::size_t i : members) {
      const GraphNode& n = g.nodes()[i];
      const bool role = n.kind == GraphNode::Kind::Role;
      out += "    n" + std::to_string(i) + " [label=\"" + dotEscape(nodeLabel(g, i)) + "\"" +
             (role ? "" : ", shape=ellipse") + (n.kind == GraphNode::Kind::Anyone ? ", color=red" : "") + "];\n";
    }
    out += "  }\n";
  }
  for (std::size_t e = 0; e < g.edges().size(); ++e) {
    const GraphEdge& edge = g.edges()[e];
    if (!style.only_nodes.empty() && (!style.only_nodes.count(edge.from) || !style.only_nodes.count(edge.to))) continue;
    out += "  n" + std::to_string(edge.from) + " -> n" + std::to_string(edge.to);
    std::string attrs;
    const std::string label = edgeLabel(edge);
    if (!label.empty()) attrs += "label=\"" + dotEscape(label) + "\"";
    if (style.highlight_edges.count(e)) attrs += std::string(attrs.empty() ? "" : ", ") + "penwidth=2.5, color=\"#c53030\"";
    if (!attrs.empty()) out += " [" + attrs + "]";
    out += ";\n";
  }
  out += "}\n";
  return out;
}

std::string toMermaid(const TrustGraph& g, const GraphStyle& style) {
  std::string out = "flowchart LR\n";
  std::size_t cluster = 0;
  for (const auto& [key, members] : groups(g, style)) {
    const bool ours = key[0] == 'a';
    const bool other = key[0] == 'z';
    const GraphNode& first = g.nodes()[members.front()];
    out += "  subgraph g" + std::to_string(cluster++) + "[\"" +
           mermaidEscape(other ? "services, providers, anyone" : (ours ? "our account " : "third party ") + accountText(first)) + "\"]\n";
    for (std::size_t i : members) {
      const bool role = g.nodes()[i].kind == GraphNode::Kind::Role;
      out += "    n" + std::to_string(i) + (role ? "[\"" : "([\"") + mermaidEscape(nodeLabel(g, i)) + (role ? "\"]" : "\"])") + "\n";
    }
    out += "  end\n";
  }
  for (std::size_t e = 0; e < g.edges().size(); ++e) {
    const GraphEdge& edge = g.edges()[e];
    if (!style.only_nodes.empty() && (!style.only_nodes.count(edge.from) || !style.only_nodes.count(edge.to))) continue;
    const std::string label = edgeLabel(edge);
    const std::string arrow = style.highlight_edges.count(e) ? " ==>" : " -->";
    out += "  n" + std::to_string(edge.from) + arrow + (label.empty() ? "" : "|\"" + mermaidEscape(label) + "\"|") + " n" +
           std::to_string(edge.to) + "\n";
  }
  return out;
}

}  // namespace trustsim::report
