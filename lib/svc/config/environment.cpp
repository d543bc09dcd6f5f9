#include <svc/config/environment.hpp>

#include <cstdlib>

namespace svc::config {

std::optional<std::string>
process_getenv(const std::string& name)
{
  const char* v = std::getenv(name.c_str());
  if (!v || !*v)
    return std::nullopt;
  return std::string(v);
}

} // namespace svc::config
