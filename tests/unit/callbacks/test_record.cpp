// The --record JSONL line: exact field set, secret header redacted, server pseudo headers dropped.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <svc/callbacks/record.hpp>

namespace callbacks_test_record {

using namespace svc::callbacks;

TEST_CASE("callbacks::record_line", "[callbacks]")
{
  svc::domain::Account a;
  a.name = "tg";
  a.platform = svc::domain::Platform::telegram;
  HookRequest r;
  r.method = "POST";
  r.path = "/hook/tg";
  r.query = "a=1&b=2";
  r.headers = {{"Content-Type", "application/json"},
               {"X-Telegram-Bot-Api-Secret-Token", "very-secret"},
               {"REMOTE_ADDR", "127.0.0.1"}};
  r.body = "{\"update_id\":1}";
  std::string line = record_line(1795000000, a, r, 200, 1);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find("very-secret") == std::string::npos);
  auto j = nlohmann::json::parse(line);
  CHECK(j.at("received_at") == "2026-11-18T11:06:40Z");
  CHECK(j.at("account") == "tg");
  CHECK(j.at("platform") == "telegram");
  CHECK(j.at("method") == "POST");
  CHECK(j.at("path") == "/hook/tg");
  CHECK(j.at("query") == "a=1&b=2");
  CHECK(j.at("headers") == nlohmann::json{{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", "***"}});
  CHECK(j.at("body") == "{\"update_id\":1}");
  CHECK(j.at("status") == 200);
  CHECK(j.at("stored") == 1);
  CHECK(j.size() == 10);

  SECTION("a lowercase secret header is redacted too, and bodies that are not UTF-8 still give JSON")
  {
    r.headers = {{"x-telegram-bot-api-secret-token", "very-secret"}};
    r.body = std::string("\xff\xfe", 2);
    std::string l = record_line(0, a, r, 400, 0);
    CHECK(l.find("very-secret") == std::string::npos);
    CHECK_NOTHROW(nlohmann::json::parse(l));
  }
}

}  // namespace callbacks_test_record
