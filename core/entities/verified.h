// convene/core/entities/verified.h — a value read from Arkiv that is evidence of its signer's action.
//
// The trust rule (docs/trust.md): an entity is evidence of wallet W's action only when W is both
// its creator and its current owner, and W is a wallet the entity's type allows to act (a
// confirmation's `confirmedBy`, who must also be a participant of the session; a gathering's
// organizer; ...). `Verified<T>` can be made only by `SignerCheck`, which applies that rule; every
// reader takes `Verified<T>` values, so a reader that skips the check does not compile.
//
// A `Verified<T>` also carries the entity's chain position, which orders competing versions
// (`newer_than`): `createdAt` attributes are claims and never decide which version wins.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "core/entities/provenance.h"
#include "core/error.h"

namespace convene::entities {

class SignerCheck;

/// A typed value whose entity passed the signer check.
template <class T>
class Verified {
 public:
  const T& value() const noexcept { return value_; }
  const T& operator*() const noexcept { return value_; }
  const T* operator->() const noexcept { return &value_; }
  /// The wallet that signed the entity (its creator and current owner).
  const Wallet& signer() const noexcept { return signer_; }
  /// Where its current version sits on the chain; entities read without a position rank first.
  const ChainPosition& position() const noexcept { return position_; }
  /// True when this version was written after `other` (chain order).
  template <class U>
  bool newer_than(const Verified<U>& other) const noexcept { return other.position() < position_; }

 private:
  friend class SignerCheck;
  Verified(T value, Wallet signer, ChainPosition position)
      : value_(std::move(value)), signer_(std::move(signer)), position_(position) {}
  T value_;
  Wallet signer_;
  ChainPosition position_;
};

/// The only maker of `Verified<T>`.
class SignerCheck {
 public:
  /// Accepts `value` as evidence when `provenance` names a signer (creator == owner) that is one
  /// of `allowed`. Otherwise throws UNVERIFIED_ENTITY naming `field`, saying which rule failed.
  template <class T>
  static Verified<T> require(T value, const Provenance& provenance, std::initializer_list<const Wallet*> allowed,
                             std::string_view field) {
    const std::string f(field);
    if (!provenance.creator || !provenance.owner)
      throw Error(code::kUnverifiedEntity, f, f + " carries no signer metadata (read it with withMetadata(true))");
    auto signer = provenance.signer();
    if (!signer)
      throw Error(code::kUnverifiedEntity, f, f + " changed owner after it was created (" + provenance.creator->str() +
                                                   " -> " + provenance.owner->str() + "), so it is no one's evidence");
    for (const Wallet* w : allowed)
      if (w && *w == *signer) return Verified<T>(std::move(value), *signer, provenance.position.value_or(ChainPosition{}));
    throw Error(code::kUnverifiedEntity, f, f + " was signed by " + signer->str() + ", who may not write it");
  }
};

}  // namespace convene::entities
