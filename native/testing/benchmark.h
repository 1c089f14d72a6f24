// A tiny benchmark harness: registered benchmarks time a workload several
// times and report the median as one JSON line per figure, the format
// `deno task bench` collects (tests/bench.ts).
#ifndef MARKETFORGE_TESTING_BENCHMARK_H_
#define MARKETFORGE_TESTING_BENCHMARK_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace mf::testing {

struct BenchmarkCase {
  const char* name;
  std::function<void()> body;
};

std::vector<BenchmarkCase>& BenchmarkRegistry();

struct BenchmarkRegistrar {
  BenchmarkRegistrar(const char* name, std::function<void()> body) {
    BenchmarkRegistry().push_back({name, std::move(body)});
  }
};

// Runs `workload` once to warm up, then `repeats` times; returns the median
// of operations / seconds. `workload` returns how many operations it did.
inline double MedianRate(const std::function<double()>& workload, int repeats = 7) {
  workload();
  std::vector<double> rates;
  for (int i = 0; i < repeats; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const double operations = workload();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    rates.push_back(operations / elapsed.count());
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

inline void Report(const std::string& bench, double value, const char* unit) {
  std::printf("{\"bench\":\"%s\",\"value\":%.0f,\"unit\":\"%s\"}\n", bench.c_str(), value, unit);
  std::fflush(stdout);
}

}  // namespace mf::testing

#define MF_BENCHMARK(name)                                                         \
  static void name();                                                              \
  static const ::mf::testing::BenchmarkRegistrar name##_registrar(#name, name); \
  static void name()

#endif  // MARKETFORGE_TESTING_BENCHMARK_H_
