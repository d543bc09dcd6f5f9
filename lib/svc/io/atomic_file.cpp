#include <svc/io/atomic_file.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <streambuf>

#include <fmt/format.h>

namespace svc::io {

// A stream buffer straight onto the file descriptor (std::ofstream cannot fsync). Writers hand it large
// pieces already, so it keeps no buffer of its own; it remembers the first error.
class AtomicFile::Buffer final : public std::streambuf
{
public:
  explicit Buffer(int fd) : m_fd(fd) {}
  int error() const { return m_error; }

protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override
  {
    std::streamsize done = 0;
    while (done < n && m_error == 0) {
      ssize_t w = ::write(m_fd, s + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0) {
        m_error = errno;
        break;
      }
      done += w;
    }
    return done;
  }
  int_type overflow(int_type c) override
  {
    if (traits_type::eq_int_type(c, traits_type::eof()))
      return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }

private:
  int m_fd;
  int m_error = 0;
};

AtomicFile::AtomicFile(std::string path, std::string temp, int fd)
  : m_path(std::move(path)),
    m_temp(std::move(temp)),
    m_fd(fd),
    m_buffer(std::make_unique<Buffer>(fd)),
    m_stream(std::make_unique<std::ostream>(m_buffer.get()))
{
}

namespace {

// Removes the temporary files of earlier exports to `target` whose writer is gone (SIGKILL, power cut):
// they are named .FILE.tmp-PID-XXXXXX, and a PID that no longer exists cannot come back to finish one.
void
remove_abandoned_temps(const std::filesystem::path& dir, const std::string& name)
{
  const std::string prefix = "." + name + ".tmp-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec)) {
    std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) != 0)
      continue;
    std::string rest = file.substr(prefix.size()); // PID-XXXXXX
    auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || rest.size() != dash + 7)
      continue;
    pid_t pid = 0;
    try {
      pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
    } catch (...) {
      continue;
    }
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
      std::filesystem::remove(entry.path(), ec);
  }
}

} // namespace

Result<std::unique_ptr<AtomicFile>>
AtomicFile::create(const std::string& path)
{
  std::filesystem::path target(path);
  if (std::filesystem::is_directory(target))
    return make_error(ErrorKind::usage, "cannot write {}: it is a directory", path).with_hint("name a file, not a directory");
  std::filesystem::path dir = target.parent_path();
  remove_abandoned_temps(dir, target.filename().string());
  std::string temp =
    (dir / fmt::format(".{}.tmp-{}-XXXXXX", target.filename().string(), static_cast<long>(getpid()))).string();
  int fd = mkstemp(temp.data());
  if (fd < 0)
    return make_error(ErrorKind::usage, "cannot write {}: {}", path, std::strerror(errno))
      .with_hint("the file's directory must exist and be writable");
  // An existing file keeps its mode; a new one gets what open(2) would give it (0666 less the umask).
  mode_t mode = 0;
  struct stat st{};
  if (stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0) {
    int err = errno;
    close(fd);
    unlink(temp.c_str());
    return make_error(ErrorKind::failed, "cannot write {} (chmod): {}", path, std::strerror(err));
  }
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, std::move(temp), fd));
}

AtomicFile::~AtomicFile()
{
  if (m_fd >= 0)
    close(m_fd);
  if (!m_committed)
    unlink(m_temp.c_str());
}

std::ostream&
AtomicFile::stream()
{
  return *m_stream;
}

Error
AtomicFile::failure(const char* what, int err)
{
  if (m_fd >= 0)
    close(m_fd);
  m_fd = -1;
  unlink(m_temp.c_str());
  return make_error(ErrorKind::failed, "cannot write {} ({}): {}", m_path, what, std::strerror(err));
}

Status
AtomicFile::commit()
{
  m_stream->flush();
  if (m_buffer->error() != 0)
    return failure("write", m_buffer->error());
  if (!*m_stream)
    return failure("write", EIO);
  if (fsync(m_fd) != 0)
    return failure("fsync", errno);
  int fd = m_fd;
  m_fd = -1;
  if (close(fd) != 0)
    return failure("close", errno);
  if (rename(m_temp.c_str(), m_path.c_str()) != 0)
    return failure("rename", errno);
  m_committed = true;
  // The rename itself is durable once the directory is synced.
  std::string dir = std::filesystem::path(m_path).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return {};
}

Status
write_atomically(const std::string& path, const std::string& content)
{
  SVC_TRY(file, AtomicFile::create(path));
  file->stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  return file->commit();
}

} // namespace svc::io
