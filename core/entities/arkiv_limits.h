// convene/core/entities/arkiv_limits.h — what Arkiv (SDK 0.6.8) accepts (docs/toolchain.md#limits).
//
// Checked before anything is sent, so a bad entity fails here with a named field
// instead of being silently altered by the SDK or rejected by the chain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace convene::entities {

/// A signed Arkiv transaction may be at most 128 KB (131,072 bytes).
inline constexpr std::size_t kMaxTransactionBytes = 128 * 1024;
/// Room kept for the signature, RLP framing, gas fields and the other operations'
/// fixed cost when estimating one entity's share of a transaction.
inline constexpr std::size_t kTransactionOverheadBytes = 1024;
/// Operations one Arkiv transaction may hold (`mutateEntities`: creates, updates, deletes, extends).
inline constexpr std::size_t kMaxOperationsPerTransaction = 1000;
/// Room kept per operation besides its entity's payload and attributes (entity key, content type,
/// expiresIn, RLP framing) when cutting a plan into transactions.
inline constexpr std::size_t kOperationOverheadBytes = 128;
/// Largest numeric attribute value: the SDK stores numbers as uint64 but JS can
/// only carry 2^53 - 1 exactly (Number.MAX_SAFE_INTEGER).
inline constexpr std::uint64_t kMaxNumericAttribute = (std::uint64_t{1} << 53) - 1;

/// Arkiv's key grammar is `^[\p{L}_][\p{L}\p{N}_]*$`. Convene accepts its ASCII
/// subset, `^[A-Za-z_][A-Za-z0-9_]*$` (at most 64 bytes), so every key it writes is
/// one Arkiv accepts without needing Unicode tables in the core.
/// Throws INVALID_ATTRIBUTE_KEY naming `field`.
void validate_attribute_key(std::string_view key, std::string_view field);

/// String attribute values are put into queries unescaped by the SDK's query
/// builder, so a `"` would break every query on that attribute; control characters
/// are refused too. Throws INVALID_ATTRIBUTE_VALUE naming `field`.
void validate_attribute_string(std::string_view value, std::string_view field);

/// Throws PAYLOAD_TOO_LARGE naming `field` when `entity_bytes` (payload plus
/// attribute keys and values) plus kTransactionOverheadBytes exceeds
/// kMaxTransactionBytes. Uncompressed size is used: conservative, since the
/// SDK's brotli may shrink it.
void check_transaction_size(std::size_t entity_bytes, std::string_view field);

}  // namespace convene::entities
