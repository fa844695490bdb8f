// convene/core/entities/provenance.h — the facts about an entity: who signed it, where it is on the chain.
//
// On Arkiv every attribute and payload field is a claim made by whoever wrote the entity.
// What the chain itself vouches for is the signer metadata — `creator` (the account that
// created the entity) and `owner` (the account that may change it now) — and the entity's
// position: the block of its last change, its transaction's index in that block and its
// operation's index in that transaction (docs/trust.md). The SDK returns them with
// `withMetadata(true)`; `core.entities.parse` keeps them on the parsed object.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>

#include "core/entities/wallet.h"
#include "core/json_input.h"

namespace convene::entities {

/// Where the entity's current version was written. Later versions compare greater:
/// `lastModifiedAtBlock`, then `transactionIndexInBlock`, then `operationIndexInTransaction`.
/// This order, not the `createdAt` attribute, decides which of competing versions is the newest.
struct ChainPosition {
  std::uint64_t block = 0;      ///< lastModifiedAtBlock
  std::uint64_t tx_index = 0;   ///< transactionIndexInBlock
  std::uint64_t op_index = 0;   ///< operationIndexInTransaction
  friend auto operator<=>(const ChainPosition&, const ChainPosition&) = default;
};

/// The signer metadata and chain position of one entity, as read.
struct Provenance {
  std::optional<Wallet> creator;            ///< absent: the read carried no metadata
  std::optional<Wallet> owner;
  std::optional<ChainPosition> position;    ///< absent: read without position (getEntity)
  std::optional<std::uint64_t> created_at_block;
  std::optional<std::uint64_t> expires_at_block;

  /// The wallet whose action this entity is evidence of: its creator, when the creator is
  /// also the current owner. nullopt when metadata is missing or ownership was transferred.
  std::optional<Wallet> signer() const;

  /// Writes the metadata fields back as `core.entities.parse` returns them: `creator`, `owner`
  /// (lowercase), `createdAtBlock`, `lastModifiedAtBlock`, `transactionIndexInBlock`,
  /// `operationIndexInTransaction`, `expiresAtBlock` (numbers), each only when known.
  void write_to(Json& flat) const;
};

/// The names of the metadata fields; an attribute or payload field may not use them
/// (an entity claiming `creator` in its payload is malformed, so a parsed object can never
/// carry a claimed signer). `key` and `entityKey` are reserved too.
bool is_metadata_field(std::string_view name);

/// Reads the metadata of an entity as the SDK returns it (or as `parse` returns it).
/// Block numbers and indexes may be JSON numbers (the JS layer turns the SDK's BigInts into
/// numbers), decimal strings or `0x` hex strings. Throws MALFORMED_ENTITY naming `field.<name>`
/// for a present but unreadable value (an address that is not one, a negative index).
Provenance read_provenance(const Json& entity, std::string_view field);

}  // namespace convene::entities
