// The Listener over real HTTP on loopback with a real state file: stores accepted callbacks once,
// refuses what it must with nothing stored, records and reports every callback, forwards.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <svc/callbacks/listener.hpp>
#include <svc/core/sha1.hpp>
#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"
#include <svc/core/serve.hpp>

namespace callbacks_test_listener {

using namespace svc::callbacks;
using svc::domain::Platform;

namespace {

struct Fixture {
  svc::test::TempDir dir;
  svc::FixedClock clock{1795000000};
  std::unique_ptr<svc::store::Store> store;
  std::vector<Hook> hooks;

  Fixture()
  {
    svc::store::OpenOptions o;
    o.path = dir / "state.db";
    o.clock = &clock;
    auto opened = svc::store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    for (auto [name, p, secret] : {std::tuple{"wx", Platform::wechat, "wxtoken"},
                                   std::tuple{"tg", Platform::telegram, "tgsecret"},
                                   std::tuple{"nos", Platform::wechat, ""}}) {
      hooks.push_back({svc::test::bind_account(*store, name, p, "UNUSED"),
                       *secret ? std::optional<std::string>(secret) : std::nullopt});
    }
  }

  std::int64_t count_messages()
  {
    std::int64_t n = 0;
    svc::store::ConversationFilter all;
    all.status = "all";
    auto convs = store->conversations().list(all);
    REQUIRE(convs.has_value());
    for (const auto& c : *convs) {
      auto ms = store->conversations().messages(c.id);
      REQUIRE(ms.has_value());
      n += static_cast<std::int64_t>(ms->size());
    }
    return n;
  }
};

std::string
wechat_query(const std::string& token)
{
  return "/hook/wx?timestamp=1409304348&nonce=abc&signature=" +
         svc::sorted_sha1_signature({token, "1409304348", "abc"});
}

const char* k_text_xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser1]]></FromUserName>"
                         "<CreateTime>1795000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                         "<Content><![CDATA[hello from push]]></Content><MsgId>777</MsgId></xml>";

} // namespace

TEST_CASE("callbacks::Listener", "[callbacks]")
{
  Fixture f;
  std::mutex mu;
  std::vector<CallbackReport> reports;
  ListenOptions options;
  options.record_path = (f.dir / "rec.jsonl").string();
  options.max_body = 4096;

  // A local endpoint for --forward-to.
  httplib::Server target;
  std::vector<std::pair<std::string, std::string>> forwarded; // body, query
  std::string forwarded_content_type;
  target.Post("/dev/in", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    forwarded.emplace_back(req.body, req.get_param_value("nonce"));
    forwarded_content_type = req.get_header_value("Content-Type");
    res.status = 202;
  });
  int target_port = target.bind_to_any_port("127.0.0.1");
  std::thread target_thread = svc::start_accept_loop(target);
  options.forward_to = "http://127.0.0.1:" + std::to_string(target_port) + "/dev/in";

  Listener listener(*f.store, f.clock, f.hooks, options, [&](const CallbackReport& r) {
    std::lock_guard lock(mu);
    reports.push_back(r);
  });
  auto port = listener.start();
  REQUIRE(port.has_value());
  httplib::Client client("127.0.0.1", *port);

  SECTION("a signed message is stored once however often it is delivered, and forwarded")
  {
    for (int i = 0; i < 2; ++i) {
      auto res = client.Post(wechat_query("wxtoken").c_str(), k_text_xml, "text/xml");
      REQUIRE(res);
      CHECK(res->status == 200);
      CHECK(res->body == "success");
    }
    CHECK(f.count_messages() == 1);
    listener.stop();
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].stored == 1);
    CHECK(reports[1].stored == 0);
    CHECK(reports[1].received == 1);
    CHECK(reports[0].texts == std::vector<std::string>{"hello from push"});
    CHECK(reports[0].forward_status == 202);
    REQUIRE(forwarded.size() == 2);
    CHECK(forwarded[0].first == k_text_xml);
    CHECK(forwarded[0].second == "abc");
    CHECK(forwarded_content_type == "text/xml");
    auto lines = svc::test::read_file(f.dir / "rec.jsonl");
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 2);
  }
  SECTION("refusals store nothing and are not forwarded")
  {
    auto bad = client.Post(wechat_query("nottoken").c_str(), k_text_xml, "text/xml");
    REQUIRE(bad);
    CHECK(bad->status == 403);
    auto malformed = client.Post(wechat_query("wxtoken").c_str(), "<xml><oops>", "text/xml");
    REQUIRE(malformed);
    CHECK(malformed->status == 400);
    auto unbound = client.Post("/hook/nobody", "{}", "application/json");
    REQUIRE(unbound);
    CHECK(unbound->status == 404);
    auto big = client.Post(wechat_query("wxtoken").c_str(), std::string(8192, 'x'), "text/xml");
    REQUIRE(big);
    CHECK(big->status == 413);
    auto no_secret = client.Post("/hook/nos", k_text_xml, "text/xml");
    REQUIRE(no_secret);
    CHECK(no_secret->status == 403);
    auto tg_wrong = client.Post("/hook/tg", {{"X-Telegram-Bot-Api-Secret-Token", "wrong"}},
                                R"({"update_id":1,"message":{"message_id":5,"chat":{"id":9,"type":"private"},"from":{"id":9,"first_name":"A"},"date":1795000000,"text":"t"}})",
                                "application/json");
    REQUIRE(tg_wrong);
    CHECK(tg_wrong->status == 403);
    CHECK(f.count_messages() == 0);
    listener.stop();
    CHECK(forwarded.empty());
    // Every request is reported, the ones no hook saw too; only the hooks' are recorded.
    REQUIRE(reports.size() == 6);
    std::multiset<int> statuses;
    for (const auto& r : reports) {
      statuses.insert(r.status);
      CHECK(r.stored == 0);
    }
    CHECK(statuses == std::multiset<int>{400, 403, 403, 403, 404, 413});
    auto lines = svc::test::read_file(f.dir / "rec.jsonl");
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 4);
  }
  SECTION("concurrent deliveries of many messages are all stored, each once")
  {
    std::vector<std::thread> senders;
    for (int t = 0; t < 4; ++t) {
      senders.emplace_back([&, t] {
        httplib::Client c("127.0.0.1", *port);
        for (int i = 0; i < 10; ++i) {
          std::string body = R"({"update_id":)" + std::to_string(i) +
                             R"(,"message":{"message_id":)" + std::to_string(i) +
                             R"(,"chat":{"id":9,"type":"private"},"from":{"id":9,"first_name":"A"},"date":1795000000,"text":"m)" +
                             std::to_string(t) + R"("}})";
          auto res = c.Post("/hook/tg", {{"X-Telegram-Bot-Api-Secret-Token", "tgsecret"}}, body, "application/json");
          CHECK((res && res->status == 200));
        }
      });
    }
    for (auto& s : senders) {
      s.join();
    }
    // Four senders deliver the same ten message ids.
    CHECK(f.count_messages() == 10);
  }
  listener.stop();
  target.stop();
  target_thread.join();
}

}  // namespace callbacks_test_listener
