// SPDX-License-Identifier: Apache-2.0
// Commands for scale (issue 8): `generate` (synthetic organisations), `export` (the trust graph
// for graph databases) and `profile` (time and memory of each phase on a world).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "commands.h"

namespace trustsim::cli {

struct GenerateCliOptions {
  std::size_t accounts = 0;
  std::size_t roles_per_account = 0;
  std::uint64_t seed = 1;
  std::size_t threads = 0;  // 0: one per core
  std::string output;  // the folder; required unless dry_run
  bool force = false;  // write into a non-empty folder, replacing earlier generated files
  bool dry_run = false;  // generate in memory only and print the summary
  Format format = Format::Text;  // the summary: text or json
};
int runGenerate(const GenerateCliOptions& options, std::ostream& out, std::ostream& err);

enum class ExportFormat { Graphml, Neo4jCsv };

struct ExportOptions {
  WorldOptions world;   // files or folders (a folder means its *.json files)
  ExportFormat format = ExportFormat::Graphml;
  std::string output;   // graphml: a file, or - (default) for standard output; neo4j-csv: a folder
};
int runExport(const ExportOptions& options, std::ostream& out, std::ostream& err);

struct ProfileOptions {
  WorldOptions world;  // files or folders
  Format format = Format::Text;
  // Roles on which who-can is also asked one role at a time (the per-query API), evenly spread
  // over the roles; 0 skips that phase. The batch phase always answers every role.
  std::size_t who_can_sample = 20;
};
int runProfile(const ProfileOptions& options, std::ostream& out, std::ostream& err);

// World arguments with folders replaced by the `*.json` files in them (sorted by name, not
// recursive); false with a message on `err` when a folder holds none or cannot be read.
bool expandWorldPaths(std::vector<std::string>& paths, std::string_view command, std::ostream& err);

}  // namespace trustsim::cli
