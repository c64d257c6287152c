// SPDX-License-Identifier: Apache-2.0
// Running expectations against one world: each kind asks the simulator, the trust graph or the
// auditor, and says what was expected, what happened and what decided it.
#include <algorithm>
#include <memory>
#include <set>

#include "report/decision_report.h"
#include "report/graph_report.h"
#include "trustsim/harness.h"
#include "trustsim/arn.h"
#include "trustsim/questions.h"

namespace trustsim {
namespace {

AssumeParams toParams(const HopSpec& h, const std::vector<std::pair<std::string, std::string>>& context) {
  AssumeParams p;
  p.role_arn = h.role;
  p.external_id = h.external_id;
  p.session_name = h.session_name;
  p.source_identity = h.source_identity;
  p.tags = h.tags;
  p.transitive_tag_keys = h.transitive_tags;
  p.duration_seconds = h.duration;
  p.mfa = h.mfa;
  p.environment = context;
  return p;
}

std::string outcomeOf(CallStatus s) { return std::string(toString(s)); }

bool assumeMatches(const std::string& expected, CallStatus s) {
  if (expected == "denied") return s != CallStatus::Allowed;
  return expected == outcomeOf(s);
}

bool requestMatches(const std::string& expected, Outcome o) {
  if (expected == "denied") return o != Outcome::Allowed;
  return expected == toString(o);
}

// Lazily built graph and findings of the world under test.
struct Lazy {
  const Simulator& sim;
  std::unique_ptr<TrustGraph> graph;
  std::optional<std::vector<Finding>> findings;
  const TrustGraph& g() {
    if (!graph) graph = std::make_unique<TrustGraph>(TrustGraph::build(sim));
    return *graph;
  }
  const std::vector<Finding>& f() {
    if (!findings) findings = audit(g());
    return *findings;
  }
};

void describeAssume(const AssumeResult& r, std::vector<std::string>& details) {
  for (std::size_t i = 0; i < r.hops.size(); ++i) {
    const HopResult& h = r.hops[i];
    details.push_back("hop " + std::to_string(i + 1) + ": " + h.caller_arn + " -> " + h.role_arn + ": " + outcomeOf(h.status));
    if (!h.message.empty()) details.push_back("  " + h.message + (h.reason.empty() ? "" : " (" + h.reason + ")"));
    if (!h.checks.empty()) {
      const Decision& d = h.checks.back().decision;
      for (const StatementRef& ref : d.decided_by) details.push_back("  decided by " + report::describeRef(ref) + " at " + ref.where);
    }
  }
}

}  // namespace

std::vector<ExpectationResult> runExpectations(const std::vector<Expectation>& expectations, const Simulator& sim,
                                               const std::string& variant, const std::string& today) {
  std::vector<ExpectationResult> out;
  Lazy lazy{sim, nullptr, std::nullopt};
  for (const Expectation& e : expectations) {
    ExpectationResult r;
    r.expectation = &e;
    switch (e.kind) {
      case Expectation::Kind::Assume:
      case Expectation::Kind::Request: {
        const auto who = e.as_session ? sim.identity(e.as, *e.as_session) : sim.identity(e.as);
        if (!who) {
          r.expected = e.outcome;
          r.actual = "input error: " + who.error().front().message;
          r.input_error = true;
          break;
        }
        for (const HopSpec& h : e.hops) {
          if (sim.findRole(h.role) == nullptr && variant == "base") {
            const auto arn = Arn::parse(h.role);
            const bool modelled = arn && sim.world().accounts.count(arn->account) && sim.world().accounts.at(arn->account).ours;
            if (modelled) {
              r.expected = e.outcome;
              r.actual = "input error: role `" + h.role + "` is not in the world (a typo?)";
              r.input_error = true;
            }
          }
        }
        if (r.input_error) break;
        std::vector<AssumeParams> hops;
        for (const HopSpec& h : e.hops) hops.push_back(toParams(h, e.context));
        if (e.kind == Expectation::Kind::Assume) {
          const AssumeResult a = sim.assume(who.value(), hops);
          r.expected = e.outcome + (e.message ? " with message `" + *e.message + "`" : "") +
                       (e.failed_action ? " on " + *e.failed_action : "");
          r.actual = outcomeOf(a.status);
          if (a.status != CallStatus::Allowed) r.actual += ": " + a.last().message;
          r.passed = assumeMatches(e.outcome, a.status);
          if (e.message) {
            const HopResult& last = a.last();
            const bool same = last.message == *e.message ||
                              (!last.reason.empty() && last.message + " " + last.reason == *e.message);
            r.passed = r.passed && same;
          }
          if (e.failed_action) r.passed = r.passed && a.last().failed_action == *e.failed_action;
          describeAssume(a, r.details);
        } else {
          Identity session = who.value();
          if (!hops.empty()) {
            const AssumeResult a = sim.assume(who.value(), hops);
            if (a.status != CallStatus::Allowed) {
              r.expected = e.outcome;
              r.actual = "the chain in `via` is refused: " + a.last().message;
              r.passed = e.outcome == "denied";
              describeAssume(a, r.details);
              break;
            }
            session = *a.last().session;
          }
          const SimulateResult s = sim.simulate(session, e.action, e.resource, e.context);
          r.expected = e.outcome;
          r.actual = std::string(toString(s.decision.outcome));
          r.passed = requestMatches(e.outcome, s.decision.outcome);
          if (e.message) r.passed = r.passed && s.message == *e.message;
          r.details.push_back(session.caller.arn + " " + e.action + " " + e.resource + ": " + std::string(s.decision.reason));
          for (const StatementRef& ref : s.decision.decided_by) r.details.push_back("decided by " + report::describeRef(ref) + " at " + ref.where);
        }
        break;
      }
      case Expectation::Kind::WhoCan: {
        const TrustGraph& g = lazy.g();
        const std::vector<WhoCan> callers = whoCan(g, e.action, e.resource, e.context);
        std::set<std::string> actual;
        std::map<std::string, const WhoCan*> by_id;
        for (const WhoCan& w : callers) {
          actual.insert(g.nodes()[w.start].id);
          by_id[g.nodes()[w.start].id] = &w;
        }
        const std::set<std::string> expected(e.principals.begin(), e.principals.end());
        std::vector<std::string> extra, missing;
        for (const std::string& a : actual) if (!expected.count(a)) extra.push_back(a);
        for (const std::string& x : expected) if (!actual.count(x)) missing.push_back(x);
        const char* mode = e.mode == Expectation::SetMode::Exactly ? "exactly" : e.mode == Expectation::SetMode::AtMost ? "at most" : "at least";
        r.expected = std::string(mode) + " " + std::to_string(expected.size()) + " principal(s)";
        r.actual = std::to_string(actual.size()) + " principal(s)";
        r.passed = (e.mode == Expectation::SetMode::AtLeast || extra.empty()) &&
                   (e.mode == Expectation::SetMode::AtMost || missing.empty());
        for (const std::string& x : extra) {
          r.details.push_back("unexpected: " + x);
          const WhoCan& w = *by_id[x];
          std::string chain = report::chainText(g, w.chain, "    ");
          if (!chain.empty()) r.details.push_back(chain.substr(0, chain.size() - 1));
        }
        for (const std::string& x : missing) r.details.push_back("missing: " + x);
        break;
      }
      case Expectation::Kind::NoFindings: {
        std::vector<const Finding*> left;
        for (const Finding& f : lazy.f()) {
          if (f.severity < e.threshold) continue;
          const bool suppressed = std::any_of(e.except.begin(), e.except.end(), [&](const Suppression& s) {
            return s.rule == f.rule && (!s.resource || *s.resource == f.resource) &&
                   (!s.principal || *s.principal == f.principal) && (!s.expires || *s.expires >= today);
          });
          if (!suppressed) left.push_back(&f);
        }
        r.expected = "no finding at or above " + std::string(toString(e.threshold));
        r.actual = std::to_string(left.size()) + " finding(s)";
        r.passed = left.empty();
        for (const Finding* f : left) {
          r.details.push_back(std::string(toString(f->severity)) + " " + f->rule + ": " + f->resource + " (" + f->principal + "): " + f->message);
          if (f->statement) {
            r.details.push_back("  at " + f->file + ":" + f->statement->where + (f->address.empty() ? "" : " (" + f->address + ")"));
          }
        }
        for (const Suppression& s : e.except) {
          if (s.expires && *s.expires < today) r.details.push_back("suppression of " + s.rule + " expired on " + *s.expires);
        }
        break;
      }
      case Expectation::Kind::Finding: {
        const Finding* match = nullptr;
        for (const Finding& f : lazy.f()) {
          if (f.rule == e.rule && (e.resource.empty() || f.resource == e.resource) && (e.as.empty() || f.principal == e.as)) {
            match = &f;
            break;
          }
        }
        r.expected = std::string(e.present ? "a " : "no ") + e.rule + " finding" + (e.resource.empty() ? "" : " on " + e.resource);
        r.actual = match ? "found: " + match->message : "none";
        r.passed = (match != nullptr) == e.present;
        break;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace trustsim
