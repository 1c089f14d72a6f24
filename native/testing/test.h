// A tiny test harness: registration macros and expectation checks.
//
// Kept in-repo so the native tests build with nothing but g++ and CMake (no
// Debian test-framework package to install). `test_main.cc` runs every
// registered test and prints `native: N passed, N failed`.
#ifndef MARKETFORGE_TESTING_TEST_H_
#define MARKETFORGE_TESTING_TEST_H_

#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace mf::testing {

struct TestCase {
  const char* name;
  std::function<void()> body;
};

std::vector<TestCase>& Registry();

// Records a failed expectation for the running test.
void Fail(const char* file, int line, const std::string& message);

struct Registrar {
  Registrar(const char* name, std::function<void()> body) {
    Registry().push_back({name, std::move(body)});
  }
};

template <typename A, typename B>
void ExpectEq(const A& actual, const B& expected, const char* actual_text,
              const char* expected_text, const char* file, int line) {
  if (actual == expected) return;
  std::ostringstream message;
  message << "expected " << actual_text << " == " << expected_text << ", got "
          << actual << " vs " << expected;
  Fail(file, line, message.str());
}

}  // namespace mf::testing

#define MF_TEST(name)                                                   \
  static void name();                                                   \
  static const ::mf::testing::Registrar name##_registrar(#name, name); \
  static void name()

#define MF_EXPECT_EQ(actual, expected)                                   \
  ::mf::testing::ExpectEq((actual), (expected), #actual, #expected, \
                          __FILE__, __LINE__)

#define MF_EXPECT_TRUE(condition)                                         \
  do {                                                                    \
    if (!(condition)) ::mf::testing::Fail(__FILE__, __LINE__, #condition); \
  } while (false)

#endif  // MARKETFORGE_TESTING_TEST_H_
