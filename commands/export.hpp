// svc export: messages or conversations as jsonl, csv, html or md (cli.md "History"; the work is
// lib/svc/history/export.hpp, the reading lib/svc/store/export_source.hpp).
#pragma once

#include <optional>
#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct ExportCommandOptions {
  std::string format; // jsonl | csv | html | md; "" = the global --format when jsonl or csv, else jsonl
  std::string per = "message";
  std::string output; // -o FILE; "" = stdout
  bool bom = false;
  std::string account, contact, tag, since, until;
  std::string status = "all";
};
Status run_export(const ExportCommandOptions& opts, Context& ctx);
void setup_export(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
