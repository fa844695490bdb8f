# libsecp256k1 for WASM, compiled by this project from the Debian source that
# scripts/build-wasm-deps.sh fetched (`apt-get source libsecp256k1`, kept in
# <deps>/src/libsecp256k1/libsecp256k1-<version>/), instead of linking the
# autotools-built <deps>/prefix/lib/libsecp256k1.a. Why: em++ defines
# __SIZEOF_INT128__ on wasm32, so the autotools build picks the 5x52 field whose
# 64x64->128 products become __multi3 library calls; forcing the 10x26 field
# (USE_FORCE_WIDEMUL_INT64, 32x32->64 products, native in WASM) signs about
# 1.7x faster (measured: 4.9k -> 8.3k signatures/s). The library's own
# single-file build (src/secp256k1.c plus its two precomputed tables) is what
# upstream documents for non-autotools builds; of those tables this build keeps
# the small one (precomputed_ecmult.c) and computes the signing table when the
# module starts instead of shipping it (cmake/secp256k1-runtime-table.c).
# Falls back to the prebuilt archive when the source folder is absent.
#
# Defines the target `convene_secp256k1` (static library, or imported archive).
file(GLOB _secp_src_dirs LIST_DIRECTORIES true "${CONVENE_DEPS_PREFIX}/../src/libsecp256k1/libsecp256k1-*")
set(_secp_dir "")
foreach(_d IN LISTS _secp_src_dirs)
  if(IS_DIRECTORY "${_d}" AND EXISTS "${_d}/src/secp256k1.c" AND EXISTS "${_d}/src/precomputed_ecmult_gen.c")
    set(_secp_dir "${_d}")
  endif()
endforeach()

if(_secp_dir)
  message(STATUS "libsecp256k1 (WASM): compiling ${_secp_dir} with the 10x26 field")
  add_library(convene_secp256k1 STATIC
    "${_secp_dir}/src/secp256k1.c" "${_secp_dir}/src/precomputed_ecmult.c"
    "${CMAKE_CURRENT_LIST_DIR}/secp256k1-runtime-table.c")
  target_include_directories(convene_secp256k1 PRIVATE "${_secp_dir}" "${_secp_dir}/src")
  target_include_directories(convene_secp256k1 SYSTEM INTERFACE "${_secp_dir}/include")
  # The recovery module, the field choice above, and precomputed tables sized for the wallet's ratios and the package's
  # size (docs/wallet.md#signing). Precomputed points do not compress: each KiB here is about a KiB gzipped.
  # - ECMULT_GEN_PREC_BITS=4: the signing table (k*G), 64 KiB. 2 bits (32 KiB) was measured twice and not kept:
  #   signing fell from 5.1-5.8x to 3.1-4.6x @noble/secp256k1 (target >= 3x). The table is computed at the module's
  #   start (cmake/secp256k1-runtime-table.c), so its size is memory, not download.
  # - ECMULT_WINDOW_SIZE=4 for the a*P + b*G tables that only public-key recovery uses (the collector, once per
  #   batch): 2 x 2^2 x 64 B = 512 B, instead of 8 KiB at window 8 and 1 MiB at upstream's default 15. The file is
  #   generated for window 15 and keeps each smaller window as a prefix (`#if WINDOW_G > n`). Measured here
  #   (Node 20, one core): recovery about 11.5k/s at window 8, 10.2k/s at 4; signing does not use these tables.
  target_compile_definitions(convene_secp256k1 PRIVATE
    ENABLE_MODULE_RECOVERY=1 ECMULT_GEN_PREC_BITS=4 ECMULT_WINDOW_SIZE=4 USE_FORCE_WIDEMUL_INT64=1)
  target_compile_options(convene_secp256k1 PRIVATE -O3 -w)
else()
  message(STATUS "libsecp256k1 (WASM): source not found, linking ${CONVENE_DEPS_PREFIX}/lib/libsecp256k1.a")
  add_library(convene_secp256k1 STATIC IMPORTED)
  set_target_properties(convene_secp256k1 PROPERTIES IMPORTED_LOCATION "${CONVENE_DEPS_PREFIX}/lib/libsecp256k1.a")
endif()
