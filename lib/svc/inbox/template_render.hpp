// Canned replies (`svc template`, `reply --template`, `send --template`): the template syntax and its
// rendering, pure functions with no store.
//
// Syntax: `{NAME}` is a variable, `{{` and `}}` are literal braces; any other brace is an error. NAME is
// letters, digits, `_`, `-` and `.`. The variables:
//   {contact.name}  {contact.id}  {contact.ATTRIBUTE}   the customer (ATTRIBUTE from `svc contact set`)
//   {agent}  {account}                                  who sends (--as / SVC_AGENT) and from which account
//   {KEY}                                               a `--var KEY=VALUE` of the command line
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::inbox {

// A template cut into literal text and variable references, in order.
struct TemplatePart {
  bool variable = false;
  std::string text; // the literal text (braces unescaped), or the variable's name
};

// Checks the syntax: usage (exit 2) naming the template and the position of the first bad brace.
Result<std::vector<TemplatePart>> parse_template(const std::string& name, std::string_view text);

// The distinct variable names a parsed template uses, in order of first use.
std::vector<std::string> template_variables(const std::vector<TemplatePart>& parts);

// True for the variables whose value depends on the customer ({contact.*}).
bool is_contact_variable(std::string_view variable);

// The customer a template is rendered for.
struct TemplateContact {
  std::int64_t id = 0;
  std::string name; // "" when the platform gave none
  std::map<std::string, std::string> attributes;
};

// Variable name -> value. Built-in names that have no value (a contact without a name, no acting agent)
// are left out, so rendering names them as missing.
using TemplateValues = std::map<std::string, std::string>;

// "KEY=VALUE" pairs of --var: usage error for a pair without '=', a bad or repeated KEY, or a KEY that
// is built in (agent, account, contact.*).
Result<TemplateValues> parse_template_vars(const std::vector<std::string>& pairs);

// The values for one rendering: the contact's (when given), the agent's and account's (when not empty),
// and `vars`.
TemplateValues template_values(const std::optional<TemplateContact>& contact, const std::string& agent,
                               const std::string& account, const TemplateValues& vars);

// The variables of `parts` that `values` lacks, in order of first use.
std::vector<std::string> missing_variables(const std::vector<TemplatePart>& parts, const TemplateValues& values);

// Renders `text`; a syntax error or a variable without a value is a usage error (exit 2) naming the
// variable and the template, with a hint saying where such a value comes from.
Result<std::string> render_template(const std::string& name, std::string_view text, const TemplateValues& values);

} // namespace svc::inbox
