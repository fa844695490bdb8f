// convene/core/wallet/secret.h — memory that holds key material.
//
// Every buffer that ever holds a private key, a passphrase or a key derived
// from one is a `Secret<N>` (fixed size) or a `SecretBuffer` (size known at run
// time). Both are wiped with libsodium's `sodium_memzero` when destroyed, on
// every path (normal return and exception unwinding alike), cannot be copied,
// and are `sodium_mlock`ed while alive where the platform supports it (native:
// mlock(2) + MADV_DONTDUMP, so they stay out of swap and core dumps; WASM has no
// swap and the call is a no-op there).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace convene::wallet {

/// Overwrites `size` bytes at `data` with zeros in a way the compiler may not
/// elide (`sodium_memzero`).
void wipe(void* data, std::size_t size) noexcept;

/// Best effort `sodium_mlock`; failure (no privilege, no support) is ignored.
void lock_pages(void* data, std::size_t size) noexcept;

/// `sodium_munlock`: wipes the bytes, then unlocks the pages.
void unlock_and_wipe(void* data, std::size_t size) noexcept;

/// Zeroes `bytes` bytes of the C stack below the caller's frame (the WASM
/// shadow stack lives in linear memory): call after an operation whose callees
/// (libsecp256k1, libsodium) may have left key-dependent values in their
/// frames. libsodium 1.0.18 has no `sodium_stackzero`; this is the same idea.
void scrub_stack(std::size_t bytes = 64 * 1024) noexcept;

/// A fixed-size secret: `N` bytes, zero-initialised, wiped on destruction.
template <std::size_t N>
class Secret {
 public:
  static constexpr std::size_t size() { return N; }

  Secret() { lock_pages(bytes_.data(), N); }
  ~Secret() { unlock_and_wipe(bytes_.data(), N); }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::span<std::uint8_t, N> span() { return bytes_; }
  std::span<const std::uint8_t, N> span() const { return bytes_; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

/// A secret whose size is known only at run time (a passphrase as UTF-8 bytes).
class SecretBuffer {
 public:
  /// `size` zero bytes (may be 0).
  explicit SecretBuffer(std::size_t size);
  /// A copy of `bytes`.
  explicit SecretBuffer(std::span<const std::uint8_t> bytes);
  ~SecretBuffer();
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&&) = delete;

  std::uint8_t* data() { return data_.get(); }
  const std::uint8_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> span() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_;
};

}  // namespace convene::wallet
