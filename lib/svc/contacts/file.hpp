// Reading an import file (writing one: svc/io/atomic_file.hpp).
#pragma once

#include <string>

#include <svc/core/result.hpp>

namespace svc::contacts {

// usage (exit 2) when it cannot be read.
Result<std::string> read_whole_file(const std::string& path);

} // namespace svc::contacts
