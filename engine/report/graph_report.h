// SPDX-License-Identifier: Apache-2.0
// The trust graph and the answers over it, rendered: text, JSON, DOT and Mermaid. Deterministic
// output (no clocks, no paths); every string from the input is escaped for its format.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trustsim/questions.h"

namespace trustsim::report {

// `role/app/Deploy (prod 111122223333)`, `Trelica (377450845233, any principal)`, ...
std::string nodeLabel(const TrustGraph& graph, std::size_t node);
nlohmann::json requirementsJson(const std::vector<Requirement>& requirements);
nlohmann::json chainJson(const TrustGraph& graph, const Chain& chain);
std::string chainText(const TrustGraph& graph, const Chain& chain, const std::string& indent);

struct GraphStyle {
  std::set<std::size_t> highlight_edges;  // drawn bold
  std::set<std::size_t> only_nodes;       // when not empty, draw only these nodes
};
std::string toDot(const TrustGraph& graph, const GraphStyle& style = {});
std::string toMermaid(const TrustGraph& graph, const GraphStyle& style = {});

// Escapes for DOT double-quoted strings and Mermaid labels.
std::string dotEscape(std::string_view text);
std::string mermaidEscape(std::string_view text);

}  // namespace trustsim::report
