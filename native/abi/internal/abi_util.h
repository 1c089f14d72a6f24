// What every C ABI entry point shares: exceptions turned into status
// codes, errors copied into the caller's buffer, records drained into the
// caller's buffer.
#ifndef MARKETFORGE_ABI_INTERNAL_ABI_UTIL_H_
#define MARKETFORGE_ABI_INTERNAL_ABI_UTIL_H_

#include <algorithm>
#include <cstring>
#include <new>
#include <span>
#include <string>

#include "abi/marketforge.h"
#include "exchange/records.h"

namespace mf::abi {

// Runs `body`, turning any C++ exception into a status code.
template <typename Body>
inline int32_t Guarded(Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return MF_ERR_OUT_OF_MEMORY;
  } catch (...) {
    return MF_ERR_INTERNAL;
  }
}

inline void CopyError(const std::string& message, char* error, uint32_t capacity) {
  if (error == nullptr || capacity == 0) return;
  const size_t length = std::min<size_t>(message.size(), capacity - 1);
  std::memcpy(error, message.data(), length);
  error[length] = '\0';
}

inline int32_t ReadRecords(std::span<const mf::Record> pending, void* out, uint32_t capacity,
                    uint32_t* written) {
  const size_t count = std::min<size_t>(capacity, pending.size());
  if (count > 0) std::memcpy(out, pending.data(), count * sizeof(mf::Record));
  *written = static_cast<uint32_t>(count);
  return MF_OK;
}

}  // namespace mf::abi

#endif  // MARKETFORGE_ABI_INTERNAL_ABI_UTIL_H_
