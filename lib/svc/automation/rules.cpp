// Evaluating rules on one message (pure), time windows, and the checks that need the state file.
#include <svc/automation/rules.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>

#include <svc/inbox/template_render.hpp>
#include <svc/store/store.hpp>

namespace svc::automation {

std::string
fold_ascii(std::string_view text)
{
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<int>
parse_utc_offset(std::string_view text)
{
  if (text == "UTC" || text == "Z" || text == "utc")
    return 0;
  // [+-]HH:MM
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':')
    return std::nullopt;
  for (std::size_t i : {1, 2, 4, 5})
    if (text[i] < '0' || text[i] > '9')
      return std::nullopt;
  int h = (text[1] - '0') * 10 + (text[2] - '0');
  int m = (text[4] - '0') * 10 + (text[5] - '0');
  if (h > 14 || m > 59)
    return std::nullopt;
  int minutes = h * 60 + m;
  return text[0] == '-' ? -minutes : minutes;
}

namespace {

std::string
zoneinfo_dir()
{
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

} // namespace

bool
known_zone(const std::string& name)
{
  // Only names that look like tz database entries: a name is never a path out of the database.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos)
    return false;
  if (!std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_'
               || c == '-' || c == '+';
      }))
    return false;
  std::ifstream in(zoneinfo_dir() + "/" + name, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

LocalTime
local_time(const BusinessHours& hours, UnixTime t)
{
  std::tm tm{};
  if (hours.offset_minutes) {
    std::time_t shifted = static_cast<std::time_t>(t + *hours.offset_minutes * 60);
    gmtime_r(&shifted, &tm);
  } else {
    // An IANA zone through the C library's tz database reader: TZ is process-wide, so it is set, used
    // and restored under a lock. (g++ 12's libstdc++ has no std::chrono::locate_zone.)
    static std::mutex lock;
    std::lock_guard guard(lock);
    const char* old = std::getenv("TZ");
    std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
    setenv("TZ", (":" + hours.zone).c_str(), 1);
    tzset();
    std::time_t tt = static_cast<std::time_t>(t);
    localtime_r(&tt, &tm);
    if (saved)
      setenv("TZ", saved->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  return {tm.tm_hour * 60 + tm.tm_min, tm.tm_wday};
}

bool
in_business_hours(const BusinessHours& hours, UnixTime t)
{
  LocalTime local = local_time(hours, t);
  if (!hours.days[static_cast<std::size_t>(local.weekday)])
    return false;
  if (hours.open_minute < hours.close_minute)
    return local.minute_of_day >= hours.open_minute && local.minute_of_day < hours.close_minute;
  // Overnight hours (open 22:00, close 06:00): counted on the day of the local time.
  return local.minute_of_day >= hours.open_minute || local.minute_of_day < hours.close_minute;
}

namespace {

bool
any_of(const std::vector<std::string>& allowed, const std::string& value)
{
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool
has_tag(const store::RuleMessage& m, const std::string& tag)
{
  return std::find(m.contact_tags.begin(), m.contact_tags.end(), tag) != m.contact_tags.end();
}

bool
matches(const RuleSet& set, const Rule& rule, const store::RuleMessage& m, const std::string& folded, UnixTime at)
{
  const Conditions& c = rule.when;
  if (!any_of(c.channels, m.channel) || !any_of(c.accounts, m.account))
    return false;
  if (!c.keywords.empty() && std::none_of(c.keywords.begin(), c.keywords.end(), [&](const std::string& k) {
        return folded.find(k) != std::string::npos;
      }))
    return false;
  if (c.regex) {
    // Bounded input: see k_regex_text_limit.
    std::string_view text(m.text);
    text = text.substr(0, k_regex_text_limit);
    if (!std::regex_search(text.begin(), text.end(), *c.regex))
      return false;
  }
  for (const auto& tag : c.tags)
    if (!has_tag(m, tag))
      return false;
  for (const auto& tag : c.not_tags)
    if (has_tag(m, tag))
      return false;
  if (c.first_contact && *c.first_contact != m.first_contact)
    return false;
  if (c.time != TimeWindow::any && in_business_hours(set.hours, at) != (c.time == TimeWindow::business_hours))
    return false;
  return true;
}

} // namespace

std::vector<const Rule*>
matching_rules(const RuleSet& set, const store::RuleMessage& message, UnixTime at)
{
  std::vector<const Rule*> out;
  std::string folded = fold_ascii(message.text);
  for (const auto& rule : set.rules) {
    if (!matches(set, rule, message, folded, at))
      continue;
    out.push_back(&rule);
    if (rule.stop || rule.then.spam || rule.then.ignore)
      break;
  }
  return out;
}

nlohmann::json
describe_actions(const Rule& rule)
{
  const Actions& a = rule.then;
  nlohmann::json out = nlohmann::json::array();
  if (!a.reply.empty())
    out.push_back({{"action", "reply"}, {"template", a.reply}});
  if (!a.tags.empty())
    out.push_back({{"action", "tag"}, {"tags", a.tags}});
  if (!a.route.empty())
    out.push_back({{"action", "route"}, {"group", a.route}});
  if (a.priority)
    out.push_back({{"action", "priority"}, {"priority", *a.priority}});
  if (a.spam)
    out.push_back({{"action", "spam"}});
  if (a.ignore)
    out.push_back({{"action", "ignore"}});
  if (!a.notify.empty())
    out.push_back({{"action", "notify"}, {"command", a.notify}});
  return out;
}

Status
check_against_store(ParsedRules& parsed, store::Store& store)
{
  for (const auto& rule : parsed.rules.rules) {
    if (!rule.then.reply.empty()) {
      auto tpl = store.templates().get(rule.then.reply);
      if (!tpl) {
        if (tpl.error().kind != ErrorKind::not_found)
          return tpl.error();
        parsed.problems.push_back({rule.reply_line, fmt::format("unknown template '{}' (rule '{}')", rule.then.reply,
                                                                rule.name)});
      } else if (auto parts = inbox::parse_template(tpl->name, tpl->text); parts) {
        // A rule fills the contact's fields, {agent} and {account}; nothing else.
        for (const auto& v : inbox::template_variables(*parts))
          if (v != "agent" && v != "account" && !inbox::is_contact_variable(v))
            parsed.problems.push_back(
              {rule.reply_line, fmt::format("template '{}' uses {{{}}}, which a rule cannot fill (rule '{}')",
                                            tpl->name, v, rule.name)});
      }
    }
    if (!rule.then.route.empty()) {
      auto group = store.team().group(rule.then.route);
      if (!group) {
        if (group.error().kind != ErrorKind::not_found)
          return group.error();
        parsed.problems.push_back(
          {rule.route_line, fmt::format("unknown group '{}' (rule '{}')", rule.then.route, rule.name)});
      }
    }
  }
  std::stable_sort(parsed.problems.begin(), parsed.problems.end(),
                   [](const Problem& a, const Problem& b) { return a.line < b.line; });
  return {};
}

std::string
format_problem(const std::string& path, const Problem& p)
{
  return p.line > 0 ? fmt::format("{}:{}: {}", path, p.line, p.message) : fmt::format("{}: {}", path, p.message);
}

Error
problems_error(const ParsedRules& parsed)
{
  Error e = make_error(ErrorKind::usage, "{}", format_problem(parsed.rules.path, parsed.problems.front()));
  if (parsed.problems.size() > 1)
    return std::move(e).with_hint(fmt::format("{} more problem{} in the file: `svc rules check {}` lists them all",
                                              parsed.problems.size() - 1, parsed.problems.size() > 2 ? "s" : "",
                                              parsed.rules.path));
  return std::move(e).with_hint("the format is in `man svc-rules`");
}

Result<std::filesystem::path>
rules_path(const std::optional<std::string>& flag, const config::Getenv& getenv)
{
  if (flag) {
    if (flag->empty())
      return make_error(ErrorKind::usage, "--rules needs a path");
    return std::filesystem::path(*flag);
  }
  if (auto v = getenv("SVC_RULES"))
    return std::filesystem::path(*v);
  if (auto xdg = getenv("XDG_CONFIG_HOME"); xdg && (*xdg)[0] == '/') // relative XDG paths are ignored
    return std::filesystem::path(*xdg) / "svc" / "rules.toml";
  if (auto home = getenv("HOME"))
    return std::filesystem::path(*home) / ".config" / "svc" / "rules.toml";
  return make_error(ErrorKind::usage, "cannot tell where the rules file is: HOME is not set")
    .with_hint("pass --rules FILE or set SVC_RULES");
}

} // namespace svc::automation
