#include "core/wallet/secret.h"

#include <sodium.h>

#include <cstring>


namespace convene::wallet {

void wipe(void* data, std::size_t size) noexcept {
  if (data != nullptr && size != 0) sodium_memzero(data, size);
}

void lock_pages(void* data, std::size_t size) noexcept {
  if (data != nullptr && size != 0) (void)sodium_mlock(data, size);
}

void unlock_and_wipe(void* data, std::size_t size) noexcept {
  if (data == nullptr || size == 0) return;
  // sodium_munlock zeroes first; when unlocking is unsupported it may return
  // early on some platforms, so wipe explicitly as well.
  sodium_memzero(data, size);
  (void)sodium_munlock(data, size);
}

// noinline + a volatile-visible buffer: the zeroing happens in this frame,
// which sits just below the caller's frame, over the space the caller's
// callees used.
__attribute__((noinline)) void scrub_stack(std::size_t bytes) noexcept {
  constexpr std::size_t kChunk = 4096;
  unsigned char buf[kChunk];
  sodium_memzero(buf, sizeof buf);
  if (bytes > kChunk) scrub_stack(bytes - kChunk);
  // Keep the frame (and its zeroing) from being merged with the tail call.
  __asm__ __volatile__("" : : "r"(buf) : "memory");
}

SecretBuffer::SecretBuffer(std::size_t size) : data_(new std::uint8_t[size == 0 ? 1 : size]()), size_(size) {
  lock_pages(data_.get(), size_);
}

SecretBuffer::SecretBuffer(std::span<const std::uint8_t> bytes) : SecretBuffer(bytes.size()) {
  if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
}

SecretBuffer::~SecretBuffer() {
  if (data_) unlock_and_wipe(data_.get(), size_ == 0 ? 1 : size_);
}

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept : data_(std::move(other.data_)), size_(other.size_) {
  other.size_ = 0;
}

}  // namespace convene::wallet
