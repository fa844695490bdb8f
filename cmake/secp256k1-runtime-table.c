/* libsecp256k1's signing table (k*G), computed when the WASM module starts instead of shipped.
 *
 * Upstream links `src/precomputed_ecmult_gen.c`: the table `secp256k1_ecmult_gen_prec_table` as constant data,
 * 64 KiB at ECMULT_GEN_PREC_BITS=4 (cmake/secp256k1-wasm.cmake). Precomputed curve points do not compress, so in
 * the package those 64 KiB were about 60 KB of the wallet part's gzipped size (docs/wallet.md#signing). This file
 * replaces that one in the WASM build: it defines the same symbol as zero-initialised storage (which costs no bytes
 * in the .wasm) and fills it once, from a module constructor (it runs while the module is instantiated, before any
 * binding can be called), with the function upstream's own generator and its exhaustive tests use,
 * `secp256k1_ecmult_gen_compute_table` (src/ecmult_gen_compute_table_impl.h). The points are the same: the
 * signatures equal viem's byte for byte (tests/node/wallet.vectors.test.js) and known public keys derive as before.
 * Cost: about 2 ms more to instantiate the module in Node (docs/wallet.md#signing).
 *
 * Upstream's headers declare the table `extern const`; the definition here is writable so the constructor can fill
 * it. (Strictly, C calls the two declarations incompatible; with no initializer in sight nothing can fold the
 * table, LTO keeps the one definition writable, and a review found the built table equal to upstream's file.)
 * This file does not include precomputed_ecmult_gen.h (the two declarations would conflict in one translation
 * unit); readers in secp256k1.c only ever read it, after the constructor ran.
 *
 * Only the WASM build compiles this: native builds link Debian's libsecp256k1 with its precomputed table. */
#include "../include/secp256k1.h"

#include "assumptions.h"
#include "util.h"

#include "group.h"
#include "int128_impl.h"
#include "ecmult_gen.h"
#include "ecmult_gen_compute_table_impl.h"

secp256k1_ge_storage secp256k1_ecmult_gen_prec_table[ECMULT_GEN_PREC_N(ECMULT_GEN_PREC_BITS)]
                                                    [ECMULT_GEN_PREC_G(ECMULT_GEN_PREC_BITS)];

__attribute__((constructor)) static void convene_secp256k1_compute_gen_table(void) {
    secp256k1_ecmult_gen_compute_table(&secp256k1_ecmult_gen_prec_table[0][0], &secp256k1_ge_const_g,
                                       ECMULT_GEN_PREC_BITS);
}
