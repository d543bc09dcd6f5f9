#include "cli/app.hpp"
#include "cli/suggest.hpp"

#include <unistd.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include <CLI/CLI.hpp>

#include "cli/exit.hpp"
#include "commands/context.hpp"
#include "commands/help_examples.hpp"
#include "commands/registry.hpp"
#include <svc/output/format.hpp>

namespace svc::cli {

namespace {

struct RawGlobals {
  std::optional<std::string> state;
  std::string format;
  std::string agent;
  int verbose = 0;
  bool quiet = false;
  bool no_color = false;
};

// Appends the command's examples (commands/help_examples.cpp) to its help footer, after any footer
// its setup wrote; subcommands that setup added (simulate staff) get theirs too. A CLI11 subcommand
// copies its parent's footer when created, so the root gets its examples last.
void
add_examples(CLI::App& cmd)
{
  std::string path;
  for (const CLI::App* app = &cmd; app->get_parent(); app = app->get_parent())
    path = app->get_name() + (path.empty() ? "" : " " + path);
  std::string examples = commands::help_footer(path);
  if (!examples.empty())
    cmd.footer(cmd.get_footer().empty() ? examples : cmd.get_footer() + "\n\n" + examples);
  if (cmd.get_parent())
    for (auto* sub : cmd.get_subcommands([](CLI::App*) { return true; }))
      add_examples(*sub);
}

// The command the arguments name, as {group, name} ({"", "search"}, {"contact", "list"}), when the tree
// can be built for it alone; nothing when every command is needed: no command named or an unknown one,
// help asked for (the root's help lists every command), or a command that reads the whole tree.
//
// Building every command's options was a quarter of a run of a quick command (`svc search`). Only the
// named command matters to a successful parse: once the root and a group have their one subcommand,
// CLI11 reads no later word as another command (require_subcommand(1) is also the maximum). Whatever
// does not parse is parsed again on the whole tree, so errors and suggestions stay the same.
std::optional<std::pair<std::string_view, std::string_view>>
named_command(const std::vector<std::string>& args)
{
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < args.size() && words.size() < 2; ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "--")
      return std::nullopt;
    if (arg.size() > 1 && arg[0] == '-') {
      if (arg == "--state" || arg == "--format" || arg == "--as") // the global options with a value
        ++i;
      continue;
    }
    words.push_back(arg);
  }
  if (words.empty()) {
    // `svc --version` needs no command at all: {"", ""} is the root alone.
    if (std::find(args.begin(), args.end(), "--version") != args.end())
      return std::pair{std::string_view(), std::string_view()};
    return std::nullopt;
  }
  for (const auto& spec : commands::all_commands()) {
    bool named = spec.group.empty() ? spec.name == words[0]
                                    : words.size() == 2 && spec.group == words[0] && spec.name == words[1];
    if (named) {
      if (spec.name == "__commands" || spec.name == "completion") // they print the whole tree
        return std::nullopt;
      // A help flag after the command words throws CallForHelp, which run() answers on the whole tree.
      return std::pair{spec.group, spec.name};
    }
  }
  return std::nullopt;
}

// Builds the tree (or, given `only`, the root with that one command); returns the CLI11 App of each
// command so the selected one can be found.
void
build_tree(CLI::App& app, RawGlobals& g, commands::Invocation& inv, std::vector<CLI::App*>& leaves,
           std::optional<std::pair<std::string_view, std::string_view>> only = std::nullopt)
{
  app.fallthrough(); // global options are accepted after the command too (svc account list --format json)
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("svc ") + SVC_VERSION);
  app.add_option("--state", g.state, "The state file (env SVC_STATE)");
  app.add_option("--format", g.format, "Output: table, json, jsonl or csv (env SVC_FORMAT)");
  app.add_option("--as", g.agent, "Who is acting: claims, replies, audit log (env SVC_AGENT)");
  app.add_flag("-v,--verbose", g.verbose, "One line per HTTP request; twice (-vv): bodies too (secrets redacted)");
  app.add_flag("-q,--quiet", g.quiet, "Only errors on stderr");
  app.add_flag("--no-color", g.no_color, "No colour (also with NO_COLOR)");

  std::map<std::string_view, CLI::App*> groups;
  for (const auto& group : commands::all_groups()) {
    if (only && only->first != group.name)
      continue;
    auto* sub = app.add_subcommand(std::string(group.name), std::string(group.summary));
    sub->require_subcommand(1);
    groups[group.name] = sub;
  }
  for (const auto& spec : commands::all_commands()) {
    if (only && (only->first != spec.group || only->second != spec.name))
      continue;
    CLI::App* parent = spec.group.empty() ? &app : groups.at(spec.group);
    auto* cmd = parent->add_subcommand(std::string(spec.name), std::string(spec.summary));
    spec.setup(*cmd, inv);
    add_examples(*cmd);
    leaves.push_back(cmd);
  }
  add_examples(app);
}

int
terminal_width()
{
  struct winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 100;
}

} // namespace

namespace {

struct Parsed {
  RawGlobals g;
  commands::Invocation inv;
  std::vector<CLI::App*> leaves;
};

// Parses `args` on the tree (or the one command's tree, `only`); returns the exit code when there is
// nothing more to do (help, version, a usage error), with `parsed` filled either way.
std::optional<int>
parse(CLI::App& app, Parsed& parsed, const std::vector<std::string>& args, io::Streams& io,
      std::optional<std::pair<std::string_view, std::string_view>> only)
{
  build_tree(app, parsed.g, parsed.inv, parsed.leaves, only);
  std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them in reverse
  try {
    app.parse(reversed);
  } catch (const CLI::Error&) {
    try {
      throw;
    } catch (const CLI::CallForVersion&) {
      io.out << "svc " << SVC_VERSION << '\n';
      return 0;
    } catch (const CLI::Error&) {
      if (only) // the whole tree decides
        throw;
    }
    try {
      throw;
    } catch (const CLI::CallForHelp&) {
      io.out << app.help();
      return 0;
    } catch (const CLI::CallForAllHelp&) {
      io.out << app.help("", CLI::AppFormatMode::All);
      return 0;
    } catch (const CLI::ParseError& e) {
      // Help requested on a subcommand arrives as CallForHelp too; everything else is a usage error.
      Error err = make_error(ErrorKind::usage, "{}", e.what());
      err.hint = "run `svc --help` (or `svc COMMAND --help`) for usage";
      if (auto unknown = find_unknown_command(app, args)) {
        err.message = fmt::format("unknown command '{}'", unknown->given);
        if (!unknown->suggested.empty())
          err.hint = fmt::format("did you mean `svc {}`?", unknown->suggested);
      }
      print_error(io, err);
      return exit_code(ErrorKind::usage);
    }
  }
  return std::nullopt;
}

} // namespace

int
run(const std::vector<std::string>& args, io::Streams& io, const Clock& clock, const config::Getenv& getenv)
{
  const char* about = "svc: customer service on Weibo, WeChat and Telegram from the command line";
  // The named command's tree first; anything but a clean parse is done again on the whole tree.
  auto only = named_command(args);
  std::optional<CLI::App> app(std::in_place, about, "svc");
  std::optional<Parsed> parsed(std::in_place);
  std::optional<int> done;
  bool reparse = false;
  if (only) {
    try {
      done = parse(*app, *parsed, args, io, only);
    } catch (const CLI::Error&) {
      reparse = true;
    }
  }
  if (!only || reparse) {
    app.reset(); // the bound options point into `parsed`
    parsed.emplace();
    app.emplace(about, "svc");
    done = parse(*app, *parsed, args, io, std::nullopt);
  }
  if (done)
    return *done;
  RawGlobals& g = parsed->g;
  commands::Invocation& inv = parsed->inv;
  std::vector<CLI::App*>& leaves = parsed->leaves;

  commands::GlobalOptions options;
  options.state_path = g.state;
  std::string format = !g.format.empty() ? g.format : getenv("SVC_FORMAT").value_or("table");
  auto parsed_format = output::parse_format(format);
  if (!parsed_format) {
    print_error(io, make_error(ErrorKind::usage, "unknown format '{}'", format)
                      .with_hint("formats: table, json, jsonl, csv"));
    return exit_code(ErrorKind::usage);
  }
  options.format = *parsed_format;
  options.agent = !g.agent.empty() ? g.agent : getenv("SVC_AGENT").value_or("");
  options.verbosity = g.verbose;
  options.quiet = g.quiet;
  io.quiet = g.quiet;
  io.color = io.color && !g.no_color && !getenv("NO_COLOR");

  const commands::Invocation::Run* selected = nullptr;
  for (auto* leaf : leaves)
    if (leaf->parsed())
      selected = inv.selected(leaf);
  if (!selected) {
    print_error(io, make_error(ErrorKind::usage, "no command given").with_hint("run `svc --help`"));
    return exit_code(ErrorKind::usage);
  }

  commands::Context ctx(io, clock, getenv, options);
  try {
    Status status = (*selected)(ctx);
    io.out.flush();
    if (!status) {
      print_error(io, status.error());
      return exit_code(status.error().kind);
    }
  } catch (const std::exception& e) { // the backstop: a bug, reported as one
    print_error(io, make_error(ErrorKind::failed, "unexpected failure: {}", e.what())
                      .with_hint("this is a bug in svc; please report it with the command line"));
    return exit_code(ErrorKind::failed);
  }
  return 0;
}

int
run(int argc, char** argv)
{
  std::ios::sync_with_stdio(false);
  bool out_tty = isatty(STDOUT_FILENO) == 1;
  bool err_tty = isatty(STDERR_FILENO) == 1;
  io::Streams io{std::cin, std::cout, std::cerr, out_tty, err_tty, out_tty || err_tty, false, terminal_width()};
  io.color = err_tty; // refined by --no-color / NO_COLOR after parsing
  SystemClock clock;
  std::vector<std::string> args(argv + 1, argv + argc);
  return run(args, io, clock, config::process_getenv);
}

} // namespace svc::cli
