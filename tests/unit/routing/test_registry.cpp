// make_policy and policy_names.
#include "routing_test_util.hpp"

namespace routing_test_registry {

using namespace svc;
using namespace svc::routing;
using namespace svc::routing::test;

TEST_CASE("routing::policy_names", "[routing]")
{
  const auto names = policy_names();
  CHECK(std::vector<std::string_view>(names.begin(), names.end()) ==
        std::vector<std::string_view>{"round-robin", "least-busy", "idle-rate", "sticky", "skills", "priority"});
}

TEST_CASE("routing::make_policy", "[routing]")
{
  SECTION("every listed name makes the policy of that name")
  {
    const auto name = GENERATE(from_range(policy_names()));
    auto made = make_policy(name);
    REQUIRE(made.has_value());
    CHECK((*made)->name() == name);
  }
  SECTION("an unknown name is a usage error listing the names")
  {
    auto made = make_policy("fastest");
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().kind == ErrorKind::usage);
    CHECK(made.error().message == "unknown routing policy 'fastest'");
    CHECK(made.error().hint == "use one of: round-robin, least-busy, idle-rate, sticky, skills, priority");
  }
  SECTION("names are exact")
  {
    CHECK_FALSE(make_policy("Least-Busy").has_value());
    CHECK_FALSE(make_policy("").has_value());
  }
}

}  // namespace routing_test_registry
