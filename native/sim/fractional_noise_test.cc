#include "sim/fractional_noise.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "sim/internal/fft.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

// Mean of x_i·x_{i+lag} over every pair of every one of `draws` paths: the
// sample autocovariance (the mean is 0 by construction).
std::vector<double> SampleAutocovariance(size_t n, double hurst, int draws,
                                         const std::vector<size_t>& lags) {
  Random random(20240607);
  std::vector<double> sums(lags.size(), 0.0);
  std::vector<double> pairs(lags.size(), 0.0);
  for (int draw = 0; draw < draws; ++draw) {
    const std::vector<double> noise = FractionalGaussianNoise(n, hurst, random);
    for (size_t l = 0; l < lags.size(); ++l) {
      for (size_t i = 0; i + lags[l] < n; ++i) sums[l] += noise[i] * noise[i + lags[l]];
      pairs[l] += static_cast<double>(n - lags[l]);
    }
  }
  for (size_t l = 0; l < lags.size(); ++l) sums[l] /= pairs[l];
  return sums;
}

MF_TEST(FftMatchesTheDefinitionOfTheDft) {
  Random random(3);
  std::vector<std::complex<double>> input(16);
  for (auto& x : input) x = {random.Normal(), random.Normal()};
  std::vector<std::complex<double>> fast = input;
  internal::Fft(fast.size()).Forward(fast);
  for (size_t k = 0; k < input.size(); ++k) {
    std::complex<double> slow = 0;
    for (size_t j = 0; j < input.size(); ++j) {
      slow += input[j] * std::polar(1.0, -2.0 * std::numbers::pi * static_cast<double>(j * k) /
                                             static_cast<double>(input.size()));
    }
    MF_EXPECT_TRUE(std::abs(fast[k] - slow) < 1e-12);
  }
}

MF_TEST(AutocovarianceFormula) {
  MF_EXPECT_EQ(FractionalNoiseAutocovariance(0, 0.729), 1.0);
  MF_EXPECT_TRUE(std::fabs(FractionalNoiseAutocovariance(1, 0.5)) < 1e-15);
  // H = 0.75: γ(1) = ½(2^{1.5} − 2).
  MF_EXPECT_TRUE(std::fabs(FractionalNoiseAutocovariance(1, 0.75) -
                           0.5 * (std::pow(2.0, 1.5) - 2.0)) < 1e-15);
}

MF_TEST(SampleAutocovarianceMatchesTheFormula) {
  const std::vector<size_t> lags = {0, 1, 2, 3, 40};
  for (const double hurst : {0.729, 0.3}) {
    const std::vector<double> sample = SampleAutocovariance(64, hurst, 3000, lags);
    for (size_t l = 0; l < lags.size(); ++l) {
      const double expected = FractionalNoiseAutocovariance(lags[l], hurst);
      // Standard errors here are below 0.01 (3 000 paths × ≥ 24 pairs).
      if (std::fabs(sample[l] - expected) >= 0.04) {
        MF_EXPECT_EQ(sample[l], expected);
      }
    }
  }
}

MF_TEST(HalfHurstGivesUncorrelatedNoise) {
  const std::vector<double> sample = SampleAutocovariance(50, 0.5, 3000, {0, 1, 2, 3});
  MF_EXPECT_TRUE(std::fabs(sample[0] - 1.0) < 0.03);
  for (size_t l = 1; l < sample.size(); ++l) MF_EXPECT_TRUE(std::fabs(sample[l]) < 0.02);
}

MF_TEST(NonPowerOfTwoAndTinyLengths) {
  Random random(11);
  MF_EXPECT_EQ(FractionalGaussianNoise(0, 0.7, random).size(), size_t{0});
  MF_EXPECT_EQ(FractionalGaussianNoise(1, 0.7, random).size(), size_t{1});
  MF_EXPECT_EQ(FractionalGaussianNoise(2, 0.7, random).size(), size_t{2});
  const std::vector<double> day = FractionalGaussianNoise(2880, 0.729, random);
  MF_EXPECT_EQ(day.size(), size_t{2880});
  double sum_of_squares = 0;
  for (double x : day) {
    MF_EXPECT_TRUE(std::isfinite(x));
    sum_of_squares += x * x;
  }
  // Long memory makes one path's variance noisy; it is still near 1.
  MF_EXPECT_TRUE(sum_of_squares / 2880 > 0.5 && sum_of_squares / 2880 < 1.5);
}

MF_TEST(NoiseSameSeedSamePath) {
  Random first(42);
  Random second(42);
  Random other(43);
  const std::vector<double> a = FractionalGaussianNoise(100, 0.729, first);
  MF_EXPECT_TRUE(a == FractionalGaussianNoise(100, 0.729, second));
  MF_EXPECT_TRUE(a != FractionalGaussianNoise(100, 0.729, other));
}

}  // namespace
}  // namespace mf::sim
