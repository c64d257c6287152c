// SPDX-License-Identifier: Apache-2.0
// `generate`, `export` and `profile`: the commands for large estates (issue 8).
#include "gen_commands.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/graph_export.h"
#include "trustsim/findings.h"
#include "trustsim/generate.h"
#include "trustsim/questions.h"
#include "trustsim/simulator.h"

namespace trustsim::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Peak resident set size of the process so far (getrusage; Linux reports KiB).
double peakRssMb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// CPU time of the process so far, user and system (the wall time of a phase on a shared machine
// includes waiting for a core).
double cpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

// Resident set size now (Linux /proc; 0 elsewhere).
double currentRssMb() {
  std::ifstream statm("/proc/self/statm");
  long total = 0, resident = 0;
  if (!(statm >> total >> resident)) return 0;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// `v` to `digits` decimals (dividing last, so JSON shows 674.3 rather than 674.3000000000001).
double rounded(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

std::string megabytes(std::uint64_t bytes) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(bytes < 10 * 1000 * 1000 ? 2 : 1) << static_cast<double>(bytes) / 1e6 << " MB";
  return s.str();
}

// The files a previous `trustsim generate` wrote into a folder.
bool generatedName(const std::string& name) {
  const auto json = [&](const char* prefix) {
    return name.rfind(prefix, 0) == 0 && name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
  };
  return json("account_") || json("org_") || name == "manifest.yaml" || name == "README.txt";
}

// Checks (and creates) the output folder. Without --force a non-empty folder is refused; with it,
// the files an earlier run wrote are removed (other files are left alone).
bool prepareFolder(const fs::path& dir, bool force, std::ostream& err) {
  std::error_code ec;
  const std::string shown = "`" + dir.string() + "`";
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      err << "trustsim generate: " << shown << " exists and is not a folder\n";
      return false;
    }
    fs::directory_iterator it(dir, ec);
    if (ec) {
      err << "trustsim generate: cannot read " << shown << ": " << ec.message() << "\n";
      return false;
    }
    if (it != fs::directory_iterator()) {
      if (!force) {
        err << "trustsim generate: " << shown << " is not empty: choose a new folder, or pass --force to replace "
            << "the files an earlier `trustsim generate` wrote there\n";
        return false;
      }
      std::vector<fs::path> old;
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file() && generatedName(e.path().filename().string())) old.push_back(e.path());
      }
      for (const fs::path& p : old) {
        if (!fs::remove(p, ec)) {
          err << "trustsim generate: cannot remove `" << p.string() << "`: " << ec.message() << "\n";
          return false;
        }
      }
    }
  } else if (!fs::create_directories(dir, ec)) {
    err << "trustsim generate: cannot create " << shown << ": " << ec.message() << "\n";
    return false;
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    err << "trustsim generate: cannot write to " << shown << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

nlohmann::json summaryJson(const GenerateSummary& s, const std::string& folder, double seconds) {
  nlohmann::json j = {{"seed", s.options.seed},
                      {"accounts", s.accounts},
                      {"rolesPerAccount", s.options.roles_per_account},
                      {"organization", s.organization_id},
                      {"managementAccount", s.management_account},
                      {"organizationalUnits", s.organizational_units},
                      {"serviceControlPolicies", s.service_control_policies},
                      {"roles", s.roles},
                      {"users", s.users},
                      {"groups", s.groups},
                      {"customerManagedPolicies", s.customer_policies},
                      {"policyVersions", s.policy_versions},
                      {"instanceProfiles", s.instance_profiles},
                      {"dumpBytes", s.dump_bytes},
                      {"seconds", rounded(seconds, 3)},
                      {"planted", nlohmann::json::array()},
                      {"chains", s.chains},
                      {"files", nlohmann::json::array()}};
  if (!folder.empty()) j["folder"] = folder;
  for (const PlantedFinding& p : s.planted) j["planted"].push_back({{"rule", p.rule}, {"resource", p.resource}, {"note", p.note}});
  for (const auto& [rule, n] : s.background) j["background"][rule] = n;
  for (const GeneratedFile& f : s.files) j["files"].push_back({{"name", f.name}, {"bytes", f.bytes}});
  return j;
}

void summaryText(const GenerateSummary& s, const std::string& folder, std::ostream& out) {
  std::size_t dumps = 0;
  for (const GeneratedFile& f : s.files) dumps += f.name.size() > 5 && f.name.compare(f.name.size() - 5, 5, ".json") == 0;
  out << (folder.empty() ? "would generate " : "generated ") << s.accounts << " account(s) x "
      << s.options.roles_per_account << " roles = " << s.roles << " roles (seed " << s.options.seed << ")"
      << (folder.empty() ? ", dry run: nothing written" : "") << "\n";
  if (!folder.empty()) out << "  folder            " << folder << "\n";
  out << "  organization      " << s.organization_id << ", management account " << s.management_account << ", "
      << s.organizational_units << " OUs, " << s.service_control_policies << " SCPs\n";
  out << "  principals        " << s.roles << " roles, " << s.users << " users, " << s.groups << " groups, "
      << s.instance_profiles << " instance profiles\n";
  out << "  managed policies  " << s.customer_policies << " customer-managed, " << s.policy_versions << " versions\n";
  out << "  JSON              " << megabytes(s.dump_bytes) << " in " << dumps << " files\n";
  out << "planted findings (" << s.planted.size() << "):\n";
  for (const PlantedFinding& p : s.planted) out << "  " << std::left << std::setw(20) << p.rule << " " << p.resource << "\n";
  out << std::right;
  if (!s.chains.empty()) {
    out << "example chains:\n";
    for (const auto& chain : s.chains) {
      out << "  " << chain.size() - 1 << " hops: " << chain.front() << "\n      -> " << chain.back() << "\n";
    }
  }
  if (!folder.empty()) out << "next: trustsim audit " << (fs::path(folder) / "*.json").string() << "\n";
}

// A FileReader that counts what it reads and how long reading takes.
struct ReadStats {
  double seconds = 0;
  std::uint64_t bytes = 0;
  std::size_t files = 0;
};

FileReader timedReader(ReadStats& stats) {
  FileReader base = fileSystemReader();
  return [base, &stats](const std::string& path, std::string& error) {
    const auto t = Clock::now();
    auto text = base(path, error);
    stats.seconds += secondsSince(t);
    if (text) {
      stats.bytes += text->size();
      ++stats.files;
    }
    return text;
  };
}

struct Phase {
  std::string name;
  double seconds = 0;
  double cpu_seconds = 0;
  double rss_mb = 0;
  double peak_rss_mb = 0;
};

}  // namespace

bool expandWorldPaths(std::vector<std::string>& paths, std::string_view command, std::ostream& err) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(p, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".json") found.push_back(e.path().string());
    }
    if (ec) {
      err << "trustsim " << command << ": cannot read `" << p << "`: " << ec.message() << "\n";
      return false;
    }
    if (found.empty()) {
      err << "trustsim " << command << ": the folder `" << p << "` holds no .json files\n";
      return false;
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  paths = std::move(out);
  return true;
}

int runGenerate(const GenerateCliOptions& o, std::ostream& out, std::ostream& err) {
  const GenerateOptions g{o.accounts, o.roles_per_account, o.seed, o.threads};
  if (const Diagnostics bad = checkGenerateOptions(g); !bad.empty()) {
    for (const Diagnostic& d : bad) err << "trustsim generate: " << d.message << " [" << d.code << "]\n";
    return kInputError;
  }
  if (!o.dry_run && o.output.empty()) {
    err << "trustsim generate: give the output folder with -o DIR (or --dry-run to write nothing)\n";
    return kInputError;
  }
  const fs::path dir(o.output);
  if (!o.dry_run && !prepareFolder(dir, o.force, err)) return kInputError;
  const FileWriter write = [&](const std::string& name, std::string_view text, std::string& error) {
    if (o.dry_run) return true;
    const fs::path path = dir / name;
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
      error = std::strerror(errno);
      return false;
    }
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    f.close();
    if (!f) {
      error = "write failed (disk full?)";
      return false;
    }
    return true;
  };
  const auto started = Clock::now();
  const auto result = generateOrganization(g, write);
  if (!result) {
    for (const Diagnostic& d : result.error()) err << "trustsim generate: " << d.message << " [" << d.code << "]\n";
    return kInputError;
  }
  const double seconds = secondsSince(started);
  const std::string folder = o.dry_run ? std::string() : dir.string();
  if (o.format == Format::Json) {
    out << summaryJson(result.value(), folder, seconds).dump(2) << "\n";
  } else {
    summaryText(result.value(), folder, out);
  }
  return kOk;
}

int runExport(const ExportOptions& o, std::ostream& out, std::ostream& err) {
  WorldOptions world = o.world;
  if (!expandWorldPaths(world.files, "export", err)) return kInputError;
  const bool to_stdout = o.format == ExportFormat::Graphml && (o.output.empty() || o.output == "-");
  if (o.format == ExportFormat::Neo4jCsv && (o.output.empty() || o.output == "-")) {
    err << "trustsim export: --format neo4j-csv writes nodes.csv and relationships.csv: give a folder with -o DIR\n";
    return kInputError;
  }
  auto sim = loadSimulator(world, "export", err);
  if (!sim) return kInputError;
  const TrustGraph g = TrustGraph::build(*sim);

  // Writes one file through the sink; false after a message when it cannot.
  const auto toFile = [&err](const fs::path& path, const std::function<void(const report::TextSink&)>& produce) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
      err << "trustsim export: cannot write `" << path.string() << "`: " << std::strerror(errno) << "\n";
      return false;
    }
    produce([&f](std::string_view piece) { f.write(piece.data(), static_cast<std::streamsize>(piece.size())); });
    f.close();
    if (!f) {
      err << "trustsim export: writing `" << path.string() << "` failed (disk full?)\n";
      return false;
    }
    return true;
  };
  const std::string counts = std::to_string(g.nodes().size()) + " nodes and " + std::to_string(g.edges().size()) + " edges";
  if (o.format == ExportFormat::Graphml) {
    if (to_stdout) {
      report::writeGraphml(g, [&out](std::string_view piece) { out << piece; });
      return kOk;
    }
    if (!toFile(o.output, [&g](const report::TextSink& s) { report::writeGraphml(g, s); })) return kInputError;
    out << "wrote " << counts << " to " << o.output << " (GraphML)\n";
    return kOk;
  }
  const fs::path dir(o.output);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    err << "trustsim export: `" << o.output << "` is a file; --format neo4j-csv writes into a folder\n";
    return kInputError;
  }
  if (!fs::exists(dir, ec) && !fs::create_directories(dir, ec)) {
    err << "trustsim export: cannot create `" << o.output << "`: " << ec.message() << "\n";
    return kInputError;
  }
  if (!toFile(dir / "nodes.csv", [&g](const report::TextSink& s) { report::writeNeo4jNodes(g, s); }) ||
      !toFile(dir / "relationships.csv", [&g](const report::TextSink& s) { report::writeNeo4jRelationships(g, s); })) {
    return kInputError;
  }
  out << "wrote " << counts << " to " << (dir / "nodes.csv").string() << " and " << (dir / "relationships.csv").string()
      << "\nimport with: neo4j-admin database import full --nodes=" << (dir / "nodes.csv").string()
      << " --relationships=" << (dir / "relationships.csv").string() << " trustsim\n";
  return kOk;
}

int runProfile(const ProfileOptions& o, std::ostream& out, std::ostream& err) {
  WorldOptions world_options = o.world;
  if (!expandWorldPaths(world_options.files, "profile", err)) return kInputError;
  const auto load_options = loadOptions(world_options, "profile", err);
  if (!load_options) return kInputError;
  std::vector<Phase> phases;
  double cpu_mark = cpuSeconds();
  const auto finish = [&phases, &cpu_mark](std::string name, Clock::time_point started) {
    const double cpu = cpuSeconds();
    const double rss = currentRssMb();  // /proc pages and getrusage KiB round differently
    phases.push_back(Phase{std::move(name), secondsSince(started), cpu - cpu_mark, rss, std::max(rss, peakRssMb())});
    cpu_mark = cpu;
    return phases.back().seconds;
  };

  ReadStats read;
  auto t = Clock::now();
  auto world = loadWorld(world_options.files, timedReader(read), *load_options);
  if (!world) {
    printDiagnostics(world.error(), err);
    err << "trustsim profile: " << world.error().size() << " error(s) in the input\n";
    return kInputError;
  }
  const double load_seconds = finish("load", t);
  const std::size_t load_warnings = world.value().diagnostics.size();

  t = Clock::now();
  auto built = Simulator::build(std::move(world).value());
  if (!built) {
    printDiagnostics(built.error(), err);
    return kInputError;
  }
  const Simulator sim = std::move(built).value();
  finish("simulator", t);
  const World& w = sim.world();

  t = Clock::now();
  const TrustGraph g = TrustGraph::build(sim);
  finish("graph", t);

  t = Clock::now();
  const std::vector<Finding> findings = audit(g);
  finish("audit", t);

  // who-can sts:AssumeRole on every role at once: one pass of reach over every starting node,
  // grouped by the role reached (the same shortest, verified chains whoCan returns per role).
  std::vector<std::size_t> callers(g.nodes().size(), 0);
  std::size_t answers = 0;
  t = Clock::now();
  {
    const std::vector<Reach> all = reach(g, ReachQuery{});
    for (const Reach& r : all) ++callers[r.target];
    answers = all.size();
  }
  finish("who-can", t);
  std::vector<std::size_t> role_nodes;
  for (std::size_t n = 0; n < g.nodes().size(); ++n) {
    if (g.nodes()[n].kind == GraphNode::Kind::Role) role_nodes.push_back(n);
  }
  std::size_t reached_roles = 0, most_callers = 0;
  for (std::size_t n : role_nodes) {
    reached_roles += callers[n] > 0;
    most_callers = std::max(most_callers, callers[n]);
  }

  // who-can one role at a time (the API a user's question goes through), on a spread sample,
  // within a minute; cross-checked against the batch.
  std::size_t sampled = 0, disagreements = 0;
  double sample_seconds = 0;
  constexpr double kSampleBudget = 60;
  if (o.who_can_sample > 0 && !role_nodes.empty()) {
    const std::size_t k = std::min(o.who_can_sample, role_nodes.size());
    t = Clock::now();
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t node = role_nodes[i * role_nodes.size() / k];
      const std::vector<WhoCan> found = whoCan(g, "sts:AssumeRole", g.nodes()[node].id);
      // whoCan also counts the role itself when it can assume itself; reach does the same.
      disagreements += found.size() != callers[node];
      ++sampled;
      if (secondsSince(t) > kSampleBudget) break;
    }
    sample_seconds = finish("who-can-sample", t);
  }

  std::map<std::string, std::size_t> by_severity, by_rule;
  for (const Finding& f : findings) {
    ++by_severity[std::string(toString(f.severity))];
    ++by_rule[f.rule];
  }
  std::size_t ours = 0;
  for (const auto& [id, a] : w.accounts) ours += a.ours;
  // The simulator's warnings start with the loader's.
  const std::size_t warnings = std::max(load_warnings, sim.warnings().size());
  std::map<std::string, std::size_t> warnings_by_code;
  for (const Diagnostic& d : sim.warnings()) ++warnings_by_code[d.code];
  double total = 0, total_cpu = 0;
  for (const Phase& p : phases) {
    total += p.seconds;
    total_cpu += p.cpu_seconds;
  }
  const double mb_per_second = load_seconds > 0 ? static_cast<double>(read.bytes) / 1e6 / load_seconds : 0;
  const double per_role = sampled > 0 ? sample_seconds / static_cast<double>(sampled) : 0;

  if (o.format == Format::Json) {
    nlohmann::json j;
    j["files"] = read.files;
    j["inputBytes"] = read.bytes;
    j["readSeconds"] = rounded(read.seconds, 4);
    j["loadMBPerSecond"] = rounded(mb_per_second, 2);
    j["phases"] = nlohmann::json::array();
    for (const Phase& p : phases) {
      j["phases"].push_back({{"name", p.name},
                             {"seconds", rounded(p.seconds, 4)},
                             {"cpuSeconds", rounded(p.cpu_seconds, 4)},
                             {"rssMB", rounded(p.rss_mb, 1)},
                             {"peakRssMB", rounded(p.peak_rss_mb, 1)}});
    }
    j["totalSeconds"] = rounded(total, 4);
    j["totalCpuSeconds"] = rounded(total_cpu, 4);
    j["peakRssMB"] = rounded(peakRssMb(), 1);
    j["counts"] = {{"accounts", w.accounts.size()},
                   {"ourAccounts", ours},
                   {"roles", w.roles.size()},
                   {"users", w.users.size()},
                   {"groups", w.groups.size()},
                   {"managedPolicies", w.policies.size()},
                   {"graphNodes", g.nodes().size()},
                   {"graphEdges", g.edges().size()},
                   {"findings", findings.size()},
                   {"whoCanAnswers", answers},
                   {"rolesWithCallers", reached_roles},
                   {"mostCallersOfOneRole", most_callers},
                   {"warnings", warnings}};
    j["findingsBySeverity"] = by_severity;
    j["findingsByRule"] = by_rule;
    j["warningsByCode"] = warnings_by_code;
    j["whoCanSample"] = {{"roles", sampled},
                         {"seconds", rounded(sample_seconds, 4)},
                         {"secondsPerRole", rounded(per_role, 6)},
                         {"extrapolatedSecondsForAllRoles", rounded(per_role * static_cast<double>(role_nodes.size()), 1)},
                         {"disagreementsWithBatch", disagreements}};
    out << j.dump(2) << "\n";
  } else {
    out << "trustsim profile: " << read.files << " file(s), " << megabytes(read.bytes) << "\n\n";
    out << std::left << std::setw(18) << "phase" << std::right << std::setw(11) << "seconds" << std::setw(11) << "CPU s"
        << std::setw(11) << "RSS MB" << std::setw(11) << "peak MB" << "\n";
    for (const Phase& p : phases) {
      out << std::left << std::setw(18) << p.name << std::right << std::fixed << std::setprecision(3) << std::setw(11)
          << p.seconds << std::setw(11) << p.cpu_seconds << std::setprecision(1) << std::setw(11) << p.rss_mb
          << std::setw(11) << p.peak_rss_mb;
      if (p.name == "load") out << "   " << std::setprecision(1) << mb_per_second << " MB/s (reading " << std::setprecision(3) << read.seconds << " s)";
      if (p.name == "who-can-sample") {
        out << "   " << sampled << " role(s), " << std::setprecision(4) << per_role << " s/role, ~" << std::setprecision(0)
            << per_role * static_cast<double>(role_nodes.size()) << " s for all";
      }
      out << "\n";
    }
    out << std::left << std::setw(18) << "total" << std::right << std::setprecision(3) << std::setw(11) << total
        << std::setw(11) << total_cpu << "\n\n";
    out << "accounts        " << w.accounts.size() << " (" << ours << " ours)\n";
    out << "principals      " << w.roles.size() << " roles, " << w.users.size() << " users, " << w.groups.size() << " groups, "
        << w.policies.size() << " managed policies\n";
    out << "trust graph     " << g.nodes().size() << " nodes, " << g.edges().size() << " edges\n";
    out << "findings        " << findings.size();
    std::string sep = " (";
    for (const char* s : {"critical", "high", "medium", "low", "info"}) {
      if (by_severity.count(s)) {
        out << sep << s << " " << by_severity[s];
        sep = ", ";
      }
    }
    out << (findings.empty() ? "" : ")") << "\n";
    out << "who-can         " << answers << " answers for " << role_nodes.size() << " roles (" << reached_roles
        << " with a caller, at most " << most_callers << " for one)\n";
    if (disagreements > 0) out << "                " << disagreements << " sampled role(s) answered differently by whoCan\n";
    out << "warnings        " << warnings;
    sep = " (";
    for (const auto& [code, n] : warnings_by_code) {
      out << sep << code << " " << n;
      sep = ", ";
    }
    out << (warnings_by_code.empty() ? "" : ")") << "\n";
    out << "peak RSS        " << std::setprecision(1) << peakRssMb() << " MB\n";
  }
  return kOk;
}

}  // namespace trustsim::cli
