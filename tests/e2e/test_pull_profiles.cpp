// The real svc binary pulling WeChat from a real `svc sandbox serve`: the profiles of new customers
// (chat records carry only the openid) are completed with user/info/batchget, at most 100 per request,
// and never one user/info per customer. Requests are counted in svc's own -v trace (one line per HTTP
// request, retries included).
#include <catch2/catch.hpp>

#include <string>

#include "support/sandbox_process.hpp"

namespace e2e_test_pull_profiles {

using namespace svc::test;
using nlohmann::json;

namespace {

struct Requests {
  int batchget = 0;
  int single = 0; // GET user/info?openid=…
};

Requests
count_requests(const std::string& trace)
{
  Requests r;
  std::size_t start = 0;
  while (start < trace.size()) {
    std::size_t end = trace.find('\n', start);
    if (end == std::string::npos)
      end = trace.size();
    std::string line = trace.substr(start, end - start);
    if (line.find("/cgi-bin/user/info/batchget?") != std::string::npos)
      ++r.batchget;
    else if (line.find("/cgi-bin/user/info?") != std::string::npos)
      ++r.single;
    start = end + 1;
  }
  return r;
}

// `svc -v --format json pull ARGS`, which must succeed; the request counts of its trace.
Requests
traced_pull(const SvcHome& home, std::vector<std::string> args)
{
  args.insert(args.begin(), {"-v", "--format", "json", "pull"});
  auto o = home.run(args);
  INFO(describe(o));
  REQUIRE(o.code == 0);
  return count_requests(o.err);
}

std::int64_t
nameless_contacts(const SvcHome& home)
{
  return home.query_int("SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.account_id "
                        "WHERE a.name = 'wx' AND (c.name IS NULL OR c.name = '' OR c.name = c.platform_user_id)");
}

} // namespace

TEST_CASE("e2e::pull completes WeChat profiles with batchget, 100 per request", "[e2e][pull]")
{
  SandboxProcess sandbox({.seed = 103, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind("wechat", "wx", sandbox.url());

  auto first = traced_pull(home, {"--account", "wx"});
  auto customers = home.query_int("SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.account_id "
                                  "WHERE a.name = 'wx'");
  REQUIRE(customers > 10);
  // Every customer has the sandbox's nickname (not their openid), and no one was asked one by one.
  CHECK(nameless_contacts(home) == 0);
  CHECK(first.single == 0);
  CHECK(first.batchget >= 1);
  CHECK(first.batchget < customers);

  SECTION("150 new customers on one page: two requests (ceil(150/100)), every profile filled")
  {
    const int n = 150;
    for (int i = 0; i < n; ++i)
      sandbox.inject("wechat", "dm", "e2e-wx-" + std::to_string(1000 + i), "在吗 " + std::to_string(i));
    auto again = traced_pull(home, {"--account", "wx", "--limit", "1000"});
    CHECK(again.single == 0);
    CHECK(again.batchget == (n + 99) / 100);
    CHECK(home.query_int("SELECT count(*) FROM contacts WHERE name LIKE 'e2e-wx-1%' AND name != platform_user_id")
          == n);
    CHECK(nameless_contacts(home) == 0);

    // Known customers are not asked again.
    sandbox.inject("wechat", "dm", "e2e-wx-1000", "还是我");
    auto third = traced_pull(home, {"--account", "wx"});
    CHECK(third.batchget == 0);
    CHECK(third.single == 0);
  }
}

}  // namespace e2e_test_pull_profiles
