#include <svc/contacts/file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace svc::contacts {

Result<std::string>
read_whole_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorKind::usage, "cannot read {}: {}", path, std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status
write_atomically(const std::string& path, const std::string& content)
{
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0)
    return make_error(ErrorKind::usage, "cannot write {}: {}", path, std::strerror(errno))
      .with_hint("-o needs a writable directory");
  auto fail = [&](const char* what) {
    int err = errno;
    close(fd);
    unlink(tmp.c_str());
    return make_error(ErrorKind::failed, "cannot write {} ({}): {}", path, what, std::strerror(err));
  };
  mode_t mode = 0;
  struct stat st{};
  if (stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0)
    return fail("chmod");
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0)
    return fail("fsync");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return make_error(ErrorKind::failed, "cannot write {}: {}", path, std::strerror(err));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return make_error(ErrorKind::failed, "cannot write {}: {}", path, std::strerror(err));
  }
  return {};
}

} // namespace svc::contacts
