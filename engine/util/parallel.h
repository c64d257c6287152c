// SPDX-License-Identifier: Apache-2.0
// Work that is independent item by item, spread over the machine's cores.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace trustsim::util {

// The number of workers for `threads` (0: one per core) and `items`.
inline unsigned workerCount(unsigned threads, std::size_t items) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned wanted = threads == 0 ? cores : threads;
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(wanted, items)));
}

// Calls f(index, worker) for every index in [0, n), each exactly once, on up to `threads` threads
// (0: one per core). Items are taken in order from a shared counter, so uneven items balance.
// `worker` (< workerCount) lets callers keep per-thread state. The first exception is rethrown
// after every thread has stopped.
template <typename F>
void parallelFor(std::size_t n, unsigned threads, F&& f) {
  const unsigned workers = workerCount(threads, n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) f(i, 0u);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&](unsigned worker) {
    try {
      for (std::size_t i = next++; i < n; i = next++) f(i, worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace trustsim::util
