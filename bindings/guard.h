// convene/bindings/guard.h — the one place where core errors cross into JS.
//
// Every bound function runs its body inside `guard_json` / `guard_val`. A core
// `convene::Error` (or any other C++ exception, reported as INTERNAL) never
// unwinds into JavaScript and never aborts the module: it is returned as a
// value, and npm/src/native.js turns it into a thrown `ConveneError` with
// `code`, `field` and `message`. So the module stays usable after bad input.
//
// Envelopes:
//   guard_json: returns the JSON text {"ok": <result>} or {"error": {code, field, message}}
//   guard_val:  returns the value itself, or a JS object {"$error": {code, field, message}}
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>

#include "core/error.h"
#include "core/json_input.h"

namespace convene::bindings {

inline Json error_json(const std::string& code, const std::string& field, const std::string& message) {
  return Json{{"code", code}, {"field", field}, {"message", message}};
}

template <class F>
Json guard_error(F&& on_error) {
  try {
    throw;
  } catch (const Error& e) {
    return on_error(error_json(e.code(), e.field(), e.what()));
  } catch (const Json::exception& e) {
    return on_error(error_json(std::string(code::kInvalidInput), "", std::string("invalid input: ") + e.what()));
  } catch (const std::bad_alloc&) {
    return on_error(error_json(std::string(code::kInternal), "", "out of memory"));
  } catch (const std::exception& e) {
    return on_error(error_json(std::string(code::kInternal), "", e.what()));
  } catch (...) {
    return on_error(error_json(std::string(code::kInternal), "", "unknown C++ exception"));
  }
}

/// Runs `body` (returning Json) and wraps the result or the error as JSON text.
template <class F>
std::string guard_json(F&& body) {
  try {
    Json out;
    out["ok"] = body();
    return out.dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (...) {
    return guard_error([](Json err) { return Json{{"error", std::move(err)}}; }).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

/// Runs `body` (returning emscripten::val) and returns it, or {"$error": {...}}.
template <class F>
emscripten::val guard_val(F&& body) {
  try {
    return body();
  } catch (...) {
    Json err = guard_error([](Json e) { return e; });
    emscripten::val o = emscripten::val::object();
    emscripten::val e = emscripten::val::object();
    e.set("code", err["code"].get<std::string>());
    e.set("field", err["field"].get<std::string>());
    e.set("message", err["message"].get<std::string>());
    o.set("$error", e);
    return o;
  }
}

}  // namespace convene::bindings
