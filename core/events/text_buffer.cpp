#include "core/events/text_buffer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

namespace convene::events {

void TextBuffer::append(std::string_view s) {
  if (s.empty()) return;
  std::memcpy(extend(s.size()), s.data(), s.size());
}

void TextBuffer::grow(std::size_t n) {
  if (n > SIZE_MAX / 2 - size_) throw std::bad_alloc();
  const std::size_t capacity = std::max({size_ + n, capacity_ * 2, std::size_t{256}});
  std::unique_ptr<char[]> bigger(new char[capacity]);  // default-initialized: not zero-filled
  if (size_) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

}  // namespace convene::events
