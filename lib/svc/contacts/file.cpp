#include <svc/contacts/file.hpp>

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

} // namespace svc::contacts
