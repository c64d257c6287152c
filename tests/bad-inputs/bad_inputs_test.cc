// SPDX-License-Identifier: Apache-2.0
// The bad-inputs catalogue (tests/bad-inputs/MANIFEST.json, docs/hardening.md): the real `trustsim`
// binary on every broken file. A broken file must end with exit 1, a diagnostic line naming the
// file, the JSON pointer and the code, nothing on standard output, no crash, no sanitizer report
// and no hang. The few hostile but valid inputs must answer correctly within the same time limit.
// Huge and deeply nested files are generated at test time into the build folder.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSource = TRUSTSIM_SOURCE_DIR;
const fs::path kCatalogue = kSource / "tests" / "bad-inputs";
const fs::path kGenerated = TRUSTSIM_BAD_INPUTS_OUT;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- Generators: inputs too big to commit. Each writes one file and returns nothing.

using Generator = std::function<void(std::ostream&)>;

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Sizes of the huge inputs. A sanitizer build (Debug, -O0) runs 15 to 30 times slower, so there
// the huge strings are 10 MB instead of 50 MB and the dense graph has 100 roles instead of 200,
// keeping every case well inside the same 20 s limit.
// `audit` and `who-can` build the whole trust graph: linear, 0.3 s for the 1,000-role cycle in a
// release build, but 10 s in a sanitizer build; there they run on a 400-role cycle.
#ifdef TRUSTSIM_SANITIZED_BINARY
constexpr std::size_t kHuge = 10'000'000;
constexpr std::size_t kDenseRoles = 100;
constexpr std::size_t kGraphCycleRoles = 400;
#else
constexpr std::size_t kHuge = 50'000'000;
constexpr std::size_t kDenseRoles = 200;
constexpr std::size_t kGraphCycleRoles = 1000;
#endif

const std::string kScenarioHead =
    R"({"format": "trustsim-scenario/1", "accounts": [{"id": "111122223333", "owned": true}], )";
const std::string kTrust =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]})";

// A ring of `n` roles in one account: role i trusts role i-1 (and R0 trusts R{n-1}), and every
// role may call sts:AssumeRole on every role, so the trust graph is one cycle of n roles.
void roleCycle(std::ostream& out, std::size_t n) {
  out << kScenarioHead << R"("roles": [)";
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t prev = (i + n - 1) % n;
    out << (i ? ",\n" : "\n") << R"({"arn": "arn:aws:iam::111122223333:role/R)" << i
        << R"(", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/R)"
        << prev
        << R"("}, "Action": "sts:AssumeRole"}]}, "policies": [{"name": "hop", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/*"}]}}]})";
  }
  out << "]}\n";
}

const std::map<std::string, Generator>& generators() {
  static const std::map<std::string, Generator> kGenerators = {
      {"deep-arrays.json",
       [](std::ostream& o) { o << repeat("[", 100'000) << repeat("]", 100'000); }},
      {"deep-objects.json",
       [](std::ostream& o) { o << repeat(R"({"a": )", 100'000) << "1" << repeat("}", 100'000); }},
      {"deep-policy.json",
       [](std::ostream& o) {
         // Nesting inside a policy's condition value, below the roles array.
         o << kScenarioHead
           << R"("roles": [{"arn": "arn:aws:iam::111122223333:role/A", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"k": )"
           << repeat("[", 50'000) << repeat("]", 50'000) << "}}}]}}]}";
       }},
      {"deep-flow.yaml",
       [](std::ostream& o) {
         o << "format: trustsim-scenario/1\nroles: " << repeat("[", 100'000) << repeat("]", 100'000)
           << "\n";
       }},
      {"deep-block.yaml",
       [](std::ostream& o) {
         // 300 levels: past our limit (256), within yaml-cpp's (about 500).
         o << "format: trustsim-scenario/1\nname:\n";
         for (std::size_t i = 1; i <= 300; ++i) o << std::string(i, ' ') << "k:\n";
       }},
      {"deep-block-1000.yaml",
       [](std::ostream& o) {
         o << "format: trustsim-scenario/1\nname:\n";
         for (std::size_t i = 1; i <= 1000; ++i) o << std::string(i, ' ') << "k:\n";
       }},
      {"huge-string-arn.json",
       [](std::ostream& o) {
         // A huge role ARN: refused, and the message must not echo it back.
         o << kScenarioHead << R"("roles": [{"arn": "arn:aws:iam::111122223333:role/)"
           << std::string(kHuge, 'a') << R"(", "trustPolicy": )" << kTrust << "}]}";
       }},
      {"huge-string-unknown-key.json",
       [](std::ostream& o) {
         // A valid huge description, then a misspelt key: the error is found and reported.
         o << kScenarioHead << R"("description": ")" << std::string(kHuge, 'd')
           << R"(", "rolse": []})";
       }},
      {"huge-string-bad-utf8.json",
       [](std::ostream& o) {
         o << kScenarioHead << R"("name": ")" << std::string(kHuge, 'n') << "\xC3\x28"
           << R"("})";
       }},
      {"huge-yaml-string.yaml",
       [](std::ostream& o) {
         // 10 MB: yaml-cpp reads about 6 MB/s, so 50 MB would take 8 s before any check of ours.
         o << "format: trustsim-scenario/1\nname: " << std::string(10'000'000, 'y')
           << "\nrolse: []\n";
       }},
      {"many-errors.json",
       [](std::ostream& o) {
         // 100,000 malformed roles: every one is reported, quickly.
         o << kScenarioHead << R"("roles": [)";
         for (std::size_t i = 0; i < 100'000; ++i) o << (i ? ",1" : "1");
         o << "]}";
       }},
      {"role-cycle-1000.json", [](std::ostream& o) { roleCycle(o, 1000); }},
      {"role-cycle-graph.json", [](std::ostream& o) { roleCycle(o, kGraphCycleRoles); }},
      {"dense-trust.json",
       [](std::ostream& o) {
         // Every role trusts the account and may assume every role: a complete graph.
         o << kScenarioHead << R"("roles": [)";
         for (std::size_t i = 0; i < kDenseRoles; ++i) {
           o << (i ? ",\n" : "\n") << R"({"arn": "arn:aws:iam::111122223333:role/R)" << i
             << R"(", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}]}, "policies": [{"name": "hop", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}]})";
         }
         o << "]}\n";
       }},
      {"glob-bomb-cases.json",
       [](std::ostream& o) {
         // `*a*a*a...*ab` (5,000 stars, in one ARN segment) against a 1 MB resource of `a`s.
         o << R"({"format": "trustsim-cases/1", "cases": [{"id": "glob-bomb", "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/)"
           << std::string(1'000'000, 'a')
           << R"("}, "resourceAccount": "111122223333", "identityPolicies": [{"name": "p", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/)"
           << repeat("*a", 5'000) << R"(b"}]}}], "expected": "implicitDeny"}]})";
       }},
      {"glob-bomb-condition.json",
       [](std::ostream& o) {
         // The same glob as a StringLike condition value against a 1 MB context value.
         o << R"({"format": "trustsim-cases/1", "cases": [{"id": "glob-bomb-condition", "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key", "context": {"s3:prefix": ")"
           << std::string(1'000'000, 'a')
           << R"("}}, "resourceAccount": "111122223333", "identityPolicies": [{"name": "p", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": ")"
           << repeat("*a", 5'000) << R"(b"}}}]}}], "expected": "implicitDeny"}]})";
       }},
  };
  return kGenerators;
}

// The generated file's path, written on first use and again whenever this test program is newer
// (a generator may have changed); atomically, as tests run in parallel.
fs::path generated(const std::string& name) {
  const fs::path target = kGenerated / name;
  std::error_code ec;
  if (fs::exists(target) && fs::last_write_time(target) > fs::last_write_time("/proc/self/exe", ec))
    return target;
  const auto it = generators().find(name);
  if (it == generators().end()) {
    ADD_FAILURE() << "no generator " << name;
    return target;
  }
  fs::create_directories(kGenerated);
  const fs::path tmp = kGenerated / (name + ".tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary);
    it->second(out);
  }
  fs::rename(tmp, target);
  return target;
}

// ---- Running the binary.

struct Outcome {
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it
  bool timed_out = false;  // killed at the limit
  double seconds = 0;
  std::string out, err;
};

std::chrono::seconds timeLimit() {
  const char* env = std::getenv("TRUSTSIM_BAD_INPUT_TIMEOUT");
  return std::chrono::seconds(env != nullptr ? std::atoi(env) : 20);
}

Outcome runTrustsim(const std::vector<std::string>& args, const fs::path& scratch) {
  const std::string out_path = (scratch / "stdout").string();
  const std::string err_path = (scratch / "stderr").string();
  std::vector<std::string> all = {TRUSTSIM_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0 || ::chdir(TRUSTSIM_SOURCE_DIR) != 0) ::_exit(127);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  Outcome r;
  if (pid < 0) return r;
  int status = 0;
  const auto deadline = start + timeLimit();
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = readFile(out_path);
  r.err = readFile(err_path);
  return r;
}

std::string head(const std::string& text, std::size_t n = 2000) {
  return text.size() <= n ? text
                          : text.substr(0, n) + "... (" + std::to_string(text.size()) + " bytes)";
}

// ---- The manifest.

struct Case {
  std::string name;
  json spec;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

const json& manifest() {
  static const json kManifest = json::parse(readFile(kCatalogue / "MANIFEST.json"));
  return kManifest;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const json& c : manifest().at("cases")) out.push_back({c.at("name").get<std::string>(), c});
  return out;
}

// The path to give the binary (relative to the repository root for committed files, as users see
// them in messages; absolute for generated ones).
std::string inputPath(const json& spec) {
  if (spec.contains("generate")) return generated(spec.at("generate").get<std::string>()).string();
  if (spec.contains("file"))
    return (fs::path("tests/bad-inputs") / spec.at("file").get<std::string>()).string();
  return "";  // the command line names what it needs
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class BadInput : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "trustsim-bad-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    scratch_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }
  fs::path scratch_;
};

TEST_P(BadInput, FailsCleanly) {
  const json& spec = GetParam().spec;
  const std::string file = inputPath(spec);
  std::vector<std::string> args;
  for (const json& a : spec.at("args")) {
    std::string arg = a.get<std::string>();
    if (const auto at = arg.find("{file}"); at != std::string::npos) arg.replace(at, 6, file);
    for (auto at = arg.find("{xff}"); at != std::string::npos; at = arg.find("{xff}"))
      arg.replace(at, 5, "\xff");
    args.push_back(arg);
  }
  const Outcome r = runTrustsim(args, scratch_);
  const std::string shown = "trustsim " + ::testing::PrintToString(args) + " (" +
                            std::to_string(r.seconds) + " s)\n--- stdout\n" + head(r.out) +
                            "\n--- stderr\n" + head(r.err);

  ASSERT_FALSE(r.timed_out) << "no answer within " << timeLimit().count() << " s: " << shown;
  ASSERT_EQ(r.signal, 0) << "killed by signal " << r.signal << ": " << shown;
  for (const char* report :
       {"AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer"}) {
    EXPECT_EQ(r.err.find(report), std::string::npos) << "sanitizer report: " << shown;
  }
  const int want_exit = spec.value("exit", 1);
  EXPECT_EQ(r.exit_code, want_exit) << shown;

  if (want_exit == 1) {
    EXPECT_TRUE(r.out.empty()) << "partial output on stdout: " << shown;
    const bool uses_code = !spec.at("code").is_null();
    if (uses_code) {
      // The diagnostic line: `FILE:POINTER: error: message [CODE]` (`FILE: error: ...` at the
      // root).
      const std::string in =
          spec.contains("in")
              ? (fs::path("tests/bad-inputs") / spec.at("in").get<std::string>()).string()
              : file;
      const std::string code = spec.at("code").get<std::string>();
      std::string start;
      bool exact = true;
      if (spec.contains("pointer_prefix")) {
        start = in + ":" + spec.at("pointer_prefix").get<std::string>();
        exact = false;
      } else {
        const std::string pointer = spec.at("pointer").get<std::string>();
        start = in + (pointer.empty() ? "" : ":" + pointer) + ": error: ";
      }
      const auto ls = lines(r.err);
      const bool found = std::any_of(ls.begin(), ls.end(), [&](const std::string& l) {
        return l.rfind(start, 0) == 0 && endsWith(l, "[" + code + "]") &&
               (exact || l.find(": error: ") != std::string::npos);
      });
      EXPECT_TRUE(found) << "no line starting `" << start << "` and ending `[" << code
                         << "]`: " << shown;
      // Messages quote input, but never a whole huge value.
      for (const std::string& l : ls) {
        EXPECT_LE(l.size(), 20'000u)
            << "a diagnostic line of " << l.size() << " bytes: " << head(l, 300);
      }
    }
    for (const json& s : spec.value("stderr_contains", json::array())) {
      EXPECT_NE(r.err.find(s.get<std::string>()), std::string::npos)
          << "stderr lacks `" << s.get<std::string>() << "`: " << shown;
    }
  } else {
    for (const json& s : spec.value("stdout_contains", json::array())) {
      EXPECT_NE(r.out.find(s.get<std::string>()), std::string::npos)
          << "stdout lacks `" << s.get<std::string>() << "`: " << shown;
    }
  }
  if (spec.contains("max_seconds")) {
    EXPECT_LE(r.seconds, spec.at("max_seconds").get<double>()) << shown;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

TEST(BadInputsManifest, HasAtLeastFiftyBrokenFiles) {
  std::size_t broken = 0;
  for (const Case& c : cases()) broken += c.spec.value("exit", 1) == 1;
  EXPECT_GE(broken, 50u);
}

TEST(BadInputsManifest, EveryFileIsCatalogued) {
  // A file added without a manifest entry would never run; an entry naming a missing file fails.
  std::set<std::string> listed;
  std::set<std::string> names;
  for (const Case& c : cases()) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate name " << c.name;
    EXPECT_TRUE(c.spec.contains("why")) << c.name << " says nothing about why it is there";
    EXPECT_TRUE(c.spec.contains("code")) << c.name << " has no `code` (null for none)";
    if (c.spec.contains("file")) {
      listed.insert(c.spec.at("file").get<std::string>());
      EXPECT_TRUE(fs::is_regular_file(kCatalogue / c.spec.at("file").get<std::string>())) << c.name;
    } else if (!c.spec.contains("generate")) {
      EXPECT_EQ(c.spec.at("args").dump().find("{file}"), std::string::npos)
          << c.name << " uses {file} but has no input";
    }
  }
  for (const auto& f : fs::recursive_directory_iterator(kCatalogue)) {
    if (!f.is_regular_file()) continue;
    const std::string rel = fs::relative(f.path(), kCatalogue).string();
    if (rel == "MANIFEST.json" || rel == "README.md" || rel == "bad_inputs_test.cc") continue;
    EXPECT_TRUE(listed.count(rel)) << rel << " is not in MANIFEST.json";
  }
}

}  // namespace
