// SPDX-License-Identifier: Apache-2.0
// Commands over the trust graph: `reach`, `who-can`, `what-can`.
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>
#include <sys/wait.h>

#include "commands.h"
#include "report/decision_report.h"
#include "report/findings_report.h"
#include "report/graph_report.h"
#include "trustsim/findings.h"
#include "trustsim/questions.h"
#include "trustsim/simulator.h"

namespace trustsim::cli {
namespace {

std::optional<std::size_t> findNode(const TrustGraph& g, const std::string& text, std::string_view what, std::ostream& err) {
  if (const auto n = g.find(text)) return n;
  // A principal the graph has no node for yet (an outside principal nobody names).
  err << "trustsim: " << what << " `" << text << "` is not a node of the trust graph (give the ARN of a modelled user or role, "
      << "an outside principal or account a policy names, a service principal, or *)\n";
  return std::nullopt;
}

bool emitGraph(const TrustGraph& g, const report::GraphStyle& style, Format format, std::ostream& out, std::ostream& err) {
  if (format == Format::Dot) {
    out << report::toDot(g, style);
  } else if (format == Format::Mermaid) {
    out << report::toMermaid(g, style);
  } else if (format == Format::Svg) {
    std::string svg, error;
    if (!renderSvg(report::toDot(g, style), svg, error)) {
      err << "trustsim: " << error << "\n";
      return false;
    }
    out << svg;
  } else {
    return false;
  }
  return true;
}

bool isPicture(Format f) { return f == Format::Dot || f == Format::Mermaid || f == Format::Svg; }

}  // namespace

bool renderSvg(const std::string& dot, std::string& svg, std::string& error) {
  if (::access("/usr/bin/dot", X_OK) != 0 && std::system("command -v dot >/dev/null 2>&1") != 0) {
    error = "--format svg needs Graphviz (`dot`): install the Debian package graphviz, or use --format dot";
    return false;
  }
  char in_path[] = "/tmp/trustsim-XXXXXX";
  const int fd = ::mkstemp(in_path);
  if (fd < 0) {
    error = "cannot create a temporary file for Graphviz";
    return false;
  }
  {
    std::ofstream f(in_path);
    f << dot;
  }
  ::close(fd);
  const std::string cmd = std::string("dot -Tsvg '") + in_path + "' 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ::unlink(in_path);
    error = "cannot run Graphviz";
    return false;
  }
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) svg.append(buf.data(), n);
  const int status = ::pclose(pipe);
  ::unlink(in_path);
  if (status != 0) {
    error = "Graphviz failed: " + svg.substr(0, 500);
    return false;
  }
  return true;
}

int runReach(const ReachOptions& o, std::ostream& out, std::ostream& err) {
  auto sim = loadSimulator(o.world, "reach", err);
  if (!sim) return kInputError;
  const TrustGraph g = TrustGraph::build(*sim, GraphOptions{o.max_depth});
  ReachQuery q;
  q.max_depth = o.max_depth;
  q.all_chains = o.all;
  if (!o.from.empty()) {
    q.from = findNode(g, o.from, "--from", err);
    if (!q.from) return kInputError;
  }
  if (!o.to.empty()) {
    q.to = findNode(g, o.to, "--to", err);
    if (!q.to) return kInputError;
  }
  const std::vector<Reach> found = reach(g, q);
  if (isPicture(o.format)) {
    report::GraphStyle style;
    if (q.from || q.to) {
      for (const Reach& r : found) {
        style.only_nodes.insert(r.start);
        for (std::size_t e : r.chain.edges) {
          style.highlight_edges.insert(e);
          style.only_nodes.insert(g.edges()[e].to);
        }
      }
    }
    return emitGraph(g, style, o.format, out, err) ? kOk : kInputError;
  }
  if (o.format == Format::Json) {
    nlohmann::json j = {{"reach", nlohmann::json::array()}};
    for (const Reach& r : found) {
      j["reach"].push_back({{"from", g.nodes()[r.start].id},
                            {"kind", std::string(toString(g.nodes()[r.start].kind))},
                            {"role", g.nodes()[r.target].id},
                            {"hops", r.chain.edges.size()},
                            {"chain", report::chainJson(g, r.chain)},
                            {"conditions", report::requirementsJson(r.requirements)}});
    }
    out << jsonText(j, 2) << "\n";
  } else {
    for (const Reach& r : found) {
      out << report::nodeLabel(g, r.start) << " reaches " << report::nodeLabel(g, r.target) << " ("
          << r.chain.edges.size() << (r.chain.edges.size() == 1 ? " hop" : " hops") << ")\n"
          << report::chainText(g, r.chain, "    ");
    }
    if (found.empty()) out << "no chain found\n";
    const auto cycles = g.cycles();
    if (!cycles.empty() && !q.from && !q.to) {
      out << "\ncycles (roles that can assume each other):\n";
      for (const auto& c : cycles) {
        out << "  ";
        for (std::size_t i = 0; i < c.size(); ++i) out << (i ? " <-> " : "") << report::nodeLabel(g, c[i]);
        out << "\n";
      }
    }
  }
  return kOk;
}

int runWhoCan(const WhoCanOptions& o, std::ostream& out, std::ostream& err) {
  auto sim = loadSimulator(o.world, "who-can", err);
  if (!sim) return kInputError;
  std::vector<std::pair<std::string, std::string>> ctx;
  for (const std::string& c : o.context) {
    const std::size_t eq = c.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "trustsim who-can: `--context " << c << "` is not KEY=VALUE\n";
      return kInputError;
    }
    ctx.emplace_back(c.substr(0, eq), c.substr(eq + 1));
  }
  const TrustGraph g = TrustGraph::build(*sim);
  const std::vector<WhoCan> callers = whoCan(g, o.action, o.resource, ctx);
  if (isPicture(o.format)) {
    report::GraphStyle style;
    for (const WhoCan& w : callers) {
      style.only_nodes.insert(w.start);
      for (std::size_t e : w.chain.edges) {
        style.highlight_edges.insert(e);
        style.only_nodes.insert(g.edges()[e].to);
      }
    }
    return emitGraph(g, style, o.format, out, err) ? kOk : kInputError;
  }
  if (o.format == Format::Json) {
    nlohmann::json j = {{"action", o.action}, {"resource", o.resource}, {"callers", nlohmann::json::array()}};
    for (const WhoCan& w : callers) {
      const GraphNode& n = g.nodes()[w.start];
      nlohmann::json c = {{"principal", n.id},
                          {"kind", std::string(toString(n.kind))},
                          {"ours", n.ours},
                          {"chain", report::chainJson(g, w.chain)},
                          {"conditions", report::requirementsJson(w.requirements)}};
      if (!n.label.empty()) c["name"] = n.label;
      c["decidedBy"] = nlohmann::json::array();
      for (const StatementRef& r : w.decision.decided_by) c["decidedBy"].push_back(report::refJson(r));
      j["callers"].push_back(c);
    }
    out << jsonText(j, 2) << "\n";
  } else {
    out << "who can " << o.action << " on " << o.resource << ":\n";
    for (const WhoCan& w : callers) {
      out << "  " << report::nodeLabel(g, w.start);
      out << (w.chain.edges.empty() ? " directly\n" : " via " + std::to_string(w.chain.edges.size()) + " hop(s)\n");
      out << report::chainText(g, w.chain, "      ");
    }
    if (callers.empty()) out << "  nobody\n";
  }
  return kOk;
}

int runWhatCan(const WhatCanOptions& o, std::ostream& out, std::ostream& err) {
  auto sim = loadSimulator(o.world, "what-can", err);
  if (!sim) return kInputError;
  const TrustGraph g = TrustGraph::build(*sim);
  const auto start = findNode(g, o.as, "--as", err);
  if (!start) return kInputError;
  const std::vector<WhatCan> found = whatCan(g, *start);
  if (o.format == Format::Json) {
    nlohmann::json j = {{"principal", g.nodes()[*start].id}, {"sessions", nlohmann::json::array()}};
    for (const WhatCan& w : found) {
      nlohmann::json s = {{"as", g.nodes()[w.node].id}, {"chain", report::chainJson(g, w.chain)}, {"services", nlohmann::json::object()}};
      for (const Grant& gr : w.grants) {
        nlohmann::json gj = {{"actions", gr.actions}, {"resources", gr.resources}, {"notAction", gr.not_action},
                             {"notResource", gr.not_resource}, {"conditional", gr.conditional}, {"effective", gr.effective},
                             {"statement", report::refJson(gr.statement)}};
        if (!gr.blocked_by.empty()) gj["blockedBy"] = gr.blocked_by;
        s["services"][gr.service].push_back(gj);
      }
      j["sessions"].push_back(s);
    }
    out << jsonText(j, 2) << "\n";
    return kOk;
  }
  for (const WhatCan& w : found) {
    out << (w.chain.edges.empty() ? "as itself: " : "as ") << report::nodeLabel(g, w.node) << "\n";
    if (!w.chain.edges.empty()) out << report::chainText(g, w.chain, "    ");
    std::string service;
    for (const Grant& gr : w.grants) {
      if (gr.service != service) {
        service = gr.service;
        out << "  " << service << ":\n";
      }
      out << "    " << (gr.not_action ? "NotAction " : "");
      for (std::size_t i = 0; i < gr.actions.size(); ++i) out << (i ? ", " : "") << gr.actions[i];
      out << " on " << (gr.not_resource ? "NotResource " : "");
      for (std::size_t i = 0; i < gr.resources.size(); ++i) out << (i ? ", " : "") << gr.resources[i];
      if (gr.conditional) out << " (with conditions)";
      if (!gr.effective) out << "  -- blocked: " << gr.blocked_by;
      out << "\n";
    }
    if (w.grants.empty()) out << "  (no identity policy grants)\n";
  }
  return kOk;
}

int runAudit(const AuditOptions& o, std::ostream& out, std::ostream& err) {
  std::optional<FindingSeverity> threshold;
  if (o.fail_on) {
    threshold = parseFindingSeverity(*o.fail_on);
    if (!threshold) {
      err << "trustsim audit: --fail-on takes info, low, medium, high or critical, not `" << *o.fail_on << "`\n";
      return kInputError;
    }
  }
  auto sim = loadSimulator(o.world, "audit", err);
  if (!sim) return kInputError;
  for (const Diagnostic& d : sim->warnings()) err << formatDiagnostic(d) << "\n";
  const TrustGraph g = TrustGraph::build(*sim);
  const std::vector<Finding> findings = audit(g);
  if (isPicture(o.format)) {
    report::GraphStyle style;
    if (!emitGraph(g, style, o.format, out, err)) return kInputError;
  } else if (o.format == Format::Json) {
    out << jsonText(report::findingsJson(findings), 2) << "\n";
  } else if (o.format == Format::Sarif) {
    out << jsonText(report::findingsSarif(findings, "0.1.0"), 2) << "\n";
  } else {
    out << report::findingsText(findings);
  }
  if (threshold) {
    for (const Finding& f : findings) {
      if (f.severity >= *threshold) return kFindings;
    }
  }
  return kOk;
}

}  // namespace trustsim::cli
