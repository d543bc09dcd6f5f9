// The svc entry point: builds the CLI11 tree from the command table, parses, then runs the selected
// command outside CLI11's handlers, so a parse error (exit 2) and a runtime error stay apart.
#pragma once

#include <string>
#include <vector>

#include <svc/config/environment.hpp>
#include <svc/core/clock.hpp>
#include <svc/io/streams.hpp>

namespace svc::cli {

// Runs svc with the given arguments (without argv[0]) against the given streams, clock and
// environment; returns the exit code. Tests call this directly.
int run(const std::vector<std::string>& args, io::Streams& io, const Clock& clock, const config::Getenv& getenv);

// The process entry: real stdio, system clock, process environment.
int run(int argc, char** argv);

} // namespace svc::cli
