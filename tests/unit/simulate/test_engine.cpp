// The event loop on small models whose answer is worked out by hand, and its promises: the same seed
// gives the same figures, the warm-up is not measured, slowdown is re-rated as the load changes.
#include "sim_test_util.hpp"

#include <cmath>

#include <svc/routing/policy.hpp>
#include <svc/simulate/engine.hpp>

namespace simulate_test_engine {

using namespace svc::simulate;
using namespace svc::simulate::test;

namespace {

// One agent (or `agents`) of `chats` chats, the given arrivals (at, handle), patience none, measured
// from 0 for `duration` seconds.
Model
traced(std::vector<std::pair<double, double>> arrivals, int agents = 1, int chats = 1, double duration = 200)
{
  Model m;
  for (int i = 0; i < agents; ++i)
    m.agents.push_back({"a" + std::to_string(i + 1), {}, chats, {}});
  m.arrivals.kind = Arrivals::Kind::trace;
  for (const auto& [at, handle] : arrivals) {
    TraceArrival a;
    a.at_s = at;
    a.handle_s = handle;
    m.arrivals.trace.push_back(a);
  }
  m.handle = empirical({1.0});  // each arrival keeps its own handling time
  m.duration_s = duration;
  m.warmup_s = 0;
  m.target_s = 20;
  return m;
}

Totals
run(const Model& m, const std::string& policy = "least-busy", int replication = 0)
{
  REQUIRE(validate(m));
  auto p = svc::routing::make_policy(policy);
  REQUIRE(p.has_value());
  return run_replication(m, **p, replication);
}

} // namespace

TEST_CASE("simulate::engine: one agent, a known queue", "[simulate]")
{
  // Arrivals at 0, 10, 20 and 100, 30 s each: served 0-30, 30-60, 60-90, 100-130.
  const Totals t = run(traced({{0, 30}, {10, 30}, {20, 30}, {100, 30}}));
  const Tally& o = t.overall;
  CHECK(o.offered == 4);
  CHECK(o.answered == 4);
  CHECK(o.abandoned == 0);
  CHECK(o.waited == 2);
  CHECK(o.wait_sum_s == Approx(0 + 20 + 40 + 0));
  CHECK(o.within_target == 3);  // 0, 20 and 0 are within 20 s
  CHECK(o.max_queue == 2);      // at 20 s: the second and third wait
  CHECK(o.busy_slot_s == Approx(120));
  CHECK(o.available_slot_s == Approx(200));
  CHECK(o.waits.quantile(1.0) == Approx(40).epsilon(0.01));
  CHECK(t.measured_arrivals == 4);
  CHECK(t.events == 8);         // 4 arrivals, 4 completions
}

TEST_CASE("simulate::engine: fixed patience abandons exactly", "[simulate]")
{
  Model m = traced({{0, 30}, {10, 30}, {20, 30}, {100, 30}});
  m.patience = fixed(15);
  // The second would wait 20 s (> 15): gone at 25. The third is served at 30 after 10 s.
  const Totals t = run(m);
  CHECK(t.overall.answered == 3);
  CHECK(t.overall.abandoned == 1);
  CHECK(t.overall.waited == 2);
  CHECK(t.overall.wait_sum_s == Approx(10));
  CHECK(t.overall.busy_slot_s == Approx(90));
}

TEST_CASE("simulate::engine: slowdown is re-rated whenever the load changes", "[simulate]")
{
  // One agent of two chats, slowdown 1,2. A (10 s of work) at 0, B (10 s) at 5, C (1 s) at 6.
  // A alone for 5 s (5 done); with B both go at half pace: A's last 5 take 10 s, so A ends at 15
  // and C, who found the agent full at 6, starts at 15 (waited 9 s). Had A kept the pace it was
  // given at assignment, it would have ended at 10 and C would have waited 4 s.
  Model m = traced({{0, 10}, {5, 10}, {6, 1}}, 1, 2, 40);
  m.slowdown = {1, 2};
  const Totals t = run(m);
  CHECK(t.overall.answered == 3);
  CHECK(t.overall.waited == 1);
  CHECK(t.overall.wait_sum_s == Approx(9));
  // C (1 s of work) and B (5 left) share from 15: C ends at 17, B does its last 4 alone: ends at 21.
  // Busy slot-time: A 0-15, B 5-21, C 15-17.
  CHECK(t.overall.busy_slot_s == Approx(15 + 16 + 2));

  m.slowdown = {};
  const Totals flat = run(m);
  CHECK(flat.overall.wait_sum_s == Approx(4));  // nobody slows down: A ends at 10
}

TEST_CASE("simulate::engine: a fixed pace (chat ends scheduled once) agrees with re-rating", "[simulate]")
{
  // With a flat slowdown a chat's end is known when it starts and is scheduled once; a slowdown that
  // differs in the last bit at two chats takes the re-rating path instead. The two must agree (but
  // for rounding), shifts (completions while off duty), the warm-up and chats running past the end
  // included.
  Model m = mmn(4, 5.0 / 60, 60, 120.0, 20000, 1);
  for (auto& a : m.agents)
    a.max_chats = 2;
  m.agents[0].shifts = {Shift{0, 3600}, Shift{7200, 10800}};
  m.agents[1].shifts = {Shift{1800, 5400}};
  m.slowdown = {1.5};
  const Totals fixed = run(m);
  m.slowdown = {1.5, std::nextafter(1.5, 2.0)};
  const Totals rerated = run(m);
  CHECK(fixed.overall.answered == rerated.overall.answered);
  CHECK(fixed.overall.abandoned == rerated.overall.abandoned);
  CHECK(fixed.overall.max_queue == rerated.overall.max_queue);
  CHECK(fixed.overall.wait_sum_s == Approx(rerated.overall.wait_sum_s).epsilon(1e-9));
  REQUIRE(fixed.agents.size() == rerated.agents.size());
  for (std::size_t i = 0; i < fixed.agents.size(); ++i) {
    INFO("agent " << i);
    CHECK(fixed.agents[i].answered == rerated.agents[i].answered);
    CHECK(fixed.agents[i].busy_slot_s == Approx(rerated.agents[i].busy_slot_s).epsilon(1e-9));
    CHECK(fixed.agents[i].available_slot_s == Approx(rerated.agents[i].available_slot_s).epsilon(1e-9));
  }
  CHECK(fixed.overall.answered > 10000);
  CHECK(fixed.overall.abandoned > 0);
  CHECK(fixed.agents[0].available_slot_s < 0.9 * fixed.agents[2].available_slot_s);  // the shifts bite
}

TEST_CASE("simulate::engine: slowdown makes waits longer and agents busier", "[simulate]")
{
  Model m = mmn(4, 3.0 / 60, 60, std::nullopt, 20000, 1);
  for (auto& a : m.agents)
    a.max_chats = 3;
  const Totals flat = run(m);
  m.slowdown = {1, 1.3, 1.6};
  const Totals slow = run(m);
  // Same customers (same streams), slower work: more chat-slot time, more waiting.
  CHECK(slow.overall.offered == flat.overall.offered);
  CHECK(slow.overall.busy_slot_s > 1.05 * flat.overall.busy_slot_s);
  CHECK(slow.overall.wait_sum_s > flat.overall.wait_sum_s);
  CHECK(slow.overall.waited > flat.overall.waited);
}

TEST_CASE("simulate::engine: the same seed gives the same figures", "[simulate]")
{
  Model m = mmn(5, 4.0 / 60, 60, 90.0, 5000, 1);
  const Totals a = run(m), b = run(m);
  CHECK(a.overall.offered == b.overall.offered);
  CHECK(a.overall.answered == b.overall.answered);
  CHECK(a.overall.abandoned == b.overall.abandoned);
  CHECK(a.overall.wait_sum_s == b.overall.wait_sum_s);  // bit for bit
  CHECK(a.overall.busy_slot_s == b.overall.busy_slot_s);
  CHECK(a.overall.max_queue == b.overall.max_queue);
  CHECK(a.events == b.events);
  for (double q : {0.5, 0.9, 0.99})
    CHECK(a.overall.waits.quantile(q) == b.overall.waits.quantile(q));

  const Totals other_rep = run(m, "least-busy", 1);
  CHECK(other_rep.overall.wait_sum_s != a.overall.wait_sum_s);
  m.seed = 8;
  const Totals other_seed = run(m);
  CHECK(other_seed.overall.wait_sum_s != a.overall.wait_sum_s);
}

TEST_CASE("simulate::engine: the warm-up is simulated but not measured", "[simulate]")
{
  Model m = mmn(5, 4.0 / 60, 60, std::nullopt, 10000, 1);
  m.warmup_s = 0;
  const Totals all = run(m);
  m.warmup_s = 0.25 * m.duration_s;
  const Totals later = run(m);
  CHECK(all.arrivals == later.arrivals);  // the same arrivals happened
  CHECK(all.measured_arrivals == all.arrivals);
  CHECK(later.measured_arrivals == later.overall.offered);
  const double share = static_cast<double>(later.measured_arrivals) / static_cast<double>(later.arrivals);
  CHECK(share == Approx(0.75).margin(0.02));
  CHECK(later.overall.available_slot_s == Approx(5 * 0.75 * m.duration_s));
}

TEST_CASE("simulate::engine: shifts put agents on and off duty", "[simulate]")
{
  // One agent on 00:00-00:01 (60 s); arrivals at 10 (30 s) and 70 (30 s): the second finds nobody on
  // duty, and with patience none waits until the next day's shift (86400 s) or the end of the drain.
  Model m = traced({{10, 30}, {70, 30}}, 1, 1, 200);
  m.agents[0].shifts = {Shift{0, 60}};
  const Totals t = run(m);
  CHECK(t.overall.answered == 1);
  CHECK(t.overall.unanswered == 1);
  CHECK(t.overall.available_slot_s == Approx(60));  // on duty 60 s of the 200
  CHECK(t.overall.busy_slot_s == Approx(30));

  // A shift past midnight counts as on at the start.
  m.agents[0].shifts = {Shift{23 * 3600, 120}};
  const Totals night = run(m);
  CHECK(night.overall.answered == 2);
}

TEST_CASE("simulate::engine: sticky sends a returning contact back to its agent", "[simulate]")
{
  // Two agents; contact 7 comes at 0 (goes to a1, the lower id), contact 8 at 1 (a2), contact 7
  // again at 100: least-busy would pick a1 again (both free, a1 assigned longer ago)... so make a2
  // the least recently assigned by a third arrival first.
  Model m = traced({{0, 10}, {1, 10}, {50, 10}, {100, 10}}, 2);
  m.arrivals.trace[0].contact = 7;
  m.arrivals.trace[1].contact = 8;
  m.arrivals.trace[2].contact = 9;  // at 50: a1 is least recently assigned (0 < 1): a1 takes it
  m.arrivals.trace[3].contact = 7;  // at 100: least-busy picks a2 (assigned at 1 < 50); sticky picks a1
  const Totals lb = run(m, "least-busy");
  const Totals st = run(m, "sticky");
  CHECK(lb.agents[0].answered == 2);
  CHECK(lb.agents[1].answered == 2);
  CHECK(st.agents[0].answered == 3);
  CHECK(st.agents[1].answered == 1);
}

TEST_CASE("simulate::engine: a profile's arrivals follow its rates", "[simulate]")
{
  Model m = mmn(50, 1, 60, std::nullopt, 1000, 1);
  m.arrivals.kind = Arrivals::Kind::profile;
  m.arrivals.profile = {{0, 0.0}, {6 * 3600, 0.1}, {12 * 3600, 0.02}};  // none at night, busy mornings
  m.duration_s = 10 * 86400;
  m.warmup_s = 0;
  const Totals t = run(m);
  const double expected = 10 * (6 * 3600 * 0.1 + 12 * 3600 * 0.02);
  CHECK(static_cast<double>(t.arrivals) == Approx(expected).epsilon(0.03));
}

}  // namespace simulate_test_engine
