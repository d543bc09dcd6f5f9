// svc kb add|import|list|remove|ask|config: the knowledge-base bot (issue 9; docs/bot.md)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct KbAddOptions {
  std::string question;
  std::vector<std::string> alts;
  std::string answer;
  std::optional<int> menu;
};
Status run_kb_add(const KbAddOptions& opts, Context& ctx);
void setup_kb_add(CLI::App& cmd, Invocation& inv);

struct KbImportOptions {
  std::string file;
};
Status run_kb_import(const KbImportOptions& opts, Context& ctx);
void setup_kb_import(CLI::App& cmd, Invocation& inv);

Status run_kb_list(Context& ctx);
void setup_kb_list(CLI::App& cmd, Invocation& inv);

struct KbRemoveOptions {
  std::int64_t id = 0;
};
Status run_kb_remove(const KbRemoveOptions& opts, Context& ctx);
void setup_kb_remove(CLI::App& cmd, Invocation& inv);

struct KbAskOptions {
  std::string text;
  int candidates = 5;
};
Status run_kb_ask(const KbAskOptions& opts, Context& ctx);
void setup_kb_ask(CLI::App& cmd, Invocation& inv);

struct KbConfigOptions {
  std::optional<double> threshold;
  std::vector<std::string> human_phrases; // replaces the list when given
  std::optional<std::string> menu_header;
};
Status run_kb_config(const KbConfigOptions& opts, Context& ctx);
void setup_kb_config(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
