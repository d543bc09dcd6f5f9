// Reading a rules file with toml++ (the only file that includes it: the header is heavy). Every
// problem carries the line toml++ recorded for the node, so `svc rules check` can point at it.
#include <svc/automation/rules.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include <svc/contacts/names.hpp>
#include <svc/core/regex_pattern.hpp>
#include <svc/core/time.hpp>

namespace svc::automation {

namespace {

int
line_of(const toml::node& node)
{
  return static_cast<int>(node.source().begin.line);
}

class Reader
{
public:
  explicit Reader(std::vector<Problem>& problems) : m_problems(problems) {}

  template <class... Args>
  void problem(int line, fmt::format_string<Args...> f, Args&&... args)
  {
    m_problems.push_back({line, fmt::format(f, std::forward<Args>(args)...)});
  }

  // Reports keys of `table` outside `known`, naming where they were found.
  void known_keys(const toml::table& table, std::initializer_list<std::string_view> known, std::string_view where)
  {
    for (auto&& [key, node] : table) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        std::string list;
        for (auto k : known)
          list += (list.empty() ? "" : ", ") + std::string(k);
        problem(line_of(node), "unknown key '{}' in {} (known: {})", key.str(), where, list);
      }
    }
  }

  std::optional<std::string> string(const toml::node& node, std::string_view key)
  {
    if (auto s = node.value<std::string>(); s && node.is_string())
      return *s;
    problem(line_of(node), "'{}' must be a string", key);
    return std::nullopt;
  }

  std::optional<bool> boolean(const toml::node& node, std::string_view key)
  {
    if (node.is_boolean())
      return node.value<bool>();
    problem(line_of(node), "'{}' must be true or false", key);
    return std::nullopt;
  }

  // A string or an array of strings (a list of alternatives); each non-empty.
  std::vector<std::string> strings(const toml::node& node, std::string_view key)
  {
    std::vector<std::string> out;
    if (node.is_string()) {
      out.push_back(*node.value<std::string>());
    } else if (const auto* array = node.as_array()) {
      for (const auto& item : *array) {
        if (!item.is_string()) {
          problem(line_of(item), "'{}' must hold strings", key);
          return {};
        }
        out.push_back(*item.value<std::string>());
      }
      if (out.empty())
        problem(line_of(node), "'{}' is an empty list", key);
    } else {
      problem(line_of(node), "'{}' must be a string or a list of strings", key);
      return {};
    }
    for (const auto& s : out)
      if (s.empty())
        problem(line_of(node), "'{}' holds an empty string", key);
    return out;
  }

private:
  std::vector<Problem>& m_problems;
};

// "09:00" -> 540; "24:00" is allowed as a closing time.
std::optional<int>
parse_clock(const std::string& text)
{
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0]))
      || !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3]))
      || !std::isdigit(static_cast<unsigned char>(text[4])))
    return std::nullopt;
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return std::nullopt;
  return h * 60 + m;
}

void
read_hours(Reader& r, const toml::table& t, BusinessHours& hours)
{
  r.known_keys(t, {"zone", "open", "close", "days"}, "[hours]");
  if (const auto* zone = t.get("zone")) {
    if (auto z = r.string(*zone, "zone")) {
      hours.zone = *z;
      hours.offset_minutes = parse_utc_offset(*z);
      if (!hours.offset_minutes && !known_zone(*z))
        r.problem(line_of(*zone), "unknown time zone '{}'", *z);
    }
  } else {
    hours.offset_minutes = 0;
  }
  for (const char* key : {"open", "close"}) {
    if (const auto* node = t.get(key)) {
      if (auto text = r.string(*node, key)) {
        auto minute = parse_clock(*text);
        if (!minute || (std::string_view(key) == "open" && *minute == 24 * 60))
          r.problem(line_of(*node), "'{}' must be a time HH:MM, not '{}'", key, *text);
        else
          (std::string_view(key) == "open" ? hours.open_minute : hours.close_minute) = *minute;
      }
    }
  }
  if (hours.open_minute == hours.close_minute)
    r.problem(line_of(t), "[hours] opens and closes at the same time");
  if (const auto* days = t.get("days")) {
    static constexpr std::array<std::string_view, 7> names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    hours.days.fill(false);
    for (const auto& d : r.strings(*days, "days")) {
      auto it = std::find(names.begin(), names.end(), fold_ascii(d));
      if (it == names.end())
        r.problem(line_of(*days), "unknown day '{}' (mon, tue, wed, thu, fri, sat, sun)", d);
      else
        hours.days[static_cast<std::size_t>(it - names.begin())] = true;
    }
  }
}

void
read_when(Reader& r, const toml::table& t, Conditions& c)
{
  r.known_keys(t, {"channel", "account", "keywords", "regex", "tags", "not_tags", "first_contact", "time"},
               "[rule.when]");
  for (auto&& [key, node] : t) {
    std::string_view k = key.str();
    if (k == "channel") {
      c.channels = r.strings(node, k);
      for (const auto& ch : c.channels)
        if (ch != "dm" && ch != "comment" && ch != "mention")
          r.problem(line_of(node), "unknown channel '{}' (dm, comment, mention)", ch);
    } else if (k == "account") {
      c.accounts = r.strings(node, k);
    } else if (k == "keywords") {
      for (const auto& word : r.strings(node, k))
        c.keywords.push_back(fold_ascii(word));
    } else if (k == "regex") {
      auto pattern = r.string(node, k);
      if (!pattern)
        continue;
      if (pattern->empty() || pattern->size() > k_max_regex) {
        r.problem(line_of(node), "'regex' must be 1 to {} characters", k_max_regex);
        continue;
      }
      if (auto problem = regex_pattern_problem(*pattern)) {
        r.problem(line_of(node), "bad regex '{}': {}", *pattern, *problem);
        continue;
      }
      try {
        c.regex = std::make_shared<const std::regex>(*pattern, std::regex::ECMAScript);
        c.regex_source = *pattern;
      } catch (const std::regex_error& e) {
        r.problem(line_of(node), "bad regex '{}': {}", *pattern, e.what());
      }
    } else if (k == "tags" || k == "not_tags") {
      auto tags = r.strings(node, k);
      for (const auto& tag : tags)
        if (auto ok = contacts::check_tag(tag); !ok)
          r.problem(line_of(node), "{}", ok.error().message);
      (k == "tags" ? c.tags : c.not_tags) = std::move(tags);
    } else if (k == "first_contact") {
      c.first_contact = r.boolean(node, k);
    } else if (k == "time") {
      auto w = r.string(node, k);
      if (w == "business_hours")
        c.time = TimeWindow::business_hours;
      else if (w == "off_hours")
        c.time = TimeWindow::off_hours;
      else if (w)
        r.problem(line_of(node), "'time' must be \"business_hours\" or \"off_hours\", not '{}'", *w);
    }
  }
}

void
read_then(Reader& r, const toml::table& t, Rule& rule)
{
  Actions& a = rule.then;
  r.known_keys(t, {"reply", "tag", "route", "priority", "spam", "ignore", "notify"}, "[rule.then]");
  for (auto&& [key, node] : t) {
    std::string_view k = key.str();
    if (k == "reply") {
      a.reply = r.string(node, k).value_or("");
      rule.reply_line = line_of(node);
      if (a.reply.empty() && node.is_string())
        r.problem(line_of(node), "'reply' names no template");
    } else if (k == "tag") {
      a.tags = r.strings(node, k);
      for (const auto& tag : a.tags)
        if (auto ok = contacts::check_tag(tag); !ok)
          r.problem(line_of(node), "{}", ok.error().message);
    } else if (k == "route") {
      a.route = r.string(node, k).value_or("");
      rule.route_line = line_of(node);
      if (a.route.empty() && node.is_string())
        r.problem(line_of(node), "'route' names no group");
    } else if (k == "priority") {
      auto p = node.value<std::int64_t>();
      if (!node.is_integer() || !p || *p < -1000 || *p > 1000)
        r.problem(line_of(node), "'priority' must be an integer from -1000 to 1000");
      else
        a.priority = static_cast<int>(*p);
    } else if (k == "spam") {
      a.spam = r.boolean(node, k).value_or(false);
    } else if (k == "ignore") {
      a.ignore = r.boolean(node, k).value_or(false);
    } else if (k == "notify") {
      if (!node.is_array()) {
        r.problem(line_of(node), "'notify' must be a list: the command and its arguments (no shell)");
        continue;
      }
      a.notify = r.strings(node, k);
    }
  }
}

void
read_rule(Reader& r, const toml::table& t, RuleSet& set, std::set<std::string>& names)
{
  Rule rule;
  rule.line = line_of(t);
  r.known_keys(t, {"name", "when", "then", "stop"}, "[[rule]]");
  if (const auto* name = t.get("name")) {
    rule.name = r.string(*name, "name").value_or("");
    if (rule.name.empty() && name->is_string())
      r.problem(line_of(*name), "a rule's name is empty");
    else if (!rule.name.empty() && !names.insert(rule.name).second)
      r.problem(line_of(*name), "a second rule named '{}'", rule.name);
  } else {
    r.problem(rule.line, "a rule without a name (add name = \"...\")");
  }
  if (const auto* stop = t.get("stop"))
    rule.stop = r.boolean(*stop, "stop").value_or(false);
  if (const auto* when = t.get("when")) {
    if (const auto* table = when->as_table())
      read_when(r, *table, rule.when);
    else
      r.problem(line_of(*when), "'when' must be a table of conditions");
  }
  const auto* then = t.get("then");
  if (!then) {
    r.problem(rule.line, "rule '{}' has no actions (add a [rule.then] table)", rule.name);
  } else if (const auto* table = then->as_table()) {
    read_then(r, *table, rule);
    const Actions& a = rule.then;
    if (a.reply.empty() && a.tags.empty() && a.route.empty() && !a.priority && !a.spam && !a.ignore
        && a.notify.empty())
      r.problem(line_of(*then), "rule '{}' has no actions", rule.name);
  } else {
    r.problem(line_of(*then), "'then' must be a table of actions");
  }
  set.rules.push_back(std::move(rule));
}

} // namespace

ParsedRules
parse_rules(std::string_view text, const std::string& path)
{
  ParsedRules out;
  out.rules.path = path;
  out.rules.hours.offset_minutes = 0;
  Reader r(out.problems);
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    out.problems.push_back({static_cast<int>(e.source().begin.line), std::string(e.description())});
    return out;
  }
  r.known_keys(doc, {"hours", "settings", "rule"}, "the file");
  if (const auto* hours = doc.get("hours")) {
    if (const auto* t = hours->as_table())
      read_hours(r, *t, out.rules.hours);
    else
      r.problem(line_of(*hours), "'hours' must be a table");
  }
  if (const auto* settings = doc.get("settings")) {
    if (const auto* t = settings->as_table()) {
      r.known_keys(*t, {"notify_timeout"}, "[settings]");
      if (const auto* timeout = t->get("notify_timeout")) {
        if (auto text = r.string(*timeout, "notify_timeout")) {
          auto d = parse_duration(*text);
          if (!d || d->count() == 0)
            r.problem(line_of(*timeout), "'notify_timeout' must be a duration such as \"30s\", not '{}'", *text);
          else
            out.rules.notify_timeout = *d;
        }
      }
    } else {
      r.problem(line_of(*settings), "'settings' must be a table");
    }
  }
  if (const auto* rules = doc.get("rule")) {
    std::set<std::string> names;
    const auto* array = rules->as_array();
    if (!array || !array->is_array_of_tables()) {
      r.problem(line_of(*rules), "'rule' must be an array of tables: write each rule as [[rule]]");
    } else {
      for (const auto& node : *array)
        read_rule(r, *node.as_table(), out.rules, names);
    }
  }
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const Problem& a, const Problem& b) { return a.line < b.line; });
  return out;
}

Result<ParsedRules>
read_rules(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return make_error(ErrorKind::not_found, "no rules file at {}", path.string())
        .with_hint("write one (see `man svc-rules`), or name it with --rules FILE or SVC_RULES");
    return make_error(ErrorKind::usage, "cannot read {}", path.string());
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_rules(ss.str(), path.string());
}

} // namespace svc::automation
