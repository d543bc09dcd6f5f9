// A file written so that a reader never sees half of it (`export -o`, `report --html`, `contact export`):
// the writer streams into a temporary file next to
// FILE (same directory, so the rename cannot cross file systems), which commit() syncs and renames over
// FILE. Until then FILE keeps its old content (or does not exist); on any error, on a cancellation, or
// when the object goes without commit(), the temporary file is removed. Only SIGKILL or a power cut
// can leave one behind (named .FILE.tmp-PID-XXXXXX); the next export to FILE removes it once PID is gone.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include <svc/core/result.hpp>

namespace svc::io {

class AtomicFile
{
public:
  // usage (exit 2) when the directory cannot take the temporary file.
  static Result<std::unique_ptr<AtomicFile>> create(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream();
  const std::string& temp_path() const { return m_temp; }
  // Flush, fsync, close, rename over the target (keeping an existing target's mode).
  Status commit();

private:
  class Buffer;
  AtomicFile(std::string path, std::string temp, int fd);
  Error failure(const char* what, int err);

  std::string m_path, m_temp;
  int m_fd = -1;
  bool m_committed = false;
  std::unique_ptr<Buffer> m_buffer;
  std::unique_ptr<std::ostream> m_stream;
};

// The whole of `content` through an AtomicFile: `path` holds its old content or all of the new one.
Status write_atomically(const std::string& path, const std::string& content);

} // namespace svc::io
