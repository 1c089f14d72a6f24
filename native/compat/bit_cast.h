// std::bit_cast for standard libraries that predate it (the libc++ shipped
// with the system's emscripten 3.1.6). Force-included into the WebAssembly
// build only, so the sources keep writing plain std::bit_cast; a library
// that has it defines __cpp_lib_bit_cast and this adds nothing.
#ifndef MARKETFORGE_COMPAT_BIT_CAST_H_
#define MARKETFORGE_COMPAT_BIT_CAST_H_

#include <version>

#ifndef __cpp_lib_bit_cast
#include <type_traits>

namespace std {

template <class To, class From>
  requires(sizeof(To) == sizeof(From) && is_trivially_copyable_v<To> &&
           is_trivially_copyable_v<From>)
constexpr To bit_cast(const From& from) noexcept {
  return __builtin_bit_cast(To, from);
}

}  // namespace std
#endif

#endif  // MARKETFORGE_COMPAT_BIT_CAST_H_
