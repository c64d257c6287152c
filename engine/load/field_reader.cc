// SPDX-License-Identifier: Apache-2.0
#include "load/field_reader.h"

namespace trustsim::load {

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

}  // namespace trustsim::load
