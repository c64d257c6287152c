// SPDX-License-Identifier: Apache-2.0
// Commands that read a world: `assume` and `simulate`.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "report/decision_report.h"
#include "trustsim/arn.h"
#include "trustsim/load.h"
#include "trustsim/simulator.h"

namespace trustsim::cli {

FileReader fileSystemReader() {
  return [](const std::string& path, std::string& error) -> std::optional<std::string> {
    std::string text;
    std::istringstream none;
    if (!readInput(path, none, text, error)) return std::nullopt;
    return text;
  };
}

void printDiagnostics(const Diagnostics& diags, std::ostream& err) {
  for (const Diagnostic& d : diags) err << formatDiagnostic(d) << "\n";
}

std::optional<LoadOptions> loadOptions(const WorldOptions& o, std::string_view command, std::ostream& err) {
  LoadOptions options = o.load;
  for (const std::string& p : o.parameters) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "trustsim " << command << ": --parameter wants KEY=VALUE, got `" << p << "`\n";
      return std::nullopt;
    }
    options.parameters[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (!options.account.empty() && !isAccountId(options.account)) {
    err << "trustsim " << command << ": --account wants a 12-digit account id, got `" << options.account << "`\n";
    return std::nullopt;
  }
  return options;
}

std::optional<Simulator> loadSimulator(const WorldOptions& o, std::string_view command, std::ostream& err) {
  const auto options = loadOptions(o, command, err);
  if (!options) return std::nullopt;
  auto world = loadWorld(o.files, fileSystemReader(), *options);
  if (!world) {
    printDiagnostics(world.error(), err);
    const auto errors = std::count_if(world.error().begin(), world.error().end(),
                                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
    err << "trustsim " << command << ": " << errors << " error(s) in the input\n";
    return std::nullopt;
  }
  auto sim = Simulator::build(std::move(world).value());
  if (!sim) {
    printDiagnostics(sim.error(), err);
    return std::nullopt;
  }
  return std::move(sim).value();
}

namespace {

bool splitPair(const std::string& text, std::string& key, std::string& value) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  key = text.substr(0, eq);
  value = text.substr(eq + 1);
  return true;
}

nlohmann::json tagsJson(const std::vector<Tag>& tags) {
  nlohmann::json j = nlohmann::json::object();
  for (const Tag& t : tags) j[t.key] = t.value;
  return j;
}

nlohmann::json sessionJson(const Identity& s) {
  nlohmann::json j = {{"arn", s.caller.arn},
                      {"roleArn", s.role != nullptr ? s.role->arn : s.principal_arn},
                      {"principalId", s.user_id},
                      {"tags", tagsJson(s.session_tags)},
                      {"transitiveTagKeys", s.transitive_keys},
                      {"durationSeconds", s.duration_seconds},
                      {"chained", s.chained}};
  j["sourceIdentity"] = s.source_identity ? nlohmann::json(*s.source_identity) : nlohmann::json(nullptr);
  return j;
}

std::string fullMessage(const HopResult& h, bool aws_reason) {
  if (aws_reason && h.status == CallStatus::AccessDenied && !h.reason.empty() &&
      h.message.rfind("User: ", 0) == 0) {
    return h.message + " " + h.reason;
  }
  return h.message;
}

}  // namespace

int runAssume(const AssumeOptions& o, std::ostream& out, std::ostream& err) {
  if (o.hops.empty()) {
    err << "trustsim assume: give at least one --role\n";
    return kInputError;
  }
  auto sim = loadSimulator(o.world, "assume", err);
  if (!sim) return kInputError;
  auto who = sim->identity(o.as, o.as_session);
  if (!who) {
    printDiagnostics(who.error(), err);
    return kInputError;
  }
  std::vector<AssumeParams> hops;
  Diagnostics bad;
  std::vector<std::pair<std::string, std::string>> env;
  for (const std::string& c : o.context) {
    std::string k, v;
    if (!splitPair(c, k, v)) {
      bad.push_back(Diagnostic{"cli.invalid_context", "`--context " + c + "` is not KEY=VALUE", "--context", {}, Severity::Error});
      continue;
    }
    env.emplace_back(k, v);
  }
  for (const HopOptions& h : o.hops) {
    AssumeParams p;
    p.role_arn = h.role;
    p.external_id = h.external_id;
    p.session_name = h.session_name;
    p.source_identity = h.source_identity;
    p.duration_seconds = h.duration;
    p.mfa = h.mfa;
    p.environment = env;
    for (const std::string& t : h.tags) {
      std::string k, v;
      if (!splitPair(t, k, v)) {
        bad.push_back(Diagnostic{"cli.invalid_tag", "`--tag " + t + "` is not KEY=VALUE", "--tag", {}, Severity::Error});
        continue;
      }
      p.tags.push_back(Tag{k, v});
    }
    p.transitive_tag_keys = h.transitive_tags;
    if (h.policy_file) {
      std::string text, error;
      std::istringstream none;
      if (!readInput(*h.policy_file, none, text, error)) {
        bad.push_back(Diagnostic{"cli.unreadable", error, "--policy", {}, Severity::Error});
      } else {
        auto pol = parsePolicyText(text, PolicyKind::Session, PolicyOrigin::Authored, *h.policy_file);
        if (!pol) {
          bad.insert(bad.end(), pol.error().begin(), pol.error().end());
        } else {
          p.session_policy = NamedPolicy{*h.policy_file, std::move(pol).value()};
        }
      }
    }
    hops.push_back(std::move(p));
  }
  if (!bad.empty()) {
    printDiagnostics(bad, err);
    return kInputError;
  }
  SimOptions so;
  so.trace = o.explain;
  const AssumeResult r = sim->assume(who.value(), hops, so);
  const HopResult& last = r.last();
  if (o.format == Format::Json) {
    nlohmann::json j;
    j["decision"] = std::string(toString(r.status));
    j["message"] = fullMessage(last, o.aws_reason);
    j["hops"] = nlohmann::json::array();
    nlohmann::json decided = nlohmann::json::array();
    nlohmann::json trace = nlohmann::json::array();
    for (const HopResult& h : r.hops) {
      nlohmann::json hj = {{"role", h.role_arn}, {"caller", h.caller_arn}, {"decision", std::string(toString(h.status))},
                           {"message", fullMessage(h, o.aws_reason)}};
      if (!h.reason.empty()) hj["reason"] = h.reason;
      if (!h.failed_action.empty()) hj["failedAction"] = h.failed_action;
      hj["checks"] = nlohmann::json::array();
      for (const CallCheck& c : h.checks) {
        nlohmann::json cj = report::decisionJson(c.decision, false);
        cj["action"] = c.action;
        hj["checks"].push_back(cj);
      }
      if (h.session) hj["session"] = sessionJson(*h.session);
      j["hops"].push_back(hj);
      for (const std::string& line : h.trace) trace.push_back(line);
    }
    if (!last.checks.empty()) {
      for (const StatementRef& ref : last.checks.back().decision.decided_by) decided.push_back(report::refJson(ref));
    }
    j["decidedBy"] = decided;
    j["session"] = last.session ? sessionJson(*last.session) : nlohmann::json(nullptr);
    if (o.explain) j["trace"] = trace;
    out << jsonText(j, 2) << "\n";
  } else {
    out << "caller: " << who.value().caller.arn << (who.value().external ? " (outside the model)" : "") << "\n";
    for (std::size_t i = 0; i < r.hops.size(); ++i) {
      const HopResult& h = r.hops[i];
      out << "hop " << (i + 1) << ": " << h.caller_arn << " -> " << h.role_arn << ": " << toString(h.status) << "\n";
      if (h.status != CallStatus::Allowed) {
        out << "  " << (h.status == CallStatus::ValidationError ? "ValidationError: " : "AccessDenied: ")
            << fullMessage(h, o.aws_reason) << "\n";
        if (!h.reason.empty() && !o.aws_reason) out << "  reason: " << h.reason << "\n";
      }
      for (const CallCheck& c : h.checks) {
        out << "  " << c.action << ": " << report::decisionText(c.decision, false) << "\n";
      }
      if (h.session) {
        const Identity& s = *h.session;
        out << "  session: " << s.caller.arn << " (" << s.duration_seconds << " s";
        if (s.source_identity) out << ", source identity " << *s.source_identity;
        for (const Tag& t : s.session_tags) out << ", tag " << t.key << "=" << t.value;
        out << ")\n";
      }
      for (const std::string& line : h.trace) out << "  | " << line << "\n";
    }
  }
  return r.status == CallStatus::Allowed ? kOk : kDenied;
}

int runSimulate(const SimulateOptions& o, std::ostream& out, std::ostream& err) {
  auto sim = loadSimulator(o.world, "simulate", err);
  if (!sim) return kInputError;
  auto who = sim->identity(o.as, o.as_session);
  if (!who) {
    printDiagnostics(who.error(), err);
    return kInputError;
  }
  std::vector<std::pair<std::string, std::string>> ctx;
  for (const std::string& c : o.context) {
    std::string k, v;
    if (!splitPair(c, k, v)) {
      err << "trustsim simulate: `--context " << c << "` is not KEY=VALUE\n";
      return kInputError;
    }
    ctx.emplace_back(k, v);
  }
  SimOptions so;
  so.trace = o.explain;
  const SimulateResult r = sim->simulate(who.value(), o.action, o.resource, ctx, so);
  if (o.format == Format::Json) {
    nlohmann::json j = report::decisionJson(r.decision, o.explain);
    j["principal"] = who.value().caller.arn;
    j["action"] = o.action;
    j["resource"] = o.resource;
    if (!r.message.empty()) j["message"] = r.message;
    out << jsonText(j, 2) << "\n";
  } else {
    out << who.value().caller.arn << " " << o.action << " " << o.resource << ": "
        << report::decisionText(r.decision, o.explain) << "\n";
    if (!r.message.empty()) out << "  AccessDenied: " << r.message << "\n";
  }
  return r.decision.outcome == Outcome::Allowed ? kOk : kDenied;
}

}  // namespace trustsim::cli
