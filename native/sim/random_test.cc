#include "sim/random.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>

#include "testing/test.h"

namespace mf::sim {
namespace {

constexpr int kDraws = 200'000;

// Sample mean and variance of kDraws draws.
struct Moments {
  double mean;
  double variance;
};

Moments Sample(const std::function<double()>& draw) {
  double sum = 0;
  double sum_of_squares = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = draw();
    sum += x;
    sum_of_squares += x * x;
  }
  const double mean = sum / kDraws;
  return {mean, sum_of_squares / kDraws - mean * mean};
}

// |mean − expected| within 5 standard errors: a false failure is a ~1-in-3
// million event, and the seeds are fixed anyway.
bool MeanIsNear(const Moments& moments, double expected, double sd) {
  return std::fabs(moments.mean - expected) < 5 * sd / std::sqrt(double{kDraws});
}

MF_TEST(RandomSameSeedSameStream) {
  Random first(123);
  Random second(123);
  Random other(124);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = first.NextU64();
    MF_EXPECT_EQ(x, second.NextU64());
    differs |= x != other.NextU64();
  }
  MF_EXPECT_TRUE(differs);
  // Seed restarts the stream.
  first.Seed(123);
  second.Seed(123);
  MF_EXPECT_EQ(first.Normal(), second.Normal());
}

MF_TEST(UniformStaysInRange) {
  Random random(1);
  double low = 1;
  double high = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = random.Uniform();
    low = std::min(low, u);
    high = std::max(high, u);
    MF_EXPECT_TRUE(u >= 0 && u < 1);
    const double positive = random.UniformPositive();
    MF_EXPECT_TRUE(positive > 0 && positive <= 1);
    const double scaled = random.Uniform(-3, 5);
    MF_EXPECT_TRUE(scaled >= -3 && scaled < 5);
  }
  // The range is covered, not just respected.
  MF_EXPECT_TRUE(low < 1e-4 && high > 1 - 1e-4);
  Random again(2);
  const Moments moments = Sample([&] { return again.Uniform(); });
  MF_EXPECT_TRUE(MeanIsNear(moments, 0.5, std::sqrt(1.0 / 12)));
}

MF_TEST(BelowStaysUnderItsBoundAndHitsEveryValue) {
  Random random(5);
  int hits[7] = {};
  for (int i = 0; i < 70'000; ++i) {
    const uint64_t x = random.Below(7);
    MF_EXPECT_TRUE(x < 7);
    if (x < 7) ++hits[x];
  }
  // Each value expects 10 000 hits, standard deviation ~93.
  for (int hit : hits) MF_EXPECT_TRUE(hit > 9'500 && hit < 10'500);
  MF_EXPECT_EQ(random.Below(1), uint64_t{0});
}

MF_TEST(NormalHasItsMeanAndVariance) {
  Random random(7);
  const Moments moments = Sample([&] { return random.Normal(2.0, 3.0); });
  MF_EXPECT_TRUE(MeanIsNear(moments, 2.0, 3.0));
  // The variance's standard error is σ²·√(2/n) ≈ 0.028 here.
  MF_EXPECT_TRUE(std::fabs(moments.variance - 9.0) < 0.15);
}

MF_TEST(DistributionMeans) {
  Random random(9);
  // Exponential(1): mean 1, sd 1.
  MF_EXPECT_TRUE(MeanIsNear(Sample([&] { return random.Exponential(); }), 1.0, 1.0));
  // Laplace(μ, b): mean μ, sd b√2.
  const Moments laplace = Sample([&] { return random.Laplace(-1.0, 2.0); });
  MF_EXPECT_TRUE(MeanIsNear(laplace, -1.0, 2.0 * std::numbers::sqrt2));
  MF_EXPECT_TRUE(std::fabs(laplace.variance - 8.0) < 0.3);
  // Pareto(x_m, α = 5): mean α·x_m/(α−1), sd x_m/(α−1)·√(α/(α−2)).
  MF_EXPECT_TRUE(MeanIsNear(Sample([&] { return random.Pareto(2.0, 5.0); }), 2.5,
                            0.5 * std::sqrt(5.0 / 3.0)));
  // Rayleigh(σ): mean σ√(π/2), sd σ√((4−π)/2).
  MF_EXPECT_TRUE(MeanIsNear(Sample([&] { return random.Rayleigh(3.0); }),
                            3.0 * std::sqrt(std::numbers::pi / 2),
                            3.0 * std::sqrt((4 - std::numbers::pi) / 2)));
  // Poisson(λ): mean and variance λ.
  for (const double mean : {0.2, 4.0, 25.0}) {
    const Moments poisson = Sample([&] { return double(random.Poisson(mean)); });
    MF_EXPECT_TRUE(MeanIsNear(poisson, mean, std::sqrt(mean)));
    MF_EXPECT_TRUE(std::fabs(poisson.variance / mean - 1) < 0.05);
  }
  MF_EXPECT_EQ(random.Poisson(0), uint32_t{0});
  // LogNormal(μ, σ): mean exp(μ + σ²/2).
  const double sd = std::sqrt((std::exp(0.25) - 1) * std::exp(0.25));
  MF_EXPECT_TRUE(
      MeanIsNear(Sample([&] { return random.LogNormal(0.0, 0.5); }), std::exp(0.125), sd));
  // Bernoulli(p): mean p.
  const Moments bernoulli = Sample([&] { return random.Bernoulli(0.3) ? 1.0 : 0.0; });
  MF_EXPECT_TRUE(MeanIsNear(bernoulli, 0.3, std::sqrt(0.3 * 0.7)));
}

MF_TEST(SaveLoadContinuesTheStreamWithAPendingSpareNormal) {
  Random original(77);
  original.Normal();  // leaves the spare of the pair pending
  ByteWriter writer;
  original.Save(writer);
  Random restored(1);
  ByteReader reader(writer.bytes().data(), writer.bytes().size());
  restored.Load(reader);
  MF_EXPECT_TRUE(reader.ok());
  MF_EXPECT_EQ(reader.remaining(), size_t{0});
  // The first draw is the pending spare; the streams agree after it too.
  for (int i = 0; i < 100; ++i) {
    MF_EXPECT_EQ(restored.Normal(), original.Normal());
    MF_EXPECT_EQ(restored.NextU64(), original.NextU64());
  }
}

MF_TEST(SaveLoadWithoutAPendingSpare) {
  Random original(78);
  original.Normal();
  original.Normal();  // the spare is used up
  ByteWriter writer;
  original.Save(writer);
  Random restored(2);
  restored.Normal();  // a spare of its own, to be cleared by Load
  ByteReader reader(writer.bytes().data(), writer.bytes().size());
  restored.Load(reader);
  for (int i = 0; i < 10; ++i) MF_EXPECT_EQ(restored.Normal(), original.Normal());
}

MF_TEST(DerivedSeedsGiveDistinctStreams) {
  const uint64_t run_seed = 7;
  MF_EXPECT_EQ(DeriveSeed(run_seed, 3), DeriveSeed(run_seed, 3));
  MF_EXPECT_TRUE(DeriveSeed(run_seed, 0) != DeriveSeed(run_seed, 1));
  MF_EXPECT_TRUE(DeriveSeed(run_seed, 1) != DeriveSeed(run_seed + 1, 1));
  // Neighbouring streams do not start alike.
  Random a(DeriveSeed(run_seed, 0));
  Random b(DeriveSeed(run_seed, 1));
  int equal = 0;
  for (int i = 0; i < 1000; ++i) equal += a.NextU64() == b.NextU64();
  MF_EXPECT_EQ(equal, 0);
  // And their uniforms are uncorrelated.
  double product = 0;
  for (int i = 0; i < kDraws; ++i) product += (a.Uniform() - 0.5) * (b.Uniform() - 0.5);
  MF_EXPECT_TRUE(std::fabs(product / kDraws) < 5 * (1.0 / 12) / std::sqrt(double{kDraws}));
}

}  // namespace
}  // namespace mf::sim
