// SPDX-License-Identifier: Apache-2.0
// The `trustsim` program: CLI11 wiring only; every subcommand is a handler in commands.cc.
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "gen_commands.h"

namespace {

using trustsim::cli::Format;
const std::map<std::string, Format> kFormats = {{"text", Format::Text}, {"json", Format::Json}};
const std::map<std::string, Format> kGraphFormats = {{"text", Format::Text},   {"json", Format::Json},
                                                     {"dot", Format::Dot},     {"mermaid", Format::Mermaid},
                                                     {"svg", Format::Svg}};

void addEvalCommand(CLI::App& app, trustsim::cli::EvalOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand(
      "eval", "Decide request cases (docs/eval-case-format.md) the way AWS would");
  cmd->add_option("FILE", opts.file, "case file, or - for standard input")->required();
  cmd->add_option("--format", opts.format, "output format: text or json (JSON Lines)")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->add_flag("--explain", opts.explain, "print a step-by-step trace of every decision");
  cmd->add_flag("--expect", opts.expect,
                "compare each case's `expected` decision; exit 2 on any difference");
  cmd->callback([&]() { result = trustsim::cli::runEval(opts, std::cin, std::cout, std::cerr); });
}

// Per-hop options follow the `--role` they apply to (options before the first `--role` apply to
// the first hop). CLI11 records every occurrence in parse order; this replays it into hops.
struct HopWiring {
  CLI::Option* role;
  CLI::Option* external_id;
  CLI::Option* session_name;
  CLI::Option* source_identity;
  CLI::Option* tag;
  CLI::Option* transitive_tag;
  CLI::Option* duration;
  CLI::Option* mfa;
  CLI::Option* policy;
};

std::vector<trustsim::cli::HopOptions> assembleHops(const CLI::App& cmd, const HopWiring& w) {
  std::vector<trustsim::cli::HopOptions> hops;
  std::map<const CLI::Option*, std::size_t> seen;
  const auto value = [&](const CLI::Option* o) -> std::string {
    const std::size_t i = seen[o]++;
    const auto& r = o->results();
    return i < r.size() ? r[i] : std::string();
  };
  const auto current = [&]() -> trustsim::cli::HopOptions& {
    if (hops.empty()) hops.emplace_back();
    return hops.back();
  };
  bool first_role = true;
  for (const CLI::Option* o : cmd.parse_order()) {
    if (o == w.role) {
      std::string arn = value(o);
      if (first_role && !hops.empty()) {
        hops.back().role = arn;  // options given before the first --role
      } else {
        hops.emplace_back();
        hops.back().role = arn;
      }
      first_role = false;
    } else if (o == w.external_id) {
      current().external_id = value(o);
    } else if (o == w.session_name) {
      current().session_name = value(o);
    } else if (o == w.source_identity) {
      current().source_identity = value(o);
    } else if (o == w.tag) {
      current().tags.push_back(value(o));
    } else if (o == w.transitive_tag) {
      current().transitive_tags.push_back(value(o));
    } else if (o == w.duration) {
      current().duration = std::stoi(value(o));
    } else if (o == w.mfa) {
      value(o);
      current().mfa = true;
    } else if (o == w.policy) {
      current().policy_file = value(o);
    }
  }
  return hops;
}

// What infrastructure code does not say itself (Terraform plans, CloudFormation templates).
void addLoadOptions(CLI::App* cmd, trustsim::cli::WorldOptions& world) {
  cmd->add_option("--account", world.load.account,
                  "account that Terraform/CloudFormation resources land in (12 digits)")
      ->group("Infrastructure code");
  cmd->add_option("--region", world.load.region, "region for CloudFormation's AWS::Region (default us-east-1)")
      ->group("Infrastructure code");
  cmd->add_option("--partition", world.load.partition, "partition for AWS::Partition (default aws)")
      ->group("Infrastructure code");
  cmd->add_option("--stack-name", world.load.stack_name, "CloudFormation AWS::StackName")->group("Infrastructure code");
  cmd->add_option("--parameter", world.parameters, "CloudFormation parameter KEY=VALUE (repeatable)")
      ->group("Infrastructure code");
}

void addWorldFiles(CLI::App* cmd, trustsim::cli::WorldOptions& world) {
  cmd->add_option("WORLD", world.files,
                  "world files, any mix: scenario (JSON/YAML), get-account-authorization-details dumps, "
                  "organization files")
      ->required()
      ->check(CLI::ExistingFile);
  addLoadOptions(cmd, world);
}

void addAssumeCommand(CLI::App& app, trustsim::cli::AssumeOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand(
      "assume", "Simulate sts:AssumeRole (and chains) as STS would answer it");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("--as", opts.as,
                  "the caller: user/role/assumed-role ARN, account id (root), service principal, "
                  "identity provider ARN, or vendor:NAME")
      ->required();
  cmd->add_option("--as-session", opts.as_session, "session name when --as names a role (default trustsim)");
  HopWiring w{};
  static std::vector<std::string> sink_s;
  static std::vector<int> sink_i;
  static int mfa_count = 0;
  w.role = cmd->add_option("--role", sink_s, "role ARN to assume; repeat for a chain (hop options follow it)")
               ->required()
               ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  w.external_id = cmd->add_option("--external-id", sink_s, "sts:ExternalId of the hop");
  w.session_name = cmd->add_option("--session-name", sink_s, "RoleSessionName of the hop");
  w.source_identity = cmd->add_option("--source-identity", sink_s, "SourceIdentity of the hop");
  w.tag = cmd->add_option("--tag", sink_s, "session tag KEY=VALUE (repeatable)");
  w.transitive_tag = cmd->add_option("--transitive-tag", sink_s, "session tag key to make transitive");
  w.duration = cmd->add_option("--duration", sink_i, "DurationSeconds of the hop")->check(CLI::Range(1, 1000000));
  w.mfa = cmd->add_flag("--mfa", mfa_count, "the hop passes MFA (SerialNumber and TokenCode)");
  w.policy = cmd->add_option("--policy", sink_s, "session policy file for the hop")->check(CLI::ExistingFile);
  for (CLI::Option* o : {w.external_id, w.session_name, w.source_identity, w.tag, w.transitive_tag, w.policy}) {
    o->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  w.duration->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--context", opts.context, "environment key KEY=VALUE for every hop (aws:SourceIp, aws:CurrentTime, ...)");
  cmd->add_option("--format", opts.format, "output format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->add_flag("--explain", opts.explain, "print a step-by-step trace of every check");
  cmd->add_flag("--aws-reason", opts.aws_reason, "append AWS's reason suffix to AccessDenied messages");
  cmd->callback([&opts, &result, cmd, w]() {
    opts.hops = assembleHops(*cmd, w);
    result = trustsim::cli::runAssume(opts, std::cout, std::cerr);
  });
}

void addSimulateCommand(CLI::App& app, trustsim::cli::SimulateOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Decide any request by a principal or session, with both accounts' guardrails");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("--as", opts.as, "the caller (as for assume)")->required();
  cmd->add_option("--as-session", opts.as_session, "session name when --as names a role");
  cmd->add_option("--action", opts.action, "the action, service:Action")->required();
  cmd->add_option("--resource", opts.resource, "the resource ARN (or *)")->required();
  cmd->add_option("--context", opts.context, "extra context key KEY=VALUE (repeatable)");
  cmd->add_option("--format", opts.format, "output format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->add_flag("--explain", opts.explain, "print a step-by-step trace");
  cmd->callback([&]() { result = trustsim::cli::runSimulate(opts, std::cout, std::cerr); });
}

void addReachCommand(CLI::App& app, trustsim::cli::ReachOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("reach", "Chains of roles: who reaches which role, under which conditions");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("--from", opts.from, "start principal (ARN, account id, service, *); default: every one");
  cmd->add_option("--to", opts.to, "target role ARN; default: every role");
  cmd->add_option("--max-depth", opts.max_depth, "longest chain searched (hops)")->check(CLI::Range(1, 20));
  cmd->add_flag("--all", opts.all, "with --to: every simple chain, not only the shortest");
  cmd->add_option("--format", opts.format, "text, json, dot, mermaid or svg")
      ->transform(CLI::CheckedTransformer(kGraphFormats, CLI::ignore_case));
  cmd->callback([&]() { result = trustsim::cli::runReach(opts, std::cout, std::cerr); });
}

void addWhoCanCommand(CLI::App& app, trustsim::cli::WhoCanOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("who-can", "Every principal, ours and theirs, that can end up allowed to do an action");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("--action", opts.action, "the action, service:Action")->required();
  cmd->add_option("--resource", opts.resource, "the resource ARN")->required();
  cmd->add_option("--context", opts.context, "extra context key KEY=VALUE (repeatable)");
  cmd->add_option("--format", opts.format, "text, json, dot, mermaid or svg")
      ->transform(CLI::CheckedTransformer(kGraphFormats, CLI::ignore_case));
  cmd->callback([&]() { result = trustsim::cli::runWhoCan(opts, std::cout, std::cerr); });
}

void addWhatCanCommand(CLI::App& app, trustsim::cli::WhatCanOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("what-can", "What a principal can do, directly and through each role it reaches");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("--as", opts.as, "the principal (ARN, account id, service principal)")->required();
  cmd->add_option("--format", opts.format, "text or json")->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->callback([&]() { result = trustsim::cli::runWhatCan(opts, std::cout, std::cerr); });
}

void addAuditCommand(CLI::App& app, trustsim::cli::AuditOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("audit", "Findings: confused-deputy exposure, public roles, broken trust, chains to admin");
  addWorldFiles(cmd, opts.world);
  static const std::map<std::string, Format> kAuditFormats = {
      {"text", Format::Text}, {"json", Format::Json}, {"sarif", Format::Sarif},
      {"dot", Format::Dot},   {"mermaid", Format::Mermaid}, {"svg", Format::Svg}};
  cmd->add_option("--format", opts.format, "text, json, sarif, dot, mermaid or svg")
      ->transform(CLI::CheckedTransformer(kAuditFormats, CLI::ignore_case));
  cmd->add_option("--fail-on", opts.fail_on, "exit 3 when a finding is at or above this severity (info, low, medium, high, critical)");
  cmd->callback([&]() { result = trustsim::cli::runAudit(opts, std::cout, std::cerr); });
}

void addCheckCommand(CLI::App& app, trustsim::cli::CheckOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("check", "Run the expectations of scenario and expectation files (a test harness for access)");
  cmd->add_option("PATH", opts.paths, "scenario files, expectation files, or folders of them")->required();
  static const std::map<std::string, Format> kCheckFormats = {{"text", Format::Text}, {"json", Format::Json}, {"tap", Format::Tap}};
  cmd->add_option("--format", opts.format, "text, json or tap")->transform(CLI::CheckedTransformer(kCheckFormats, CLI::ignore_case));
  cmd->add_option("--junit", opts.junit, "also write JUnit XML to this file");
  cmd->add_option("--what-if", opts.what_if, "run against the named variant of the scenarios");
  cmd->add_option("--today", opts.today, "the date suppressions expire against (YYYY-MM-DD; default today, UTC)");
  addLoadOptions(cmd, opts.load);
  cmd->callback([&]() { result = trustsim::cli::runCheck(opts, std::cout, std::cerr); });
}

void addDiffCommand(CLI::App& app, trustsim::cli::DiffOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("diff", "What a change opens and closes: reachability, permissions, findings");
  cmd->add_option("WORLD", opts.world.files,
                  "BEFORE AFTER (each a file or comma-separated files), or the world files for "
                  "--patch/--what-if/--baseline/--plan");
  cmd->add_option("--before", opts.before, "files of the world before the change")->check(CLI::ExistingFile);
  cmd->add_option("--after", opts.after, "files of the world after the change")->check(CLI::ExistingFile);
  cmd->add_option("--patch", opts.patch, "JSON Patch or Merge Patch file applied to the scenario")->check(CLI::ExistingFile);
  cmd->add_option("--what-if", opts.what_if, "a variant named in the scenario");
  cmd->add_option("--baseline", opts.baseline, "a snapshot file (trustsim snapshot) to compare the world with")->check(CLI::ExistingFile);
  cmd->add_option("--plan", opts.plan, "a Terraform plan (terraform show -json): the world before it and after it")
      ->check(CLI::ExistingFile);
  addLoadOptions(cmd, opts.world);
  static const std::map<std::string, Format> kDiffFormats = {{"text", Format::Text}, {"json", Format::Json}, {"markdown", Format::Markdown}};
  cmd->add_option("--format", opts.format, "text, json or markdown")->transform(CLI::CheckedTransformer(kDiffFormats, CLI::ignore_case));
  cmd->add_option("--fail-on", opts.fail_on, "`widened`: exit 2 when any access was gained");
  cmd->callback([&]() { result = trustsim::cli::runDiff(opts, std::cout, std::cerr); });
}

void addSnapshotCommand(CLI::App& app, trustsim::cli::SnapshotOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("snapshot", "Record who can reach what and the findings, as a baseline for diff");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("-o,--output", opts.output, "the snapshot file (default: standard output)");
  cmd->callback([&]() { result = trustsim::cli::runSnapshot(opts, std::cout, std::cerr); });
}

void addLessonCommand(CLI::App& app, trustsim::cli::LessonOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("lesson", "The bundled walkthroughs as lessons: story, picture, calls, exercise");
  cmd->add_option("NAME", opts.name, "the lesson; none: list them");
  cmd->add_option("--svg", opts.svg, "also write the trust picture as SVG to this file (needs Graphviz)");
  cmd->callback([&]() { result = trustsim::cli::runLesson(opts, std::cout, std::cerr); });
}

void addReportCommand(CLI::App& app, trustsim::cli::ReportOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("report", "One self-contained HTML report: accounts, trust graph, findings, who reaches each role");
  addWorldFiles(cmd, opts.world);
  cmd->add_option("-o,--output", opts.output, "the HTML file (default: standard output)");
  cmd->add_option("--title", opts.title, "the report's title");
  cmd->callback([&]() { result = trustsim::cli::runReport(opts, std::cout, std::cerr); });
}

// World files or folders (a folder stands for the *.json files in it).
void addWorldPaths(CLI::App* cmd, trustsim::cli::WorldOptions& world) {
  cmd->add_option("WORLD", world.files,
                  "world files or folders of them (a folder means its *.json files), e.g. the output of generate")
      ->required()
      ->check(CLI::ExistingPath);
  addLoadOptions(cmd, world);
}

void addGenerateCommand(CLI::App& app, trustsim::cli::GenerateCliOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand(
      "generate", "Write a synthetic organisation: one get-account-authorization-details dump per account and the organization file");
  // Negative numbers are refused before they wrap around in the unsigned fields; 0 and values
  // above the limits get the engine's diagnostics (generate.invalid_accounts, ...).
  cmd->add_option("--accounts", opts.accounts, "number of accounts (N)")->required()->check(CLI::NonNegativeNumber);
  cmd->add_option("--roles-per-account", opts.roles_per_account, "roles in every account (M); N x M roles in all")
      ->required()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", opts.seed, "random seed; the same arguments give byte-identical files (default 1)");
  cmd->add_option("--threads", opts.threads, "threads that build accounts (default 0: one per core); the files do not depend on it")
      ->check(CLI::Range(0, 256));
  cmd->add_option("-o,--output", opts.output, "the folder to write (created if missing)");
  cmd->add_flag("--force", opts.force, "write into a non-empty folder, replacing files an earlier generate wrote");
  cmd->add_flag("--dry-run", opts.dry_run, "generate in memory and print the summary; write nothing");
  cmd->add_option("--format", opts.format, "summary format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->callback([&]() { result = trustsim::cli::runGenerate(opts, std::cout, std::cerr); });
}

void addExportCommand(CLI::App& app, trustsim::cli::ExportOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand("export", "Write the trust graph for graph databases: GraphML or Neo4j import CSV");
  addWorldPaths(cmd, opts.world);
  static const std::map<std::string, trustsim::cli::ExportFormat> kExportFormats = {
      {"graphml", trustsim::cli::ExportFormat::Graphml}, {"neo4j-csv", trustsim::cli::ExportFormat::Neo4jCsv}};
  cmd->add_option("--format", opts.format, "graphml or neo4j-csv")
      ->required()
      ->transform(CLI::CheckedTransformer(kExportFormats, CLI::ignore_case));
  cmd->add_option("-o,--output", opts.output, "graphml: a file (default - for standard output); neo4j-csv: a folder");
  cmd->callback([&]() { result = trustsim::cli::runExport(opts, std::cout, std::cerr); });
}

void addProfileCommand(CLI::App& app, trustsim::cli::ProfileOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand(
      "profile", "Time and memory of each phase (load, graph, audit, who-can on every role) on a world");
  addWorldPaths(cmd, opts.world);
  cmd->add_option("--format", opts.format, "text or json")->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->add_option("--who-can-sample", opts.who_can_sample,
                  "also ask who-can one role at a time on this many roles (0: skip; default 20)");
  cmd->callback([&]() { result = trustsim::cli::runProfile(opts, std::cout, std::cerr); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trustsim: offline AWS trust-policy simulator and test harness"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trustsim 0.1.0");
  int result = trustsim::cli::kOk;
  trustsim::cli::EvalOptions eval_options;
  addEvalCommand(app, eval_options, result);
  trustsim::cli::AssumeOptions assume_options;
  addAssumeCommand(app, assume_options, result);
  trustsim::cli::SimulateOptions simulate_options;
  addSimulateCommand(app, simulate_options, result);
  trustsim::cli::ReachOptions reach_options;
  addReachCommand(app, reach_options, result);
  trustsim::cli::WhoCanOptions who_can_options;
  addWhoCanCommand(app, who_can_options, result);
  trustsim::cli::WhatCanOptions what_can_options;
  addWhatCanCommand(app, what_can_options, result);
  trustsim::cli::AuditOptions audit_options;
  addAuditCommand(app, audit_options, result);
  trustsim::cli::CheckOptions check_options;
  addCheckCommand(app, check_options, result);
  trustsim::cli::DiffOptions diff_options;
  addDiffCommand(app, diff_options, result);
  trustsim::cli::SnapshotOptions snapshot_options;
  addSnapshotCommand(app, snapshot_options, result);
  trustsim::cli::LessonOptions lesson_options;
  addLessonCommand(app, lesson_options, result);
  trustsim::cli::ReportOptions report_options;
  addReportCommand(app, report_options, result);
  trustsim::cli::GenerateCliOptions generate_options;
  addGenerateCommand(app, generate_options, result);
  trustsim::cli::ExportOptions export_options;
  addExportCommand(app, export_options, result);
  trustsim::cli::ProfileOptions profile_options;
  addProfileCommand(app, profile_options, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : trustsim::cli::kInputError;
  }
  return result;
}
