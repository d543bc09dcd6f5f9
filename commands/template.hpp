// svc template add|list|show|remove: canned replies with variables ({contact.name}, {agent}, ...), used
// by `reply --template` and `send --template` (syntax: lib/svc/inbox/template_render.hpp).
#pragma once

#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct TemplateAddOptions {
  std::string name;
  std::string text; // "-": read it from stdin
};
Status run_template_add(const TemplateAddOptions& opts, Context& ctx);
void setup_template_add(CLI::App& cmd, Invocation& inv);

struct TemplateNameOptions {
  std::string name;
};
Status run_template_list(Context& ctx);
void setup_template_list(CLI::App& cmd, Invocation& inv);
Status run_template_show(const TemplateNameOptions& opts, Context& ctx);
void setup_template_show(CLI::App& cmd, Invocation& inv);
Status run_template_remove(const TemplateNameOptions& opts, Context& ctx);
void setup_template_remove(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
