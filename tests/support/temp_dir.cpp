#include "support/temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace svc::test {

TempDir::TempDir()
{
  std::string templ = (std::filesystem::temp_directory_path() / "svc-test-XXXXXX").string();
  if (!mkdtemp(templ.data()))
    throw std::runtime_error("mkdtemp failed");
  m_path = templ;
}

TempDir::~TempDir()
{
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string
read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void
write_file(const std::filesystem::path& path, const std::string& content)
{
  std::ofstream out(path, std::ios::binary);
  out << content;
}

} // namespace svc::test
