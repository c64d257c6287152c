// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of the real `trustsim` binary on scenario folders: a passing suite, a failing
// suite, typos in expectations, what-ifs that widen and narrow access, a baseline round-trip,
// SARIF checked against the schema's required fields and JUnit read back by an XML parser.
// The binary runs in the repository root (so file names in its output are relative, as a user
// would see them); every test writes its outputs into its own temporary folder.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSeeds = "scenarios/seeds";
const std::string kSuites = "tests/fixtures/suites";
const std::string kFailingSuite = kSuites + "/failing";
const std::string kFailingFile = kFailingSuite + "/cross-account.json";

struct Result {
  int code = -1;
  std::string out, err;
};

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool hasLine(const std::string& text, const std::string& line) {
  const auto ls = lines(text);
  return std::find(ls.begin(), ls.end(), line) != ls.end();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "trustsim-e2e-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    tmp_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  fs::path tmp(const std::string& name) const { return tmp_ / name; }

  // Runs `trustsim ARGS...` in the repository root; stdout and stderr go to separate files.
  Result trustsim(const std::vector<std::string>& args) {
    const std::string out_path = (tmp_ / ("stdout." + std::to_string(runs_))).string();
    const std::string err_path = (tmp_ / ("stderr." + std::to_string(runs_))).string();
    ++runs_;
    std::vector<std::string> all = {TRUSTSIM_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (out < 0 || err < 0 || ::chdir(TRUSTSIM_SOURCE_DIR) != 0) ::_exit(127);
      ::dup2(out, STDOUT_FILENO);
      ::dup2(err, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    Result r;
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readFile(out_path);
    r.err = readFile(err_path);
    return r;
  }

 private:
  fs::path tmp_;
  int runs_ = 0;
};

std::string show(const Result& r) { return "exit " + std::to_string(r.code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err; }

json parseJson(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON:\n" << text;
  return j;
}

// Names of the expectations of a scenario file that apply to `variant` (no `when`, or a `when` naming it).
std::set<std::string> applicableNames(const std::string& file, const std::string& variant) {
  const json doc = json::parse(readFile(fs::path(TRUSTSIM_SOURCE_DIR) / file));
  std::set<std::string> names;
  for (const json& e : doc.at("expect")) {
    const json when = e.value("when", json::array());
    if (when.empty() || std::find(when.begin(), when.end(), variant) != when.end()) {
      names.insert(e.at("name").get<std::string>());
    }
  }
  return names;
}

// The expectations a `check --format json` run reported, as "file: name".
std::multiset<std::string> reportedNames(const json& report) {
  std::multiset<std::string> names;
  for (const json& s : report.at("suites")) {
    for (const json& r : s.at("results")) names.insert(s.at("file").get<std::string>() + ": " + r.at("name").get<std::string>());
  }
  return names;
}

using E2eCheck = E2eTest;
using E2eTypo = E2eTest;
using E2eWhatIf = E2eTest;
using E2eDiff = E2eTest;
using E2eBaseline = E2eTest;
using E2eSarif = E2eTest;
using E2eJunit = E2eTest;
using E2eQuery = E2eTest;

// --- a passing suite -------------------------------------------------------------------------

TEST_F(E2eCheck, SeedsPassAndEndWithTheSummaryLine) {
  const Result r = trustsim({"check", kSeeds});
  ASSERT_EQ(r.code, 0) << show(r);
  const auto ls = lines(r.out);
  ASSERT_FALSE(ls.empty());
  std::smatch m;
  ASSERT_TRUE(std::regex_match(ls.back(), m, std::regex(R"((\d+) passed, 0 failed)"))) << ls.back();
  EXPECT_GT(std::stoi(m[1]), 20);
  EXPECT_FALSE(contains(r.out, "FAIL")) << r.out;
}

TEST_F(E2eCheck, SeedsAsTap) {
  const Result r = trustsim({"check", kSeeds, "--format", "tap"});
  ASSERT_EQ(r.code, 0) << show(r);
  const auto ls = lines(r.out);
  ASSERT_GE(ls.size(), 2u);
  EXPECT_EQ(ls[0], "TAP version 13");
  std::size_t oks = 0;
  for (const std::string& l : ls) {
    EXPECT_NE(l.rfind("not ok", 0), 0u) << l;
    if (l.rfind("ok ", 0) == 0) ++oks;
  }
  EXPECT_GT(oks, 20u);
  EXPECT_TRUE(hasLine(r.out, "1.." + std::to_string(oks))) << r.out;
}

TEST_F(E2eCheck, SeedsAsJson) {
  const Result r = trustsim({"check", kSeeds, "--format", "json"});
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = parseJson(r.out);
  ASSERT_TRUE(j.is_object());
  ASSERT_TRUE(j.contains("passed") && j["passed"].is_number_integer());
  ASSERT_TRUE(j.contains("failed") && j["failed"].is_number_integer());
  EXPECT_GT(j["passed"].get<int>(), 20);
  EXPECT_EQ(j["failed"].get<int>(), 0);
  EXPECT_EQ(reportedNames(j).size(), j["passed"].get<std::size_t>());
}

// --- a failing suite -------------------------------------------------------------------------

TEST_F(E2eCheck, FailingSuiteExitsTwoAndSaysWhatFailed) {
  const Result r = trustsim({"check", kFailingSuite});
  ASSERT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(contains(r.out, "FAIL bob can deploy cross-account")) << r.out;
  EXPECT_TRUE(contains(r.out, "ok   bob is refused without an identity policy")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n\s+expected: allowed\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n\s+actual:\s+accessDenied: User: arn:aws:iam::111111111111:user/bob is not authorized to perform: sts:AssumeRole)")))
      << r.out;
  EXPECT_EQ(lines(r.out).back(), "1 passed, 2 failed");
}

// check takes --account and --parameter for the CloudFormation and Terraform worlds of its suites.
TEST_F(E2eCheck, CloudFormationWorldWithAccountAndParameter) {
  const std::string root = TRUSTSIM_SOURCE_DIR;
  const json suite = {
      {"format", "trustsim-expectations/1"},
      {"name", "microtica-template"},
      {"world", {root + "/scenarios/iac/microtica-cross-account-role.yaml", root + "/scenarios/iac/microtica-vendor.yaml"}},
      {"expect",
       {{{"name", "Microtica with the ExternalId the customer chose"},
         {"assume",
          {{"as", "arn:aws:iam::652222714481:role/MicroticaDeployer"},
           {"role", "arn:aws:iam::777788889999:role/MicroticaCrossAccountAccess"},
           {"externalId", "acme-chosen-secret-42"}}},
         {"outcome", "allowed"}},
        {{"name", "Microtica with another ExternalId"},
         {"assume",
          {{"as", "arn:aws:iam::652222714481:role/MicroticaDeployer"},
           {"role", "arn:aws:iam::777788889999:role/MicroticaCrossAccountAccess"},
           {"externalId", "someone-elses-id"}}},
         {"outcome", "accessDenied"}}}}};
  const fs::path file = tmp("microtica.expect.json");
  std::ofstream(file) << suite.dump(2);
  // Without them the template cannot be placed: an input error, not a pass.
  const Result bare = trustsim({"check", file.string()});
  EXPECT_EQ(bare.code, 1) << show(bare);
  const Result r = trustsim({"check", file.string(), "--account", "777788889999", "--parameter",
                             "ExternalId=acme-chosen-secret-42"});
  ASSERT_EQ(r.code, 0) << show(r);
  EXPECT_EQ(lines(r.out).back(), "2 passed, 0 failed") << r.out;
  const Result bad = trustsim({"check", file.string(), "--account", "7777"});
  EXPECT_EQ(bad.code, 1) << show(bad);
  EXPECT_TRUE(contains(bad.err, "--account wants a 12-digit account id")) << bad.err;
}

// --- typos in expectations are input errors, never a silent pass ------------------------------

TEST_F(E2eTypo, UnknownKeyNamesFileAndPointer) {
  const Result r = trustsim({"check", kSuites + "/typos/unknown-key.json"});
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_TRUE(contains(r.err, "typos/unknown-key.json:/expect/0/failedActoin:")) << r.err;
  EXPECT_TRUE(contains(r.err, "[expect.unknown_key]")) << r.err;
}

TEST_F(E2eTypo, UnknownOutcomeNamesFileAndPointer) {
  const Result r = trustsim({"check", kSuites + "/typos/unknown-outcome.json"});
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_TRUE(contains(r.err, "typos/unknown-outcome.json:/expect/0/outcome:")) << r.err;
  EXPECT_TRUE(contains(r.err, "alowed")) << r.err;
}

TEST_F(E2eTypo, UnknownFindingRuleNamesFileAndPointer) {
  const Result r = trustsim({"check", kSuites + "/typos/unknown-rule.json"});
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_TRUE(contains(r.err, "typos/unknown-rule.json:/expect/0/finding/rule:")) << r.err;
  EXPECT_TRUE(contains(r.err, "no-externalid")) << r.err;
}

TEST_F(E2eTypo, RoleMissingFromModelledAccountIsAnInputError) {
  const Result r = trustsim({"check", kSuites + "/typos/missing-role.json"});
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_TRUE(contains(r.err, "typos/missing-role.json:/expect/0")) << r.err;
  EXPECT_TRUE(contains(r.err, "role/Deplyo")) << r.err;
  EXPECT_FALSE(contains(r.out, "1 passed")) << r.out;
}

// --- check --what-if ---------------------------------------------------------------------------

TEST_F(E2eWhatIf, CheckRunsOnlyExpectationsForTheVariant) {
  for (const std::string variant : {"no-external-id", "revoked"}) {
    const std::string file = kSeeds + (variant == "revoked" ? "/microtica.json" : "/trelica.json");
    const Result r = trustsim({"check", file, "--what-if", variant, "--format", "json"});
    ASSERT_EQ(r.code, 0) << variant << "\n" << show(r);
    std::multiset<std::string> want;
    for (const std::string& n : applicableNames(file, variant)) want.insert(file + ": " + n);
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(reportedNames(parseJson(r.out)), want) << variant;
  }
}

TEST_F(E2eWhatIf, CheckSeedsFolderWithAVariant) {
  // A folder where only some scenarios define the variant: the others are no error.
  const Result r = trustsim({"check", kSeeds, "--what-if", "no-external-id", "--format", "json"});
  EXPECT_EQ(r.code, 0) << show(r);
  const json j = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << show(r);
  const std::multiset<std::string> got = reportedNames(j);
  EXPECT_EQ(got.count(kSeeds + "/trelica.json: the vendor is flagged without the ExternalId"), 1u) << r.out;
  EXPECT_EQ(got.count(kSeeds + "/trelica.json: Trelica gets in with our organisation ID"), 0u) << r.out;
  for (const json& s : j["suites"]) {
    const std::set<std::string> allowed = applicableNames(s["file"].get<std::string>(), "no-external-id");
    for (const json& res : s["results"]) EXPECT_EQ(allowed.count(res["name"].get<std::string>()), 1u) << res.dump();
  }
}

TEST_F(E2eWhatIf, CheckUnknownVariantIsAnInputError) {
  const Result r = trustsim({"check", kSeeds + "/trelica.json", "--what-if", "no-such-variant"});
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_TRUE(contains(r.err, "whatif.unknown")) << r.err;
  EXPECT_TRUE(contains(r.err, "no-such-variant")) << r.err;
}

// --- diff: what-if that widens, what-if that narrows, patches, two worlds ---------------------

const std::vector<std::string> kWiden = {"diff", kSeeds + "/trelica.json", "--what-if", "no-external-id"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST_F(E2eDiff, WhatIfThatWidensReportsTheNewFinding) {
  const Result text = trustsim(kWiden);
  ASSERT_EQ(text.code, 0) << show(text);
  EXPECT_TRUE(std::regex_search(text.out, std::regex(R"((^|\n)findings new:\n(  \+ .*\n)*  \+ high no-external-id: arn:aws:iam::111122223333:role/TrelicaIntegration)")))
      << text.out;
  const Result md = trustsim(with(kWiden, {"--format", "markdown"}));
  ASSERT_EQ(md.code, 0) << show(md);
  EXPECT_TRUE(contains(md.out, "| high | `no-external-id` | `arn:aws:iam::111122223333:role/TrelicaIntegration` |")) << md.out;
  const Result js = trustsim(with(kWiden, {"--format", "json"}));
  ASSERT_EQ(js.code, 0) << show(js);
  bool found = false;
  for (const json& f : parseJson(js.out).value("findingsNew", json::array())) found = found || f.value("rule", "") == "no-external-id";
  EXPECT_TRUE(found) << js.out;
}

// Dropping the ExternalId condition opens TrelicaIntegration to any principal of Trelica's account
// on behalf of any Trelica customer (the confused-deputy door): access that needs less is gained.
TEST_F(E2eDiff, WhatIfThatWidensFailsOnWidened) {
  const Result r = trustsim(with(kWiden, {"--fail-on", "widened"}));
  EXPECT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(contains(r.out, "reachability gained:\n")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"((^|\n)  \+ \S+ -> arn:aws:iam::111122223333:role/TrelicaIntegration)"))) << r.out;
}

TEST_F(E2eDiff, WhatIfThatWidensAsMarkdown) {
  const Result r = trustsim(with(kWiden, {"--format", "markdown"}));
  ASSERT_EQ(r.code, 0) << show(r);
  EXPECT_TRUE(contains(r.out, "widens access")) << r.out;
}

TEST_F(E2eDiff, WhatIfThatWidensAsJson) {
  const Result r = trustsim(with(kWiden, {"--format", "json"}));
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = parseJson(r.out);
  EXPECT_EQ(j.value("widened", json()), json(true)) << r.out;
  EXPECT_FALSE(j.value("reachGained", json::array()).empty()) << r.out;
}

TEST_F(E2eDiff, WhatIfThatNarrowsPassesFailOnWidened) {
  const Result r = trustsim({"diff", kSeeds + "/microtica.json", "--what-if", "revoked", "--fail-on", "widened"});
  ASSERT_EQ(r.code, 0) << show(r);
  EXPECT_TRUE(contains(r.out, "reachability lost:\n  - 652222714481 -> arn:aws:iam::777788889999:role/MicroticaCrossAccountAccess"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "reachability gained")) << r.out;
  EXPECT_FALSE(contains(r.out, "permissions gained")) << r.out;
  EXPECT_FALSE(std::regex_search(r.out, std::regex(R"((^|\n)  \+ )"))) << r.out;
}

TEST_F(E2eDiff, WhatIfThatNarrowsAsJson) {
  const Result r = trustsim({"diff", kSeeds + "/microtica.json", "--what-if", "revoked", "--format", "json"});
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = parseJson(r.out);
  EXPECT_EQ(j.value("widened", json()), json(false));
  EXPECT_TRUE(j.value("reachGained", json::array()).empty());
  EXPECT_EQ(j.value("reachLost", json::array()).size(), 2u) << r.out;
}

TEST_F(E2eDiff, PatchAddingAStarTrustShowsPublicTrust) {
  const Result r = trustsim({"diff", kSeeds + "/trelica.json", "--patch", kSuites + "/whatif/public-trust.patch.json", "--fail-on", "widened"});
  EXPECT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(contains(r.out, "  + * -> arn:aws:iam::111122223333:role/TrelicaIntegration")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(findings new:\n(  \+ .*\n)*  \+ critical public-trust: arn:aws:iam::111122223333:role/TrelicaIntegration)")))
      << r.out;
}

TEST_F(E2eDiff, PatchThatDoesNotApplyIsAnInputError) {
  const Result r = trustsim({"diff", kSeeds + "/trelica.json", "--patch", kSuites + "/whatif/missing-path.patch.json"});
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_TRUE(contains(r.err, "missing-path.patch.json")) << r.err;
  EXPECT_TRUE(contains(r.err, "[whatif.patch_failed]")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(E2eDiff, TwoWorldsWiden) {
  const Result r = trustsim({"diff", kSuites + "/worlds/before.json", kSuites + "/worlds/after.json", "--fail-on", "widened"});
  EXPECT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(hasLine(r.out, "  + 555555555555 -> arn:aws:iam::444444444444:role/CI")) << r.out;
  EXPECT_TRUE(contains(r.out, "+ high no-external-id: arn:aws:iam::444444444444:role/CI")) << r.out;
}

TEST_F(E2eDiff, TwoWorldsTheOtherWayNarrow) {
  const Result r = trustsim({"diff", kSuites + "/worlds/after.json", kSuites + "/worlds/before.json", "--fail-on", "widened"});
  EXPECT_EQ(r.code, 0) << show(r);
  EXPECT_TRUE(hasLine(r.out, "  - 555555555555 -> arn:aws:iam::444444444444:role/CI")) << r.out;
  EXPECT_FALSE(contains(r.out, "gained")) << r.out;
}

// --- baseline round-trip -----------------------------------------------------------------------

TEST_F(E2eBaseline, SnapshotThenDiffSameWorldIsNoChange) {
  const std::string snap = tmp("baseline.json").string();
  const Result s = trustsim({"snapshot", kSeeds + "/trusting-trusted.json", "-o", snap});
  ASSERT_EQ(s.code, 0) << show(s);
  ASSERT_TRUE(fs::exists(snap));
  EXPECT_EQ(parseJson(readFile(snap)).value("format", ""), "trustsim-snapshot/1");
  const Result d = trustsim({"diff", "--baseline", snap, kSeeds + "/trusting-trusted.json", "--fail-on", "widened"});
  EXPECT_EQ(d.code, 0) << show(d);
  EXPECT_EQ(d.out, "no change in reachability, permissions or findings\n");
}

TEST_F(E2eBaseline, SnapshotThenDiffModifiedWorldGainsReach) {
  const std::string snap = tmp("baseline.json").string();
  ASSERT_EQ(trustsim({"snapshot", kSeeds + "/trusting-trusted.json", "-o", snap}).code, 0);
  const Result d = trustsim({"diff", "--baseline", snap, kSuites + "/worlds/trusting-trusted-outsider-in-poc.json", "--fail-on", "widened"});
  EXPECT_EQ(d.code, 2) << show(d);
  EXPECT_TRUE(hasLine(d.out, "  + arn:aws:iam::123456789012:user/outsider -> arn:aws:iam::987654321098:role/my_cross_account_role"))
      << d.out;
  EXPECT_FALSE(contains(d.out, "reachability lost")) << d.out;
}

// --- SARIF -------------------------------------------------------------------------------------

TEST_F(E2eSarif, AuditHasSarifRequiredFields) {
  const Result r = trustsim({"audit", kSeeds + "/microtica.json", "--format", "sarif"});
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = parseJson(r.out);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.value("version", json()), json("2.1.0"));
  ASSERT_TRUE(j.contains("runs") && j["runs"].is_array() && !j["runs"].empty()) << r.out;
  const std::set<std::string> levels = {"none", "note", "warning", "error"};
  std::size_t results = 0, with_uri = 0;
  for (const json& run : j["runs"]) {
    ASSERT_TRUE(run.contains("tool") && run["tool"].contains("driver")) << run.dump();
    const json& driver = run["tool"]["driver"];
    ASSERT_TRUE(driver.contains("name") && driver["name"].is_string());
    EXPECT_EQ(driver["name"], "trustsim");
    std::vector<std::string> rule_ids;
    for (const json& rule : driver.value("rules", json::array())) {
      ASSERT_TRUE(rule.contains("id") && rule["id"].is_string()) << rule.dump();
      rule_ids.push_back(rule["id"].get<std::string>());
    }
    for (const json& res : run.value("results", json::array())) {
      ++results;
      ASSERT_TRUE(res.contains("message") && res["message"].contains("text") && res["message"]["text"].is_string()) << res.dump();
      EXPECT_FALSE(res["message"]["text"].get<std::string>().empty());
      ASSERT_TRUE(res.contains("ruleId") && res["ruleId"].is_string()) << res.dump();
      const std::string id = res["ruleId"].get<std::string>();
      EXPECT_NE(std::find(rule_ids.begin(), rule_ids.end(), id), rule_ids.end()) << id;
      if (res.contains("ruleIndex")) {
        const std::size_t i = res["ruleIndex"].get<std::size_t>();
        ASSERT_LT(i, rule_ids.size());
        EXPECT_EQ(rule_ids[i], id);
      }
      if (res.contains("level")) {
        EXPECT_EQ(levels.count(res["level"].get<std::string>()), 1u) << res["level"];
      }
      for (const json& loc : res.value("locations", json::array())) {
        if (!loc.contains("physicalLocation")) continue;
        const json& pl = loc["physicalLocation"];
        ASSERT_TRUE(pl.contains("artifactLocation") && pl["artifactLocation"].contains("uri")) << loc.dump();
        EXPECT_EQ(pl["artifactLocation"]["uri"], kSeeds + "/microtica.json");
        ++with_uri;
      }
    }
  }
  EXPECT_GT(results, 0u);
  EXPECT_EQ(with_uri, results) << "every microtica finding comes from a statement of the scenario file";
}

TEST_F(E2eSarif, FailOnMediumExitsThree) {
  const Result medium = trustsim({"audit", kSeeds + "/microtica.json", "--fail-on", "medium"});
  EXPECT_EQ(medium.code, 3) << show(medium);
  EXPECT_TRUE(contains(medium.out, "medium customer-chosen-external-id")) << medium.out;
  const Result high = trustsim({"audit", kSeeds + "/microtica.json", "--fail-on", "high"});
  EXPECT_EQ(high.code, 0) << show(high);
}

// --- JUnit -------------------------------------------------------------------------------------

TEST_F(E2eJunit, FailingSuiteReadsBackThroughAnXmlParser) {
  const std::string xml = tmp("junit.xml").string();
  const Result r = trustsim({"check", kFailingSuite, "--junit", xml});
  ASSERT_EQ(r.code, 2) << show(r);
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(xml.c_str());
  ASSERT_TRUE(parsed) << parsed.description() << "\n" << readFile(xml);
  const pugi::xml_node root = doc.document_element();
  ASSERT_STREQ(root.name(), "testsuites");
  ASSERT_TRUE(root.attribute("tests")) << readFile(xml);
  ASSERT_TRUE(root.attribute("failures")) << readFile(xml);
  EXPECT_EQ(root.attribute("tests").as_int(-1), 3);
  EXPECT_EQ(root.attribute("failures").as_int(-1), 2);
  int tests = 0, failures = 0;
  std::set<std::string> names;
  for (const pugi::xpath_node& n : doc.select_nodes("//testcase")) {
    const pugi::xml_node tc = n.node();
    ++tests;
    ASSERT_TRUE(tc.attribute("name"));
    names.insert(tc.attribute("name").value());
    if (const pugi::xml_node f = tc.child("failure")) {
      ++failures;
      ASSERT_TRUE(f.attribute("message"));
      EXPECT_TRUE(contains(f.attribute("message").value(), "allowed")) << f.attribute("message").value();
    }
  }
  EXPECT_EQ(tests, root.attribute("tests").as_int(-1));
  EXPECT_EQ(failures, root.attribute("failures").as_int(-1));
  EXPECT_EQ(names, (std::set<std::string>{"bob is refused without an identity policy", "bob can deploy cross-account",
                                          "bob <admin> & \"ops\" can deploy"}));
  const pugi::xml_node special = doc.select_node("//testcase[@name='bob <admin> & \"ops\" can deploy']").node();
  ASSERT_TRUE(special);
  EXPECT_TRUE(special.child("failure"));
  const pugi::xml_node passing = doc.select_node("//testcase[@name='bob is refused without an identity policy']").node();
  ASSERT_TRUE(passing);
  EXPECT_FALSE(passing.child("failure"));
}

// --- assume, who-can, reach ---------------------------------------------------------------------

const std::string kAccessServerCaller =
    "arn:aws:sts::123456789012:assumed-role/AccessServer-GetCredentialsFunctionServiceRole/AccessServer-GetCredentialsFunction";
const std::string kNoSourceIdentityRole = "arn:aws:iam::987654321098:role/access-server/NoSourceIdentity";
const std::vector<std::string> kAssumeNoSourceIdentity = {
    "assume", kSeeds + "/access-server.json", "--as", kAccessServerCaller, "--role", kNoSourceIdentityRole,
    "--external-id", "8dc4ebf8-4384-49d1-897f-1fcbf766ac9d", "--source-identity", "alice"};
const std::string kSetSourceIdentityMessage = "User: " + kAccessServerCaller +
                                              " is not authorized to perform: sts:SetSourceIdentity on resource: " +
                                              kNoSourceIdentityRole;

TEST_F(E2eQuery, AssumeWithoutSetSourceIdentityPrintsAwsMessage) {
  const Result r = trustsim(kAssumeNoSourceIdentity);
  EXPECT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(hasLine(r.out, "  AccessDenied: " + kSetSourceIdentityMessage)) << r.out;
}

TEST_F(E2eQuery, AssumeWithoutSetSourceIdentityAsJson) {
  const Result r = trustsim(with(kAssumeNoSourceIdentity, {"--format", "json"}));
  EXPECT_EQ(r.code, 2) << show(r);
  const json j = parseJson(r.out);
  EXPECT_EQ(j.value("decision", json()), json("accessDenied"));
  EXPECT_EQ(j.value("message", json()), json(kSetSourceIdentityMessage));
  ASSERT_TRUE(j.contains("hops") && j["hops"].is_array() && !j["hops"].empty()) << r.out;
  EXPECT_EQ(j["hops"][0].value("failedAction", json()), json("sts:SetSourceIdentity"));
}

TEST_F(E2eQuery, WhoCanListsCallersWithTheExternalIdCondition) {
  const Result r = trustsim({"who-can", kSeeds + "/trelica.json", "--action", "sts:AssumeRole", "--resource",
                          "arn:aws:iam::111122223333:role/TrelicaIntegration", "--format", "json"});
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = parseJson(r.out);
  ASSERT_TRUE(j.contains("callers") && j["callers"].is_array() && !j["callers"].empty()) << r.out;
  std::set<std::string> principals;
  for (const json& c : j["callers"]) {
    principals.insert(c.value("principal", ""));
    bool external_id = false;
    for (const json& cond : c.value("conditions", json::array())) {
      external_id = external_id || (cond.value("key", "") == "sts:ExternalId" && cond.value("value", "") == "trelica-org-7f3c2a91" &&
                                    contains(cond.value("text", ""), "ExternalId"));
    }
    EXPECT_TRUE(external_id) << c.dump(2);
  }
  EXPECT_EQ(principals, (std::set<std::string>{"377450845233", "arn:aws:iam::377450845233:role/TrelicaConnector"}));
}

TEST_F(E2eQuery, ReachAsDot) {
  const Result r = trustsim({"reach", kSeeds + "/trusting-trusted.json", "--format", "dot"});
  ASSERT_EQ(r.code, 0) << show(r);
  EXPECT_EQ(r.out.rfind("digraph", 0), 0u) << r.out.substr(0, 200);
  EXPECT_TRUE(contains(r.out, "my_cross_account_role")) << r.out;
}

TEST_F(E2eQuery, ReachAsSvg) {
  if (::access("/usr/bin/dot", X_OK) != 0) GTEST_SKIP() << "Graphviz (/usr/bin/dot) is not installed";
  const Result r = trustsim({"reach", kSeeds + "/trusting-trusted.json", "--format", "svg"});
  ASSERT_EQ(r.code, 0) << show(r);
  EXPECT_TRUE(contains(r.out, "<svg")) << r.out.substr(0, 500);
}

}  // namespace
