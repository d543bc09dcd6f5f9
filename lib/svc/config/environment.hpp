// Reading the environment through an interface, so commands and tests can give svc a controlled one.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace svc::config {

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

// The process environment (empty values count as unset).
std::optional<std::string> process_getenv(const std::string& name);

} // namespace svc::config
