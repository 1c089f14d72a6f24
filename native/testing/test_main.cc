// Runs every registered test; an optional argument filters tests by substring.
#include <cstdio>
#include <cstring>
#include <exception>

#include "testing/test.h"

namespace mf::testing {

namespace {
int failures_in_current_test = 0;
}  // namespace

std::vector<TestCase>& Registry() {
  static std::vector<TestCase> registry;
  return registry;
}

void Fail(const char* file, int line, const std::string& message) {
  ++failures_in_current_test;
  std::fprintf(stderr, "  %s:%d: %s\n", file, line, message.c_str());
}

}  // namespace mf::testing

int main(int argc, char** argv) {
  using mf::testing::failures_in_current_test;
  const char* filter = argc > 1 ? argv[1] : nullptr;
  int passed = 0;
  int failed = 0;
  for (const auto& test : mf::testing::Registry()) {
    if (filter != nullptr && std::strstr(test.name, filter) == nullptr) continue;
    failures_in_current_test = 0;
    try {
      test.body();
    } catch (const std::exception& error) {
      mf::testing::Fail(__FILE__, __LINE__, std::string("uncaught exception: ") + error.what());
    }
    const bool ok = failures_in_current_test == 0;
    std::printf("%s %s\n", ok ? "ok    " : "FAILED", test.name);
    ok ? ++passed : ++failed;
  }
  std::printf("native: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
