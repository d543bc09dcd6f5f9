#include "cli/exit.hpp"

namespace svc::cli {

int
exit_code(ErrorKind kind)
{
  switch (kind) {
  case ErrorKind::failed: return 1;
  case ErrorKind::usage: return 2;
  case ErrorKind::not_found: return 3;
  case ErrorKind::auth: return 4;
  case ErrorKind::temporary: return 5;
  case ErrorKind::conflict: return 6;
  case ErrorKind::state: return 7;
  case ErrorKind::partial: return 8;
  }
  return 1;
}

void
print_error(const io::Streams& io, const Error& error)
{
  // One line each: a message with embedded newlines (a platform's text) is folded.
  auto one_line = [](std::string s) {
    for (char& c : s)
      if (c == '\n' || c == '\r')
        c = ' ';
    return s;
  };
  io.err << (io.color ? "\033[31msvc: error:\033[0m " : "svc: error: ") << one_line(error.message) << '\n';
  if (!error.hint.empty())
    io.err << "hint: " << one_line(error.hint) << '\n';
  io.err.flush();
}

} // namespace svc::cli
