#include "sim/fundamental_price.h"

#include <cmath>
#include <vector>

#include "testing/test.h"

namespace mf::sim {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
// A short run: 100 updates of 1 s, so N = 100 and dt = 0.01.
constexpr int64_t kDuration = 100 * kSecond;
constexpr double kX0 = 300;

FundamentalParams ShortRunParams() {
  FundamentalParams params;
  params.update_period_s = 1;
  params.seed_interval_s = 1;
  return params;
}

FundamentalParams Flat() {
  FundamentalParams params = ShortRunParams();
  params.sigma = 0;
  params.epsilon = 0;
  params.lambda = 0;
  return params;
}

// The value after each of the N updates, advancing one second at a time.
std::vector<double> Path(FundamentalPrice& process) {
  std::vector<double> values;
  for (int64_t s = 1; s <= kDuration / kSecond; ++s) {
    process.AdvanceTo(s * kSecond);
    values.push_back(process.value());
  }
  return values;
}

std::vector<uint8_t> Saved(const FundamentalPrice& process) {
  ByteWriter writer;
  process.Save(writer);
  return writer.bytes();
}

struct LogMoments {
  double mean;
  double variance;
};

// Mean and variance of log(terminal value / X0) over `seeds` runs.
LogMoments TerminalLogMoments(const FundamentalParams& params, int seeds) {
  double sum = 0;
  double sum_of_squares = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    FundamentalPrice process(params, kX0, kDuration, 0, 1000 + seed);
    process.AdvanceTo(kDuration);
    const double x = std::log(process.value() / kX0);
    sum += x;
    sum_of_squares += x * x;
  }
  const double mean = sum / seeds;
  return {mean, sum_of_squares / seeds - mean * mean};
}

MF_TEST(StartsAtX0AndHoldsUntilTheFirstUpdate) {
  FundamentalPrice process(ShortRunParams(), kX0, kDuration, 0, 1);
  MF_EXPECT_EQ(process.value(), kX0);
  process.AdvanceTo(kSecond - 1);
  MF_EXPECT_EQ(process.value(), kX0);
  process.AdvanceTo(kSecond);
  MF_EXPECT_TRUE(process.value() != kX0);
  // Constant between updates.
  const double first = process.value();
  process.AdvanceTo(2 * kSecond - 1);
  MF_EXPECT_EQ(process.value(), first);
}

MF_TEST(WithoutNoiseOrDriftTheValueStaysAtX0) {
  FundamentalPrice process(Flat(), kX0, kDuration, 0, 1);
  for (double value : Path(process)) MF_EXPECT_EQ(value, kX0);
}

MF_TEST(DriftAloneGrowsAsExpMuT) {
  FundamentalParams params = Flat();
  params.mu = 0.5;
  FundamentalPrice process(params, kX0, kDuration, 0, 1);
  process.AdvanceTo(kDuration / 2);
  MF_EXPECT_TRUE(std::fabs(process.value() - kX0 * std::exp(0.25)) < 1e-9);
  process.AdvanceTo(kDuration);
  MF_EXPECT_TRUE(std::fabs(process.value() - kX0 * std::exp(0.5)) < 1e-9);
}

MF_TEST(BrownianPartHasVarianceSigmaSquared) {
  FundamentalParams params = Flat();
  params.sigma = 0.3;
  const LogMoments moments = TerminalLogMoments(params, 600);
  // Var log X_1 = σ², E log X_1 = −σ²/2; standard errors ≈ 6 % and 0.012.
  MF_EXPECT_TRUE(std::fabs(moments.variance / 0.09 - 1) < 0.25);
  MF_EXPECT_TRUE(std::fabs(moments.mean + 0.045) < 0.05);
}

MF_TEST(FractionalPartHasVarianceEpsilonSquared) {
  FundamentalParams params = Flat();
  params.epsilon = 0.3;
  params.hurst = 0.729;
  const LogMoments moments = TerminalLogMoments(params, 600);
  // Var(ε·B^H_1) = ε²: checks the N^{−H} scaling of the unit-grid noise.
  MF_EXPECT_TRUE(std::fabs(moments.variance / 0.09 - 1) < 0.25);
  MF_EXPECT_TRUE(std::fabs(moments.mean + 0.045) < 0.05);
}

MF_TEST(BothPartsAddTheirVariances) {
  FundamentalParams params = Flat();
  params.sigma = 0.2;
  params.epsilon = 0.2;
  const LogMoments moments = TerminalLogMoments(params, 600);
  MF_EXPECT_TRUE(std::fabs(moments.variance / 0.08 - 1) < 0.25);
}

MF_TEST(JumpsAppearWithPositiveIntensity) {
  FundamentalParams params = Flat();
  params.lambda = 0.3;
  params.jump_mean = 0.01;
  params.jump_sigma = 0.02;
  FundamentalPrice process(params, kX0, kDuration, 0, 5);
  int jumps = 0;
  double previous = kX0;
  for (double value : Path(process)) {
    jumps += value != previous;
    previous = value;
  }
  // About 30 of 100 updates carry a jump (sd ≈ 4.6).
  MF_EXPECT_TRUE(jumps > 10 && jumps < 50);
  params.lambda = 0;
  FundamentalPrice quiet(params, kX0, kDuration, 0, 5);
  quiet.AdvanceTo(kDuration);
  MF_EXPECT_EQ(quiet.value(), kX0);
}

MF_TEST(SameSeedSamePathOtherSeedOtherPath) {
  FundamentalPrice first(ShortRunParams(), kX0, kDuration, 3, 99);
  FundamentalPrice second(ShortRunParams(), kX0, kDuration, 3, 99);
  FundamentalPrice other(ShortRunParams(), kX0, kDuration, 3, 100);
  const std::vector<double> path = Path(first);
  MF_EXPECT_TRUE(path == Path(second));
  MF_EXPECT_TRUE(path != Path(other));
}

MF_TEST(AdvancingAtOnceEqualsSteppingOneByOne) {
  FundamentalParams params = ShortRunParams();
  params.lambda = 0.1;
  FundamentalPrice stepped(params, kX0, kDuration, 2, 8);
  FundamentalPrice jumped(params, kX0, kDuration, 2, 8);
  for (int64_t s = 1; s <= 37; ++s) stepped.AdvanceTo(s * kSecond + 123);
  jumped.AdvanceTo(37 * kSecond + 123);
  MF_EXPECT_EQ(jumped.value(), stepped.value());
  MF_EXPECT_TRUE(Saved(jumped) == Saved(stepped));
  // Past the end of the run the value holds.
  stepped.AdvanceTo(kDuration);
  const double last = stepped.value();
  stepped.AdvanceTo(3 * kDuration);
  MF_EXPECT_EQ(stepped.value(), last);
}

MF_TEST(FundamentalSaveLoadContinuesBitIdentically) {
  FundamentalParams params = ShortRunParams();
  params.lambda = 0.2;
  FundamentalPrice original(params, kX0, kDuration, 4, 21);
  original.AdvanceTo(37 * kSecond + 5);
  original.SetExternalPrice(64123.45);  // pending across the checkpoint
  const std::vector<uint8_t> bytes = Saved(original);
  // Built with another seed: Load brings its stream and fGn path along.
  FundamentalPrice restored(params, kX0, kDuration, 4, 22);
  ByteReader reader(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(restored.Load(reader));
  MF_EXPECT_EQ(reader.remaining(), size_t{0});
  MF_EXPECT_EQ(restored.value(), original.value());
  for (int64_t s = 38; s <= 100; ++s) {
    original.AdvanceTo(s * kSecond);
    restored.AdvanceTo(s * kSecond);
    MF_EXPECT_EQ(restored.value(), original.value());
  }
  MF_EXPECT_TRUE(Saved(restored) == Saved(original));
}

MF_TEST(FundamentalLoadRefusesOtherSettingsAndTruncatedBytes) {
  FundamentalPrice original(ShortRunParams(), kX0, kDuration, 4, 21);
  original.AdvanceTo(10 * kSecond);
  const std::vector<uint8_t> bytes = Saved(original);
  FundamentalParams other_params = ShortRunParams();
  other_params.hurst = 0.6;
  FundamentalPrice other_hurst(other_params, kX0, kDuration, 4, 21);
  ByteReader reader(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(!other_hurst.Load(reader));
  FundamentalPrice other_book(ShortRunParams(), kX0, kDuration, 5, 21);
  ByteReader book_reader(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(!other_book.Load(book_reader));
  FundamentalPrice truncated(ShortRunParams(), kX0, kDuration, 4, 22);
  truncated.AdvanceTo(3 * kSecond);
  const std::vector<uint8_t> before = Saved(truncated);
  ByteReader short_reader(bytes.data(), bytes.size() - 1);
  MF_EXPECT_TRUE(!truncated.Load(short_reader));
  // A refused Load leaves the process as it was.
  MF_EXPECT_TRUE(Saved(truncated) == before);
}

MF_TEST(ExternalPriceReseedMakesIncrementsAgree) {
  FundamentalParams params = ShortRunParams();
  params.epsilon = 0;  // the fGn path is drawn once from the process's own seed
  params.lambda = 0.2;
  FundamentalPrice first(params, kX0, kDuration, 7, 1);
  FundamentalPrice second(params, kX0, kDuration, 7, 2);
  FundamentalPrice other_book(params, kX0, kDuration, 8, 1);
  for (FundamentalPrice* process : {&first, &second, &other_book}) {
    process->AdvanceTo(10 * kSecond + 500);
  }
  MF_EXPECT_TRUE(first.value() != second.value());
  for (FundamentalPrice* process : {&first, &second, &other_book}) {
    process->SetExternalPrice(97'123.456);
  }
  // Re-seeded at 11 s, before the update due then; from there on the
  // increments agree (the levels still differ by the history before).
  double previous_first = first.value();
  double previous_second = second.value();
  double previous_other = other_book.value();
  bool other_book_differs = false;
  for (int64_t s = 11; s <= 40; ++s) {
    first.AdvanceTo(s * kSecond);
    second.AdvanceTo(s * kSecond);
    other_book.AdvanceTo(s * kSecond);
    const double increment_first = std::log(first.value() / previous_first);
    const double increment_second = std::log(second.value() / previous_second);
    MF_EXPECT_TRUE(std::fabs(increment_first - increment_second) < 1e-12);
    other_book_differs |= std::fabs(std::log(other_book.value() / previous_other) -
                                    increment_first) > 1e-9;
    previous_first = first.value();
    previous_second = second.value();
    previous_other = other_book.value();
  }
  // seed = round(price × 100) + 10 × book: another book draws differently.
  MF_EXPECT_TRUE(other_book_differs);
}

MF_TEST(WithoutExternalPriceStreamsStayApart) {
  FundamentalParams params = Flat();
  params.sigma = 0.1;
  FundamentalPrice first(params, kX0, kDuration, 7, 1);
  FundamentalPrice second(params, kX0, kDuration, 7, 2);
  first.SetExternalPrice(100);
  first.SetExternalPrice(0);  // cleared
  int equal_increments = 0;
  double previous_first = kX0;
  double previous_second = kX0;
  for (int64_t s = 1; s <= 50; ++s) {
    first.AdvanceTo(s * kSecond);
    second.AdvanceTo(s * kSecond);
    equal_increments += std::fabs(std::log(first.value() / previous_first) -
                                  std::log(second.value() / previous_second)) < 1e-12;
    previous_first = first.value();
    previous_second = second.value();
  }
  MF_EXPECT_EQ(equal_increments, 0);
}

MF_TEST(TaosDayBuildsQuickly) {
  // τaos's defaults over a day: N = 2 880 fGn steps, the size every book
  // builds at start-up.
  FundamentalPrice process(FundamentalParams{}, kX0, 86'400 * kSecond, 0, 3);
  process.AdvanceTo(86'400 * kSecond);
  MF_EXPECT_TRUE(std::isfinite(process.value()) && process.value() > 0);
  MF_EXPECT_TRUE(std::fabs(std::log(process.value() / kX0)) < 1.0);
}

}  // namespace
}  // namespace mf::sim
