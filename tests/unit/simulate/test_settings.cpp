// From options, scenario files, rosters and profiles to a model: what each gives, what the command
// line overrides, and the usage errors (exit 2) for what cannot be.
#include <catch2/catch.hpp>

#include <svc/simulate/settings.hpp>

namespace simulate_test_settings {

using namespace svc;
using namespace svc::simulate;

namespace {

Settings
basic()
{
  Settings s;
  s.agents = 3;
  s.arrivals = "120/h";
  return s;
}

Error
refused(const Settings& s)
{
  auto m = build_model(s, StateInputs{});
  REQUIRE_FALSE(m.has_value());
  return m.error();
}

} // namespace

TEST_CASE("simulate::build_model: defaults", "[simulate]")
{
  auto m = build_model(basic(), StateInputs{});
  REQUIRE(m.has_value());
  CHECK(m->agents.size() == 3);
  CHECK(m->agents[0].name == "agent-1");
  CHECK(m->agents[0].max_chats == 1);
  CHECK(m->arrivals.rate_per_s == Approx(120.0 / 3600));
  CHECK(m->handle.describe() == "exp:4m");
  CHECK(m->patience.kind == Distribution::Kind::none);
  CHECK(m->duration_s == 8 * 3600);
  CHECK(m->warmup_s == Approx(0.1 * 8 * 3600));
  CHECK(m->target_share == Approx(0.8));
  CHECK(m->target_s == 20);
  CHECK(m->replications == 1);
  CHECK(m->seed == 1);
  CHECK(*policies_of(basic()) == std::vector<std::string>{"least-busy"});
}

TEST_CASE("simulate::build_model: usage errors", "[simulate]")
{
  Settings s = basic();
  s.agents.reset();
  CHECK(refused(s).message == "who answers? no agents given");
  s = basic();
  s.from_state = true;
  CHECK(refused(s).message == "--agents, --agents-file and --from-state are exclusive");
  s = basic();
  s.arrivals.clear();
  CHECK(refused(s).message == "no arrivals given");
  s = basic();
  s.replay = true;
  CHECK(refused(s).message == "--arrivals, --profile and --replay are exclusive");
  s = basic();
  s.handle = "exp:0s";
  CHECK(refused(s).kind == ErrorKind::usage);
  s = basic();
  s.duration = "1h";
  s.warmup = "2h";
  CHECK_THAT(refused(s).message, Catch::Contains("warm-up"));
  s = basic();
  s.handle = "empirical";  // no history given
  CHECK_THAT(refused(s).message, Catch::Contains("answered and resolved"));
  s = basic();
  s.policy = "least-busy";
  s.compare = "round-robin";
  CHECK_FALSE(policies_of(s).has_value());
  s.policy.clear();
  s.compare = "round-robin,nope";
  CHECK(policies_of(s).error().message == "unknown routing policy 'nope'");
  s.compare = "round-robin, sticky";
  CHECK(*policies_of(s) == std::vector<std::string>{"round-robin", "sticky"});
}

TEST_CASE("simulate::apply_scenario: fills what the command line left out", "[simulate]")
{
  Settings s;
  s.arrivals = "60/h";  // given on the command line: wins
  const std::string scenario = R"({
    "arrivals": "300/h", "handle": "lognormal:5m,2m", "patience": "exp:3m", "duration": "2d",
    "warmup": "4h", "replications": 4, "seed": 9, "target": "90/30s", "compare": ["least-busy", "skills"],
    "slowdown": [1, 1.2], "vip_share": 0.1, "mix": {"sales": 0.25, "support": 0.75},
    "roster": {"agents": [{"name": "s", "skills": ["sales"], "max_chats": 2, "count": 2},
                          {"name": "t", "skills": "support,sales", "shifts": ["08:00-16:00", "20:00-04:00"]}],
               "groups": [{"name": "sales", "skills": ["sales"], "overflow_to": "support", "overflow_after": "1m"},
                          {"name": "support", "skills": ["support"]}]}
  })";
  REQUIRE(apply_scenario(s, scenario, "/tmp/x/scenario.json"));
  CHECK(s.arrivals == "60/h");
  CHECK(s.replications == 4);
  auto m = build_model(s, StateInputs{});
  REQUIRE(m.has_value());
  CHECK(m->arrivals.rate_per_s == Approx(60.0 / 3600));
  CHECK(m->handle.describe() == "lognormal:5m,2m");
  CHECK(m->patience.describe() == "exp:3m");
  CHECK(m->duration_s == 2 * 86400);
  CHECK(m->warmup_s == 4 * 3600);
  CHECK(m->seed == 9);
  CHECK(m->target_s == 30);
  CHECK(m->slowdown == std::vector<double>{1, 1.2});
  CHECK(m->arrivals.vip_share == Approx(0.1));
  REQUIRE(m->arrivals.mix.size() == 2);
  REQUIRE(m->agents.size() == 3);
  CHECK(m->agents[0].name == "s-1");
  CHECK(m->agents[1].max_chats == 2);
  CHECK(m->agents[2].skills == std::vector<std::string>{"support", "sales"});
  REQUIRE(m->agents[2].shifts.size() == 2);
  CHECK(m->agents[2].shifts[1].start_s == 20 * 3600);
  REQUIRE(m->groups.size() == 2);
  CHECK(m->groups[0].overflow_to == "support");
  CHECK(m->groups[0].overflow_after_s == 60);
  CHECK(*policies_of(s) == std::vector<std::string>{"least-busy", "skills"});

  Settings bad;
  CHECK(apply_scenario(bad, R"({"agents": 2, "colour": "blue"})", "s.json").error().message ==
        "s.json: unknown setting \"colour\"");
  CHECK_FALSE(apply_scenario(bad, "[1, 2]", "s.json"));
  CHECK_FALSE(apply_scenario(bad, R"({"agents": "many"})", "s.json"));
}

TEST_CASE("simulate::parse_roster: mistakes name the agent", "[simulate]")
{
  auto bad = [](const char* json) {
    auto r = parse_roster(nlohmann::json::parse(json), 1, "roster.json");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    return r.error().message;
  };
  CHECK(bad(R"({"agents": [{"skills": []}]})") == "roster.json: agent #1: each agent needs a \"name\"");
  CHECK(bad(R"({"agents": [{"name": "a", "max_chats": 0}]})") ==
        "roster.json: agent #1 (a): max_chats must be at least 1");
  CHECK_THAT(bad(R"({"agents": [{"name": "a", "shifts": ["8-16"]}]})"), Catch::Contains("agent #1 (a)"));
  CHECK(bad(R"({"agents": [], "teams": []})") == "roster.json: unknown key \"teams\" (a roster has agents and groups)");
  CHECK_THAT(bad(R"({"groups": [{"name": "g", "overflow_after": "soon"}]})"), Catch::Contains("overflow_after"));
}

TEST_CASE("simulate::parse_profile: time-of-day rates", "[simulate]")
{
  auto p = parse_profile(std::string("# busy mornings\n08:00 120/h\n\n00:00 10/h   # night\n12:00 1/m\n"), "p.txt");
  REQUIRE(p.has_value());
  REQUIRE(p->size() == 3);
  CHECK((*p)[0].first == 0);
  CHECK((*p)[1].second == Approx(120.0 / 3600));
  CHECK((*p)[2].first == 12 * 3600);
  auto bad = parse_profile(std::string("08:00 120/h\n09:00\n"), "p.txt");
  REQUIRE_FALSE(bad.has_value());
  CHECK_THAT(bad.error().message, Catch::StartsWith("p.txt:2: "));
  CHECK_FALSE(parse_profile(std::string("# nothing\n"), "p.txt").has_value());
  CHECK_FALSE(parse_profile(std::string("08:00 1/h\n08:00 2/h\n"), "p.txt").has_value());
  CHECK_FALSE(parse_profile(std::string("24:00 1/h\n"), "p.txt").has_value());

  Settings s = basic();
  s.arrivals.clear();
  s.profile = nlohmann::json::parse(R"([["00:00", "0/h"], ["09:00", "60/h"], ["17:00", "0/h"]])");
  auto m = build_model(s, StateInputs{});
  REQUIRE(m.has_value());
  CHECK(m->arrivals.kind == Arrivals::Kind::profile);
  CHECK(m->arrivals.mean_rate(m->duration_s) == Approx(8 * 60.0 / 86400));
}

}  // namespace simulate_test_settings
