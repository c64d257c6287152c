// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `trustsim generate`, `export` and `profile` with the real binary: folders
// refused and replaced, byte-identical reruns, bad arguments, GraphML read back by pugixml, Neo4j
// CSV headers, profile's JSON with every phase, and audit on the generated files.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int code = -1;
  std::string out, err;
};

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::map<std::string, std::string> readFolder(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = readFile(e.path());
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class GenCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "trustsim-gen-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    tmp_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
  fs::path tmp(const std::string& name) const { return tmp_ / name; }

  // Runs `trustsim ARGS...` in the repository root, stdout and stderr to files.
  Outcome trustsim(std::vector<std::string> args) {
    const std::string out_path = (tmp_ / ("stdout." + std::to_string(runs_))).string();
    const std::string err_path = (tmp_ / ("stderr." + std::to_string(runs_))).string();
    ++runs_;
    args.insert(args.begin(), TRUSTSIM_BINARY);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
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
    Outcome r;
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readFile(out_path);
    r.err = readFile(err_path);
    return r;
  }

  // A small organisation in tmp/org (3 accounts x 12 roles).
  fs::path generated() {
    const fs::path dir = tmp("org");
    const Outcome r = trustsim({"generate", "--accounts", "3", "--roles-per-account", "12", "--seed", "9", "-o", dir.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    return dir;
  }

 private:
  fs::path tmp_;
  int runs_ = 0;
};

std::string show(const Outcome& r) { return "exit " + std::to_string(r.code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err; }

TEST_F(GenCli, GenerateWritesDumpsOrganisationAndManifest) {
  const fs::path dir = generated();
  const auto files = readFolder(dir);
  std::size_t accounts = 0, orgs = 0;
  for (const auto& [name, text] : files) {
    accounts += name.rfind("account_", 0) == 0;
    orgs += name.rfind("org_o-", 0) == 0;
  }
  EXPECT_EQ(accounts, 3u);
  EXPECT_EQ(orgs, 1u);
  EXPECT_TRUE(files.count("manifest.yaml"));
  EXPECT_TRUE(files.count("README.txt"));
}

TEST_F(GenCli, GenerateRefusesANonEmptyFolderUnlessForced) {
  const fs::path dir = generated();
  const auto first = readFolder(dir);
  const std::vector<std::string> again = {"generate", "--accounts", "3", "--roles-per-account", "12", "--seed", "9", "-o", dir.string()};
  const Outcome refused = trustsim(again);
  EXPECT_EQ(refused.code, 1) << show(refused);
  EXPECT_TRUE(contains(refused.err, "is not empty")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "--force")) << refused.err;
  // --force replaces what generate wrote (a smaller org leaves no stale account file) and keeps
  // other files.
  std::ofstream(dir / "notes.md") << "mine\n";
  std::vector<std::string> forced = again;
  forced[2] = "2";
  forced.push_back("--force");
  const Outcome r = trustsim(forced);
  ASSERT_EQ(r.code, 0) << show(r);
  const auto second = readFolder(dir);
  std::size_t accounts = 0;
  for (const auto& [name, text] : second) accounts += name.rfind("account_", 0) == 0;
  EXPECT_EQ(accounts, 2u);
  EXPECT_EQ(second.at("notes.md"), "mine\n");
  // Same arguments again: byte-identical files.
  fs::remove(dir / "notes.md");
  forced[2] = "3";
  ASSERT_EQ(trustsim(forced).code, 0);
  EXPECT_TRUE(readFolder(dir) == first);
}

TEST_F(GenCli, GenerateBadArguments) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::ofstream(tmp("file")) << "x";
  const std::vector<Case> cases = {
      {{"--accounts", "0", "--roles-per-account", "5", "-o", tmp("a").string()}, "generate.invalid_accounts"},
      {{"--accounts", "2", "--roles-per-account", "0", "-o", tmp("a").string()}, "generate.invalid_roles"},
      {{"--accounts", "2", "--roles-per-account", "6000", "-o", tmp("a").string()}, "IAM's limit"},
      {{"--accounts", "2", "--roles-per-account", "5"}, "-o DIR"},
      {{"--accounts", "2", "--roles-per-account", "5", "-o", tmp("file").string()}, "is not a folder"},
      {{"--accounts", "2", "--roles-per-account", "5", "-o", (tmp("file") / "sub").string()}, "cannot create"},
      {{"--accounts", "-3", "--roles-per-account", "5", "-o", tmp("a").string()}, "--accounts"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"generate"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const Outcome r = trustsim(args);
    EXPECT_EQ(r.code, 1) << show(r);
    EXPECT_TRUE(contains(r.err, c.message)) << c.message << "\n" << show(r);
  }
  EXPECT_FALSE(fs::exists(tmp("a"))) << "bad arguments create no folder";
}

TEST_F(GenCli, GenerateDryRunAndJsonSummary) {
  const Outcome r = trustsim({"generate", "--accounts", "4", "--roles-per-account", "10", "--dry-run", "--format", "json"});
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["roles"], 40);
  EXPECT_EQ(j["accounts"], 4);
  EXPECT_FALSE(j.contains("folder"));
  EXPECT_GT(j["planted"].size(), 0u);
  EXPECT_GT(j["dumpBytes"].get<std::uint64_t>(), 0u);
}

TEST_F(GenCli, AuditFindsWhatWasPlanted) {
  const fs::path dir = generated();
  std::vector<std::string> args = {"audit", "--format", "json"};
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") args.push_back(e.path().string());
  }
  const Outcome r = trustsim(args);
  ASSERT_EQ(r.code, 0) << show(r);
  const json findings = json::parse(r.out);
  const Outcome summary = trustsim({"generate", "--accounts", "3", "--roles-per-account", "12", "--seed", "9", "--dry-run", "--format", "json"});
  const json planted = json::parse(summary.out)["planted"];
  ASSERT_FALSE(planted.empty());
  for (const json& p : planted) {
    bool found = false;
    for (const json& f : findings["findings"]) found = found || (f["rule"] == p["rule"] && f["resource"] == p["resource"]);
    EXPECT_TRUE(found) << p.dump();
  }
}

TEST_F(GenCli, ExportGraphmlAndNeo4j) {
  const fs::path dir = generated();
  const Outcome g = trustsim({"export", "--format", "graphml", dir.string(), "-o", tmp("trust.graphml").string()});
  ASSERT_EQ(g.code, 0) << show(g);
  EXPECT_TRUE(contains(g.out, "GraphML"));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file(tmp("trust.graphml").c_str()));
  std::size_t nodes = 0, edges = 0;
  for (pugi::xml_node n : doc.child("graphml").child("graph").children()) {
    nodes += std::string(n.name()) == "node";
    edges += std::string(n.name()) == "edge";
  }
  EXPECT_GT(nodes, 36u);
  EXPECT_GT(edges, 0u);
  EXPECT_TRUE(contains(g.out, std::to_string(nodes) + " nodes and " + std::to_string(edges) + " edges"));

  // GraphML on standard output by default: the same document.
  const Outcome s = trustsim({"export", "--format", "graphml", dir.string()});
  ASSERT_EQ(s.code, 0);
  EXPECT_EQ(s.out, readFile(tmp("trust.graphml")));

  const Outcome n = trustsim({"export", "--format", "neo4j-csv", dir.string(), "-o", tmp("neo4j").string()});
  ASSERT_EQ(n.code, 0) << show(n);
  EXPECT_TRUE(contains(n.out, "neo4j-admin database import full"));
  const std::string node_csv = readFile(tmp("neo4j") / "nodes.csv");
  const std::string rel_csv = readFile(tmp("neo4j") / "relationships.csv");
  EXPECT_EQ(node_csv.substr(0, node_csv.find('\n')), "id:ID,:LABEL,kind,account,label,ours:boolean");
  EXPECT_EQ(rel_csv.rfind(":START_ID,:END_ID,:TYPE,", 0), 0u);
  EXPECT_EQ(static_cast<std::size_t>(std::count(node_csv.begin(), node_csv.end(), '\n')), nodes + 1);
  EXPECT_EQ(static_cast<std::size_t>(std::count(rel_csv.begin(), rel_csv.end(), '\n')), edges + 1);

  const Outcome bad = trustsim({"export", "--format", "neo4j-csv", dir.string()});
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(contains(bad.err, "-o DIR"));
  const Outcome unknown = trustsim({"export", "--format", "gexf", dir.string()});
  EXPECT_EQ(unknown.code, 1);
}

TEST_F(GenCli, ProfileReportsEveryPhase) {
  const fs::path dir = generated();
  const Outcome r = trustsim({"profile", dir.string(), "--format", "json", "--who-can-sample", "5"});
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = json::parse(r.out);
  std::vector<std::string> names;
  for (const json& p : j["phases"]) {
    names.push_back(p["name"]);
    EXPECT_GE(p["seconds"].get<double>(), 0.0);
    EXPECT_GT(p["peakRssMB"].get<double>(), 0.0);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"load", "simulator", "graph", "audit", "who-can", "who-can-sample"}));
  EXPECT_EQ(j["files"], 4);
  EXPECT_EQ(j["counts"]["roles"], 36);
  EXPECT_EQ(j["counts"]["accounts"], 3);
  EXPECT_GT(j["counts"]["graphEdges"].get<int>(), 0);
  EXPECT_GT(j["counts"]["findings"].get<int>(), 0);
  EXPECT_GT(j["counts"]["whoCanAnswers"].get<int>(), 0);
  EXPECT_EQ(j["whoCanSample"]["roles"], 5);
  EXPECT_EQ(j["whoCanSample"]["disagreementsWithBatch"], 0);
  EXPECT_GT(j["inputBytes"].get<std::uint64_t>(), 0u);
  EXPECT_GT(j["peakRssMB"].get<double>(), 0.0);

  const Outcome text = trustsim({"profile", dir.string(), "--who-can-sample", "0"});
  ASSERT_EQ(text.code, 0) << show(text);
  for (const char* part : {"load", "simulator", "graph", "audit", "who-can", "peak RSS", "MB/s"}) {
    EXPECT_TRUE(contains(text.out, part)) << part << "\n" << text.out;
  }
  EXPECT_FALSE(contains(text.out, "who-can-sample"));
}

TEST_F(GenCli, FoldersWithoutJsonAreRefused) {
  fs::create_directories(tmp("empty"));
  const Outcome r = trustsim({"profile", tmp("empty").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "holds no .json files")) << r.err;
}

}  // namespace
