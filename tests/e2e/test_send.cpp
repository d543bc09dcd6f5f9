// The real svc binary sending proactive messages through a real `svc sandbox serve`: a tag across a
// WeChat account reaches the contact inside the 48 h window and reports the one outside it; a run
// killed between two sends, run again, sends to the rest and to no one twice; a send whose outcome is
// unknown is never repeated by a rerun; --dry-run changes nothing; `reply --template` renders
// {contact.name} and {agent}.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <thread>

#include "support/sandbox_process.hpp"
#include "support/spawn.hpp"

namespace e2e_test_send {

using namespace svc::test;
using nlohmann::json;

namespace {

constexpr std::int64_t k_day = 24 * 3600;

// svc running in the background (posix_spawn with an explicit environment), killed when the test says.
class Background
{
public:
  Background(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env)
    : m_pid(spawn_svc(args, extra_env, {"/dev/null", m_dir / "stdout", m_dir / "stderr"}))
  {
  }
  ~Background() { kill_now(); }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  bool running()
  {
    if (m_pid > 0 && waitpid(m_pid, nullptr, WNOHANG) == m_pid)
      m_pid = -1; // exited (and reaped)
    return m_pid > 0;
  }
  // SIGKILL: as a crash or a power cut would end it, with no chance to clean up.
  void kill_now()
  {
    if (m_pid <= 0)
      return;
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }
  std::string err() const { return read_file(m_dir / "stderr"); }

private:
  TempDir m_dir;
  pid_t m_pid = -1;
};

// Polls `done` until it holds (true) or 60 s pass (false).
template <class F>
bool
eventually(F done)
{
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// How many messages with `text` the sandbox received for each recipient.
std::map<std::string, int>
received(const SandboxProcess& sandbox, const std::string& text)
{
  std::map<std::string, int> out;
  for (const auto& s : sandbox.sent())
    if (s.at("text") == text)
      ++out[s.at("to").get<std::string>()];
  return out;
}

// Tags contacts with `tag` (there is no `svc tag` yet): those of ACCOUNT matching `where`.
void
tag_contacts(const SvcHome& home, const std::string& tag, const std::string& account, const std::string& where)
{
  home.exec_sql("INSERT OR IGNORE INTO tags (name, created_at) VALUES ('" + tag + "', 0)");
  home.exec_sql("INSERT INTO contact_tags (contact_id, tag_id, created_at) SELECT c.id, t.id, 0 FROM contacts c"
                " JOIN accounts a ON a.id = c.account_id, tags t WHERE t.name = '" + tag + "' AND a.name = '"
                + account + "' AND (" + where + ")");
}

const json&
row_for(const json& rows, std::int64_t contact)
{
  for (const auto& r : rows)
    if (r.at("contact").at("id") == contact)
      return r;
  FAIL("contact " << contact << " is not in " << rows.dump());
  return rows;
}

std::vector<std::string>
send_args(const std::vector<std::string>& extra)
{
  std::vector<std::string> args = {"--format", "json", "--as", "alice", "send"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

} // namespace

TEST_CASE("e2e::send to a tag on WeChat: inside the 48 h window sent, outside reported", "[e2e][send]")
{
  SandboxProcess sandbox({.seed = 301, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind("wechat", "wx", sandbox.url());
  // A fan who writes now (inside the window), and another whose last message svc dates three days back.
  std::string fresh_from;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      fresh_from = m.at("from");
  auto injected = sandbox.inject("wechat", "dm", fresh_from, "e2e: 有新品吗？");
  std::string fresh_openid = injected.at("from_id");
  REQUIRE(home.run({"pull"}).code == 0);
  std::int64_t fresh = home.query_int("SELECT id FROM contacts WHERE platform_user_id = '" + fresh_openid + "'");
  std::int64_t stale = home.query_int("SELECT c.id FROM contacts c JOIN accounts a ON a.id = c.account_id"
                                      " WHERE a.name = 'wx' AND c.id <> " + std::to_string(fresh) + " ORDER BY c.id");
  REQUIRE(fresh > 0);
  REQUIRE(stale > 0);
  home.exec_sql("UPDATE messages SET created_at = created_at - " + std::to_string(3 * k_day)
                + " WHERE contact_id = " + std::to_string(stale));
  home.exec_sql("UPDATE contacts SET last_inbound_at = last_inbound_at - " + std::to_string(3 * k_day)
                + " WHERE id = " + std::to_string(stale));
  tag_contacts(home, "vip", "wx", "c.id IN (" + std::to_string(fresh) + ", " + std::to_string(stale) + ")");
  const std::string text = "e2e: 会员日 8 折";
  auto sent_before = sandbox.sent().size();

  SECTION("--dry-run prints the plan and changes nothing")
  {
    auto o = home.run(send_args({"--tag", "vip", "--account", "wx", "--text", text, "--dry-run"}));
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto rows = json::parse(o.out);
    REQUIRE(rows.size() == 2);
    CHECK(row_for(rows, fresh).at("status") == "would_send");
    CHECK(row_for(rows, fresh).at("text") == text);
    CHECK(row_for(rows, stale).at("status") == "skipped");
    CHECK(row_for(rows, stale).at("reason").get<std::string>().rfind("outside the 48 h window", 0) == 0);
    CHECK(o.err.find("dry run") != std::string::npos);
    CHECK(sandbox.sent().size() == sent_before);
    CHECK(home.query_int("SELECT count(*) FROM outbox") == 0);
    CHECK(home.query_int("SELECT count(*) FROM messages WHERE via = 'outbox'") == 0);
  }

  SECTION("one sent through message/custom/send, one reported; running it again sends nothing")
  {
    auto o = home.run(send_args({"--tag", "vip", "--account", "wx", "--text", text}));
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto rows = json::parse(o.out);
    REQUIRE(rows.size() == 2);
    CHECK(row_for(rows, fresh).at("status") == "sent");
    CHECK(row_for(rows, fresh).at("outbox_id").is_number_integer());
    CHECK(row_for(rows, stale).at("status") == "skipped");
    CHECK(row_for(rows, stale).at("outbox_id").is_null());
    CHECK(row_for(rows, stale).at("reason").get<std::string>().find("outside the 48 h window") != std::string::npos);
    CHECK(o.err.find("sent 1, skipped 1, failed 0, unknown 0") != std::string::npos);

    auto sent = sandbox.sent();
    REQUIRE(sent.size() == sent_before + 1);
    CHECK(sent.back().at("platform") == "wechat");
    CHECK(sent.back().at("endpoint") == "/cgi-bin/message/custom/send");
    CHECK(sent.back().at("to") == fresh_openid);
    CHECK(sent.back().at("text") == text);
    auto outbox = home.json({"outbox", "list"});
    REQUIRE(outbox.size() == 1);
    CHECK(outbox[0].at("kind") == "send");
    CHECK(outbox[0].at("status") == "sent");
    CHECK(outbox[0].at("agent") == "alice");

    auto again = home.run(send_args({"--tag", "vip", "--account", "wx", "--text", text}));
    INFO(describe(again));
    REQUIRE(again.code == 0);
    auto rerun = json::parse(again.out);
    CHECK(row_for(rerun, fresh).at("status") == "skipped");
    CHECK(row_for(rerun, fresh).at("reason").get<std::string>().find("already sent") != std::string::npos);
    CHECK(sandbox.sent().size() == sent_before + 1);
    CHECK(home.json({"outbox", "list"}).size() == 1);
  }
}

TEST_CASE("e2e::send killed between two sends, run again, reaches everyone exactly once", "[e2e][send]")
{
  SandboxProcess sandbox({.seed = 302, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  REQUIRE(home.run({"pull"}).code == 0);
  tag_contacts(home, "promo", "tg", "c.id IN (SELECT c2.id FROM contacts c2 ORDER BY c2.id LIMIT 4)");
  REQUIRE(home.query_int("SELECT count(*) FROM contact_tags") == 4);
  const std::string text = "e2e: resumable promo";

  // One send a minute: after the first the run sleeps, and is killed there.
  {
    Background run(send_args({"--tag", "promo", "--account", "tg", "--text", text, "--rate", "1/min"}), home.env());
    bool first_sent = eventually([&] {
      return home.query_int("SELECT count(*) FROM outbox WHERE status = 'sent'") == 1 || !run.running();
    });
    INFO(run.err());
    REQUIRE(first_sent);
    REQUIRE(run.running()); // still waiting for its second send
    run.kill_now();
  }
  REQUIRE(received(sandbox, text).size() == 1);
  CHECK(home.query_int("SELECT count(*) FROM outbox") == 1);

  auto o = home.run(send_args({"--tag", "promo", "--account", "tg", "--text", text}));
  INFO(describe(o));
  REQUIRE(o.code == 0);
  auto rows = json::parse(o.out);
  REQUIRE(rows.size() == 4);
  int sent = 0, already = 0;
  for (const auto& r : rows) {
    if (r.at("status") == "sent")
      ++sent;
    else if (r.at("status") == "skipped" && r.at("reason").get<std::string>().find("already sent") != std::string::npos)
      ++already;
  }
  CHECK(sent == 3);
  CHECK(already == 1);
  auto per_chat = received(sandbox, text);
  CHECK(per_chat.size() == 4);
  for (const auto& [to, n] : per_chat) {
    INFO(to);
    CHECK(n == 1);
  }
  CHECK(home.query_int("SELECT count(*) FROM outbox WHERE kind = 'send' AND status = 'sent'") == 4);
}

TEST_CASE("e2e::a send whose outcome is unknown is not repeated by a rerun", "[e2e][send][faults]")
{
  // Same seed, same world: pull from the healthy sandbox, send through the one that breaks every
  // connection after the send, then rerun against the healthy one.
  SandboxProcess healthy({.seed = 303, .world_size = 60, .faults = ""});
  SandboxProcess failing({.seed = 303, .world_size = 60, .faults = "reset_after_send=1"});
  SvcHome home(healthy);
  home.bind("telegram", "tg", healthy.url());
  REQUIRE(home.run({"pull"}).code == 0);
  tag_contacts(home, "t", "tg", "c.id IN (SELECT c2.id FROM contacts c2 ORDER BY c2.id LIMIT 2)");
  const std::string text = "e2e: did this arrive?";
  home.exec_sql("UPDATE accounts SET base_url = '" + failing.url() + "'");

  auto o = home.run(send_args({"--tag", "t", "--account", "tg", "--text", text}));
  INFO(describe(o));
  CHECK(o.code == 5); // none confirmed: the failure's own kind (temporary)
  auto rows = json::parse(o.out);
  REQUIRE(rows.size() == 2);
  for (const auto& r : rows)
    CHECK(r.at("status") == "unknown");
  CHECK(received(failing, text).size() == 2);

  home.exec_sql("UPDATE accounts SET base_url = '" + healthy.url() + "'");
  auto again = home.run(send_args({"--tag", "t", "--account", "tg", "--text", text}));
  INFO(describe(again));
  CHECK(again.code == 0);
  for (const auto& r : json::parse(again.out)) {
    CHECK(r.at("status") == "skipped");
    CHECK(r.at("reason").get<std::string>().find("outcome unknown") != std::string::npos);
  }
  CHECK(received(healthy, text).empty());
  CHECK(home.query_int("SELECT count(*) FROM outbox WHERE status = 'unknown'") == 2);
}

TEST_CASE("e2e::reply --template renders the customer's name and the agent", "[e2e][send][reply]")
{
  SandboxProcess sandbox({.seed = 304, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  REQUIRE(home.run({"pull"}).code == 0);
  auto list = home.json({"inbox", "--account", "tg", "--channel", "dm"});
  REQUIRE_FALSE(list.empty());
  auto conv = list[0];
  std::string id = std::to_string(conv.at("id").get<std::int64_t>());
  std::string name = conv.at("contact").at("name");
  REQUIRE_FALSE(name.empty());
  auto added = home.run({"template", "add", "greet", "您好 {contact.name}，我是 {agent}。订单 {order} 已发货 {{svc}}"});
  INFO(describe(added));
  REQUIRE(added.code == 0);

  SECTION("rendered and sent")
  {
    auto o = home.run({"--format", "json", "--as", "alice", "reply", id, "--template", "greet", "--var", "order=A-17"});
    INFO(describe(o));
    REQUIRE(o.code == 0);
    std::string expected = "您好 " + name + "，我是 alice。订单 A-17 已发货 {svc}";
    CHECK(json::parse(o.out).at("text") == expected);
    auto sent = sandbox.sent();
    REQUIRE_FALSE(sent.empty());
    CHECK(sent.back().at("text") == expected);
  }

  SECTION("a variable without a value is a usage error and sends nothing")
  {
    auto before = sandbox.sent().size();
    auto o = home.run({"--as", "alice", "reply", id, "--template", "greet"});
    INFO(describe(o));
    CHECK(o.code == 2);
    CHECK(o.err.rfind("svc: error: template 'greet': unknown variable {order}", 0) == 0);
    CHECK(o.err.find("--var order=VALUE") != std::string::npos);
    auto no_agent = home.run({"reply", id, "--template", "greet", "--var", "order=1"});
    INFO(describe(no_agent));
    CHECK(no_agent.code == 2);
    CHECK(no_agent.err.find("unknown variable {agent}") != std::string::npos);
    CHECK(sandbox.sent().size() == before);
    CHECK(home.query_int("SELECT count(*) FROM outbox") == 0);
  }
}

}  // namespace e2e_test_send
