// SPDX-License-Identifier: Apache-2.0
// Evaluations per second over the request-case corpus, single thread, parsing excluded.
// Run: build/bench/trustsim_bench [--benchmark_filter=Trust]
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "trustsim/cases.h"
#include "trustsim/wildcard.h"

namespace {

namespace fs = std::filesystem;
using namespace trustsim;

struct Corpus {
  std::vector<RequestCase> cases;
  std::vector<std::size_t> trust;  // indexes of sts: role-action cases with valid policies
  std::vector<std::size_t> all;
  std::vector<PolicySet> sets;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(TRUSTSIM_SOURCE_DIR) / "tests" / "corpus")) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& p : files) {
      std::ifstream in(p);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto loaded = loadCases(text, p.string());
      if (!loaded) continue;
      for (RequestCase& rc : loaded.value()) out.cases.push_back(std::move(rc));
    }
    for (std::size_t i = 0; i < out.cases.size(); ++i) {
      out.sets.push_back(out.cases[i].policySet());
      const bool valid = out.cases[i].expected != Outcome::InvalidPolicy;
      if (!valid) continue;
      out.all.push_back(i);
      if (isRoleTrustAction(out.cases[i].request.action)) out.trust.push_back(i);
    }
    return out;
  }();
  return c;
}

void run(benchmark::State& state, const std::vector<std::size_t>& which) {
  const Corpus& c = corpus();
  std::vector<Caller> callers;
  for (std::size_t i : which) {
    callers.push_back(*parseCaller(c.cases[i].request.principal, c.cases[i].request.action));
  }
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t i = which[k];
    benchmark::DoNotOptimize(evaluate(c.cases[i].request, callers[k], c.sets[i]));
    k = k + 1 == which.size() ? 0 : k + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cases"] = static_cast<double>(which.size());
}

void BM_EvaluateTrustCases(benchmark::State& state) { run(state, corpus().trust); }
void BM_EvaluateAllCases(benchmark::State& state) { run(state, corpus().all); }

// Caller parsing included (what `trustsim eval` pays per case).
void BM_EvaluateTrustCasesWithCallerParse(benchmark::State& state) {
  const Corpus& c = corpus();
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t i = c.trust[k];
    benchmark::DoNotOptimize(evaluate(c.cases[i].request, c.sets[i]));
    k = k + 1 == c.trust.size() ? 0 : k + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_PathologicalGlob(benchmark::State& state) {
  const Wildcard w = Wildcard::compile("*a*a*a*a*a*a*a*a*b", Wildcard::Mode::Plain);
  const std::string text(100000, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(w.matches(text));
  state.SetBytesProcessed(state.iterations() * static_cast<long>(text.size()));
}

void BM_PathologicalResourceGlob(benchmark::State& state) {
  const Wildcard w = Wildcard::compile("arn:aws:s3:::a*a*a*a*a*a*a*a*b:x", Wildcard::Mode::ResourceArn);
  const std::string text = "arn:aws:s3:::" + std::string(100000, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(w.matches(text));
  state.SetBytesProcessed(state.iterations() * static_cast<long>(text.size()));
}

BENCHMARK(BM_EvaluateTrustCases);
BENCHMARK(BM_EvaluateTrustCasesWithCallerParse);
BENCHMARK(BM_EvaluateAllCases);
BENCHMARK(BM_PathologicalGlob);
BENCHMARK(BM_PathologicalResourceGlob);

}  // namespace

BENCHMARK_MAIN();
