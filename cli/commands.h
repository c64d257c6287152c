// SPDX-License-Identifier: Apache-2.0
// One handler per subcommand. Handlers are plain functions that tests call in process; main.cc
// only wires them to CLI11.
#pragma once

#include "trustsim/load.h"
#include "trustsim/result.h"

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace trustsim {
class Simulator;
}

namespace trustsim::cli {

// Exit codes across the CLI.
enum ExitCode : int {
  kOk = 0,          // success, allowed, all expectations met
  kInputError = 1,  // bad input or usage
  kDenied = 2,      // a denial or failed expectation, where the command is asked to judge
  kFindings = 3,    // findings at or above --fail-on
};

enum class Format { Text, Json, Dot, Mermaid, Svg, Sarif, Markdown, Tap };

struct EvalOptions {
  std::string file;  // path, or "-" for standard input
  Format format = Format::Text;
  bool explain = false;
  bool expect = false;
};
int runEval(const EvalOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// The engine's FileReader over the file system (readInput below).
FileReader fileSystemReader();
// Prints diagnostics one per line (`file:/pointer: error: message [code]`).
void printDiagnostics(const Diagnostics& diagnostics, std::ostream& err);

// Reads a whole file (or standard input for "-"); false with a message in `error` otherwise.
bool readInput(const std::string& path, std::istream& in, std::string& text, std::string& error);

// JSON text for standard output. Bytes that are not UTF-8 (command-line arguments and file names
// are not checked; file contents are) are written as U+FFFD instead of throwing.
std::string jsonText(const nlohmann::json& j, int indent = -1);

}  // namespace trustsim::cli

namespace trustsim::cli {

// Options of one AssumeRole hop (`--role` and the options that follow it).
struct HopOptions {
  std::string role;
  std::optional<std::string> external_id, session_name, source_identity, policy_file;
  std::vector<std::string> tags;            // k=v
  std::vector<std::string> transitive_tags;  // keys
  std::optional<int> duration;
  bool mfa = false;
};

struct WorldOptions {
  std::vector<std::string> files;
  LoadOptions load;                     // --account, --region, --stack-name, --parameter
  std::vector<std::string> parameters;  // KEY=VALUE, parsed into load.parameters
};

struct AssumeOptions {
  WorldOptions world;
  std::string as;
  std::string as_session = "trustsim";
  std::vector<HopOptions> hops;
  std::vector<std::string> context;  // k=v environment keys for every hop
  Format format = Format::Text;
  bool explain = false;
  bool aws_reason = false;  // append AWS's reason suffix to messages
};
int runAssume(const AssumeOptions& options, std::ostream& out, std::ostream& err);

struct SimulateOptions {
  WorldOptions world;
  std::string as;
  std::string as_session = "trustsim";
  std::string action;
  std::string resource;
  std::vector<std::string> context;  // k=v
  Format format = Format::Text;
  bool explain = false;
};
int runSimulate(const SimulateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace trustsim::cli

namespace trustsim::cli {

struct ReachOptions {
  WorldOptions world;
  std::string from, to;
  std::size_t max_depth = 6;
  bool all = false;
  Format format = Format::Text;
};
int runReach(const ReachOptions& options, std::ostream& out, std::ostream& err);

struct WhoCanOptions {
  WorldOptions world;
  std::string action, resource;
  std::vector<std::string> context;
  Format format = Format::Text;
};
int runWhoCan(const WhoCanOptions& options, std::ostream& out, std::ostream& err);

struct WhatCanOptions {
  WorldOptions world;
  std::string as;
  Format format = Format::Text;
};
int runWhatCan(const WhatCanOptions& options, std::ostream& out, std::ostream& err);

// Renders DOT to SVG through Graphviz (`dot -Tsvg`); false with a message when it is missing.
bool renderSvg(const std::string& dot, std::string& svg, std::string& error);

// Loads every world file and builds the simulator; prints diagnostics on failure.
// The world options' LoadOptions with --parameter parsed; nullopt after a message on `err`.
std::optional<LoadOptions> loadOptions(const WorldOptions& options, std::string_view command, std::ostream& err);
std::optional<Simulator> loadSimulator(const WorldOptions& options, std::string_view command, std::ostream& err);

}  // namespace trustsim::cli

namespace trustsim::cli {

struct AuditOptions {
  WorldOptions world;
  Format format = Format::Text;
  std::optional<std::string> fail_on;  // severity
};
int runAudit(const AuditOptions& options, std::ostream& out, std::ostream& err);

}  // namespace trustsim::cli

namespace trustsim::cli {

struct CheckOptions {
  std::vector<std::string> paths;  // files and folders
  Format format = Format::Text;
  std::optional<std::string> junit;
  std::optional<std::string> what_if;
  std::optional<std::string> today;  // YYYY-MM-DD (default: the current UTC date)
  WorldOptions load;                 // --account, --region, --stack-name, --parameter (files unused)
};
int runCheck(const CheckOptions& options, std::ostream& out, std::ostream& err);

struct DiffOptions {
  WorldOptions world;  // positional files (BEFORE AFTER, or the world of --patch/--what-if/--baseline/--plan)
  std::vector<std::string> before, after;
  std::optional<std::string> patch, what_if, baseline;
  std::optional<std::string> plan;  // a Terraform plan (`terraform show -json`): before and after it
  Format format = Format::Text;
  std::optional<std::string> fail_on;  // "widened"
};
int runDiff(const DiffOptions& options, std::ostream& out, std::ostream& err);

struct SnapshotOptions {
  WorldOptions world;
  std::string output;
};
int runSnapshot(const SnapshotOptions& options, std::ostream& out, std::ostream& err);

// Escapes text for XML character data and attribute values.
std::string xmlEscape(std::string_view text);

}  // namespace trustsim::cli

namespace trustsim::cli {

struct LessonOptions {
  std::string name;  // empty: list the lessons
  std::optional<std::string> svg;  // write the picture here (needs Graphviz)
};
int runLesson(const LessonOptions& options, std::ostream& out, std::ostream& err);

struct ReportOptions {
  WorldOptions world;
  std::string output;
  std::string title = "trustsim report";
};
int runReport(const ReportOptions& options, std::ostream& out, std::ostream& err);

// Escapes text for HTML element content and attribute values.
std::string htmlEscape(std::string_view text);

}  // namespace trustsim::cli
