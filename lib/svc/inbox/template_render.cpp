#include <svc/inbox/template_render.hpp>

#include <algorithm>

namespace svc::inbox {

namespace {

constexpr std::string_view k_contact_prefix = "contact.";

bool
name_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
         || c == '.' || static_cast<unsigned char>(c) >= 0x80; // attribute keys may be CJK
}

Error
syntax_error(const std::string& name, std::size_t at, std::string_view what)
{
  return make_error(ErrorKind::usage, "template '{}': {} at character {}", name, what, at + 1)
    .with_hint("variables are written {contact.name}, {agent}, {KEY}; a literal brace is {{ or }}");
}

// Where a variable's value comes from, for the hint of a missing one.
std::string
source_of(const std::string& variable)
{
  if (variable == "contact.name")
    return "the platform gave this contact no name; `svc contact set CONTACT name=VALUE` gives one";
  if (variable == "contact.id")
    return "{contact.id} needs a customer: the conversation has no contact";
  if (is_contact_variable(variable))
    return fmt::format("set it with `svc contact set CONTACT {}=VALUE`", variable.substr(k_contact_prefix.size()));
  if (variable == "agent")
    return "say who is acting with --as AGENT or SVC_AGENT";
  if (variable == "account")
    return "{account} is the account that sends";
  return fmt::format("give it with --var {}=VALUE", variable);
}

} // namespace

Result<std::vector<TemplatePart>>
parse_template(const std::string& name, std::string_view text)
{
  std::vector<TemplatePart> parts;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty())
      parts.push_back({false, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      return syntax_error(name, i, "unmatched '}'");
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos)
      return syntax_error(name, i, "unclosed '{'");
    std::string_view variable = text.substr(i + 1, close - i - 1);
    if (variable.empty())
      return syntax_error(name, i, "empty variable {}");
    if (!std::all_of(variable.begin(), variable.end(), name_char))
      return syntax_error(name, i, fmt::format("bad variable name '{}'", variable));
    if (variable == "contact" || variable == k_contact_prefix)
      return syntax_error(name, i, fmt::format("'{{{}}}' names no field (e.g. {{contact.name}})", variable));
    flush();
    parts.push_back({true, std::string(variable)});
    i = close;
  }
  flush();
  return parts;
}

std::vector<std::string>
template_variables(const std::vector<TemplatePart>& parts)
{
  std::vector<std::string> out;
  for (const auto& p : parts)
    if (p.variable && std::find(out.begin(), out.end(), p.text) == out.end())
      out.push_back(p.text);
  return out;
}

bool
is_contact_variable(std::string_view variable)
{
  return variable.substr(0, k_contact_prefix.size()) == k_contact_prefix;
}

Result<TemplateValues>
parse_template_vars(const std::vector<std::string>& pairs)
{
  TemplateValues out;
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos)
      return make_error(ErrorKind::usage, "--var '{}' is not KEY=VALUE", pair).with_hint("e.g. --var order=A1234");
    std::string key = pair.substr(0, eq);
    if (key.empty() || !std::all_of(key.begin(), key.end(), name_char))
      return make_error(ErrorKind::usage, "--var '{}': bad key '{}'", pair, key)
        .with_hint("keys are letters, digits, _ - and .");
    if (key == "agent" || key == "account" || key == "contact" || is_contact_variable(key))
      return make_error(ErrorKind::usage, "--var {}: {{{}}} is built in and cannot be set", key, key)
        .with_hint("{agent} comes from --as, {account} from the account, {contact.*} from the contact");
    if (!out.emplace(key, pair.substr(eq + 1)).second)
      return make_error(ErrorKind::usage, "--var {} is given twice", key);
  }
  return out;
}

TemplateValues
template_values(const std::optional<TemplateContact>& contact, const std::string& agent, const std::string& account,
                const TemplateValues& vars)
{
  TemplateValues out = vars;
  if (contact) {
    for (const auto& [key, value] : contact->attributes)
      out[std::string(k_contact_prefix) + key] = value;
    // The contact's own fields win over attributes of the same name; an attribute `name` stands in for
    // a name the platform withholds (WeChat gives none).
    out["contact.id"] = std::to_string(contact->id);
    if (!contact->name.empty())
      out["contact.name"] = contact->name;
  }
  if (!agent.empty())
    out["agent"] = agent;
  if (!account.empty())
    out["account"] = account;
  return out;
}

std::vector<std::string>
missing_variables(const std::vector<TemplatePart>& parts, const TemplateValues& values)
{
  std::vector<std::string> out;
  for (const auto& v : template_variables(parts))
    if (!values.count(v))
      out.push_back(v);
  return out;
}

Result<std::string>
render_template(const std::string& name, std::string_view text, const TemplateValues& values)
{
  SVC_TRY(parts, parse_template(name, text));
  auto missing = missing_variables(parts, values);
  if (!missing.empty())
    return make_error(ErrorKind::usage, "template '{}': unknown variable {{{}}}", name, missing.front())
      .with_hint(source_of(missing.front()));
  std::string out;
  for (const auto& p : parts)
    out += p.variable ? values.at(p.text) : p.text;
  return out;
}

} // namespace svc::inbox
