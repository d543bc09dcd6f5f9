// The order a backlog is served in: oldest first for every policy, VIP first for priority.
#include "routing_test_util.hpp"

namespace routing_test_backlog {

using namespace svc::routing;
using namespace svc::routing::test;

namespace {

std::vector<Conversation>
backlog()
{
  auto c = [](std::int64_t id, double since, bool vip) {
    Conversation x = conversation(id, "", since);
    x.vip = vip;
    return x;
  };
  // 4 comes before 2 so that only the id puts 2 first among the two that waited since 100.
  return {c(1, 300, false), c(4, 100, false), c(3, 200, true), c(2, 100, false), c(5, 400, true), c(6, 50, false)};
}

std::vector<std::int64_t>
ids(const std::vector<Conversation>& cs)
{
  std::vector<std::int64_t> out;
  for (const auto& c : cs)
    out.push_back(c.id);
  return out;
}

} // namespace

TEST_CASE("routing::order_backlog: oldest waiting first, then id", "[routing]")
{
  const auto name = GENERATE(as<std::string>{}, "round-robin", "least-busy", "idle-rate", "sticky", "skills");
  INFO("policy " << name);
  auto b = backlog();
  policy(name)->order_backlog(b);
  CHECK(ids(b) == std::vector<std::int64_t>{6, 2, 4, 3, 1, 5});  // VIP makes no difference
}

TEST_CASE("routing::order_backlog: priority puts VIP first, then oldest", "[routing]")
{
  auto b = backlog();
  policy("priority")->order_backlog(b);
  CHECK(ids(b) == std::vector<std::int64_t>{3, 5, 6, 2, 4, 1});
}

TEST_CASE("routing::priority: chooses least-busy", "[routing]")
{
  Scenario s;
  s.agents = {agent(1, "ann").open(2), agent(2, "bob").open(1).assigned_at(999), agent(3, "cid").open(4)};
  Conversation c = conversation(1);
  c.vip = true;
  const Decision d = decide("priority", c, s);
  CHECK(d.agent == "bob");
  CHECK(verdict(d, "cid").reason == "4 open");
  CHECK(d.why == "bob wins by priority: the fewest open conversations (1 open).");
}

}  // namespace routing_test_backlog
