#include "sandbox_fixture.hpp"

#include <future>
#include <set>

namespace sandbox_test_telegram {

using sandbox_test::Sandbox;

namespace {

svc::sandbox::Options
world(int size)
{
  svc::sandbox::Options o;
  o.world_size = size;
  o.seed = 5;
  o.long_poll_cap_s = 3;
  return o;
}

} // namespace

TEST_CASE("sandbox::telegram", "[sandbox]")
{
  Sandbox sb(world(400));

  SECTION("getMe, and 401 for an unknown token")
  {
    auto me = sb.get(sb.bot() + "/getMe");
    CHECK(me["ok"] == true);
    CHECK(me["result"]["is_bot"] == true);
    CHECK(sb.account("telegram", "token").rfind(me["result"]["id"].dump() + ":", 0) == 0);
    auto bad = sb.get("/bot123:nope/getMe", 401);
    CHECK(bad == nlohmann::json{{"ok", false}, {"error_code", 401}, {"description", "Unauthorized"}});
  }
  SECTION("getUpdates returns every update once; offset confirms")
  {
    std::set<std::string> got;
    std::int64_t offset = 0, last = 0;
    for (int round = 0; round < 1000; ++round) {
      auto r = sb.get(sb.bot() + "/getUpdates?limit=30&timeout=0&offset=" + std::to_string(offset));
      REQUIRE(r["ok"] == true);
      if (r["result"].empty()) {
        break;
      }
      CHECK(r["result"].size() <= 30);
      for (const auto& u : r["result"]) {
        std::int64_t id = u["update_id"];
        CHECK(id > last);
        last = id;
        const auto& m = u["message"];
        CHECK(m["chat"]["type"] == "private");
        CHECK(m["from"]["id"] == m["chat"]["id"]);
        got.insert(m["chat"]["id"].dump() + ":" + m["message_id"].dump());
      }
      offset = last + 1;
    }
    std::set<std::string> expected;
    for (const auto& m : sb.inbound("telegram")) {
      expected.insert(m["platform_message_id"].get<std::string>());
    }
    REQUIRE(expected.size() > 50);
    CHECK(got == expected);
    // Confirmed updates are gone, also for a call without offset.
    CHECK(sb.get(sb.bot() + "/getUpdates")["result"].empty());
  }
  SECTION("a long poll returns an update injected while it waits")
  {
    auto all = sb.get(sb.bot() + "/getUpdates?offset=-1")["result"];
    REQUIRE(all.size() == 1);
    std::int64_t next = all[0]["update_id"].get<std::int64_t>() + 1;
    auto poll = std::async(std::launch::async, [&] {
      httplib::Client c("127.0.0.1", sb.server->port());
      c.set_read_timeout(10);
      auto res = c.Get(sb.bot() + "/getUpdates?timeout=3&offset=" + std::to_string(next));
      return res ? nlohmann::json::parse(res->body) : nlohmann::json();
    });
    sb.post_json("/_sandbox/inject", {{"platform", "telegram"}, {"channel", "dm"}, {"from", "Анна"}, {"text", "Привет 👋"}});
    auto r = poll.get();
    REQUIRE(r["result"].size() == 1);
    CHECK(r["result"][0]["message"]["text"] == "Привет 👋");
    CHECK(r["result"][0]["message"]["from"]["first_name"] == "Анна");
  }
  SECTION("sendMessage with JSON, form and query parameters; replies; errors")
  {
    auto in = sb.inbound("telegram").back();
    std::string chat = in["from_id"];
    std::string pmid = in["platform_message_id"];
    std::int64_t reply_to = std::stoll(pmid.substr(pmid.find(':') + 1));
    auto a = sb.post_json(sb.bot() + "/sendMessage",
                          {{"chat_id", std::stoll(chat)}, {"text", "收到 👍"}, {"reply_parameters", {{"message_id", reply_to}}}});
    CHECK(a["result"]["chat"]["id"].dump() == chat);
    CHECK(a["result"]["reply_to_message"]["message_id"] == reply_to);
    CHECK(a["result"]["from"]["is_bot"] == true);
    auto b = sb.post_form(sb.bot() + "/sendMessage",
                          {{"chat_id", chat}, {"text", "second"}, {"reply_to_message_id", std::to_string(reply_to)}});
    CHECK(b["result"]["reply_to_message"]["message_id"] == reply_to);
    CHECK(b["result"]["message_id"].get<std::int64_t>() == a["result"]["message_id"].get<std::int64_t>() + 1);
    auto c = sb.get(sb.bot() + "/sendmessage?chat_id=" + chat + "&text=third");
    CHECK(c["ok"] == true);
    auto sent = sb.get("/_sandbox/sent");
    REQUIRE(sent.size() == 3);
    CHECK(sent[0]["text"] == "收到 👍");
    CHECK(sent[0]["to"] == chat);
    CHECK(sent[0]["reply_to"] == pmid);
    CHECK(sent[2]["platform_message_id"] == chat + ":" + c["result"]["message_id"].dump());

    auto too_long = sb.post_json(sb.bot() + "/sendMessage", {{"chat_id", chat}, {"text", std::string(4097, 'a')}}, 400);
    CHECK(too_long["description"] == "Bad Request: message is too long");
    CHECK(sb.post_json(sb.bot() + "/sendMessage", {{"chat_id", 1}, {"text", "x"}}, 400)["description"] ==
          "Bad Request: chat not found");
    std::set<std::string> wrote;
    for (const auto& m : sb.inbound("telegram")) {
      wrote.insert(m["from_id"].get<std::string>());
    }
    std::string silent;
    for (const auto& p : sb.get("/_sandbox/people")) {
      if (wrote.count(p["telegram_id"].get<std::string>()) == 0) {
        silent = p["telegram_id"];
      }
    }
    REQUIRE_FALSE(silent.empty());
    CHECK(sb.post_json(sb.bot() + "/sendMessage", {{"chat_id", silent}, {"text", "x"}}, 403)["description"] ==
          "Forbidden: bot can't initiate conversation with a user");
    CHECK(sb.get("/_sandbox/sent").size() == 3);
    CHECK(sb.get(sb.bot() + "/noSuchMethod", 404)["ok"] == false);
  }
}

}  // namespace sandbox_test_telegram
