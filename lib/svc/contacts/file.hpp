// Reading an import file and writing an export file so that a reader never sees half of it.
#pragma once

#include <string>

#include <svc/core/result.hpp>

namespace svc::contacts {

// usage (exit 2) when it cannot be read.
Result<std::string> read_whole_file(const std::string& path);

// Writes a temporary file next to `path`, syncs it and renames it over `path`: `path` holds either its
// old content or all of the new one, never a part. An existing file keeps its mode; a new one gets
// 0666 less the umask.
Status write_atomically(const std::string& path, const std::string& content);

} // namespace svc::contacts
