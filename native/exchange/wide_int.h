// A 128-bit signed integer for exact products of two int64 amounts (fee =
// notional × rate, margin checks). `__int128` is a GNU extension that g++,
// clang and emscripten all provide; `__extension__` keeps -Wpedantic quiet.
#ifndef MARKETFORGE_EXCHANGE_WIDE_INT_H_
#define MARKETFORGE_EXCHANGE_WIDE_INT_H_

namespace mf {

__extension__ typedef __int128 Int128;

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_WIDE_INT_H_
