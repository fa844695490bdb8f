// Precompiled header of every C++ target (CONVENE_PCH, on by default; cmake/precompiled.cmake).
//
// Only third-party and standard headers, the ones nearly every translation unit includes through
// core/json_input.h and core/recurrence/civil.h. Parsing them costs about 3 s per file (nlohmann/json)
// on a 2-core CI machine, more than compiling most of our own files;
// precompiling them once per target is what keeps the clean-clone CI run within its budget.
// Nothing of the project's own goes here: a change to a core header must not rebuild everything.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <date/date.h>
#include <nlohmann/json.hpp>
