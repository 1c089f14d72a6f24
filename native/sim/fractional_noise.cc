#include "sim/fractional_noise.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "sim/internal/fft.h"

namespace mf::sim {

namespace {

// The circulant embedding of the n×n covariance: its FFT plan and the
// amplitudes √(λ_k / 2m) by which it colours white noise.
struct Embedding {
  size_t n = 0;
  double hurst = 0;
  internal::Fft fft;
  std::vector<double> amplitudes;
};

// The embedding depends only on (n, H), which every book of a run shares,
// so each thread keeps its last one: a book then costs one FFT instead of
// two plus the n pow() calls of the covariance. A pure function of (n, H),
// so the cache cannot change a draw.
const Embedding& EmbeddingFor(size_t n, double hurst) {
  thread_local Embedding cached;
  if (cached.n == n && cached.hurst == hurst) return cached;

  // The circulant of size 2m holds the lags 0 .. m, so m ≥ n − 1 covers
  // every pair of the n increments; a power of two keeps the FFT radix-2.
  size_t m = 1;
  while (m < n - 1) m <<= 1;
  const size_t size = 2 * m;
  internal::Fft fft(size);

  // Its first row, c = [γ(0), γ(1), …, γ(m), γ(m−1), …, γ(1)], and its
  // eigenvalues λ = FFT(c), real because c is symmetric. |k|^{2H} is
  // computed once per lag and shared by the three terms of γ.
  const double two_h = 2.0 * hurst;
  std::vector<double> powers(m + 2);
  for (size_t k = 0; k < powers.size(); ++k) powers[k] = std::pow(static_cast<double>(k), two_h);
  std::vector<std::complex<double>> spectrum(size);
  for (size_t lag = 0; lag <= m; ++lag) {
    const double below = lag == 0 ? powers[1] : powers[lag - 1];
    const double gamma = 0.5 * (powers[lag + 1] - 2.0 * powers[lag] + below);
    spectrum[lag] = gamma;
    if (lag != 0 && lag != m) spectrum[size - lag] = gamma;
  }
  fft.Forward(spectrum);

  // Eigenvalues a rounding error below zero are taken as zero.
  std::vector<double> amplitudes(size);
  const double scale = 1.0 / static_cast<double>(size);
  for (size_t k = 0; k < size; ++k) {
    amplitudes[k] = std::sqrt(std::max(0.0, spectrum[k].real()) * scale);
  }
  cached = Embedding{n, hurst, std::move(fft), std::move(amplitudes)};
  return cached;
}

}  // namespace

double FractionalNoiseAutocovariance(size_t lag, double hurst) {
  const double k = static_cast<double>(lag);
  const double two_h = 2.0 * hurst;
  // |k − 1| is 1 at lag 0, where the formula gives γ(0) = 1.
  return 0.5 * (std::pow(k + 1.0, two_h) - 2.0 * std::pow(k, two_h) +
                std::pow(std::fabs(k - 1.0), two_h));
}

std::vector<double> FractionalGaussianNoise(size_t n, double hurst, Random& random) {
  if (n == 0) return {};
  const Embedding& embedding = EmbeddingFor(n, hurst);

  // W_k = √(λ_k / 2m)·(Z + iZ'): the real part of FFT(W) then has covariance
  // (1/2m)·Σ_k λ_k cos(2πk(j−l)/2m) = c_{j−l}, exactly the target (the
  // imaginary part is a second, independent sample we do not need).
  std::vector<std::complex<double>> spectrum(embedding.amplitudes.size());
  for (size_t k = 0; k < spectrum.size(); ++k) {
    const double re = random.Normal();
    const double im = random.Normal();
    spectrum[k] = {embedding.amplitudes[k] * re, embedding.amplitudes[k] * im};
  }
  embedding.fft.Forward(spectrum);

  std::vector<double> noise(n);
  for (size_t i = 0; i < n; ++i) noise[i] = spectrum[i].real();
  return noise;
}

}  // namespace mf::sim
