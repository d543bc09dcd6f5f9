#include <svc/simulate/settings.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <svc/core/time.hpp>
#include <svc/routing/policy.hpp>
#include <svc/simulate/history.hpp>

namespace svc::simulate {

namespace {

Error
bad_file(const std::string& where, const std::string& what)
{
  return make_error(ErrorKind::usage, "{}: {}", where, what).with_hint("docs/simulate.md, \"Files\", shows the format");
}

// A JSON value given as a number or a string, as text ("8h", 14, "14").
std::optional<std::string>
text_of(const nlohmann::json& v)
{
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_number_integer())
    return std::to_string(v.get<long long>());
  if (v.is_number())
    return fmt::format("{}", v.get<double>());
  return std::nullopt;
}

std::optional<long long>
integer_of(const nlohmann::json& v)
{
  if (v.is_number_integer())
    return v.get<long long>();
  if (v.is_string()) {
    try {
      std::size_t used = 0;
      const std::string s = v.get<std::string>();
      long long n = std::stoll(s, &used);
      if (used == s.size())
        return n;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

std::vector<std::string>
split(const std::string& text, char sep)
{
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty())
      out.push_back(item);
  }
  return out;
}

std::vector<std::string>
strings_of(const nlohmann::json& v)
{
  std::vector<std::string> out;
  if (v.is_string())
    return split(v.get<std::string>(), ',');
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string())
        out.push_back(x.get<std::string>());
  return out;
}

} // namespace

Result<std::string>
read_text_file(const std::filesystem::path& path, std::string_view what)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorKind::usage, "cannot read {} '{}'", what, path.string()).with_hint("check the path");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status
apply_scenario(Settings& s, const std::string& json_text, const std::string& file)
{
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return bad_file(file, "not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string key = it.key();
    std::replace(key.begin(), key.end(), '-', '_');
    const nlohmann::json& v = it.value();
    auto bad = [&] { return bad_file(file, fmt::format("invalid value for \"{}\"", it.key())); };
    auto set_text = [&](std::string& field) -> Status {
      auto t = text_of(v);
      if (!t)
        return bad();
      if (field.empty())
        field = *t;
      return {};
    };
    auto set_flag = [&](bool& field) -> Status {
      if (!v.is_boolean())
        return bad();
      field = field || v.get<bool>();
      return {};
    };
    if (key == "agents") {
      auto n = integer_of(v);
      if (!n)
        return bad();
      if (!s.agents)
        s.agents = static_cast<int>(*n);
    } else if (key == "max_chats") {
      auto n = integer_of(v);
      if (!n)
        return bad();
      if (!s.max_chats)
        s.max_chats = static_cast<int>(*n);
    } else if (key == "replications") {
      auto n = integer_of(v);
      if (!n)
        return bad();
      if (!s.replications)
        s.replications = static_cast<int>(*n);
    } else if (key == "seed") {
      auto n = integer_of(v);
      if (!n || *n < 0)
        return bad();
      if (!s.seed)
        s.seed = static_cast<std::uint64_t>(*n);
    } else if (key == "agents_file") {
      SVC_CHECK(set_text(s.agents_file));
      if (!s.agents_file.empty() && std::filesystem::path(s.agents_file).is_relative())
        s.agents_file = (std::filesystem::path(file).parent_path() / s.agents_file).string();
    } else if (key == "profile") {
      if (v.is_string()) {
        if (s.profile_file.empty() && !s.profile) {
          std::filesystem::path p = v.get<std::string>();
          s.profile_file = p.is_relative() ? (std::filesystem::path(file).parent_path() / p).string() : p.string();
        }
      } else if (v.is_array()) {
        if (s.profile_file.empty() && !s.profile)
          s.profile = v;
      } else {
        return bad();
      }
    } else if (key == "roster") {
      if (!v.is_object())
        return bad();
      if (!s.roster)
        s.roster = v;
    } else if (key == "mix") {
      if (!v.is_object())
        return bad();
      if (s.mix.empty())
        for (auto g = v.begin(); g != v.end(); ++g) {
          if (!g.value().is_number())
            return bad();
          s.mix.push_back({g.key(), g.value().get<double>()});
        }
    } else if (key == "vip_share") {
      if (!v.is_number())
        return bad();
      if (!s.vip_share)
        s.vip_share = v.get<double>();
    } else if (key == "from_state") {
      SVC_CHECK(set_flag(s.from_state));
    } else if (key == "replay") {
      SVC_CHECK(set_flag(s.replay));
    } else if (key == "arrivals") {
      SVC_CHECK(set_text(s.arrivals));
    } else if (key == "since") {
      SVC_CHECK(set_text(s.since));
    } else if (key == "handle") {
      SVC_CHECK(set_text(s.handle));
    } else if (key == "patience") {
      SVC_CHECK(set_text(s.patience));
    } else if (key == "policy") {
      SVC_CHECK(set_text(s.policy));
    } else if (key == "compare") {
      if (s.compare.empty()) {
        auto list = strings_of(v);
        if (list.empty())
          return bad();
        s.compare = fmt::format("{}", fmt::join(list, ","));
      }
    } else if (key == "slowdown") {
      if (s.slowdown.empty()) {
        if (v.is_array()) {
          std::vector<std::string> parts;
          for (const auto& x : v) {
            auto t = text_of(x);
            if (!t)
              return bad();
            parts.push_back(*t);
          }
          s.slowdown = fmt::format("{}", fmt::join(parts, ","));
        } else {
          SVC_CHECK(set_text(s.slowdown));
        }
      }
    } else if (key == "duration") {
      SVC_CHECK(set_text(s.duration));
    } else if (key == "warmup") {
      SVC_CHECK(set_text(s.warmup));
    } else if (key == "target") {
      SVC_CHECK(set_text(s.target));
    } else {
      return make_error(ErrorKind::usage, "{}: unknown setting \"{}\"", file, it.key())
        .with_hint("settings are the long option names of `svc simulate` (agents, arrivals, handle, ...) plus roster, "
                   "profile, mix and vip_share");
    }
  }
  return {};
}

bool
needs_team(const Settings& s)
{
  return s.from_state;
}

bool
needs_history(const Settings& s)
{
  return s.replay || s.handle == "empirical" || s.patience == "empirical";
}

Result<std::pair<UnixTime, UnixTime>>
history_window(const Settings& s, UnixTime now)
{
  SVC_TRY(back, parse_duration(s.since.empty() ? std::string("30d") : s.since));
  if (back.count() <= 0)
    return make_error(ErrorKind::usage, "--since must be more than 0").with_hint("e.g. --since 30d");
  return std::pair{now - back.count(), now};
}

Result<Roster>
parse_roster(const nlohmann::json& roster, int default_chats, const std::string& where)
{
  if (!roster.is_object())
    return bad_file(where, "a roster is a JSON object with \"agents\" (and \"groups\")");
  Roster out;
  for (auto it = roster.begin(); it != roster.end(); ++it)
    if (it.key() != "agents" && it.key() != "groups")
      return bad_file(where, fmt::format("unknown key \"{}\" (a roster has agents and groups)", it.key()));
  const auto agents = roster.value("agents", nlohmann::json::array());
  if (!agents.is_array())
    return bad_file(where, "\"agents\" must be an array");
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const auto& a = agents[i];
    const std::string at = fmt::format("agent #{}", i + 1);
    if (!a.is_object() || !a.contains("name") || !a["name"].is_string())
      return bad_file(where, at + ": each agent needs a \"name\"");
    for (auto k = a.begin(); k != a.end(); ++k)
      if (k.key() != "name" && k.key() != "skills" && k.key() != "max_chats" && k.key() != "shifts" &&
          k.key() != "count")
        return bad_file(where, fmt::format("{}: unknown key \"{}\"", at, k.key()));
    AgentSpec spec;
    spec.name = a["name"].get<std::string>();
    if (a.contains("skills"))
      spec.skills = strings_of(a["skills"]);
    spec.max_chats = default_chats;
    if (a.contains("max_chats")) {
      auto n = integer_of(a["max_chats"]);
      if (!n || *n < 1)
        return bad_file(where, fmt::format("{} ({}): max_chats must be at least 1", at, spec.name));
      spec.max_chats = static_cast<int>(*n);
    }
    if (a.contains("shifts"))
      for (const auto& text : strings_of(a["shifts"])) {
        auto shift = parse_shift(text);
        if (!shift)
          return bad_file(where, fmt::format("{} ({}): {}", at, spec.name, shift.error().message));
        spec.shifts.push_back(*shift);
      }
    long long count = 1;
    if (a.contains("count")) {
      auto n = integer_of(a["count"]);
      if (!n || *n < 1 || *n > 100000)
        return bad_file(where, fmt::format("{} ({}): count must be between 1 and 100000", at, spec.name));
      count = *n;
    }
    if (count == 1) {
      out.agents.push_back(spec);
    } else {
      for (long long k = 1; k <= count; ++k) {
        AgentSpec copy = spec;
        copy.name = fmt::format("{}-{}", spec.name, k);
        out.agents.push_back(std::move(copy));
      }
    }
  }
  const auto groups = roster.value("groups", nlohmann::json::array());
  if (!groups.is_array())
    return bad_file(where, "\"groups\" must be an array");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    const std::string at = fmt::format("group #{}", i + 1);
    if (!g.is_object() || !g.contains("name") || !g["name"].is_string())
      return bad_file(where, at + ": each group needs a \"name\"");
    for (auto k = g.begin(); k != g.end(); ++k)
      if (k.key() != "name" && k.key() != "skills" && k.key() != "overflow_to" && k.key() != "overflow_after")
        return bad_file(where, fmt::format("{}: unknown key \"{}\"", at, k.key()));
    routing::Group r;
    r.name = g["name"].get<std::string>();
    if (g.contains("skills"))
      r.skills = strings_of(g["skills"]);
    if (g.contains("overflow_to")) {
      if (!g["overflow_to"].is_string())
        return bad_file(where, at + ": overflow_to names a group");
      r.overflow_to = g["overflow_to"].get<std::string>();
    }
    if (g.contains("overflow_after")) {
      auto t = text_of(g["overflow_after"]);
      auto d = t ? parse_duration(*t) : Result<std::chrono::seconds>(make_error(ErrorKind::usage, "no duration"));
      if (!d)
        return bad_file(where, fmt::format("{} ({}): overflow_after is a duration like 2m", at, r.name));
      r.overflow_after_s = static_cast<double>(d->count());
    }
    out.groups.push_back(std::move(r));
  }
  return out;
}

namespace {

Result<std::pair<double, double>>
profile_row(const std::string& time, const std::string& rate, const std::string& where)
{
  auto t = parse_time_of_day(time);
  if (!t || *t >= k_day_s)
    return bad_file(where, fmt::format("invalid time of day '{}' (HH:MM, before 24:00)", time));
  auto r = parse_rate(rate);
  if (!r)
    return bad_file(where, fmt::format("invalid rate '{}' (e.g. 120/h)", rate));
  return std::pair{*t, *r};
}

Result<std::vector<std::pair<double, double>>>
sorted_profile(std::vector<std::pair<double, double>> rows, const std::string& where)
{
  if (rows.empty())
    return bad_file(where, "the profile has no rows (each: TIME RATE, e.g. 08:00 120/h)");
  std::sort(rows.begin(), rows.end());
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].first == rows[i - 1].first)
      return bad_file(where, "two rows give the same time of day");
  return rows;
}

} // namespace

Result<std::vector<std::pair<double, double>>>
parse_profile(const std::string& text, const std::string& where)
{
  std::vector<std::pair<double, double>> rows;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    std::istringstream words(line);
    std::string time, rate, extra;
    if (!(words >> time))
      continue;
    if (!(words >> rate) || (words >> extra))
      return bad_file(fmt::format("{}:{}", where, number), "expected TIME RATE, e.g. 08:00 120/h");
    SVC_TRY(row, profile_row(time, rate, fmt::format("{}:{}", where, number)));
    rows.push_back(row);
  }
  return sorted_profile(std::move(rows), where);
}

Result<std::vector<std::pair<double, double>>>
parse_profile(const nlohmann::json& rows_json, const std::string& where)
{
  std::vector<std::pair<double, double>> rows;
  for (const auto& r : rows_json) {
    if (!r.is_array() || r.size() != 2 || !r[0].is_string() || !text_of(r[1]))
      return bad_file(where, "each profile row is [\"HH:MM\", \"RATE\"]");
    SVC_TRY(row, profile_row(r[0].get<std::string>(), *text_of(r[1]), where));
    rows.push_back(row);
  }
  return sorted_profile(std::move(rows), where);
}

Result<std::vector<std::string>>
policies_of(const Settings& s)
{
  if (!s.policy.empty() && !s.compare.empty())
    return make_error(ErrorKind::usage, "--policy and --compare are exclusive")
      .with_hint("--compare P1,P2 runs each policy; --policy P runs one");
  std::vector<std::string> out = s.compare.empty() ? std::vector<std::string>{s.policy.empty() ? "least-busy" : s.policy}
                                                   : split(s.compare, ',');
  if (out.empty())
    return make_error(ErrorKind::usage, "--compare names no policy").with_hint("e.g. --compare least-busy,round-robin");
  for (const auto& name : out) {
    auto made = routing::make_policy(name);
    if (!made)
      return made.error();
  }
  return out;
}

Result<Model>
build_model(const Settings& s, const StateInputs& state)
{
  Model m;
  // Agents: exactly one source.
  const int agent_sources = (s.agents ? 1 : 0) + (!s.agents_file.empty() || s.roster ? 1 : 0) + (s.from_state ? 1 : 0);
  if (agent_sources == 0)
    return make_error(ErrorKind::usage, "who answers? no agents given")
      .with_hint("give --agents N, --agents-file ROSTER.json or --from-state");
  if (agent_sources > 1)
    return make_error(ErrorKind::usage, "--agents, --agents-file and --from-state are exclusive")
      .with_hint("give one source of agents");
  if (s.max_chats && *s.max_chats < 1)
    return make_error(ErrorKind::usage, "--max-chats must be at least 1, not {}", *s.max_chats)
      .with_hint("an agent holds at least one chat at a time: --max-chats 1 (the default) or more");
  if (s.agents) {
    if (*s.agents < 1 || *s.agents > 100000)
      return make_error(ErrorKind::usage, "--agents must be between 1 and 100000, not {}", *s.agents)
        .with_hint("give how many identical agents answer, e.g. --agents 5 (or a roster with --agents-file)");
    for (int i = 0; i < *s.agents; ++i)
      m.agents.push_back({fmt::format("agent-{}", i + 1), {}, s.max_chats.value_or(1), {}});
  } else if (s.from_state) {
    m.agents = state.agents;
    m.groups = state.groups;
    if (s.max_chats)
      for (auto& a : m.agents)
        a.max_chats = *s.max_chats;
  } else {
    nlohmann::json roster;
    std::string where = "roster";
    if (s.roster) {
      roster = *s.roster;
    } else {
      SVC_TRY(text, read_text_file(s.agents_file, "roster file"));
      roster = nlohmann::json::parse(text, nullptr, false);
      where = s.agents_file;
      if (roster.is_discarded())
        return bad_file(where, "not valid JSON");
    }
    SVC_TRY(parsed, parse_roster(roster, s.max_chats.value_or(1), where));
    m.agents = std::move(parsed.agents);
    m.groups = std::move(parsed.groups);
  }

  // Arrivals: exactly one source.
  const int arrival_sources = (!s.arrivals.empty() ? 1 : 0) + (!s.profile_file.empty() || s.profile ? 1 : 0) +
                              (s.replay ? 1 : 0);
  if (arrival_sources == 0)
    return make_error(ErrorKind::usage, "no arrivals given")
      .with_hint("give --arrivals RATE (e.g. 120/h), --profile FILE or --replay");
  if (arrival_sources > 1)
    return make_error(ErrorKind::usage, "--arrivals, --profile and --replay are exclusive")
      .with_hint("give one source of arrivals");
  if (!s.arrivals.empty()) {
    m.arrivals.kind = Arrivals::Kind::poisson;
    SVC_TRY(rate, parse_arrival_rate(s.arrivals));
    m.arrivals.rate_per_s = rate;
  } else if (s.replay) {
    m.arrivals.kind = Arrivals::Kind::trace;
    m.arrivals.trace = trace_of(state.inquiries, state.since);
    if (m.arrivals.trace.empty())
      return make_error(ErrorKind::not_found, "no conversation arrived in the history window (--since {})",
                        s.since.empty() ? std::string("30d") : s.since)
        .with_hint("widen --since, or pull first (`svc pull`)");
  } else {
    m.arrivals.kind = Arrivals::Kind::profile;
    if (s.profile) {
      SVC_TRY(rows, parse_profile(*s.profile, "profile"));
      m.arrivals.profile = std::move(rows);
    } else {
      SVC_TRY(text, read_text_file(s.profile_file, "profile file"));
      SVC_TRY(rows, parse_profile(text, s.profile_file));
      m.arrivals.profile = std::move(rows);
    }
  }
  if (!s.mix.empty() || s.vip_share) {
    if (s.replay)
      return make_error(ErrorKind::usage, "a replay takes each conversation's group and VIP flag from the history")
        .with_hint("drop mix and vip_share from the scenario");
    m.arrivals.mix = s.mix;
    m.arrivals.vip_share = s.vip_share.value_or(0);
  }

  // Handling time and patience.
  SVC_TRY(handle, parse_distribution(s.handle.empty() ? std::string("exp:4m") : s.handle, "--handle", false));
  m.handle = handle;
  SVC_TRY(patience, parse_distribution(s.patience.empty() ? std::string("none") : s.patience, "--patience", true));
  m.patience = patience;
  if (m.handle.wants_history) {
    SVC_TRY(h, empirical_handle(state.inquiries));
    m.handle = h;
  }
  if (m.patience.wants_history) {
    SVC_TRY(p, empirical_patience(state.inquiries, state.until));
    m.patience = p;
  }
  if (!s.slowdown.empty()) {
    SVC_TRY(factors, parse_slowdown(s.slowdown));
    m.slowdown = factors;
  }

  // The run.
  if (!s.duration.empty()) {
    SVC_TRY(d, parse_duration(s.duration));
    m.duration_s = static_cast<double>(d.count());
  } else if (s.replay) {
    m.duration_s = static_cast<double>(state.until - state.since);
  } else {
    m.duration_s = 8 * 3600;
  }
  SVC_TRY(warmup, parse_warmup(s.warmup.empty() ? std::string("10%") : s.warmup, m.duration_s));
  m.warmup_s = warmup;
  SVC_TRY(target, parse_target(s.target.empty() ? std::string("80/20s") : s.target));
  m.target_share = target.share;
  m.target_s = target.within_s;
  m.replications = s.replications.value_or(1);
  m.seed = s.seed.value_or(1);
  SVC_CHECK(validate(m));
  return m;
}

} // namespace svc::simulate
