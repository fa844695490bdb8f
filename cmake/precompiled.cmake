# convene_precompile(<target> [extra headers...]): gives <target> the precompiled header
# cmake/precompiled.h (plus the extra headers, e.g. <doctest/doctest.h>), when CONVENE_PCH is on.
# Each target gets its own: a precompiled header is only valid with the exact flags and
# definitions of the files that use it. Files that must not see it (cctz's sources, compiled
# as their project writes them, and the generated tz data) set SKIP_PRECOMPILE_HEADERS.
option(CONVENE_PCH "Precompile the third-party headers (cmake/precompiled.h): about a third off a clean build" ON)
function(convene_precompile target)
  if(CONVENE_PCH)
    target_precompile_headers(${target} PRIVATE "${PROJECT_SOURCE_DIR}/cmake/precompiled.h" ${ARGN})
  endif()
endfunction()
