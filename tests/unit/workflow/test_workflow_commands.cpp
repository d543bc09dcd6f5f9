// The workflow and roster commands in-process on a real state file: bad input gets the documented exit
// code and a one-line error, and changes nothing; list output carries the fields scripts rely on.
#include <catch2/catch.hpp>

#include "support/run_svc.hpp"
#include "workflow_fixture.hpp"

namespace workflow_test_workflow_commands {

using namespace svc;
using namespace svc::test;

TEST_CASE("commands::workflow bad input is refused with the documented exit code and changes nothing",
          "[workflow][commands]")
{
  Floor f;
  InProcess svc(f.path(), Floor::T);
  auto c1 = std::to_string(f.conversation(1));
  auto audit_rows = [&] {
    auto h = f.store().workflow().history(f.conversation(1));
    REQUIRE(h.has_value());
    return h->size();
  };
  auto before = audit_rows();
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  std::vector<Case> cases = {
    {{"claim", c1}, 2, "needs to know who you are"},
    {{"--as", "ann", "claim", "999"}, 3, "no conversation #999"},
    {{"--as", "ann", "claim", c1, "--ttl", "soon"}, 2, "soon"},
    {{"--as", "ann", "claim", c1, "--ttl", "0s"}, 2, "--ttl"},
    {{"assign", c1}, 2, "--to AGENT, --auto or --explain"},
    {{"assign", "--to", "ann"}, 2, "conversation ID"},
    {{"assign", c1, "--auto", "--all-unassigned"}, 2, "--all-unassigned"},
    {{"assign", c1, "--to", "zed"}, 3, "no agent named 'zed'"},
    {{"transfer", c1, "--to-group", "nowhere"}, 3, "no group named 'nowhere'"},
    {{"resolve", "999"}, 3, "no conversation #999"},
    {{"history", "999"}, 3, "no conversation #999"},
    {{"agent", "add", "ann"}, 6, "exists"},
    {{"agent", "add", "new", "--max-chats", "0"}, 2, "max-chats"},
    {{"agent", "status", "zed", "online"}, 3, "no agent named 'zed'"},
    {{"agent", "status", "ann", "busy"}, 2, "busy"},
    {{"agent", "remove", "zed"}, 3, "no agent named 'zed'"},
    {{"group", "add", "g", "--after", "2m"}, 2, "--overflow-to"},
    {{"group", "add", "g", "--overflow-to", "nope"}, 3, "no group named 'nope'"},
    {{"group", "add", "g", "--overflow-to", "g"}, 2, "cannot overflow to itself"},
  };
  for (const auto& c : cases) {
    auto o = svc.run(c.args);
    INFO(fmt::format("{}\nexit {}\n{}", fmt::join(c.args, " "), o.code, o.err));
    CHECK(o.code == c.code);
    CHECK(o.err.rfind("svc: error: ", 0) == 0);
    CHECK(o.err.find(c.says) != std::string::npos);
  }
  CHECK(audit_rows() == before);
  auto agents = f.store().team().agents();
  REQUIRE(agents.has_value());
  CHECK(agents->size() == 4);
  auto groups = f.store().team().groups();
  REQUIRE(groups.has_value());
  CHECK(groups->empty());
  CHECK(f.assignee(1) == "");
}

TEST_CASE("commands::agent and group list show load, skills and membership", "[workflow][commands]")
{
  Floor f;
  InProcess svc(f.path(), Floor::T);
  REQUIRE(svc.run({"group", "add", "billing", "--skills", "billing"}).code == 0);
  auto agents = svc.run({"--format", "json", "agent", "list"});
  REQUIRE(agents.code == 0);
  auto list = agents.json();
  REQUIRE(list.size() == 4);
  CHECK(list[0].at("name") == "ann");
  CHECK(list[0].at("open") == 1);
  CHECK(list[0].at("max_chats") == 3);
  CHECK(list[0].at("groups") == nlohmann::json::array({"billing"}));
  CHECK(list[1].at("name") == "ben");
  CHECK(list[1].at("open") == 2);
  CHECK(list[1].at("groups").empty());
  auto groups = svc.run({"--format", "json", "group", "list"});
  REQUIRE(groups.code == 0);
  CHECK(groups.json()[0].at("members") == nlohmann::json::array({"ann", "cat", "dan"}));

  REQUIRE(svc.run({"agent", "status", "ben", "away"}).code == 0);
  REQUIRE(svc.run({"agent", "remove", "cat"}).code == 0);
  auto after = svc.run({"--format", "json", "agent", "list"}).json();
  REQUIRE(after.size() == 3);
  CHECK(after[1].at("status") == "away");
  // A removed agent's name may be added again.
  CHECK(svc.run({"agent", "add", "cat", "--skills", "billing"}).code == 0);
}

}  // namespace workflow_test_workflow_commands
