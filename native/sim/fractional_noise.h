// Fractional Gaussian noise: the increments of fractional Brownian motion
// B^H on a unit grid, for the fractional term of the fundamental price
// (sim/fundamental_price.h, shared/reference/taos.md §2.4).
//
// The increments are stationary with variance 1 and autocovariance
//   γ(k) = ½(|k+1|^{2H} − 2|k|^{2H} + |k−1|^{2H}),
// long-range dependent for H > ½, independent for H = ½, anti-persistent for
// H < ½. They are drawn exactly by the Davies–Harte method (Davies & Harte
// 1987; Dietrich & Newsam 1997 show the embedding is non-negative definite
// for fGn at every H): embed the n×n Toeplitz covariance in a 2m×2m
// circulant, whose eigenvalues are one FFT of its first row, then colour
// white noise by their square roots in the Fourier domain. That is
// O(n log n) time and O(n) memory, where a Cholesky factor (τaos) is O(n²)
// memory and O(n³) to build.
//
// Example: the first 2 880 increments of a day at 30 s steps,
//   Random random(seed);
//   std::vector<double> noise = FractionalGaussianNoise(2880, 0.729, random);
// and B^H at step k is N^{−H}·(noise[0] + … + noise[k−1]) by self-similarity.
#ifndef MARKETFORGE_SIM_FRACTIONAL_NOISE_H_
#define MARKETFORGE_SIM_FRACTIONAL_NOISE_H_

#include <cstddef>
#include <vector>

#include "sim/random.h"

namespace mf::sim {

// γ(lag) above: the covariance of two increments `lag` steps apart.
double FractionalNoiseAutocovariance(size_t lag, double hurst);

// n increments of fBM with Hurst exponent `hurst` ∈ (0, 1), each N(0, 1),
// drawn from `random` (4m normals, m the power of two ≥ n − 1, so a seed
// fixes the path).
std::vector<double> FractionalGaussianNoise(size_t n, double hurst, Random& random);

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_FRACTIONAL_NOISE_H_
