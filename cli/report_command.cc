// SPDX-License-Identifier: Apache-2.0
// `trustsim report`: one self-contained HTML file (no network: inline CSS and SVG) with the
// accounts and trust graph, the findings by severity with their fixes, and who reaches each role.
// Dumps are untrusted: every string from the input is escaped.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.h"
#include "report/graph_report.h"
#include "trustsim/findings.h"
#include "trustsim/questions.h"
#include "trustsim/simulator.h"

namespace trustsim::cli {

std::string htmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

namespace {

constexpr const char* kCss = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;color:#1a202c;padding:0 1rem}
h1{font-size:1.6rem}h2{border-bottom:1px solid #e2e8f0;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f7fafc}code{font:12px/1.3 ui-monospace,monospace;word-break:break-all}
.sev{font-weight:600;border-radius:3px;padding:0 .35rem;color:#fff}.critical{background:#9b2c2c}.high{background:#c53030}
.medium{background:#c05621}.low{background:#b7791f}.info{background:#4a5568}.ours{color:#2b6cb0}.theirs{color:#c05621}
.graph{overflow:auto;border:1px solid #e2e8f0;padding:.5rem}.muted{color:#718096}
)CSS";

}  // namespace

int runReport(const ReportOptions& o, std::ostream& out, std::ostream& err) {
  auto sim = loadSimulator(o.world, "report", err);
  if (!sim) return kInputError;
  const TrustGraph g = TrustGraph::build(*sim);
  const std::vector<Finding> findings = audit(g);
  const World& w = sim->world();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    << "<title>" << htmlEscape(o.title) << "</title><style>" << kCss << "</style></head><body>\n";
  h << "<h1>" << htmlEscape(o.title) << "</h1>\n<p class=\"muted\">Inputs: ";
  for (std::size_t i = 0; i < o.world.files.size(); ++i) h << (i ? ", " : "") << "<code>" << htmlEscape(o.world.files[i]) << "</code>";
  h << ". Not modelled: VPC endpoint policies, S3 Block Public Access, ACLs.</p>\n";

  // Accounts.
  h << "<h2>Accounts</h2>\n<table><tr><th>account</th><th>name</th><th>side</th><th>roles</th><th>users</th></tr>\n";
  std::map<std::string, std::pair<int, int>> counts;
  for (const auto& [arn, r] : w.roles) counts[r.account].first++;
  for (const auto& [arn, u] : w.users) counts[u.account].second++;
  for (const auto& [id, a] : w.accounts) {
    h << "<tr><td><code>" << htmlEscape(id) << "</code></td><td>" << htmlEscape(a.name) << "</td><td class=\""
      << (a.ours ? "ours\">ours" : "theirs\">third party") << "</td><td>" << counts[id].first << "</td><td>" << counts[id].second << "</td></tr>\n";
  }
  for (const GraphNode& n : g.nodes()) {
    if (n.kind == GraphNode::Kind::ExternalAccount) {
      h << "<tr><td><code>" << htmlEscape(n.account) << "</code></td><td>" << htmlEscape(n.label)
        << "</td><td class=\"theirs\">third party (outside the model)</td><td></td><td></td></tr>\n";
    }
  }
  h << "</table>\n";

  // Trust graph.
  h << "<h2>Trust graph</h2>\n";
  std::string svg, error;
  if (renderSvg(report::toDot(g), svg, error)) {
    const std::size_t start = svg.find("<svg");
    h << "<div class=\"graph\">" << (start == std::string::npos ? std::string() : svg.substr(start)) << "</div>\n";
  } else {
    h << "<p class=\"muted\">(Graphviz is not installed: the graph as a table.)</p>\n";
  }
  h << "<table><tr><th>caller</th><th>can assume</th><th>needs</th></tr>\n";
  for (const GraphEdge& e : g.edges()) {
    h << "<tr><td>" << htmlEscape(report::nodeLabel(g, e.from)) << "</td><td>" << htmlEscape(report::nodeLabel(g, e.to)) << "</td><td>";
    for (std::size_t i = 0; i < e.requirements.size(); ++i) h << (i ? "; " : "") << htmlEscape(e.requirements[i].text);
    h << "</td></tr>\n";
  }
  h << "</table>\n";

  // Findings.
  h << "<h2>Findings (" << findings.size() << ")</h2>\n";
  if (findings.empty()) h << "<p>No findings.</p>\n";
  for (const Finding& f : findings) {
    const std::string sev(toString(f.severity));
    h << "<div class=\"finding\"><p><span class=\"sev " << sev << "\">" << sev << "</span> <code>" << htmlEscape(f.rule)
      << "</code> on <code>" << htmlEscape(f.resource) << "</code>" << (f.vendor.empty() ? "" : " (" + htmlEscape(f.vendor) + ")")
      << "</p><p>" << htmlEscape(f.message) << "</p>";
    if (f.statement) {
      h << "<p class=\"muted\">Statement " << f.statement->index << (f.statement->sid ? " (Sid <code>" + htmlEscape(*f.statement->sid) + "</code>)" : "")
        << " of <code>" << htmlEscape(f.statement->policy) << "</code> at <code>" << htmlEscape(f.file) << ":" << htmlEscape(f.statement->where)
        << "</code></p>";
    }
    h << "<p><strong>Fix:</strong> " << htmlEscape(f.fix) << "</p></div>\n";
  }

  // Who reaches each role.
  h << "<h2>Who can reach each role</h2>\n";
  std::map<std::size_t, std::vector<Reach>> by_role;
  for (const Reach& r : reach(g, ReachQuery{})) by_role[r.target].push_back(r);
  for (std::size_t n = 0; n < g.nodes().size(); ++n) {
    if (g.nodes()[n].kind != GraphNode::Kind::Role) continue;
    h << "<h3><code>" << htmlEscape(g.nodes()[n].id) << "</code></h3>\n";
    const auto it = by_role.find(n);
    if (it == by_role.end()) {
      h << "<p class=\"muted\">Nobody in the model reaches this role.</p>\n";
      continue;
    }
    h << "<table><tr><th>caller</th><th>chain</th><th>conditions</th></tr>\n";
    for (const Reach& r : it->second) {
      h << "<tr><td>" << htmlEscape(report::nodeLabel(g, r.start)) << "</td><td>";
      for (std::size_t i = 0; i < r.chain.edges.size(); ++i) {
        h << (i ? " &rarr; " : "") << htmlEscape(report::nodeLabel(g, g.edges()[r.chain.edges[i]].to));
      }
      h << "</td><td>";
      for (std::size_t i = 0; i < r.requirements.size(); ++i) h << (i ? "; " : "") << htmlEscape(r.requirements[i].text);
      h << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  h << "<p class=\"muted\">Generated by trustsim.</p></body></html>\n";
  if (o.output.empty() || o.output == "-") {
    out << h.str();
    return kOk;
  }
  std::ofstream f(o.output);
  if (!f) {
    err << "trustsim report: cannot write " << o.output << "\n";
    return kInputError;
  }
  f << h.str();
  err << "report written to " << o.output << " (" << findings.size() << " findings)\n";
  return kOk;
}

}  // namespace trustsim::cli
