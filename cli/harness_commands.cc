// SPDX-License-Identifier: Apache-2.0
// The test harness commands: `check`, `diff`, `snapshot`.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "commands.h"
#include "load/terraform.h"
#include "load/world_loader.h"
#include "trustsim/harness.h"

namespace trustsim::cli {
namespace {

namespace fs = std::filesystem;

FileReader reader() { return fileSystemReader(); }

std::string todayUtc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Files of a folder that hold expectations (scenarios with `expect`, expectation files).
std::vector<std::string> expand(const std::vector<std::string>& paths, std::vector<std::string>& missing) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
        const std::string ext = e.path().extension().string();
        if (!e.is_regular_file() || (ext != ".json" && ext != ".yaml" && ext != ".yml")) continue;
        std::ifstream in(e.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (text.find("\"expect\"") != std::string::npos || text.find("\nexpect:") != std::string::npos) {
          found.push_back(e.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      missing.push_back(p);
    }
  }
  return out;
}

bool applies(const Expectation& e, const std::string& variant) {
  return e.when.empty() || std::find(e.when.begin(), e.when.end(), variant) != e.when.end();
}

struct SuiteRun {
  const Suite* suite;
  std::string variant;
  std::vector<ExpectationResult> results;
};

}  // namespace

std::string xmlEscape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters: replace them.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "?";
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

int runCheck(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  std::vector<std::string> missing;
  const std::vector<std::string> files = expand(o.paths, missing);
  for (const std::string& m : missing) {
    err << m << ": error: no such file or folder [input.unreadable]\n";
  }
  if (!missing.empty()) return kInputError;
  if (files.empty()) {
    err << "trustsim check: no scenario or expectation file with `expect` in the given paths\n";
    return kInputError;
  }
  // Terraform and CloudFormation worlds of the suites: the account and parameters they land with.
  const auto load_options = loadOptions(o.load, "check", err);
  if (!load_options) return kInputError;
  auto suites = collectSuites(files, reader());
  if (!suites) {
    printDiagnostics(suites.error(), err);
    return kInputError;
  }
  const std::string today = o.today.value_or(todayUtc());
  const std::string variant = o.what_if.value_or("base");
  std::vector<SuiteRun> runs;
  bool input_error = false;
  std::size_t without_variant = 0;
  for (const Suite& s : suites.value()) {
    auto world = loadWorldVariant(s.world_files, variant, reader(), *load_options);
    if (!world && world.error().size() == 1 && world.error()[0].code == "whatif.unknown") {
      ++without_variant;  // this suite has no such variant: nothing to run here
      continue;
    }
    if (!world) {
      printDiagnostics(world.error(), err);
      input_error = true;
      continue;
    }
    auto sim = Simulator::build(std::move(world).value());
    if (!sim) {
      printDiagnostics(sim.error(), err);
      input_error = true;
      continue;
    }
    std::vector<Expectation> selected;
    for (const Expectation& e : s.expectations) {
      if (applies(e, variant)) selected.push_back(e);
    }
    SuiteRun run{&s, variant, runExpectations(selected, sim.value(), variant, today)};
    // Keep the expectations alive: results point into `selected`; re-point them at the suite's.
    for (ExpectationResult& r : run.results) {
      for (const Expectation& e : s.expectations) {
        if (e.name == r.expectation->name) r.expectation = &e;
      }
    }
    runs.push_back(std::move(run));
  }
  if (without_variant > 0 && without_variant == suites.value().size()) {
    err << "trustsim check: no scenario has a variant named `" << variant << "` [whatif.unknown]\n";
    return kInputError;
  }
  std::size_t passed = 0, failed = 0;
  for (const SuiteRun& run : runs) {
    for (const ExpectationResult& r : run.results) {
      if (r.input_error) {
        input_error = true;
        err << r.expectation->file << ":" << r.expectation->where << ": error: " << r.actual << " [expect.input]\n";
      }
      (r.passed ? passed : failed)++;
    }
  }
  if (input_error) {
    return kInputError;  // every input error is on stderr; no partial report on stdout
  }
  if (o.format == Format::Json) {
    nlohmann::json j = {{"suites", nlohmann::json::array()}, {"passed", passed}, {"failed", failed}};
    for (const SuiteRun& run : runs) {
      nlohmann::json sj = {{"file", run.suite->file}, {"variant", run.variant}, {"results", nlohmann::json::array()}};
      for (const ExpectationResult& r : run.results) {
        sj["results"].push_back({{"name", r.expectation->name}, {"passed", r.passed}, {"expected", r.expected},
                                 {"actual", r.actual}, {"details", r.details}, {"where", r.expectation->where}});
      }
      j["suites"].push_back(sj);
    }
    out << jsonText(j, 2) << "\n";
  } else if (o.format == Format::Tap) {
    out << "TAP version 13\n1.." << (passed + failed) << "\n";
    std::size_t n = 0;
    for (const SuiteRun& run : runs) {
      for (const ExpectationResult& r : run.results) {
        out << (r.passed ? "ok " : "not ok ") << ++n << " - " << run.suite->file << ": " << r.expectation->name << "\n";
        if (!r.passed) {
          out << "  ---\n  expected: " << r.expected << "\n  actual: " << r.actual << "\n";
          for (const std::string& d : r.details) out << "  # " << d << "\n";
          out << "  ...\n";
        }
      }
    }
  } else {
    for (const SuiteRun& run : runs) {
      out << run.suite->file << (run.variant == "base" ? "" : " (what-if " + run.variant + ")") << "\n";
      for (const ExpectationResult& r : run.results) {
        out << (r.passed ? "  ok   " : "  FAIL ") << r.expectation->name << "\n";
        if (r.passed) continue;
        out << "       expected: " << r.expected << "\n       actual:   " << r.actual << "\n";
        for (const std::string& d : r.details) out << "       " << d << "\n";
      }
    }
  }
  if (o.junit) {
    std::ofstream x(*o.junit);
    if (!x) {
      err << "trustsim check: cannot write " << *o.junit << "\n";
      return kInputError;
    }
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"trustsim\" tests=\"" << (passed + failed)
      << "\" failures=\"" << failed << "\">\n";
    for (const SuiteRun& run : runs) {
      std::size_t f = 0;
      for (const auto& r : run.results) f += r.passed ? 0 : 1;
      x << "  <testsuite name=\"" << xmlEscape(run.suite->file + (run.variant == "base" ? "" : " [" + run.variant + "]"))
        << "\" tests=\"" << run.results.size() << "\" failures=\"" << f << "\">\n";
      for (const ExpectationResult& r : run.results) {
        x << "    <testcase classname=\"" << xmlEscape(run.suite->file) << "\" name=\"" << xmlEscape(r.expectation->name) << "\"";
        if (r.passed) {
          x << "/>\n";
          continue;
        }
        std::string body;
        for (const std::string& d : r.details) body += d + "\n";
        x << ">\n      <failure message=\"" << xmlEscape("expected " + r.expected + ", got " + r.actual) << "\">"
          << xmlEscape(body) << "</failure>\n    </testcase>\n";
      }
      x << "  </testsuite>\n";
    }
    x << "</testsuites>\n";
  }
  std::ostream& summary = o.format == Format::Text ? out : err;
  summary << passed << " passed, " << failed << " failed\n";
  return failed > 0 ? kDenied : kOk;
}

namespace {

// What the diff shows beside the snapshot: where each entity is defined (the resource address of
// infrastructure code), the values a plan knows only after apply, and the load warnings.
struct WorldNotes {
  std::map<std::string, std::string> addresses;  // ARN → resource address
  std::vector<std::string> unknown;              // terraform.unknown_value messages
  Diagnostics warnings;
};

void noteWorld(const World& w, WorldNotes& notes) {
  const auto note = [&](const auto& map) {
    for (const auto& [arn, e] : map) {
      if (!e.origin.address.empty()) notes.addresses[arn] = e.origin.address;
    }
  };
  note(w.roles);
  note(w.users);
  note(w.groups);
  note(w.policies);
  note(w.resources);
  for (const Diagnostic& d : w.diagnostics) {
    if (d.code == "terraform.unknown_value") notes.unknown.push_back(d.message);
  }
  notes.warnings = w.diagnostics;
}

std::optional<Snapshot> snapshotOf(const Result<World>& world, std::ostream& err, WorldNotes* notes = nullptr) {
  if (!world) {
    printDiagnostics(world.error(), err);
    return std::nullopt;
  }
  if (notes != nullptr) noteWorld(world.value(), *notes);
  auto sim = Simulator::build(world.value());
  if (!sim) {
    printDiagnostics(sim.error(), err);
    return std::nullopt;
  }
  return takeSnapshot(TrustGraph::build(sim.value()));
}

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string reachLine(const Snapshot::ReachEntry& r) {
  std::string s = r.from + " -> " + r.role;
  if (r.chain.size() > 1) {
    s += " via";
    for (std::size_t i = 0; i + 1 < r.chain.size(); ++i) s += " " + r.chain[i];
  }
  if (!r.conditions.empty()) {
    s += " [";
    for (std::size_t i = 0; i < r.conditions.size(); ++i) s += (i ? "; " : "") + r.conditions[i];
    s += "]";
  }
  return s;
}

std::string permissionLine(const Snapshot::PermissionEntry& p) {
  return p.caller + (p.via.empty() ? "" : " as " + p.via) + ": " + p.action + " on " + p.resource + (p.conditional ? " (conditional)" : "");
}

std::string findingLine(const Snapshot::FindingEntry& f) { return f.severity + " " + f.rule + ": " + f.resource + " (" + f.principal + ")"; }

// " in ADDRESS" when infrastructure code defines `arn`.
std::string addressOf(const WorldNotes& notes, const std::string& arn) {
  const auto it = notes.addresses.find(arn);
  return it == notes.addresses.end() ? "" : " in " + it->second;
}

void diffText(const SnapshotDiff& d, const WorldNotes& notes, std::ostream& out) {
  const auto section = [&](const char* title, const auto& items, char sign, auto line) {
    if (items.empty()) return;
    out << title << ":\n";
    for (const auto& i : items) out << "  " << sign << " " << line(i) << "\n";
  };
  const auto reach = [&](const Snapshot::ReachEntry& r) { return reachLine(r) + addressOf(notes, r.role); };
  const auto finding = [&](const Snapshot::FindingEntry& f) { return findingLine(f) + addressOf(notes, f.resource); };
  section("reachability gained", d.reach_gained, '+', reach);
  section("reachability lost", d.reach_lost, '-', reach);
  section("permissions gained", d.permissions_gained, '+', permissionLine);
  section("permissions lost", d.permissions_lost, '-', permissionLine);
  section("findings new", d.findings_new, '+', finding);
  section("findings fixed", d.findings_fixed, '-', finding);
  if (d.empty()) out << "no change in reachability, permissions or findings\n";
  section("not known until apply", notes.unknown, '?', [](const std::string& m) { return m; });
}

std::string mdCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += " ";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out.push_back(c);
  }
  return out;
}

// The values a plan knows only after apply, as the last section of the comment.
void unknownMarkdown(const WorldNotes& notes, std::ostream& out) {
  if (notes.unknown.empty()) return;
  out << "### Not known until apply (" << notes.unknown.size() << ")\n\n"
      << "These values are decided when the plan is applied; trustsim does not guess them, and each line "
         "says how it treated the resource:\n\n";
  for (const std::string& m : notes.unknown) out << "- " << mdCell(m) << "\n";
  out << "\n";
}

void diffMarkdown(const SnapshotDiff& d, const WorldNotes& notes, std::ostream& out) {
  out << "## trustsim: access changes\n\n";
  if (d.empty()) {
    out << "No change in reachability, permissions or findings.\n";
    if (!notes.unknown.empty()) out << "\n";
    unknownMarkdown(notes, out);
    return;
  }
  out << (d.widened() ? "**This change widens access.**\n\n" : "This change does not widen access.\n\n");
  const auto table = [&](const char* title, const auto& items, const char* head, auto row) {
    if (items.empty()) return;
    out << "### " << title << " (" << items.size() << ")\n\n" << head << "\n";
    for (const auto& i : items) out << row(i) << "\n";
    out << "\n";
  };
  const auto withAddress = [&](const std::string& arn) {
    const auto it = notes.addresses.find(arn);
    return "`" + mdCell(arn) + "`" + (it == notes.addresses.end() ? "" : " (`" + mdCell(it->second) + "`)");
  };
  const auto reachRow = [&](const Snapshot::ReachEntry& r) {
    std::string cond;
    for (const auto& c : r.conditions) cond += (cond.empty() ? "" : "; ") + c;
    std::string via;
    for (std::size_t i = 0; i + 1 < r.chain.size(); ++i) via += (via.empty() ? "" : " → ") + r.chain[i];
    return "| `" + mdCell(r.from) + "` | " + withAddress(r.role) + " | " + mdCell(via) + " | " + mdCell(cond) + " |";
  };
  const char* reachHead = "| caller | role | via | conditions |\n|---|---|---|---|";
  table("Reachability gained", d.reach_gained, reachHead, reachRow);
  table("Reachability lost", d.reach_lost, reachHead, reachRow);
  const auto permRow = [](const Snapshot::PermissionEntry& p) {
    return "| `" + mdCell(p.caller) + "` | " + (p.via.empty() ? "" : "`" + mdCell(p.via) + "`") + " | `" + mdCell(p.action) + "` | `" +
           mdCell(p.resource) + "` |";
  };
  const char* permHead = "| caller | as role | action | resource |\n|---|---|---|---|";
  table("Permissions gained", d.permissions_gained, permHead, permRow);
  table("Permissions lost", d.permissions_lost, permHead, permRow);
  const auto findRow = [&](const Snapshot::FindingEntry& f) {
    return "| " + mdCell(f.severity) + " | `" + mdCell(f.rule) + "` | " + withAddress(f.resource) + " | `" + mdCell(f.principal) + "` |";
  };
  const char* findHead = "| severity | rule | resource | principal |\n|---|---|---|---|";
  table("New findings", d.findings_new, findHead, findRow);
  table("Fixed findings", d.findings_fixed, findHead, findRow);
  unknownMarkdown(notes, out);
}

nlohmann::json diffJson(const SnapshotDiff& d, const WorldNotes& notes) {
  Snapshot gained{d.reach_gained, d.permissions_gained, d.findings_new};
  Snapshot lost{d.reach_lost, d.permissions_lost, d.findings_fixed};
  const nlohmann::json g = snapshotJson(gained), l = snapshotJson(lost);
  nlohmann::json j = {{"widened", d.widened()},
                      {"reachGained", g["reach"]}, {"reachLost", l["reach"]},
                      {"permissionsGained", g["permissions"]}, {"permissionsLost", l["permissions"]},
                      {"findingsNew", g["findings"]}, {"findingsFixed", l["findings"]}};
  if (!notes.unknown.empty()) j["unknownValues"] = notes.unknown;
  return j;
}

// Load warnings of both worlds, once each (the two sides of a plan repeat most of them).
void printWarnings(const WorldNotes& before, const WorldNotes& after, std::ostream& err) {
  std::set<std::string> seen;
  for (const Diagnostics* ds : {&after.warnings, &before.warnings}) {
    for (const Diagnostic& d : *ds) {
      if (seen.insert(d.code + "|" + d.message).second) err << formatDiagnostic(d) << "\n";
    }
  }
}

}  // namespace

int runDiff(const DiffOptions& o, std::ostream& out, std::ostream& err) {
  if (o.fail_on && *o.fail_on != "widened") {
    err << "trustsim diff: --fail-on takes `widened`\n";
    return kInputError;
  }
  const auto options = loadOptions(o.world, "diff", err);
  if (!options) return kInputError;
  const FileReader read = reader();
  const std::vector<std::string>& worlds = o.world.files;
  std::optional<Snapshot> before, after;
  WorldNotes before_notes, after_notes;
  const int modes = (o.baseline ? 1 : 0) + (o.patch ? 1 : 0) + (o.what_if ? 1 : 0) + (o.plan ? 1 : 0) +
                    (!o.before.empty() || !o.after.empty() ? 1 : 0);
  if (modes > 1) {
    err << "trustsim diff: give one of --baseline, --patch, --what-if, --plan, --before/--after, or two worlds\n";
    return kInputError;
  }
  if (o.baseline) {
    auto doc = readDocument(*o.baseline, read);
    if (!doc) {
      printDiagnostics(doc.error(), err);
      return kInputError;
    }
    auto snap = parseSnapshot(doc.value(), *o.baseline);
    if (!snap) {
      printDiagnostics(snap.error(), err);
      return kInputError;
    }
    before = std::move(snap).value();
    after = snapshotOf(loadWorld(worlds, read, *options), err, &after_notes);
  } else if (o.plan) {
    auto doc = readDocument(*o.plan, read);
    if (!doc) {
      printDiagnostics(doc.error(), err);
      return kInputError;
    }
    if (!load::isTerraformPlan(doc.value())) {
      err << "trustsim diff: --plan wants a Terraform plan as `terraform show -json plan.out` writes it; " << *o.plan
          << " is not one (give a state or any other world as a WORLD file)\n";
      return kInputError;
    }
    // The plan comes last: what it changes and destroys applies to the other files.
    std::vector<std::string> files = worlds;
    files.push_back(*o.plan);
    LoadOptions side = *options;
    side.plan_side = PlanSide::Before;
    before = snapshotOf(loadWorld(files, read, side), err, &before_notes);
    side.plan_side = PlanSide::After;
    after = snapshotOf(loadWorld(files, read, side), err, &after_notes);
    printWarnings(before_notes, after_notes, err);
  } else if (o.patch || o.what_if) {
    if (worlds.empty()) {
      err << "trustsim diff: give the world files the change applies to\n";
      return kInputError;
    }
    before = snapshotOf(loadWorld(worlds, read, *options), err, &before_notes);
    if (o.patch) {
      auto doc = readDocument(*o.patch, read);
      if (!doc) {
        printDiagnostics(doc.error(), err);
        return kInputError;
      }
      after = snapshotOf(loadWorldPatched(worlds, doc.value(), *o.patch, read, *options), err, &after_notes);
    } else {
      after = snapshotOf(loadWorldVariant(worlds, *o.what_if, read, *options), err, &after_notes);
    }
  } else {
    std::vector<std::string> b = o.before, a = o.after;
    if (b.empty() && a.empty()) {
      if (worlds.size() != 2) {
        err << "trustsim diff: give BEFORE and AFTER (each a file or a comma-separated list of files)\n";
        return kInputError;
      }
      b = splitList(worlds[0]);
      a = splitList(worlds[1]);
    }
    before = snapshotOf(loadWorld(b, read, *options), err, &before_notes);
    after = snapshotOf(loadWorld(a, read, *options), err, &after_notes);
  }
  if (!before || !after) return kInputError;
  // An entity the change removes is named where it was defined.
  after_notes.addresses.insert(before_notes.addresses.begin(), before_notes.addresses.end());
  const SnapshotDiff d = diffSnapshots(*before, *after);
  if (o.format == Format::Json) {
    out << jsonText(diffJson(d, after_notes), 2) << "\n";
  } else if (o.format == Format::Markdown) {
    diffMarkdown(d, after_notes, out);
  } else {
    diffText(d, after_notes, out);
  }
  return o.fail_on && d.widened() ? kDenied : kOk;
}

int runSnapshot(const SnapshotOptions& o, std::ostream& out, std::ostream& err) {
  const auto options = loadOptions(o.world, "snapshot", err);
  if (!options) return kInputError;
  const auto snap = snapshotOf(loadWorld(o.world.files, reader(), *options), err);
  if (!snap) return kInputError;
  const std::string text = jsonText(snapshotJson(*snap), 2) + "\n";
  if (o.output.empty() || o.output == "-") {
    out << text;
    return kOk;
  }
  std::ofstream f(o.output);
  if (!f) {
    err << "trustsim snapshot: cannot write " << o.output << "\n";
    return kInputError;
  }
  f << text;
  err << "snapshot of " << snap->reach.size() << " reach entries, " << snap->permissions.size() << " permissions, "
      << snap->findings.size() << " findings written to " << o.output << "\n";
  return kOk;
}

}  // namespace trustsim::cli
