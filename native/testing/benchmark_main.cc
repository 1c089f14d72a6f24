// Runs every registered benchmark; an optional argument filters by substring.
#include <cstring>

#include "testing/benchmark.h"

namespace mf::testing {

std::vector<BenchmarkCase>& BenchmarkRegistry() {
  static std::vector<BenchmarkCase> registry;
  return registry;
}

}  // namespace mf::testing

int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : nullptr;
  for (const auto& benchmark : mf::testing::BenchmarkRegistry()) {
    if (filter != nullptr && std::strstr(benchmark.name, filter) == nullptr) continue;
    benchmark.body();
  }
  return 0;
}
