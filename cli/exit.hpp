// The one table from error kinds to exit codes (cli.md "Exit codes"), and the one way errors are shown.
#pragma once

#include <svc/core/result.hpp>
#include <svc/io/streams.hpp>

namespace svc::cli {

int exit_code(ErrorKind kind);
// "svc: error: WHAT" and, when there is one, "hint: HOW" on stderr (never muted by -q).
void print_error(const io::Streams& io, const Error& error);

} // namespace svc::cli
