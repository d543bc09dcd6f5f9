// `svc send` in lib: the platforms' windows, the pacing arithmetic, run keys, and a run planned and
// executed on a real state file with a recording channel (the side effect, not the store, is faked):
// sent once, never resent when the outcome is unknown, refused ones retried, stopped on auth errors.
#include <catch2/catch.hpp>

#include <map>

#include <svc/inbox/pacing.hpp>
#include <svc/inbox/send.hpp>
#include <svc/inbox/send_window.hpp>

#include "support/temp_dir.hpp"
#include "unit/store/store_test_util.hpp"

namespace inbox_test_send {

using namespace svc;
using namespace svc::inbox;

namespace {

constexpr UnixTime k_now = 1795000000;
constexpr std::int64_t k_hour = 3600;

// Records every send; answers with an error for the customers in `fail_for`.
class RecordingChannel final : public channels::Channel
{
public:
  std::vector<domain::Outgoing> sent;
  std::map<std::string, Error> fail_for; // to_user -> the platform's answer
  std::function<void()> on_send;         // e.g. a fake clock moving on

  channels::Capabilities capabilities() const override { return {}; }
  std::vector<channels::Stream> streams() const override { return {}; }
  Result<channels::Page> fetch(const channels::Stream&, const std::string&, int) override { return channels::Page{}; }
  Result<domain::SendResult> send(const domain::Outgoing& message) override
  {
    sent.push_back(message);
    if (on_send)
      on_send();
    if (auto it = fail_for.find(message.to_user); it != fail_for.end())
      return it->second;
    return domain::SendResult{"pm-" + std::to_string(sent.size()), nullptr};
  }
  Result<domain::PlatformUser> verify() override { return make_error(ErrorKind::failed, "not here"); }
  Result<domain::PlatformUser> lookup_user(const std::string&, bool) override
  {
    return make_error(ErrorKind::failed, "not here");
  }
  Result<std::string> raw_call(const std::string&, const std::string&,
                               const std::vector<std::pair<std::string, std::string>>&, const std::string&) override
  {
    return make_error(ErrorKind::failed, "not here");
  }
  int count_to(const std::string& user) const
  {
    return static_cast<int>(std::count_if(sent.begin(), sent.end(), [&](auto& m) { return m.to_user == user; }));
  }
};

struct Fixture {
  test::TempDir dir;
  FixedClock clock{k_now};
  std::unique_ptr<store::Store> store;
  domain::Account account;
  RecordingChannel channel;

  explicit Fixture(domain::Platform platform, const std::string& name = "wx")
  {
    auto opened = test::open_at(dir / "state.db", clock);
    REQUIRE(opened.has_value());
    store = std::move(opened).value();
    domain::Account a;
    a.name = name;
    a.platform = platform;
    a.token = {domain::SecretRef::Source::env, "T"};
    auto bound = store->accounts().bind(a, true);
    REQUIRE(bound.has_value());
    account = *bound;
  }

  // A customer whose last private message came `ago` seconds before now; returns their contact id.
  std::int64_t customer(const std::string& uid, const std::string& name, std::int64_t ago,
                        const std::string& kind = "text")
  {
    domain::InboundMessage m;
    m.kind = kind;
    m.channel = domain::ChannelKind::dm;
    m.platform_message_id = uid + ":" + std::to_string(ago);
    m.thread_key = uid;
    m.author.id = uid;
    m.author.name = name;
    m.text = "hello from " + uid;
    m.created_at = k_now - ago;
    REQUIRE(store->messages().ingest(account, "", {m}, "", store::Via::callback).has_value());
    auto c = store->outreach().find(account.id, uid, true);
    REQUIRE(c.has_value());
    return c->id;
  }

  void sql(const std::string& statement)
  {
    test::RawDb db(dir / "state.db");
    db.exec(statement);
  }
  std::int64_t integer(const std::string& query)
  {
    test::RawDb db(dir / "state.db");
    return db.integer(query);
  }
  void tag(std::int64_t contact, const std::string& tag)
  {
    sql("INSERT OR IGNORE INTO tags (name, created_at) VALUES ('" + tag + "', 0)");
    sql("INSERT INTO contact_tags (contact_id, tag_id, created_at) SELECT " + std::to_string(contact)
        + ", id, 0 FROM tags WHERE name = '" + tag + "'");
  }

  SendRequest to_tag(const std::string& tag, const std::string& text)
  {
    SendRequest r;
    r.account = account;
    r.tag = tag;
    r.text = text;
    r.agent = "alice";
    return r;
  }
  SendPlan plan(const SendRequest& r)
  {
    auto p = plan_send(*store, r, clock.now());
    INFO((p ? "" : p.error().message));
    REQUIRE(p.has_value());
    return std::move(p).value();
  }
  void execute(SendPlan& p, const SendHooks& hooks = {})
  {
    auto done = execute_send(*store, channel, p, hooks);
    INFO((done ? "" : done.error().message));
    REQUIRE(done.has_value());
  }
};

const SendTarget&
target_for(const SendPlan& plan, std::int64_t contact)
{
  for (const auto& t : plan.targets)
    if (t.contact.id == contact)
      return t;
  FAIL("contact " << contact << " is not in the plan");
  return plan.targets.front();
}

Error
platform_error(ErrorKind kind, const std::string& message, bool unknown = false)
{
  Error e = make_error(kind, "{}", message);
  e.outcome_unknown = unknown;
  return e;
}

} // namespace

TEST_CASE("inbox::outside_send_window", "[inbox][send]")
{
  using domain::Platform;
  SECTION("WeChat and Weibo: 48 h after the last private message, the last second included")
  {
    for (auto p : {Platform::wechat, Platform::weibo}) {
      INFO(domain::to_string(p));
      REQUIRE(send_window(p) == std::chrono::seconds(48 * k_hour));
      CHECK(outside_send_window(p, k_now - 60, k_now).empty());
      CHECK(outside_send_window(p, k_now - 48 * k_hour, k_now).empty());
      CHECK(outside_send_window(p, k_now - 48 * k_hour - 1, k_now).rfind("outside the 48 h window", 0) == 0);
      CHECK(outside_send_window(p, k_now - 3 * 24 * k_hour, k_now)
            == "outside the 48 h window (last message 3d 00h ago)");
      CHECK(outside_send_window(p, std::nullopt, k_now)
            == "outside the 48 h window (never wrote a private message)");
    }
  }
  SECTION("Telegram has no window")
  {
    CHECK_FALSE(send_window(Platform::telegram).has_value());
    CHECK(outside_send_window(Platform::telegram, k_now - 400 * 24 * k_hour, k_now).empty());
    CHECK(outside_send_window(Platform::telegram, std::nullopt, k_now).empty());
  }
}

TEST_CASE("inbox::Pacer", "[inbox][send]")
{
  SECTION("sends start 1/rate apart, counted from the start of the previous one")
  {
    Pacer p(2.0); // 2/s
    CHECK(p.delay(100.0) == 0);
    p.started(100.0);
    CHECK(p.delay(100.2) == Approx(0.3));
    CHECK(p.delay(100.5) == 0);
    CHECK(p.delay(107.0) == 0); // a slow send needs no extra wait
    p.started(100.5);
    CHECK(p.delay(100.5) == Approx(0.5));
  }
  SECTION("20/min is one every 3 s; no rate is no wait")
  {
    Pacer per_minute(20.0 / 60.0);
    per_minute.started(0);
    CHECK(per_minute.delay(1.0) == Approx(2.0));
    Pacer none(0);
    none.started(0);
    CHECK(none.delay(0) == 0);
  }
}

TEST_CASE("inbox::derive_run_key", "[inbox][send]")
{
  SendRequest a;
  a.account.name = "wx";
  a.to = {"1", "2"};
  a.text = "hello";
  auto key = derive_run_key(a, {2, 1});
  CHECK(key.rfind("send-", 0) == 0);
  CHECK(key == derive_run_key(a, {1, 2, 2}));
  SendRequest other = a;
  other.text = "hello!";
  CHECK(derive_run_key(other, {1, 2}) != key);
  other = a;
  other.account.name = "wb";
  CHECK(derive_run_key(other, {1, 2}) != key);
  CHECK(derive_run_key(a, {1, 3}) != key);
  SendRequest tag = a;
  tag.to.clear();
  tag.tag = "vip";
  CHECK(derive_run_key(tag, {}) == derive_run_key(tag, {7, 8})); // a tag run covers whoever has the tag
  SendRequest tpl = tag;
  tpl.text.clear();
  tpl.template_name = "promo";
  tpl.vars = {"a=1", "b=2"};
  SendRequest swapped = tpl;
  swapped.vars = {"b=2", "a=1"};
  CHECK(derive_run_key(tpl, {}) == derive_run_key(swapped, {}));
  swapped.vars = {"b=2", "a=9"};
  CHECK(derive_run_key(tpl, {}) != derive_run_key(swapped, {}));
}

TEST_CASE("inbox::plan_send and execute_send", "[inbox][send]")
{
  SECTION("WeChat: the contact outside the 48 h window is reported, the others sent once; a rerun sends nothing")
  {
    Fixture f(domain::Platform::wechat);
    auto fresh = f.customer("o-fresh", "", 1 * k_hour);
    auto edge = f.customer("o-edge", "", 47 * k_hour);
    auto stale = f.customer("o-stale", "", 49 * k_hour);
    for (auto c : {fresh, edge, stale})
      f.tag(c, "vip");

    auto plan = f.plan(f.to_tag("vip", "新品上市"));
    REQUIRE(plan.targets.size() == 3);
    CHECK(target_for(plan, fresh).status == SendStatus::would_send);
    CHECK(target_for(plan, edge).status == SendStatus::would_send);
    CHECK(target_for(plan, stale).status == SendStatus::skipped);
    CHECK(target_for(plan, stale).reason.rfind("outside the 48 h window", 0) == 0);
    CHECK(f.integer("SELECT count(*) FROM outbox") == 0); // planning records nothing

    SECTION("an event (a follow) is not a message: it opens no 48 h window")
    {
      auto follower = f.customer("o-follower", "", 60, "event");
      f.tag(follower, "vip");
      auto with_follower = f.plan(f.to_tag("vip", "新品上市"));
      CHECK(target_for(with_follower, follower).status == SendStatus::skipped);
      CHECK(target_for(with_follower, follower).reason
            == "outside the 48 h window (never wrote a private message)");
    }

    f.execute(plan);
    CHECK(f.channel.sent.size() == 2);
    CHECK(f.channel.count_to("o-stale") == 0);
    CHECK(target_for(plan, fresh).status == SendStatus::sent);
    CHECK(target_for(plan, edge).status == SendStatus::sent);
    CHECK(send_outcome(plan).has_value());
    auto s = summarize(plan);
    CHECK((s.sent == 2 && s.skipped == 1 && s.failed == 0 && s.unknown == 0));
    // A private message without reply_to, to the customer's openid.
    CHECK(f.channel.sent[0].channel == domain::ChannelKind::dm);
    CHECK(f.channel.sent[0].reply_to.empty());
    CHECK(f.channel.sent[0].to_user == "o-fresh");
    CHECK(f.integer("SELECT count(*) FROM outbox WHERE kind = 'send' AND status = 'sent' AND run_key = '"
                    + plan.run_key + "'")
          == 2);

    auto again = f.plan(f.to_tag("vip", "新品上市"));
    CHECK(again.run_key == plan.run_key);
    CHECK(target_for(again, fresh).status == SendStatus::skipped);
    CHECK(target_for(again, fresh).reason.find("already sent") != std::string::npos);
    CHECK(target_for(again, fresh).outbox_id == target_for(plan, fresh).outbox_id);
    f.execute(again);
    CHECK(f.channel.sent.size() == 2);
    CHECK(f.integer("SELECT count(*) FROM outbox") == 2);
  }

  SECTION("the message shows in the customer's conversation but answers nothing")
  {
    Fixture f(domain::Platform::telegram, "tg");
    auto c = f.customer("501", "Nina", 2 * k_hour);
    auto before = f.store->conversations().list({});
    REQUIRE(before.has_value());
    REQUIRE(before->size() == 1);
    auto conv = before->front();
    REQUIRE(conv.waiting_since.has_value());
    SendRequest r = f.to_tag("", "a note for you");
    r.tag.clear();
    r.to = {std::to_string(c)};
    auto plan = f.plan(r);
    f.execute(plan);
    REQUIRE(target_for(plan, c).status == SendStatus::sent);
    auto after = f.store->conversations().get(conv.id);
    REQUIRE(after.has_value());
    CHECK(after->waiting_since == conv.waiting_since);
    CHECK(after->status == conv.status);
    auto messages = f.store->conversations().messages(conv.id);
    REQUIRE(messages.has_value());
    REQUIRE(messages->size() == 2);
    CHECK(messages->back().direction == domain::Direction::out);
    CHECK(messages->back().text == "a note for you");
    CHECK(messages->back().platform_message_id == "pm-1");
    CHECK(f.integer("SELECT count(*) FROM audit_log WHERE action = 'sent' AND agent = 'alice' AND conversation_id = "
                    + std::to_string(conv.id))
          == 1);
    CHECK(f.integer("SELECT conversation_id FROM outbox") == conv.id);
  }

  SECTION("a Telegram group the contact wrote in is not their private chat")
  {
    Fixture f(domain::Platform::telegram, "tg");
    domain::InboundMessage m;
    m.platform_message_id = "-100777:5";
    m.thread_key = "-100777"; // a group chat
    m.author.id = "1201";
    m.author.name = "Grouper";
    m.text = "hi all";
    m.created_at = k_now - 60;
    REQUIRE(f.store->messages().ingest(f.account, "", {m}, "", store::Via::callback).has_value());
    SendRequest r = f.to_tag("", "just for you");
    r.tag.clear();
    r.to = {"tg:1201"};
    auto plan = f.plan(r);
    REQUIRE(plan.targets.size() == 1);
    CHECK_FALSE(plan.targets[0].contact.conversation_id.has_value());
    f.execute(plan);
    REQUIRE(f.channel.sent.size() == 1);
    CHECK(f.channel.sent[0].thread_key == "1201");
    CHECK(f.channel.sent[0].to_user == "1201");
    CHECK(f.integer("SELECT count(*) FROM messages WHERE direction = 'out'") == 0); // the group's transcript
  }

  SECTION("an unknown outcome is never sent again; a refused one is tried again on the same row")
  {
    Fixture f(domain::Platform::telegram, "tg");
    auto lost = f.customer("601", "Lost", k_hour);
    auto refused = f.customer("602", "Refused", k_hour);
    f.tag(lost, "all");
    f.tag(refused, "all");
    f.channel.fail_for["601"] = platform_error(ErrorKind::temporary, "connection reset after the request", true);
    f.channel.fail_for["602"] = platform_error(ErrorKind::failed, "Forbidden: bot was blocked by the user");

    auto plan = f.plan(f.to_tag("all", "hi"));
    f.execute(plan);
    CHECK(target_for(plan, lost).status == SendStatus::unknown);
    CHECK(target_for(plan, refused).status == SendStatus::failed);
    CHECK(target_for(plan, refused).reason == "Forbidden: bot was blocked by the user");
    auto outcome = send_outcome(plan);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind == ErrorKind::temporary); // none sent: the first failure's kind
    CHECK(f.integer("SELECT count(*) FROM outbox WHERE status = 'unknown'") == 1);

    f.channel.fail_for.clear();
    auto again = f.plan(f.to_tag("all", "hi"));
    CHECK(target_for(again, lost).status == SendStatus::skipped);
    CHECK(target_for(again, lost).reason.find("outcome unknown") != std::string::npos);
    CHECK(target_for(again, refused).status == SendStatus::would_send);
    f.execute(again);
    CHECK(target_for(again, refused).status == SendStatus::sent);
    CHECK(target_for(again, refused).outbox_id == target_for(plan, refused).outbox_id);
    CHECK(f.channel.count_to("601") == 1);
    CHECK(f.channel.count_to("602") == 2);
    CHECK(send_outcome(again).has_value());
    CHECK(f.integer("SELECT attempts FROM outbox WHERE to_user = '602'") == 2);
  }

  SECTION("some sent and some failed is partial")
  {
    Fixture f(domain::Platform::telegram, "tg");
    f.tag(f.customer("701", "A", k_hour), "t");
    f.tag(f.customer("702", "B", k_hour), "t");
    f.channel.fail_for["702"] = platform_error(ErrorKind::failed, "Bad Request: chat not found");
    auto plan = f.plan(f.to_tag("t", "x"));
    f.execute(plan);
    auto outcome = send_outcome(plan);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind == ErrorKind::partial);
  }

  SECTION("an authentication error stops the run: the rest is left for the next one")
  {
    Fixture f(domain::Platform::telegram, "tg");
    std::vector<std::int64_t> ids;
    for (const char* uid : {"801", "802", "803"}) {
      ids.push_back(f.customer(uid, uid, k_hour));
      f.tag(ids.back(), "t");
    }
    f.channel.fail_for["801"] = platform_error(ErrorKind::auth, "Unauthorized");
    auto plan = f.plan(f.to_tag("t", "x"));
    f.execute(plan);
    CHECK(f.channel.sent.size() == 1);
    CHECK(target_for(plan, ids[0]).status == SendStatus::failed);
    for (auto id : {ids[1], ids[2]}) {
      CHECK(target_for(plan, id).status == SendStatus::skipped);
      CHECK(target_for(plan, id).reason.find("run the same command again") != std::string::npos);
    }
    auto outcome = send_outcome(plan);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind == ErrorKind::auth);
    CHECK(f.integer("SELECT count(*) FROM outbox") == 1);

    f.channel.fail_for.clear();
    auto again = f.plan(f.to_tag("t", "x"));
    CHECK(summarize(again).would_send == 3);
    f.execute(again);
    CHECK(summarize(again).sent == 3);
    CHECK(f.channel.sent.size() == 4);
  }

  SECTION("--rate spaces the sends (fake clock, no sleeping); an interrupted wait leaves the rest")
  {
    Fixture f(domain::Platform::telegram, "tg");
    for (const char* uid : {"901", "902", "903"})
      f.tag(f.customer(uid, uid, k_hour), "t");
    double now = 0;
    std::vector<double> waits;
    f.channel.on_send = [&] { now += 0.2; }; // each send takes 0.2 s
    SendHooks hooks;
    hooks.rate_per_second = 2.0;
    hooks.now = [&] { return now; };
    hooks.wait = [&](double s) {
      waits.push_back(s);
      now += s;
      return true;
    };

    SECTION("every send starts 0.5 s after the previous one")
    {
      auto plan = f.plan(f.to_tag("t", "x"));
      f.execute(plan, hooks);
      CHECK(summarize(plan).sent == 3);
      REQUIRE(waits.size() == 2);
      CHECK(waits[0] == Approx(0.3));
      CHECK(waits[1] == Approx(0.3));
    }
    SECTION("Ctrl-C during a wait")
    {
      hooks.wait = [&](double s) {
        waits.push_back(s);
        return false;
      };
      auto plan = f.plan(f.to_tag("t", "x"));
      f.execute(plan, hooks);
      auto s = summarize(plan);
      CHECK((s.sent == 1 && s.skipped == 2));
      CHECK(plan.interrupted);
      auto outcome = send_outcome(plan);
      REQUIRE_FALSE(outcome.has_value());
      CHECK(outcome.error().kind == ErrorKind::partial);
      CHECK(f.integer("SELECT count(*) FROM outbox") == 1);
    }
  }

  SECTION("a template is rendered for each contact; one lacking a variable is skipped")
  {
    Fixture f(domain::Platform::telegram, "tg");
    auto gold = f.customer("1001", "小雨点", k_hour);
    auto plain = f.customer("1002", "Tom", k_hour);
    f.tag(gold, "t");
    f.tag(plain, "t");
    f.sql("INSERT INTO contact_attributes (contact_id, key, value, updated_at) VALUES (" + std::to_string(gold)
          + ", 'tier', 'gold', 0)");
    REQUIRE(f.store->templates().put("promo", "{contact.name}，{agent} 为 {contact.tier} 会员准备了 {gift}").has_value());
    SendRequest r = f.to_tag("t", "");
    r.template_name = "promo";
    r.vars = {"gift=咖啡券"};
    auto plan = f.plan(r);
    CHECK(target_for(plan, gold).status == SendStatus::would_send);
    CHECK(target_for(plan, gold).text == "小雨点，alice 为 gold 会员准备了 咖啡券");
    CHECK(target_for(plan, plain).status == SendStatus::skipped);
    CHECK(target_for(plan, plain).reason == "template 'promo' needs {contact.tier}, which this contact lacks");

    SECTION("what no contact can have is an error before anything is planned")
    {
      r.vars.clear();
      auto bad = plan_send(*f.store, r, k_now);
      REQUIRE_FALSE(bad.has_value());
      CHECK(bad.error().kind == ErrorKind::usage);
      CHECK(bad.error().message == "template 'promo': unknown variable {gift}");
      r.vars = {"gift=x"};
      r.agent.clear();
      bad = plan_send(*f.store, r, k_now);
      REQUIRE_FALSE(bad.has_value());
      CHECK(bad.error().message == "template 'promo': unknown variable {agent}");
      r.template_name = "nope";
      bad = plan_send(*f.store, r, k_now);
      REQUIRE_FALSE(bad.has_value());
      CHECK(bad.error().kind == ErrorKind::not_found);
    }
  }

  SECTION("--to takes an svc id, a platform user id or ACCOUNT:ID, each contact once")
  {
    Fixture f(domain::Platform::telegram, "tg");
    auto a = f.customer("1101", "A", k_hour);
    auto b = f.customer("1102", "B", k_hour);
    auto c = f.customer("1103", "C", k_hour);
    SendRequest r = f.to_tag("", "x");
    r.tag.clear();
    r.to = {std::to_string(a), "1102", "tg:1103", "tg:1101"};
    auto plan = f.plan(r);
    REQUIRE(plan.targets.size() == 3);
    CHECK(plan.targets[0].contact.id == a);
    CHECK(plan.targets[1].contact.id == b);
    CHECK(plan.targets[2].contact.id == c);

    r.to = {"9999"};
    auto missing = plan_send(*f.store, r, k_now);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().kind == ErrorKind::not_found);
    CHECK(missing.error().message.find("9999") != std::string::npos);
  }

  SECTION("a bad request is a usage error; an unknown tag is not found")
  {
    Fixture f(domain::Platform::telegram, "tg");
    SendRequest r = f.to_tag("vip", "x");
    r.to = {"1"};
    CHECK(plan_send(*f.store, r, k_now).error().kind == ErrorKind::usage);
    r = f.to_tag("vip", "");
    CHECK(plan_send(*f.store, r, k_now).error().kind == ErrorKind::usage);
    r = f.to_tag("vip", "x");
    r.vars = {"a=1"};
    CHECK(plan_send(*f.store, r, k_now).error().kind == ErrorKind::usage);
    r = f.to_tag("no-such-tag", "x");
    CHECK(plan_send(*f.store, r, k_now).error().kind == ErrorKind::not_found);
  }
}

}  // namespace inbox_test_send
