// The real svc binary with the knowledge-base bot and the brand guard against a real `svc sandbox serve`:
// a new customer gets the welcome and the menu, replies "1" and receives answer 1 exactly once (through
// `svc rules apply`, which runs the bot on every new message); a question below the threshold is handed
// over (tagged needs-human, nothing sent); replies and sends with a banned term are refused and record
// nothing, and go out with --allow-guard.
#include <catch2/catch.hpp>

#include "support/sandbox_process.hpp"

namespace e2e_test_bot {

using namespace svc::test;
using nlohmann::json;

namespace {

std::size_t
sent_with_text(const SandboxProcess& sandbox, const std::string& text)
{
  std::size_t n = 0;
  for (const auto& s : sandbox.sent())
    if (s.at("text") == text)
      ++n;
  return n;
}

Outcome
must(const SvcHome& home, const std::vector<std::string>& args)
{
  auto o = home.run(args);
  INFO("svc " << Catch::Detail::stringify(args) << "\n" << describe(o));
  REQUIRE(o.code == 0);
  return o;
}

} // namespace

TEST_CASE("e2e::bot: welcome, menu, answer once, hand-over", "[e2e][bot]")
{
  SandboxProcess sandbox({.seed = 909, .world_size = 6, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  write_file(std::filesystem::path(home.state()).parent_path() / "rules.toml", "");
  const std::string rules = (std::filesystem::path(home.state()).parent_path() / "rules.toml").string();
  // The world's history is processed first (no knowledge base yet: nothing is said to anyone).
  must(home, {"pull"});
  must(home, {"rules", "apply", "--rules", rules});
  auto sent_before = sandbox.sent().size();

  must(home, {"kb", "add", "--question", "如何申请退款？", "--alt", "怎么退款", "--answer", "e2e: 在订单页申请退款。",
              "--menu", "1"});
  must(home, {"kb", "add", "--question", "发货要多久？", "--answer", "e2e: 48小时内发货。", "--menu", "2"});
  must(home, {"template", "add", "welcome", "e2e: 欢迎 {contact.name}！"});

  sandbox.inject("telegram", "dm", "e2e新客户", "你好");
  must(home, {"pull"});
  must(home, {"rules", "apply", "--rules", rules});
  const std::string welcome = "e2e: 欢迎 e2e新客户！\n\n请回复数字 / Reply with a number:\n1. 如何申请退款？\n2. 发货要多久？";
  CHECK(sent_with_text(sandbox, welcome) == 1);

  sandbox.inject("telegram", "dm", "e2e新客户", "1");
  must(home, {"pull"});
  must(home, {"rules", "apply", "--rules", rules});
  must(home, {"pull"});
  must(home, {"rules", "apply", "--rules", rules}); // nothing new: nothing more is said
  CHECK(sent_with_text(sandbox, "e2e: 在订单页申请退款。") == 1);
  CHECK(sandbox.sent().size() == sent_before + 2);
  CHECK(home.query_int("SELECT count(*) FROM messages WHERE direction = 'out' AND is_bot = 1") == 2);

  // Below the threshold: handed over to a human, tagged, nothing sent.
  sandbox.inject("telegram", "dm", "e2e新客户", "我的快递丢了，怎么办");
  must(home, {"pull"});
  must(home, {"rules", "apply", "--rules", rules});
  CHECK(sandbox.sent().size() == sent_before + 2);
  auto tagged = home.json({"contact", "list", "--tag", "needs-human"});
  bool found = false;
  for (const auto& c : tagged)
    found = found || c.at("name") == "e2e新客户";
  CHECK(found);
}

TEST_CASE("e2e::guard: replies and sends with a banned term are refused", "[e2e][guard]")
{
  SandboxProcess sandbox({.seed = 910, .world_size = 6, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto injected = sandbox.inject("telegram", "dm", "e2e顾客", "有优惠吗？");
  must(home, {"pull"});
  std::int64_t conv = home.query_int("SELECT m.conversation_id FROM messages m JOIN contacts c ON c.id = m.contact_id"
                                     " WHERE c.platform_user_id = '" + injected.at("from_id").get<std::string>() + "'");
  std::int64_t contact = home.query_int("SELECT id FROM contacts WHERE platform_user_id = '" +
                                        injected.at("from_id").get<std::string>() + "'");
  REQUIRE(conv > 0);
  must(home, {"guard", "add", "cheap", "re:100\\s*%"});
  auto sent_before = sandbox.sent().size();

  auto reply = home.run({"--as", "alice", "reply", std::to_string(conv), "--text", "Our Cheap deal!"});
  CHECK(reply.code == 1);
  CHECK(reply.out.empty());
  CHECK(reply.err == "svc: error: the text contains 'cheap', which the brand guard bans\n"
                     "hint: rephrase it, or add --allow-guard to send it anyway (`svc guard list` shows the terms)\n");
  auto send = home.run({"send", "--account", "tg", "--to", std::to_string(contact), "--text", "100 % off"});
  CHECK(send.code == 1);
  CHECK(send.err.rfind("svc: error: contact #" + std::to_string(contact) +
                         ": the text contains 're:100\\s*%', which the brand guard bans\n", 0) == 0);
  auto dry = home.run({"--as", "alice", "reply", std::to_string(conv), "--text", "cheap", "--dry-run"});
  CHECK(dry.code == 1);
  CHECK(home.query_int("SELECT count(*) FROM outbox") == 0);
  CHECK(sandbox.sent().size() == sent_before);

  must(home, {"--as", "alice", "reply", std::to_string(conv), "--text", "Our Cheap deal!", "--allow-guard"});
  must(home, {"send", "--account", "tg", "--to", std::to_string(contact), "--text", "100 % off", "--allow-guard"});
  CHECK(sent_with_text(sandbox, "Our Cheap deal!") == 1);
  CHECK(sent_with_text(sandbox, "100 % off") == 1);
  CHECK(home.query_int("SELECT count(*) FROM outbox WHERE status = 'sent'") == 2);
}

}  // namespace e2e_test_bot
