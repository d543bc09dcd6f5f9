// Several policies on common random numbers (--compare), per-group figures with skills overflow, and
// the staffing search.
#include "sim_test_util.hpp"

#include <svc/simulate/report.hpp>
#include <svc/simulate/staff.hpp>

namespace simulate_test_compare {

using namespace svc::simulate;
using namespace svc::simulate::test;

TEST_CASE("simulate: policies compared on the same customers", "[simulate]")
{
  // Identical agents of one chat: whichever agent takes a customer, the queue is the same. On common
  // random numbers every work-conserving policy must then give exactly the same queue figures.
  Model m = mmn(6, 5.0 / 60, 60, 120.0, 20000, 2);
  auto runs = run_policies(m, {"least-busy", "round-robin", "idle-rate", "sticky", "skills", "priority"});
  REQUIRE(runs.has_value());
  const Figures& first = runs->front().overall.value;
  for (const auto& run : *runs) {
    INFO(run.policy);
    CHECK(run.overall.value.offered == first.offered);
    CHECK(run.overall.value.abandoned == first.abandoned);
    CHECK(run.overall.value.mean_wait_s == first.mean_wait_s);
    CHECK(run.overall.value.service_level == first.service_level);
    CHECK(run.overall.value.occupancy == Approx(first.occupancy).epsilon(1e-12));
    CHECK(run.replications == 2);
    REQUIRE(run.overall.ci95);
  }
  auto bad = run_policies(m, {"least-busy", "fastest"});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().kind == svc::ErrorKind::usage);
}

TEST_CASE("simulate: skills follows overflow, least-busy does not", "[simulate]")
{
  // Sales has one agent and overflows to support (four agents) after 30 s; half the arrivals are
  // sales. least-busy keeps sales conversations for the sales agent; skills lets support take them.
  Model m = mmn(5, 4.0 / 60, 60, std::nullopt, 20000, 1);
  m.agents[0].skills = {"sales"};
  for (std::size_t i = 1; i < 5; ++i)
    m.agents[i].skills = {"support"};
  m.groups = {{"sales", {"sales"}, "support", 30.0}, {"support", {"support"}, "", std::nullopt}};
  m.arrivals.mix = {{"sales", 0.5}, {"support", 0.5}};
  auto runs = run_policies(m, {"least-busy", "skills"});
  REQUIRE(runs.has_value());
  const auto& lb = (*runs)[0];
  const auto& sk = (*runs)[1];
  REQUIRE(lb.groups.size() == 2);  // no conversation without a group: no row for them
  CHECK(lb.groups[0].name == "sales");
  const Figures& lb_sales = lb.groups[0].figures.value;
  const Figures& sk_sales = sk.groups[0].figures.value;
  CHECK(lb_sales.offered == sk_sales.offered);
  CHECK(lb_sales.offered == Approx(lb.overall.value.offered / 2).epsilon(0.05));
  CHECK(sk_sales.mean_wait_s < lb_sales.mean_wait_s / 2);
  CHECK(sk_sales.wait_p99_s < lb_sales.wait_p99_s / 2);
  CHECK(sk.groups[1].figures.value.occupancy > lb.groups[1].figures.value.occupancy);
  // Occupancy per agent: the sales agent is the busiest under least-busy.
  CHECK(lb.per_agent[0].occupancy > lb.per_agent[1].occupancy);

  const auto j = policy_json(sk, m, std::nullopt, "", false);
  CHECK(j["groups"].size() == 2);
  CHECK(j["groups"][0]["group"] == "sales");
  CHECK(j["per_agent"].size() == 5);
}

TEST_CASE("simulate: JSON fields of one policy", "[simulate]")
{
  Model m = mmn(3, 2.0 / 60, 60, std::nullopt, 2000, 3);
  const PolicyRun run = run_one(m);
  std::string why;
  auto q = queue_model(m, why);
  REQUIRE(q);
  const auto j = policy_json(run, m, analytic_figures(*q), "", true);
  for (const char* field : {"policy", "agents", "offered", "answered", "abandoned", "abandon_rate", "p_wait",
                            "mean_wait_s", "wait_p50_s", "wait_p90_s", "wait_p99_s", "service_level", "occupancy",
                            "max_queue", "measured_arrivals", "events", "elapsed_s", "ci95", "analytic"}) {
    INFO(field);
    CHECK(j.contains(field));
  }
  CHECK(j["ci95"].contains("service_level"));
  CHECK(j["analytic"]["model"] == "erlang_c");
  CHECK(j["target"] == "80/6.66667s");
  CHECK(j["measured_arrivals"].get<std::uint64_t>() == run.measured_arrivals);
  // Three replications: counts are means per replication, numbers with a fraction.
  CHECK(j["offered"].is_number_float());

  // One replication: counts are integers (53, not 53.0); ratios stay numbers with a fraction.
  Model one = mmn(3, 2.0 / 60, 60, std::nullopt, 500, 1);
  const PolicyRun single = run_one(one);
  const auto s = policy_json(single, one, std::nullopt, "", false);
  for (const char* field : {"offered", "answered", "abandoned", "unanswered", "max_queue"}) {
    INFO(field);
    CHECK(s[field].is_number_integer());
  }
  CHECK(s["offered"].get<std::int64_t>() > 400);
  CHECK(s["per_agent"][0]["answered"].is_number_integer());
  CHECK(s["service_level"].is_number_float());
  CHECK_FALSE(s.contains("ci95"));

  // A model the closed forms do not cover says why.
  m.agents[0].max_chats = 2;
  CHECK_FALSE(queue_model(m, why));
  CHECK(why == "agents hold more than one chat at once");
}

TEST_CASE("simulate::find_staff: the fewest agents that meet the target", "[simulate]")
{
  // The worked example's load (10 erlangs, 180 s) at 80/20s: Erlang C says 14 agents are the first
  // to reach 80% (88.8%; 13 give 79.6%); the simulation, long enough, finds the same.
  Model m = mmn(1, 100.0 / 1800, 180, std::nullopt, 40000, 4, 3);
  m.target_s = 20;
  int expected = 0;
  for (int n = 11; n < 30 && !expected; ++n) {
    QueueModel q{n, m.arrivals.rate_per_s, 180, std::nullopt, 20};
    if (erlang_c_figures(q).service_level >= 0.8)
      expected = n;
  }
  REQUIRE(expected == 14);
  auto staff = find_staff(m, "least-busy");
  REQUIRE(staff.has_value());
  CHECK(staff->agents == expected);
  CHECK(staff->at.overall.value.service_level >= 0.8);
  REQUIRE(staff->at_one_fewer);
  CHECK(staff->at_one_fewer->agents == expected - 1);
  CHECK(staff->at_one_fewer->overall.value.service_level < 0.8);
  const auto j = staff_json(*staff, m);
  CHECK(j["agents"] == expected);
  CHECK(j["at_one_fewer"]["agents"] == expected - 1);
  CHECK(j.contains("service_level"));

  m.agents = {{"a", {"x"}, 1, {}}, {"b", {}, 1, {}}};
  auto unlike = find_staff(m, "least-busy");
  REQUIRE_FALSE(unlike.has_value());
  CHECK(unlike.error().kind == svc::ErrorKind::usage);
}

}  // namespace simulate_test_compare
