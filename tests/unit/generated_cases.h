// The size of generated (property) tests, per build.
#pragma once

namespace convene::property {

/// How many generated cases a property test runs: `full` in the native and WASM builds, a tenth
/// (at least 5) in the ASan+UBSan build (CONVENE_SANITIZED), where each case costs about 40x as
/// much. The sanitizers look for memory and UB errors along code paths; a tenth of the generated
/// cases still walks every path the generators reach, and the full count runs in the other builds.
constexpr int generated_cases(int full) {
#ifdef CONVENE_SANITIZED
  return full / 10 < 5 ? 5 : full / 10;
#else
  return full;
#endif
}

}  // namespace convene::property
