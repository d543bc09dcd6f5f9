#include "sandbox_fixture.hpp"

#include <chrono>

namespace sandbox_test_scale {

using sandbox_test::k_now;
using sandbox_test::Sandbox;

// The benchmark asks for 100,000 messages: generation must be linear and requests must not scan.
TEST_CASE("sandbox::scale", "[sandbox]")
{
  svc::sandbox::Options o;
  o.world_size = 100000;
  auto t0 = std::chrono::steady_clock::now();
  Sandbox sb(o);
  auto built = std::chrono::steady_clock::now() - t0;
  CHECK(built < std::chrono::seconds(20));

  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    auto page = sb.get("/2/comments/to_me.json?count=200&access_token=" + sb.weibo_token());
    REQUIRE(page["comments"].size() >= 190);
    std::int64_t mid = page["comments"][100]["id"];
    auto older = sb.get("/2/comments/to_me.json?count=50&max_id=" + std::to_string(mid) +
                        "&since_id=" + std::to_string(mid - 1000000) + "&access_token=" + sb.weibo_token());
    CHECK(older["comments"][0]["id"] == mid);
    auto updates = sb.get(sb.bot() + "/getUpdates?limit=100");
    CHECK(updates["result"].size() == 100);
    auto token = sb.wechat_token();
    auto recs = sb.post_json("/customservice/msgrecord/getmsglist?access_token=" + token,
                             {{"starttime", k_now - 86400}, {"endtime", k_now}, {"msgid", 5000}, {"number", 100}});
    CHECK(recs["number"] == 100);
  }
  auto served = std::chrono::steady_clock::now() - t0;
  CHECK(served < std::chrono::seconds(10));
  t0 = std::chrono::steady_clock::now();
  auto all = sb.client->Get("/_sandbox/messages");
  REQUIRE(all);
  std::size_t count = 0;
  for (auto at = all->body.find("\"platform_message_id\""); at != std::string::npos;
       at = all->body.find("\"platform_message_id\"", at + 1)) {
    ++count;
  }
  CHECK(count == 100000);
}

}  // namespace sandbox_test_scale
