// run_bot through a real state file: the welcome and the menu on a contact's first message, a menu
// number answered, answers and hand-overs around the threshold, the human phrase, never twice in a row,
// silence once an agent replied or holds the claim, the brand guard, and dry runs that change nothing.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fmt/format.h>

#include <svc/automation/bot.hpp>
#include <svc/automation/kb.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/store/guard_terms.hpp>
#include <svc/store/knowledge_base.hpp>
#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace automation_test_kb_bot {

using namespace svc;
using Kind = svc::automation::BotOutcome::Kind;

namespace {

struct Desk {
  test::TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;
  domain::Account account;
  int sequence = 0;

  Desk()
  {
    store::OpenOptions o;
    o.path = dir / "state.db";
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    account = svc::test::bind_account(*store, "tg", domain::Platform::telegram, "TOKEN");
    auto kb = store::knowledge_base(*store);
    auto entry = [&](const std::string& q, const std::string& a, std::optional<int> menu) {
      store::KbEntry e;
      e.question = q;
      e.answer = a;
      e.menu = menu;
      REQUIRE(kb->add({e}).has_value());
    };
    entry("如何申请退款？", "在订单页申请退款。", 1);
    entry("发货要多久？", "48小时内发货。", 2);
    entry("How do I reset my password?", "Use the Forgot password link.", std::nullopt);
    entry("What are your opening hours?", "9:00-18:00.", std::nullopt);
    entry("可以开发票吗？", "可以。", std::nullopt);
  }

  // Customer `who` writes `text`; returns the stored message id.
  std::int64_t writes(const std::string& who, const std::string& text)
  {
    clock.advance(10);
    domain::InboundMessage m;
    m.platform_message_id = fmt::format("m{}", ++sequence);
    m.thread_key = who;
    m.author.id = who;
    m.author.name = "customer " + who;
    m.text = text;
    m.created_at = clock.now();
    m.raw = nlohmann::json::object();
    REQUIRE(store->messages().ingest(account, "updates", {m}, m.platform_message_id, store::Via::pull).has_value());
    return newest_message();
  }

  std::int64_t newest_message() { return count("SELECT max(id) FROM messages"); }

  automation::BotOutcome bot(std::int64_t message, bool dry_run = false)
  {
    clock.advance(1);
    auto r = automation::run_bot(*store, message, dry_run, clock);
    if (!r)
      FAIL(r.error().message);
    return *r;
  }

  std::int64_t conversation_of(std::int64_t message)
  {
    return count(fmt::format("SELECT conversation_id FROM messages WHERE id = {}", message));
  }

  std::vector<std::string> tags_of(std::int64_t message)
  {
    auto contact = count(fmt::format("SELECT contact_id FROM messages WHERE id = {}", message));
    auto tags = store->contacts().tags(contact);
    REQUIRE(tags.has_value());
    std::vector<std::string> out;
    for (const auto& t : *tags)
      out.push_back(t.name);
    return out;
  }

  std::vector<store::OutboxItem> outbox()
  {
    auto all = store->outbox().list("");
    REQUIRE(all.has_value());
    return *all;
  }

  // One integer from a query, on a second read-only connection (as another process would see it).
  std::int64_t count(const std::string& sql)
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2((dir / "state.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
  }
};

} // namespace

TEST_CASE("automation::run_bot: welcome, menu, answers", "[kb][bot]")
{
  Desk desk;

  SECTION("the first message gets the welcome template and the menu; '1' gets answer 1, once")
  {
    REQUIRE(desk.store->templates().put("welcome", "您好 {contact.name}，欢迎！").has_value());
    auto first = desk.bot(desk.writes("u1", "你好"));
    CHECK(first.kind == Kind::welcomed);
    CHECK(first.text == "您好 customer u1，欢迎！\n\n请回复数字 / Reply with a number:\n1. 如何申请退款？\n2. 发货要多久？");
    REQUIRE(first.outbox_id);

    auto one = desk.writes("u1", "1");
    auto answer = desk.bot(one);
    CHECK(answer.kind == Kind::answered);
    CHECK(answer.text == "在订单页申请退款。");
    auto rows = desk.outbox();
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].kind == "bot");
    CHECK(rows[1].agent == "bot");
    CHECK(rows[1].message.text == "在订单页申请退款。");

    // Again on the same message, or on an older one: silent.
    CHECK(desk.bot(one).kind == Kind::none);
    CHECK(desk.bot(one - 1).kind == Kind::none);
    CHECK(desk.outbox().size() == 2);
  }

  SECTION("without a welcome template the first message gets the menu")
  {
    auto first = desk.bot(desk.writes("u2", "hi"));
    CHECK(first.kind == Kind::welcomed);
    CHECK(first.text.rfind("请回复数字 / Reply with a number:\n1. ", 0) == 0);
  }

  SECTION("a confident match is answered, a burst of messages once, at its last")
  {
    desk.bot(desk.writes("u3", "hello")); // the welcome
    auto a = desk.writes("u3", "how do I reset my password");
    auto b = desk.writes("u3", "How do I reset my password?");
    CHECK(desk.bot(a).kind == Kind::none); // a newer message follows
    auto out = desk.bot(b);
    CHECK(out.kind == Kind::answered);
    CHECK(out.text == "Use the Forgot password link.");
    CHECK(desk.count("SELECT count(*) FROM bot_runs WHERE outcome = 'answered'") == 1);
  }
}

TEST_CASE("automation::run_bot: hand-over", "[kb][bot]")
{
  Desk desk;
  desk.bot(desk.writes("u1", "hello")); // the welcome

  SECTION("below the threshold: tagged needs-human, left unanswered in the backlog, then silent")
  {
    auto m = desk.writes("u1", "我的快递丢了");
    auto out = desk.bot(m);
    CHECK(out.kind == Kind::handed_over);
    CHECK(out.text.empty());
    CHECK_FALSE(out.outbox_id);
    CHECK(desk.tags_of(m) == std::vector<std::string>{"needs-human"});
    CHECK(desk.outbox().size() == 1); // only the welcome
    auto conv = desk.store->conversations().get(desk.conversation_of(m));
    CHECK(conv->assignee.empty()); // nobody online: the backlog
    CHECK(conv->waiting_since.has_value());
    CHECK(desk.count("SELECT count(*) FROM audit_log WHERE action = 'handed_over' AND agent = 'bot'") == 1);
    // Handed over: the bot leaves the conversation to the human, even for a question it knows.
    CHECK(desk.bot(desk.writes("u1", "How do I reset my password?")).kind == Kind::none);
  }

  SECTION("with an agent online the hand-over routes the conversation to them")
  {
    store::AgentRow ann;
    ann.name = "ann";
    ann.status = "online";
    REQUIRE(desk.store->team().add_agent(ann).has_value());
    auto m = desk.writes("u1", "我要转人工");
    auto out = desk.bot(m);
    CHECK(out.kind == Kind::handed_over);
    CHECK(out.detail == "the customer asked for a human");
    CHECK(desk.store->conversations().get(desk.conversation_of(m))->assignee == "ann");
  }

  SECTION("the threshold decides between answer and hand-over")
  {
    auto kb = store::knowledge_base(*desk.store);
    auto settings = *kb->settings();
    auto d = automation::decide(*desk.store, "password reset");
    REQUIRE(d.has_value());
    settings.threshold = d->confidence + 0.01;
    REQUIRE(kb->set_settings(settings).has_value());
    CHECK(desk.bot(desk.writes("u1", "password reset")).kind == Kind::handed_over);

    settings.threshold = d->confidence - 0.01;
    REQUIRE(kb->set_settings(settings).has_value());
    desk.bot(desk.writes("u9", "hi")); // another customer's welcome
    CHECK(desk.bot(desk.writes("u9", "password reset")).kind == Kind::answered);
  }

  SECTION("an answer the brand guard bans is handed over, not sent")
  {
    store::GuardTerm t;
    t.term = "forgot";
    REQUIRE(store::guard_terms(*desk.store)->add({t}).has_value());
    auto out = desk.bot(desk.writes("u1", "How do I reset my password?"));
    CHECK(out.kind == Kind::handed_over);
    CHECK(out.detail.find("'forgot'") != std::string::npos);
    CHECK(desk.outbox().size() == 1);
  }
}

TEST_CASE("automation::run_bot: stays out of agents' conversations", "[kb][bot]")
{
  Desk desk;
  desk.bot(desk.writes("u1", "hello")); // the welcome
  auto m = desk.writes("u1", "How do I reset my password?");
  auto conv = desk.conversation_of(m);

  SECTION("an agent replied since the message")
  {
    auto item = inbox::prepare_reply(*desk.store, conv, "Let me check.", "alice");
    REQUIRE(item.has_value());
    REQUIRE(inbox::record_reply(*desk.store, *item, false).has_value());
    auto out = desk.bot(m);
    CHECK(out.kind == Kind::none);
    CHECK(out.detail == "someone replied since the message arrived");
  }

  SECTION("an agent holds the claim")
  {
    REQUIRE(desk.store->workflow().claim(conv, "alice", 900, false).has_value());
    auto out = desk.bot(m);
    CHECK(out.kind == Kind::none);
    CHECK(out.detail == "alice holds the conversation's claim");
  }

  SECTION("a dry run decides and changes nothing")
  {
    auto before_outbox = desk.outbox().size();
    auto dry = desk.bot(m, true);
    CHECK(dry.kind == Kind::answered);
    CHECK(dry.text == "Use the Forgot password link.");
    CHECK_FALSE(dry.outbox_id);
    CHECK(desk.outbox().size() == before_outbox);
    CHECK(desk.count("SELECT count(*) FROM bot_runs") == 1); // the welcome's only
    auto handover = desk.bot(desk.writes("u1", "转人工"), true);
    CHECK(handover.kind == Kind::handed_over);
    CHECK(desk.tags_of(m).empty());
    CHECK(desk.count("SELECT count(*) FROM kb_fts") == 5); // the text's own row never stays
  }
}

}  // namespace automation_test_kb_bot
