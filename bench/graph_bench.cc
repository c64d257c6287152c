// SPDX-License-Identifier: Apache-2.0
// The org-scale phases over a generated organisation held in memory (no disk): loading the dumps,
// building the trust graph, audit, who-can on every role (reach from every node) and who-can on
// one role. Each runs on one thread, except audit, whose chain search uses every core; the
// benchmark is linked with the C library's malloc, not the program's jemalloc. bench/scale.sh
// measures the same phases end to end at 10k-1M roles; this is the quick, repeatable check for a
// change to one of them.
// Run: build/bench/trustsim_bench --benchmark_filter=Org
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "trustsim/findings.h"
#include "trustsim/generate.h"
#include "trustsim/graph.h"
#include "trustsim/load.h"
#include "trustsim/questions.h"

namespace {

using namespace trustsim;

// 20 accounts x 100 roles: every shape of the generator (chains, vendors, SCPs) at 2,000 roles.
struct Org {
  std::map<std::string, std::string> files;
  std::vector<std::string> paths;
  std::optional<Simulator> sim;
  std::optional<TrustGraph> graph;
};

FileReader readerOf(const Org& org) {
  return [&org](const std::string& path, std::string& error) -> std::optional<std::string> {
    const auto it = org.files.find(path);
    if (it == org.files.end()) {
      error = "no such file";
      return std::nullopt;
    }
    return it->second;
  };
}

LoadOptions oneThread() {
  LoadOptions o;
  o.threads = 1;
  return o;
}

Org& org() {
  static Org o = [] {
    Org out;
    GenerateOptions g;
    g.accounts = 20;
    g.roles_per_account = 100;
    g.seed = 1;
    auto summary = generateOrganization(g, [&](const std::string& name, std::string_view text, std::string&) {
      if (name.size() > 5 && name.substr(name.size() - 5) == ".json" && name != "manifest.json") {
        out.files[name] = std::string(text);
        out.paths.push_back(name);
      }
      return true;
    });
    if (!summary) std::abort();
    auto world = loadWorld(out.paths, readerOf(out), oneThread());
    if (!world) std::abort();
    auto sim = Simulator::build(std::move(world).value());
    if (!sim) std::abort();
    out.sim.emplace(std::move(sim).value());
    out.graph.emplace(TrustGraph::build(*out.sim, GraphOptions{6, 1}));
    return out;
  }();
  return o;
}

void BM_OrgLoad(benchmark::State& state) {
  const Org& o = org();
  std::size_t bytes = 0;
  for (const auto& [name, text] : o.files) bytes += text.size();
  for (auto _ : state) {
    auto world = loadWorld(o.paths, readerOf(o), oneThread());
    benchmark::DoNotOptimize(world);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void BM_OrgGraph(benchmark::State& state) {
  const Org& o = org();
  for (auto _ : state) {
    TrustGraph g = TrustGraph::build(*o.sim, GraphOptions{6, 1});
    benchmark::DoNotOptimize(g.edges().size());
  }
}

void BM_OrgReachFromEveryNode(benchmark::State& state) {
  const Org& o = org();
  ReachQuery q;
  q.threads = 1;
  for (auto _ : state) benchmark::DoNotOptimize(reach(*o.graph, q).size());
}

void BM_OrgAudit(benchmark::State& state) {
  const Org& o = org();
  for (auto _ : state) benchmark::DoNotOptimize(audit(*o.graph).size());
}

void BM_OrgWhoCanOneRole(benchmark::State& state) {
  const Org& o = org();
  // The first account's OrganizationAccountAccessRole: reached from the management account.
  std::string role;
  for (const GraphNode& n : o.graph->nodes()) {
    if (n.kind == GraphNode::Kind::Role && n.id.ends_with(":role/OrganizationAccountAccessRole")) {
      role = n.id;
      break;
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(whoCan(*o.graph, "sts:AssumeRole", role, {}).size());
}

}  // namespace

BENCHMARK(BM_OrgLoad)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OrgGraph)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OrgReachFromEveryNode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OrgAudit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OrgWhoCanOneRole)->Unit(benchmark::kMicrosecond);
