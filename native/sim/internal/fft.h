// A small in-place radix-2 FFT for the Davies–Harte fractional noise
// (sim/fractional_noise.h): a few transforms of a few thousand points at
// start-up, so a plain iterative Cooley–Tukey is enough and no library is
// pulled in.
//
// The twiddle factors are computed directly as cos/sin of 2πk/n, not by
// repeated multiplication, so the rounding error does not grow with n; a
// plan keeps them so transforms of one size share the trigonometry.
#ifndef MARKETFORGE_SIM_INTERNAL_FFT_H_
#define MARKETFORGE_SIM_INTERNAL_FFT_H_

#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <span>
#include <utility>
#include <vector>

namespace mf::sim::internal {

// The forward discrete Fourier transform X_k = Σ_j x_j e^{−2πi jk/n} for one
// power-of-two size n (other sizes give garbage).
class Fft {
 public:
  explicit Fft(size_t size = 1) : size_(size), twiddles_(size) {
    for (size_t k = 0; k < size / 2; ++k) {
      const double angle =
          -2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(size);
      twiddles_[2 * k] = std::cos(angle);
      twiddles_[2 * k + 1] = std::sin(angle);
    }
  }

  size_t size() const { return size_; }

  // In place; data.size() must equal size(): the bit-reversal permutation,
  // then log2(n) passes of butterflies.
  void Forward(std::span<std::complex<double>> data) const {
    const size_t n = size_;
    if (n < 2 || data.size() != n) return;
    for (size_t i = 1, j = 0; i < n; ++i) {
      size_t bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) j ^= bit;
      j |= bit;
      if (i < j) std::swap(data[i], data[j]);
    }
    // The butterflies work on the interleaved doubles (std::complex<double>
    // is layout-compatible with double[2], [complex.numbers.general]): going
    // through std::complex costs g++ -O2 a store-forwarding stall each.
    double* values = reinterpret_cast<double*>(data.data());
    for (size_t length = 2; length <= n; length <<= 1) {
      const size_t half = length / 2;
      const size_t stride = n / length;
      for (size_t start = 0; start < n; start += length) {
        for (size_t k = 0; k < half; ++k) {
          const double w_re = twiddles_[2 * k * stride];
          const double w_im = twiddles_[2 * k * stride + 1];
          double* even = values + 2 * (start + k);
          double* odd = values + 2 * (start + k + half);
          const double t_re = w_re * odd[0] - w_im * odd[1];
          const double t_im = w_re * odd[1] + w_im * odd[0];
          odd[0] = even[0] - t_re;
          odd[1] = even[1] - t_im;
          even[0] += t_re;
          even[1] += t_im;
        }
      }
    }
  }

 private:
  size_t size_;
  std::vector<double> twiddles_;  // (cos, sin) of −2πk/n for k < n/2
};

}  // namespace mf::sim::internal

#endif  // MARKETFORGE_SIM_INTERNAL_FFT_H_
