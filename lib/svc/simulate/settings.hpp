// From what the user gave (command-line options, a scenario file, a roster file, a profile file, the
// state file) to a Model (docs/simulate.md, "Options" and "Files"). The command fills Settings from
// its options; a scenario file fills what the command line left out; build_model() checks and
// combines the lot. Every mistake is a usage error (exit 2) that names the option or file and line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/simulate/model.hpp>
#include <svc/store/simulation_source.hpp>

namespace svc::simulate {

// Every option as given; empty / nullopt: not given.
struct Settings {
  std::optional<int> agents;               // --agents N
  std::string agents_file;                 // --agents-file FILE (a roster)
  bool from_state = false;                 // --from-state
  std::string arrivals;                    // --arrivals RATE
  std::string profile_file;                // --profile FILE
  bool replay = false;                     // --replay
  std::string since;                       // --since (replay and empirical history; default 30d)
  std::string handle, patience;            // --handle, --patience
  std::optional<int> max_chats;            // --max-chats
  std::string policy, compare;             // --policy, --compare
  std::string slowdown, duration, warmup, target;
  std::optional<int> replications;
  std::optional<std::uint64_t> seed;
  // Only in a scenario file: an inline roster or profile, the share of each group in the arrivals, and
  // the share of VIP contacts.
  std::optional<nlohmann::json> roster;
  std::optional<nlohmann::json> profile;
  std::vector<GroupShare> mix;
  std::optional<double> vip_share;
  std::filesystem::path base;              // relative file names in a scenario file are relative to it
};

// Fills what `s` leaves unset from a scenario file's JSON object (keys: the long option names, with
// '-' or '_', plus "roster", "profile", "mix", "vip_share"). Unknown keys are refused.
Status apply_scenario(Settings& s, const std::string& json_text, const std::string& file);

// What the state file must provide: the team (--from-state), the history (--replay, or an empirical
// handling time or patience).
bool needs_team(const Settings& s);
bool needs_history(const Settings& s);
// The history window: [now - since, now).
Result<std::pair<UnixTime, UnixTime>> history_window(const Settings& s, UnixTime now);

struct StateInputs {
  std::vector<AgentSpec> agents;
  std::vector<routing::Group> groups;
  std::vector<store::InquiryRow> inquiries;
  UnixTime since = 0, until = 0;
};

Result<Model> build_model(const Settings& s, const StateInputs& state);

// --compare P1,P2 or --policy P (default least-busy); usage error naming an unknown policy.
Result<std::vector<std::string>> policies_of(const Settings& s);

// A roster: {"agents": [{"name", "skills", "max_chats", "shifts", "count"}], "groups": [{"name",
// "skills", "overflow_to", "overflow_after"}]}. `default_chats` for agents that do not say.
struct Roster {
  std::vector<AgentSpec> agents;
  std::vector<routing::Group> groups;
};
Result<Roster> parse_roster(const nlohmann::json& roster, int default_chats, const std::string& where);
// A profile: lines "HH:MM RATE" ('#' comments), the rate holding until the next line's time and
// repeating daily; or the JSON array [["08:00", "120/h"], ...].
Result<std::vector<std::pair<double, double>>> parse_profile(const std::string& text, const std::string& where);
Result<std::vector<std::pair<double, double>>> parse_profile(const nlohmann::json& rows, const std::string& where);

Result<std::string> read_text_file(const std::filesystem::path& path, std::string_view what);

} // namespace svc::simulate
