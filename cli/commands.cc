// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>

#include "report/decision_report.h"
#include "trustsim/cases.h"
#include "trustsim/evaluate.h"

namespace trustsim::cli {

bool readInput(const std::string& path, std::istream& in, std::string& text, std::string& error) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    return true;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    error = path + ": no such file";
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error = path + ": is a directory, not a file";
    return false;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = path + ": cannot be read";
    return false;
  }
  text.resize(static_cast<std::size_t>(st.st_size));
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() == static_cast<std::size_t>(st.st_size)) {
    // Files that grow while read (pipes, /proc) keep going.
    text.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  return true;
}

std::string jsonText(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

int runEval(const EvalOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  std::string text, read_error;
  if (!readInput(options.file, in, text, read_error)) {
    err << "trustsim eval: " << read_error << "\n";
    return kInputError;
  }
  const std::string file = options.file == "-" ? "<stdin>" : options.file;
  auto cases = loadCases(text, file);
  if (!cases) {
    for (const Diagnostic& d : cases.error()) {
      err << formatDiagnostic(d) << "\n";
    }
    err << "trustsim eval: " << cases.error().size() << " error(s) in " << file << "\n";
    return kInputError;
  }
  std::size_t passed = 0, failed = 0;
  trustsim::EvalOptions eval_options;
  eval_options.trace = options.explain;
  for (const RequestCase& c : cases.value()) {
    const Decision d = evaluate(c.request, c.policySet(), eval_options);
    const bool judged = options.expect && c.expected.has_value();
    const bool pass = !judged || *c.expected == d.outcome;
    if (judged) {
      (pass ? passed : failed)++;
    }
    if (options.format == Format::Json) {
      nlohmann::json j = {{"id", c.id}};
      j.update(report::decisionJson(d, options.explain));
      if (judged) {
        j["expected"] = std::string(toString(*c.expected));
        j["pass"] = pass;
      }
      out << jsonText(j) << "\n";
    } else if (!options.expect || !pass || options.explain) {
      if (judged && !pass) {
        out << "FAIL " << c.id << ": expected " << toString(*c.expected) << ", got "
            << report::decisionText(d, options.explain) << "\n";
        if (!c.description.empty()) {
          out << "    (" << c.description << ")\n";
        }
      } else {
        out << c.id << ": " << report::decisionText(d, options.explain) << "\n";
      }
    }
  }
  if (options.expect) {
    const std::size_t unjudged = cases.value().size() - passed - failed;
    if (options.format == Format::Json) {
      out << jsonText(nlohmann::json{
                 {"summary",
                  {{"passed", passed}, {"failed", failed}, {"noExpectation", unjudged}}}})
          << "\n";
    }
    std::ostream& summary = options.format == Format::Json ? err : out;
    if (unjudged > 0) {
      summary << unjudged << " case(s) without `expected` were not judged\n";
    }
    summary << passed << " passed, " << failed << " failed\n";
    return failed > 0 ? kDenied : kOk;
  }
  return kOk;
}

}  // namespace trustsim::cli
