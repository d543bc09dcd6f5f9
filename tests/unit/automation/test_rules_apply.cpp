// automation::apply_rules on a real state file: the actions each fixture message gets, exactly once (a
// second run, a run on a second connection at the same time), dry runs that change nothing, deliveries
// after the commit, and the notifications a killed run left behind.
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <sqlite3.h>

#include <svc/automation/rules_apply.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/store/rule_state.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace automation_test_rules_apply {

using namespace svc;
using namespace svc::automation;
using namespace svc::test;
using nlohmann::json;

namespace {

constexpr UnixTime T = 1795000000;

std::int64_t
count(const std::filesystem::path& db, const std::string& sql)
{
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  auto v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(h);
  return v;
}

std::string
slurp(const std::filesystem::path& p)
{
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Fixture
{
public:
  Fixture()
  {
    m_store = open();
    m_account = bind_account(*m_store, "tg", domain::Platform::telegram, "TOKEN");
    REQUIRE(m_store->templates().put("welcome", "Hi {contact.name}, welcome!").has_value());
    REQUIRE(m_store->templates().put("refund", "We are on it, {contact.name}.").has_value());
    store::GroupRow g;
    g.name = "billing";
    REQUIRE(m_store->team().add_group(g).has_value());
  }

  std::unique_ptr<store::Store> open()
  {
    store::OpenOptions o;
    o.path = path();
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    return std::move(*opened);
  }

  std::filesystem::path path() const { return m_dir / "state.db"; }
  store::Store& store() { return *m_store; }

  // Customer `n` writes `text` on their DM thread; returns the message id.
  std::int64_t writes(int n, const std::string& text)
  {
    domain::InboundMessage m;
    m.platform_message_id = fmt::format("m{}", ++m_messages);
    m.thread_key = fmt::format("{}", 100 + n);
    m.author.id = m.thread_key;
    m.author.name = fmt::format("customer {}", n);
    m.text = text;
    m.created_at = clock.now() - 60 + m_messages;
    auto r = m_store->messages().ingest(m_account, "", {m}, "", store::Via::callback);
    REQUIRE(r.has_value());
    return count(path(), "SELECT max(id) FROM messages");
  }

  RuleSet rules(const std::string& extra = "")
  {
    std::string text = fmt::format(R"(
[[rule]]
name = "spam"
when = {{ keywords = ["cheap pills"] }}
then = {{ spam = true }}

[[rule]]
name = "refund"
when = {{ keywords = ["refund"] }}
then = {{ reply = "refund", tag = ["refund"], route = "billing", priority = 5, notify = ["sh", "-c", "cat >> '{}'; echo >> '{}'"] }}

[[rule]]
name = "welcome"
when = {{ first_contact = true }}
then = {{ reply = "welcome", tag = ["new"] }}
{})",
                                   notified().string(), notified().string(), extra);
    auto parsed = parse_rules(text, "rules.toml");
    for (const auto& p : parsed.problems)
      INFO(format_problem("rules.toml", p));
    REQUIRE(parsed.problems.empty());
    REQUIRE(check_against_store(parsed, *m_store).has_value());
    REQUIRE(parsed.problems.empty());
    return parsed.rules;
  }

  std::filesystem::path notified() const { return m_dir / "notified.jsonl"; }
  std::vector<json> notifications() const
  {
    std::vector<json> out;
    std::istringstream in(slurp(notified()));
    for (std::string line; std::getline(in, line);)
      if (!line.empty())
        out.push_back(json::parse(line));
    return out;
  }

  FixedClock clock{T};

private:
  TempDir m_dir;
  std::unique_ptr<store::Store> m_store;
  domain::Account m_account;
  int m_messages = 0;
};

Result<ApplySummary>
apply(Fixture& f, store::Store& store, const RuleSet& rules, bool dry_run, std::vector<MessageReport>* reports,
      std::vector<std::int64_t>* delivered = nullptr)
{
  ApplyOptions options;
  options.dry_run = dry_run;
  ApplyHooks hooks;
  hooks.on_message = [&](const MessageReport& r) {
    if (reports)
      reports->push_back(r);
  };
  if (delivered)
    hooks.deliver = [&](std::int64_t id) -> Status {
      // After the commit: another connection already sees the message processed.
      CHECK(count(f.path(), fmt::format("SELECT count(*) FROM rule_runs r JOIN outbox o ON o.id = {}"
                                        " JOIN messages m ON m.id = r.message_id AND m.platform_message_id = o.reply_to",
                                        id)) == 1);
      delivered->push_back(id);
      // As inbox::deliver records a send the platform took.
      SVC_CHECK(store.outbox().begin_send(id, false));
      domain::SendResult sent;
      sent.platform_message_id = fmt::format("sent-{}", id);
      return store.outbox().mark_sent(id, sent);
    };
  return apply_rules(store, rules, options, hooks, f.clock);
}

std::string
tags_of(Fixture& f, int n)
{
  std::string out;
  auto c = f.store().contacts().find("tg", fmt::format("{}", 100 + n));
  REQUIRE(c.has_value());
  auto tags = c->tags;
  std::sort(tags.begin(), tags.end());
  for (const auto& t : tags)
    out += (out.empty() ? "" : ",") + t;
  return out;
}

} // namespace

TEST_CASE("automation::apply_rules: actions on fixture messages, exactly once", "[automation][rules]")
{
  Fixture f;
  auto m1 = f.writes(1, "hello there");            // first contact: welcome
  auto m2 = f.writes(1, "I want a REFUND");          // refund (not first contact any more)
  auto m3 = f.writes(2, "cheap pills refund");       // spam stops the rest, and the bot
  auto rules = f.rules();

  std::vector<MessageReport> reports;
  std::vector<std::int64_t> delivered;
  auto summary = apply(f, f.store(), rules, false, &reports, &delivered);
  REQUIRE(summary.has_value());
  CHECK(summary->processed == 3);
  CHECK(summary->replies == 2);
  REQUIRE(reports.size() == 3);

  CHECK(reports[0].message_id == m1);
  CHECK(reports[0].rules == std::vector<std::string>{"welcome"});
  CHECK(reports[0].bot.empty()); // a rule replied: no bot
  CHECK(reports[1].message_id == m2);
  CHECK(reports[1].rules == std::vector<std::string>{"refund"});
  CHECK(reports[2].message_id == m3);
  CHECK(reports[2].rules == std::vector<std::string>{"spam"});
  CHECK(reports[2].bot.empty());
  for (const auto& r : reports)
    for (const auto& a : r.actions) {
      INFO(a.dump());
      CHECK(a.at("outcome") == "done");
    }

  // Replies: recorded as the rules' own, answering the very message, rendered for the contact; delivered
  // once each after the commit.
  CHECK(delivered == std::vector<std::int64_t>{reports[0].outbox_ids.at(0), reports[1].outbox_ids.at(0)});
  auto welcome = f.store().outbox().get(reports[0].outbox_ids.at(0));
  REQUIRE(welcome.has_value());
  CHECK(welcome->kind == "rule");
  CHECK(welcome->agent == "rules");
  CHECK(welcome->message.text == "Hi customer 1, welcome!");
  CHECK(welcome->message.reply_to == "m1");
  auto refund = f.store().outbox().get(reports[1].outbox_ids.at(0));
  REQUIRE(refund.has_value());
  CHECK(refund->message.text == "We are on it, customer 1.");
  CHECK(refund->message.reply_to == "m2");

  // Tags, routing, priority, spam.
  CHECK(tags_of(f, 1) == "new,refund");
  CHECK(tags_of(f, 2) == "spam");
  auto conv1 = f.store().conversations().get(reports[1].conversation_id);
  REQUIRE(conv1.has_value());
  CHECK(conv1->group == "billing");
  CHECK(count(f.path(), fmt::format("SELECT priority FROM conversations WHERE id = {}", conv1->id)) == 5);
  auto conv2 = f.store().conversations().get(reports[2].conversation_id);
  REQUIRE(conv2.has_value());
  CHECK(conv2->status == "resolved");

  // The notify command ran once, after the commit, with the message as JSON on stdin.
  auto notes = f.notifications();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].at("rule") == "refund");
  CHECK(notes[0].at("message_id") == m2);
  CHECK(notes[0].at("text") == "I want a REFUND");
  CHECK(notes[0].at("contact").at("name") == "customer 1");
  CHECK(count(f.path(), "SELECT count(*) FROM rule_notifications WHERE status = 'done' AND exit_code = 0") == 1);

  SECTION("a second run processes nothing")
  {
    reports.clear();
    auto again = apply(f, f.store(), rules, false, &reports, &delivered);
    REQUIRE(again.has_value());
    CHECK(again->processed == 0);
    CHECK(reports.empty());
    CHECK(delivered.size() == 2);
    CHECK(f.notifications().size() == 1);
    CHECK(count(f.path(), "SELECT count(*) FROM outbox") == 2);
  }
  SECTION("a new message is processed by the next run, and only it")
  {
    auto m4 = f.writes(1, "refund again");
    reports.clear();
    REQUIRE(apply(f, f.store(), rules, false, &reports, &delivered).has_value());
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].message_id == m4);
    CHECK(f.notifications().size() == 2);
    CHECK(count(f.path(), "SELECT count(*) FROM rule_runs") == 4);
  }
}

TEST_CASE("automation::apply_rules --dry-run changes nothing", "[automation][rules]")
{
  Fixture f;
  f.writes(1, "hello");
  f.writes(1, "refund please");
  f.writes(2, "cheap pills");
  auto rules = f.rules();
  auto snapshot = [&] {
    return fmt::format("{}/{}/{}/{}/{}/{}", count(f.path(), "SELECT count(*) FROM rule_runs"),
                       count(f.path(), "SELECT count(*) FROM outbox"),
                       count(f.path(), "SELECT count(*) FROM contact_tags"),
                       count(f.path(), "SELECT count(*) FROM audit_log"),
                       count(f.path(), "SELECT count(*) FROM rule_notifications"),
                       count(f.path(), "SELECT total(priority) + count(group_id) FROM conversations"));
  };
  auto before = snapshot();
  std::vector<MessageReport> reports;
  std::vector<std::int64_t> delivered;
  auto summary = apply(f, f.store(), rules, true, &reports, &delivered);
  REQUIRE(summary.has_value());
  CHECK(snapshot() == before);
  CHECK(delivered.empty());
  CHECK_FALSE(std::filesystem::exists(f.notified()));
  REQUIRE(reports.size() == 3);
  CHECK(reports[1].rules == std::vector<std::string>{"refund"});
  // What it would do, with the reply's text.
  REQUIRE(reports[1].actions.size() == 5);
  CHECK(reports[1].actions[0].at("action") == "reply");
  CHECK(reports[1].actions[0].at("outcome") == "dry_run");
  CHECK(reports[1].actions[0].at("text") == "We are on it, customer 1.");
  // And a real run afterwards still processes every message.
  auto real = apply(f, f.store(), rules, false, nullptr);
  REQUIRE(real.has_value());
  CHECK(real->processed == 3);
}

TEST_CASE("automation::apply_rules: the bot runs when no rule replied or ignored", "[automation][rules]")
{
  Fixture f;
  f.writes(1, "first");
  f.writes(1, "something else");
  auto rules = f.rules("[[rule]]\nname = \"quiet\"\nwhen = { keywords = [\"shh\"] }\nthen = { ignore = true }\n");
  f.writes(1, "shh");
  std::vector<MessageReport> reports;
  REQUIRE(apply(f, f.store(), rules, false, &reports).has_value());
  REQUIRE(reports.size() == 3);
  CHECK(reports[0].bot.empty());     // welcomed by a rule
  CHECK_FALSE(reports[1].bot.empty()); // no rule: the bot had its turn
  CHECK(reports[2].bot.empty());     // ignored
}

TEST_CASE("automation::apply_rules: a reply to a conversation another agent holds is skipped", "[automation][rules]")
{
  Fixture f;
  auto m1 = f.writes(1, "hello");
  auto conv = count(f.path(), fmt::format("SELECT conversation_id FROM messages WHERE id = {}", m1));
  REQUIRE(f.store().workflow().claim(conv, "ann", 900, false).has_value());
  std::vector<MessageReport> reports;
  REQUIRE(apply(f, f.store(), f.rules(), false, &reports).has_value());
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].actions[0].at("outcome").get<std::string>().rfind("skipped: ", 0) == 0);
  CHECK(reports[0].actions[1].at("outcome") == "done"); // the tag still happens
  CHECK(count(f.path(), "SELECT count(*) FROM outbox") == 0);
  CHECK(count(f.path(), "SELECT count(*) FROM rule_runs") == 1);
}

TEST_CASE("automation::apply_rules: {agent} in a reply is the assigned agent, never the rules actor",
          "[automation][rules]")
{
  Fixture f;
  REQUIRE(f.store().templates().put("hi", "Hi {contact.name}, {agent} here.").has_value());
  auto parsed = parse_rules("[[rule]]\nname = \"hi\"\nthen = { reply = \"hi\" }\n", "rules.toml");
  REQUIRE(parsed.problems.empty());
  REQUIRE(check_against_store(parsed, f.store()).has_value());
  REQUIRE(parsed.problems.empty());

  auto m1 = f.writes(1, "hello");
  auto conv1 = count(f.path(), fmt::format("SELECT conversation_id FROM messages WHERE id = {}", m1));
  store::AgentRow ann;
  ann.name = "ann";
  REQUIRE(f.store().team().add_agent(ann).has_value());
  REQUIRE(f.store().workflow().assign(conv1, "ann", "test", "{}").has_value());
  f.writes(2, "hello"); // nobody's conversation
  std::vector<MessageReport> reports;
  REQUIRE(apply(f, f.store(), parsed.rules, false, &reports).has_value());
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].actions[0].at("outcome") == "done");
  CHECK(reports[0].actions[0].at("text") == "Hi customer 1, ann here.");
  auto skipped = reports[1].actions[0].at("outcome").get<std::string>();
  CHECK(skipped.rfind("skipped: template 'hi' uses {agent} and conversation #", 0) == 0);
  CHECK(skipped.find("has no assigned agent") != std::string::npos);
  CHECK(count(f.path(), "SELECT count(*) FROM outbox WHERE kind = 'rule'") == 1); // the bot may answer #2
  CHECK(count(f.path(), "SELECT count(*) FROM outbox WHERE text LIKE '%rules%'") == 0);
}

TEST_CASE("automation::apply_rules: two runs at once process each message once", "[automation][rules]")
{
  Fixture f;
  for (int n = 1; n <= 20; ++n)
    f.writes(n, n % 2 ? "refund" : "hi");
  auto rules = f.rules();
  auto other = f.open(); // a second connection, as a second process would have
  std::vector<MessageReport> a, b;
  Result<ApplySummary> ra = ApplySummary{}, rb = ApplySummary{};
  std::thread t([&] { rb = apply(f, *other, rules, false, &b); });
  ra = apply(f, f.store(), rules, false, &a);
  t.join();
  REQUIRE(ra.has_value());
  REQUIRE(rb.has_value());
  CHECK(ra->processed + rb->processed == 20);
  CHECK(a.size() + b.size() == 20);
  CHECK(count(f.path(), "SELECT count(*) FROM rule_runs") == 20);
  CHECK(count(f.path(), "SELECT count(*) FROM outbox") == 20);                // a welcome each, refunds too: one reply per message
  CHECK(count(f.path(), "SELECT count(DISTINCT reply_to) FROM outbox") == 20);
  CHECK(f.notifications().size() == 10);
}

TEST_CASE("automation::apply_rules: what a killed run left behind", "[automation][rules]")
{
  Fixture f;
  auto m1 = f.writes(1, "refund");
  auto m2 = f.writes(2, "refund");
  auto rules = f.rules();
  // A process that has ended: its pid names nobody now.
  pid_t dead = -1;
  char sh[] = "true";
  char* argv[] = {sh, nullptr};
  REQUIRE(posix_spawnp(&dead, "true", nullptr, nullptr, argv, environ) == 0);
  int status = 0;
  REQUIRE(waitpid(dead, &status, 0) == dead);
  // As if a run had committed both messages and been killed: m1's command started (running, by the dead
  // process), m2's never started (pending), and m2's reply never sent.
  auto state = store::rule_state(f.store(), f.clock);
  std::string command = json(rules.rules[1].then.notify).dump();
  auto n1 = state->add_notification(m1, "refund", command, json{{"message_id", m1}}.dump());
  auto n2 = state->add_notification(m2, "refund", command, json{{"message_id", m2}}.dump());
  REQUIRE(n1.has_value());
  REQUIRE(n2.has_value());
  REQUIRE(state->start_notification(*n1, dead).has_value());
  REQUIRE(state->mark_processed(m1, "{}").has_value());
  REQUIRE(state->mark_processed(m2, "{}").has_value());
  CHECK(state->mark_processed(m2, "{}").error().kind == ErrorKind::conflict);
  auto reply = inbox::prepare_reply(f.store(), f.store().conversations().get(
                                                 count(f.path(), fmt::format("SELECT conversation_id FROM messages WHERE id = {}", m2)))->id,
                                    "We are on it", "rules");
  REQUIRE(reply.has_value());
  reply->kind = "rule";
  auto unsent = f.store().outbox().record(*reply);
  REQUIRE(unsent.has_value());

  std::vector<MessageReport> reports;
  std::vector<std::int64_t> delivered;
  auto summary = apply(f, f.store(), rules, false, &reports, &delivered);
  REQUIRE(summary.has_value());
  CHECK(reports.empty()); // both were processed
  CHECK(delivered == std::vector<std::int64_t>{*unsent}); // recorded, never sent: sent now
  REQUIRE(summary->interrupted.size() == 1);
  CHECK(summary->interrupted[0].id == *n1);
  // m2's notification ran now (it had never started); m1's is reported, never rerun.
  auto notes = f.notifications();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].at("message_id") == m2);
  CHECK(count(f.path(), fmt::format("SELECT count(*) FROM rule_notifications WHERE id = {} AND status = 'interrupted'",
                                    *n1)) == 1);
  // Reported once: a later run finds nothing more to say.
  auto again = apply(f, f.store(), rules, false, &reports, &delivered);
  REQUIRE(again.has_value());
  CHECK(again->interrupted.empty());
  CHECK(f.notifications().size() == 1);
}

}  // namespace automation_test_rules_apply
