// convene/core/events/text_buffer.h — a byte buffer for text written in place.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace convene::events {

/// A growable buffer of bytes (no terminator) for text whose pieces are sized first and
/// then copied in: extend(n) makes room without writing it, where std::string::resize()
/// fills the room first (a call and a memset per record on the record writer's hot path
/// in WASM). Capacity is kept across clear(), so a buffer reused from batch to batch
/// stops allocating once warm. Not for use from two threads at once.
class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;

  /// The bytes written so far: [data(), data() + size()).
  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }

  /// Makes the text `n` bytes longer and returns where those bytes start; the caller
  /// writes all `n` of them (they hold garbage until then). The pointer is valid until the
  /// next call that adds bytes.
  char* extend(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    char* p = data_.get() + size_;
    size_ += n;
    return p;
  }
  void append(std::string_view s);
  void push_back(char c) { *extend(1) = c; }

  /// Drops the bytes after the first `size` (`size` <= size()); the capacity stays.
  void truncate(std::size_t size) noexcept { size_ = size < size_ ? size : size_; }
  void clear() noexcept { size_ = 0; }

 private:
  void grow(std::size_t n);  // room for n more bytes: at least doubles
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace convene::events
