// Little-endian byte writer and bounds-checked reader for checkpoints.
//
// The reader never reads past its input: once a read would overrun, it
// returns zeros and ok() turns false for good, so a restore from garbage
// fails cleanly instead of crashing.
#ifndef MARKETFORGE_EXCHANGE_BYTE_STREAM_H_
#define MARKETFORGE_EXCHANGE_BYTE_STREAM_H_

#include <cstdint>
#include <cstring>
#include <vector>

namespace mf {

class ByteWriter {
 public:
  void U8(uint8_t value) { bytes_.push_back(value); }
  void U32(uint32_t value) { Put(value, 4); }
  void I32(int32_t value) { Put(static_cast<uint32_t>(value), 4); }
  void U64(uint64_t value) { Put(value, 8); }
  void I64(int64_t value) { Put(static_cast<uint64_t>(value), 8); }
  void Bytes(const void* data, size_t size) {
    if (size == 0) return;
    const auto* begin = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), begin, begin + size);
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void Put(uint64_t value, int width) {
    for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }

  std::vector<uint8_t> bytes_;
};

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t U8() { return static_cast<uint8_t>(Get(1)); }
  uint32_t U32() { return static_cast<uint32_t>(Get(4)); }
  int32_t I32() { return static_cast<int32_t>(static_cast<uint32_t>(Get(4))); }
  uint64_t U64() { return Get(8); }
  int64_t I64() { return static_cast<int64_t>(Get(8)); }
  bool Bytes(void* out, size_t size) {
    if (size == 0) return ok_;
    if (!ok_ || size_ - position_ < size) {
      ok_ = false;
      return false;
    }
    std::memcpy(out, data_ + position_, size);
    position_ += size;
    return true;
  }

  // Whether every read so far stayed inside the input.
  bool ok() const { return ok_; }
  size_t remaining() const { return size_ - position_; }

 private:
  uint64_t Get(int width) {
    if (!ok_ || size_ - position_ < static_cast<size_t>(width)) {
      ok_ = false;
      return 0;
    }
    uint64_t value = 0;
    for (int i = 0; i < width; ++i) value |= uint64_t{data_[position_ + i]} << (8 * i);
    position_ += width;
    return value;
  }

  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
  bool ok_ = true;
};

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_BYTE_STREAM_H_
