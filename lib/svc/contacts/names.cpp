#include <svc/contacts/names.hpp>

#include <algorithm>
#include <cctype>

namespace svc::contacts {

namespace {

constexpr const char* k_ref_hint = "CONTACT is the svc contact id (`svc contact list`) or ACCOUNT:PLATFORM_USER_ID";

std::size_t
code_points(const std::string& s)
{
  return static_cast<std::size_t>(
    std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool
all_digits(const std::string& s)
{
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

} // namespace

Status
check_tag(const std::string& name)
{
  auto bad = [&](const char* why) {
    return make_error(ErrorKind::usage, "bad tag '{}': {}", name, why)
      .with_hint("a tag is 1-30 characters without ',' ';' or control characters");
  };
  if (name.empty())
    return bad("it is empty");
  if (code_points(name) > 30)
    return bad("longer than 30 characters");
  if (name.find_first_of(",;") != std::string::npos)
    return bad("',' and ';' separate tags");
  if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return bad("it holds a control character");
  if (name.front() == ' ' || name.back() == ' ')
    return bad("it starts or ends with a space");
  return {};
}

Status
check_tags(const std::vector<std::string>& names)
{
  for (const auto& n : names)
    SVC_CHECK(check_tag(n));
  return {};
}

Status
check_attribute_key(const std::string& key)
{
  bool ok = !key.empty() && key.size() <= 64 && std::isalnum(static_cast<unsigned char>(key[0]))
            && std::all_of(key.begin(), key.end(), [](unsigned char c) {
                 return std::isalnum(c) || c == '_' || c == '-' || c == '.';
               });
  if (!ok)
    return make_error(ErrorKind::usage, "bad attribute name '{}'", key)
      .with_hint("use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit");
  return {};
}

Result<std::map<std::string, std::string>>
parse_assignments(const std::vector<std::string>& args)
{
  std::map<std::string, std::string> out;
  for (const auto& arg : args) {
    auto eq = arg.find('=');
    if (eq == std::string::npos)
      return make_error(ErrorKind::usage, "'{}' is not KEY=VALUE", arg)
        .with_hint("e.g. `svc contact set 12 city=Shanghai vip=yes`; KEY= removes the attribute");
    std::string key = arg.substr(0, eq);
    SVC_CHECK(check_attribute_key(key));
    out[key] = arg.substr(eq + 1);
  }
  return out;
}

Result<ContactRef>
parse_ref(const std::string& text)
{
  ContactRef ref;
  if (all_digits(text)) {
    if (text.size() > 18)
      return make_error(ErrorKind::usage, "contact id '{}' is too large", text).with_hint(k_ref_hint);
    ref.id = std::stoll(text);
    return ref;
  }
  // Account names hold neither ':' nor '/', so the first one ends the name.
  auto sep = text.find_first_of(":/");
  if (sep == std::string::npos || sep == 0 || sep + 1 == text.size())
    return make_error(ErrorKind::usage, "'{}' names no contact", text).with_hint(k_ref_hint);
  ref.account = text.substr(0, sep);
  ref.platform_user_id = text.substr(sep + 1);
  return ref;
}

Result<store::ContactRow>
resolve(store::Store& store, const std::string& text)
{
  SVC_TRY(ref, parse_ref(text));
  if (ref.id)
    return store.contacts().get(*ref.id);
  return store.contacts().find(ref.account, ref.platform_user_id);
}

} // namespace svc::contacts
