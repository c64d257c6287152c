// SPDX-License-Identifier: Apache-2.0
#include "load/field_reader.h"

namespace trustsim::load {

bool is(const nlohmann::json& v, Want want) {
  switch (want) {
    case Want::String:
      return v.is_string();
    case Want::Object:
      return v.is_object();
    case Want::Array:
      return v.is_array();
    case Want::Boolean:
      return v.is_boolean();
    case Want::Integer:
      return v.is_number_integer();
    case Want::Document:
      return v.is_object() || v.is_string();
    case Want::Attachments:
      return v.is_array() || v.is_object();
  }
  return false;
}

std::string_view describe(Want want) {
  switch (want) {
    case Want::String:
      return "a string";
    case Want::Object:
      return "an object";
    case Want::Array:
      return "an array";
    case Want::Boolean:
      return "a boolean";
    case Want::Integer:
      return "a whole number";
    case Want::Document:
      return "a policy document (an object or a string)";
    case Want::Attachments:
      return "an array of attachments";
  }
  return "a value";
}

const nlohmann::json* FieldReader::field(const nlohmann::json& obj, const char* name, const std::string& where,
                                         Want want, bool required) {
  const auto it = obj.find(name);
  if (it == obj.end() || (it->is_null() && !required)) {
    if (required) {
      error(prefix_ + ".missing_field", std::string("missing `") + name + "`", parse::pointerAppend(where, name));
    }
    return nullptr;
  }
  if (!is(*it, want)) {
    error(prefix_ + ".wrong_type",
          std::string("`") + name + "` must be " + std::string(describe(want)) + ", not " +
              std::string(parse::describeType(*it)),
          parse::pointerAppend(where, name));
    return nullptr;
  }
  return &*it;
}

}  // namespace trustsim::load
