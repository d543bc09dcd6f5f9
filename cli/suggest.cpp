#include "cli/suggest.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>

namespace svc::cli {

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
std::size_t
distance(std::string_view a, std::string_view b)
{
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::vector<std::string>
subcommand_names(const CLI::App& app)
{
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

} // namespace

std::optional<std::string>
closest(std::string_view word, const std::vector<std::string>& names)
{
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& name : names) {
    std::size_t d = distance(word, name);
    if (name.rfind(word, 0) == 0 && !word.empty())
      d = std::min<std::size_t>(d, 1);
    if (d < best_distance && d * 2 < std::max<std::size_t>(word.size(), 2)) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

std::optional<UnknownCommand>
find_unknown_command(CLI::App& app, const std::vector<std::string>& args)
{
  CLI::App* level = &app;
  std::string path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--")
      return std::nullopt;
    if (arg.size() > 1 && arg[0] == '-') {
      // A global option that takes a value (--state PATH) consumes the next word too.
      if (level == &app && arg.find('=') == std::string::npos) {
        const CLI::Option* opt = app.get_option_no_throw(arg);
        if (opt && opt->get_expected_min() > 0)
          ++i;
      }
      continue;
    }
    auto names = subcommand_names(*level);
    if (names.empty() || (level != &app && level->get_require_subcommand_min() == 0))
      return std::nullopt; // a command: the rest are its arguments
    if (std::find(names.begin(), names.end(), arg) == names.end()) {
      UnknownCommand unknown{path.empty() ? arg : path + " " + arg, ""};
      if (auto near = closest(arg, names))
        unknown.suggested = path.empty() ? *near : path + " " + *near;
      return unknown;
    }
    path = path.empty() ? arg : path + " " + arg;
    level = level->get_subcommand(arg);
  }
  return std::nullopt;
}

} // namespace svc::cli
