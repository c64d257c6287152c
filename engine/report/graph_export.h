// SPDX-License-Identifier: Apache-2.0
// The trust graph for graph engines that scale beyond one machine: GraphML (NetworkX, Gephi,
// yEd, igraph, JanusGraph...) and the CSV files of `neo4j-admin database import full`. Text is
// handed to a sink in pieces, so a graph of millions of edges is never one string.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "trustsim/graph.h"

namespace trustsim::report {

// Receives the output text in order, a few kilobytes at a time.
using TextSink = std::function<void(std::string_view)>;

// Properties every exporter writes (the same names in GraphML keys and CSV headers):
//   node: id (ARN, account id, service, provider, `*`), kind (user, role, external-account,
//         external-principal, service, identity-provider, anyone), account, label (the account's
//         or vendor's name), ours (a principal of a modelled account)
//   edge (from the caller to the role it can assume):
//         action (sts:AssumeRole, sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity),
//         crossAccount, externalId, mfa (the call or the calling session needs MFA), sessionName,
//         sourceIdentity, tags (`key=value`), requirementKeys (condition keys the call had to meet),
//         requirements (the same for people: `ExternalId "abc"; MFA`), decidedBy (the statements
//         that granted the call)
// Empty strings are left out (GraphML: no <data>; CSV: an empty unquoted field, which Neo4j
// stores as no property). Order: nodes in graph order (by how the world lists them), edges sorted
// by (caller id, role id), so the same world always exports the same text.

// GraphML 1.0 with <key> declarations (attr.type string or boolean), one <graph> with
// edgedefault="directed", node ids = graph node ids, edge ids `e0`, `e1`, ... Text is escaped for
// XML; characters XML 1.0 cannot carry are replaced with U+FFFD.
void writeGraphml(const TrustGraph& graph, const TextSink& sink);

// `neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv`:
//   nodes.csv          id:ID,:LABEL,kind,account,label,ours:boolean
//                      labels `Principal;Role`, `Principal;User`, `Principal;ExternalAccount`, ...
//   relationships.csv  :START_ID,:END_ID,:TYPE,action,crossAccount:boolean,externalId,mfa:boolean,
//                      sessionName,sourceIdentity,tags:string[],requirementKeys:string[],
//                      requirements,decidedBy   (type CAN_ASSUME; arrays separated by `;`)
// RFC 4180 quoting: every non-empty text field in double quotes, inner quotes doubled; CRLF-free
// (`\n` line ends, which neo4j-admin accepts).
void writeNeo4jNodes(const TrustGraph& graph, const TextSink& sink);
void writeNeo4jRelationships(const TrustGraph& graph, const TextSink& sink);

// One CSV field as written above (exposed for tests).
std::string csvField(std::string_view text);
// Text escaped for XML attribute values and character data (exposed for tests).
std::string xmlText(std::string_view text);

// Convenience for small graphs and tests.
std::string toGraphml(const TrustGraph& graph);

}  // namespace trustsim::report
