// SPDX-License-Identifier: Apache-2.0
// The documentation's examples are tests: every ```console block in docs/**/*.md is run with the
// real `trustsim` binary in the repository root, and its stdout (and exit code, when the block
// states one) must equal what the block shows. One test per document; failures name the line.
//
// A block looks like this (the `# exit` line is optional):
//   ```console
//   $ trustsim audit scenarios/seeds/trelica.json --fail-on low
//   # exit 3
//   <stdout, line by line>
//   ```
// TRUSTSIM_UPDATE_DOCS=1 rewrites each block's output and exit line from a fresh run (review the
// diff: the docs are the spec of what users see).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = TRUSTSIM_SOURCE_DIR;
const std::string kBinary = TRUSTSIM_BINARY;
constexpr std::string_view kPrompt = "$ trustsim";
constexpr std::string_view kExitPrefix = "# exit ";

struct Block {
  std::size_t line = 0;          // 1-based line of the command
  std::string args;              // what follows `$ trustsim`
  std::optional<int> exit_code;  // from `# exit N`
  std::size_t first_output = 0;  // 0-based index of the first output line in the file
  std::size_t end = 0;           // 0-based index of the closing fence
  std::vector<std::string> output;
};

struct CommandRun {
  int code = -1;
  std::string out;
};

std::vector<std::string> readLines(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Every ```console block; `problems` gets the blocks that break the format.
std::vector<Block> findBlocks(const std::vector<std::string>& lines, std::vector<std::string>& problems) {
  std::vector<Block> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "```console") continue;
    Block b;
    b.line = i + 2;
    std::size_t j = i + 1;
    if (j >= lines.size() || lines[j].rfind(kPrompt, 0) != 0 ||
        (lines[j].size() > kPrompt.size() && lines[j][kPrompt.size()] != ' ')) {
      problems.push_back(std::to_string(i + 1) + ": a console block starts with `$ trustsim ...`");
      continue;
    }
    b.args = lines[j].substr(kPrompt.size());
    ++j;
    if (j < lines.size() && lines[j].rfind(kExitPrefix, 0) == 0) {
      b.exit_code = std::atoi(lines[j].c_str() + kExitPrefix.size());
      ++j;
    }
    b.first_output = j;
    while (j < lines.size() && lines[j] != "```") b.output.push_back(lines[j++]);
    if (j >= lines.size()) {
      problems.push_back(std::to_string(i + 1) + ": the console block is not closed");
      break;
    }
    b.end = j;
    out.push_back(std::move(b));
    i = j;
  }
  return out;
}

// Plain arguments and quotes only: no pipes, redirections, substitutions, globs or variables, so
// that what the block shows is exactly what a user types and sees.
bool plainArguments(const std::string& args, std::string& why) {
  char quote = 0;
  for (char c : args) {
    if (quote == '\'') {
      if (c == '\'') quote = 0;
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (std::string_view("$`\\!").find(c) != std::string_view::npos) {
        why = std::string("`") + c + "` inside double quotes";
        return false;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (std::string_view("|&;<>()$`\\*?[]{}~#!\t").find(c) != std::string_view::npos) {
      why = std::string("shell character `") + c + "` (quote it, or keep the example simple)";
      return false;
    }
  }
  if (quote != 0) {
    why = "unbalanced quote";
    return false;
  }
  return true;
}

CommandRun runTrustsim(const std::string& args) {
  const std::string cmd = "cd '" + kRoot.string() + "' && '" + kBinary + "'" + args + " 2>/dev/null; echo \"__EXIT=$?\"";
  CommandRun r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  ::pclose(pipe);
  const std::size_t mark = r.out.rfind("__EXIT=");
  if (mark != std::string::npos) {
    r.code = std::atoi(r.out.c_str() + mark + 7);
    r.out.erase(mark);
  }
  return r;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<fs::path> documents() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(kRoot / "docs", ec)) {
    if (e.is_regular_file() && e.path().extension() == ".md") out.push_back(fs::relative(e.path(), kRoot));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string testName(const fs::path& doc) {
  std::string name;
  for (char c : doc.lexically_relative("docs").string()) {
    name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return name;
}

class DocsTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(DocsTest, ConsoleBlocksShowRealOutput) {
  const fs::path doc = GetParam();
  std::vector<std::string> lines = readLines(kRoot / doc);
  std::vector<std::string> problems;
  const std::vector<Block> blocks = findBlocks(lines, problems);
  for (const std::string& p : problems) ADD_FAILURE() << doc.string() << ":" << p;
  const bool update = std::getenv("TRUSTSIM_UPDATE_DOCS") != nullptr;
  // Rewrites go bottom-up so that earlier blocks keep their line numbers.
  std::vector<std::pair<const Block*, CommandRun>> rewrites;
  for (const Block& b : blocks) {
    std::string why;
    if (!plainArguments(b.args, why)) {
      ADD_FAILURE() << doc.string() << ":" << b.line << ": `$ trustsim" << b.args << "`: " << why;
      continue;
    }
    const CommandRun r = runTrustsim(b.args);
    if (update) {
      rewrites.emplace_back(&b, r);
      continue;
    }
    EXPECT_EQ(joined(b.output), r.out) << doc.string() << ":" << b.line << ": stdout of `trustsim" << b.args
                                       << "` differs from the block (TRUSTSIM_UPDATE_DOCS=1 rewrites it)";
    if (b.exit_code) {
      EXPECT_EQ(*b.exit_code, r.code) << doc.string() << ":" << b.line << ": exit code of `trustsim" << b.args << "`";
    }
  }
  if (update && !rewrites.empty()) {
    for (auto it = rewrites.rbegin(); it != rewrites.rend(); ++it) {
      const Block& b = *it->first;
      const CommandRun& r = it->second;
      std::vector<std::string> fresh = splitLines(r.out);
      // Keep an exit line where the block had one, and add it wherever the command does not exit 0.
      std::size_t from = b.first_output;
      if (b.exit_code) --from;
      if (b.exit_code || r.code != 0) fresh.insert(fresh.begin(), std::string(kExitPrefix) + std::to_string(r.code));
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(from), lines.begin() + static_cast<std::ptrdiff_t>(b.end));
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(from), fresh.begin(), fresh.end());
    }
    std::ofstream out(kRoot / doc, std::ios::binary);
    out << joined(lines);
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, DocsTest, ::testing::ValuesIn(documents()),
                         [](const ::testing::TestParamInfo<fs::path>& info) { return testName(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DocsTest);

}  // namespace
