#include <svc/io/streams.hpp>

namespace svc::io {

void
Streams::status(std::string_view line) const
{
  if (!quiet)
    err << line << '\n';
}

void
Streams::warn(std::string_view line) const
{
  if (!quiet)
    err << (color ? "\033[33mwarning:\033[0m " : "warning: ") << line << '\n';
}

} // namespace svc::io
