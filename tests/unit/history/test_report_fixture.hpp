// A hand-built history for the `svc report` tests, written through the store API with a fixed clock:
// customer messages and agents' replies pulled from the platform, replies and bot answers sent through
// the outbox, resolutions by `svc resolve`. Its figures are worked out by hand in test_report.cpp.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace svc::test {

// 2026-11-18T00:00:00Z: every time in the history is D + seconds.
constexpr UnixTime k_day0 = 1794960000;

class ReportHistoryBuilder
{
public:
  explicit ReportHistoryBuilder(const std::filesystem::path& state) : clock(k_day0)
  {
    store::OpenOptions o;
    o.path = state;
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    st = std::move(*opened);
  }

  // Binds a Telegram account NAME (once).
  const domain::Account& account(const std::string& name)
  {
    if (auto it = m_accounts.find(name); it != m_accounts.end())
      return it->second;
    return m_accounts.emplace(name, bind_account(*st, name, domain::Platform::telegram, "TG_TOKEN")).first->second;
  }

  // A message pulled at D + stored_at (default: when it was written) with the platform's time D + at:
  // from customer `user` of account `acct`, or (agent non-empty) an agent's reply made on the platform.
  void pulled(const std::string& acct, const std::string& user, UnixTime at, const std::string& agent = "",
              std::optional<UnixTime> stored_at = std::nullopt)
  {
    domain::InboundMessage m;
    m.direction = agent.empty() ? domain::Direction::in : domain::Direction::out;
    m.platform_message_id = acct + ":" + user + ":" + std::to_string(++m_n);
    m.thread_key = user;
    m.author.id = user;
    m.author.name = "user " + user;
    m.agent = agent;
    m.text = "message " + std::to_string(m_n);
    m.created_at = k_day0 + at;
    m.raw = {{"id", m_n}};
    clock.set(k_day0 + stored_at.value_or(at));
    auto r = st->messages().ingest(account(acct), "updates", {m}, m.platform_message_id, store::Via::pull);
    REQUIRE(r.has_value());
    REQUIRE(r->stored == 1);
  }

  // A reply sent through the outbox by `agent` (kind "bot" for agent "bot") with this machine's clock
  // at D + at.
  void sent(const std::string& acct, const std::string& user, UnixTime at, const std::string& agent)
  {
    clock.set(k_day0 + at);
    store::OutboxItem item;
    item.account_id = account(acct).id;
    item.conversation_id = conversation(acct, user);
    item.kind = agent == "bot" ? "bot" : "reply";
    item.message.thread_key = user;
    item.message.to_user = user;
    item.message.text = "reply " + std::to_string(++m_n);
    item.agent = agent;
    auto id = st->outbox().record(item);
    REQUIRE(id.has_value());
    REQUIRE(st->outbox().begin_send(*id, false));
    REQUIRE(st->outbox().mark_sent(*id, domain::SendResult{}));
  }

  void resolve(const std::string& acct, const std::string& user, UnixTime at)
  {
    clock.set(k_day0 + at);
    REQUIRE(st->workflow().set_status(conversation(acct, user), "resolved", "ann"));
  }

  std::int64_t conversation(const std::string& acct, const std::string& user)
  {
    store::ConversationFilter f;
    f.status = "all";
    f.account_id = account(acct).id;
    f.limit = 1000;
    auto list = st->conversations().list(f);
    REQUIRE(list.has_value());
    for (const auto& c : *list)
      if (c.contact_platform_id == user)
        return c.id;
    FAIL("no conversation of " << user);
    return 0;
  }

  FixedClock clock;
  std::unique_ptr<store::Store> st;

private:
  std::map<std::string, domain::Account> m_accounts;
  int m_n = 0;
};

// The history of test_report.cpp (times are D + seconds; SLA 5m; now = D + 2 days):
//   A (tg, user a)   in 1000, in 1030, ann 1100 | in 1200, ann 1500 | resolved 2000 |
//                    in 5000 (returns: a second inquiry), bob 5600 (late) | resolved 6000 |
//                    ann 7000 (an agent writing to the resolved conversation: volume only)
//   B (tg, user b)   in 3000 (stored at 3010); bob's reply through svc at 2990 by this machine's clock
//                    (10 s behind the platform's): answered after 0 s
//   C (tg2, user c)  in 4000, resolved 4500 without a reply: abandoned
//   D (tg2, user d)  in 8000, never answered: abandoned, backlog
//   E (tg2, user e)  in D + 2d - 60 s: unanswered but within the SLA (undecided), backlog
//   F (tg, user f)   in 9000, bot 9005, silence: deflected
//   G (tg, user g)   in 10000, bot 10010, in 11000 (came back within 24 h): not deflected, backlog
//   H (tg, user h)   in 12000, bot 12002, in 12100, ann 12400: a human took over, not bot-only
constexpr UnixTime k_report_now = k_day0 + 2 * 86400;

inline void
fill_report_history(ReportHistoryBuilder& h)
{
  h.pulled("tg", "a", 1000);
  h.pulled("tg", "a", 1030);
  h.pulled("tg", "a", 1100, "ann");
  h.pulled("tg", "a", 1200);
  h.pulled("tg", "a", 1500, "ann");
  h.resolve("tg", "a", 2000);
  h.pulled("tg", "b", 3000, "", 3010);
  h.sent("tg", "b", 2990, "bob");
  h.pulled("tg2", "c", 4000);
  h.resolve("tg2", "c", 4500);
  h.pulled("tg", "a", 5000);
  h.sent("tg", "a", 5600, "bob");
  h.resolve("tg", "a", 6000);
  h.pulled("tg", "a", 7000, "ann");
  h.pulled("tg2", "d", 8000);
  h.pulled("tg", "f", 9000);
  h.sent("tg", "f", 9005, "bot");
  h.pulled("tg", "g", 10000);
  h.sent("tg", "g", 10010, "bot");
  h.pulled("tg", "g", 11000);
  h.pulled("tg", "h", 12000);
  h.sent("tg", "h", 12002, "bot");
  h.pulled("tg", "h", 12100);
  h.pulled("tg", "h", 12400, "ann");
  h.pulled("tg2", "e", 2 * 86400 - 60);
  h.clock.set(k_report_now);
}

} // namespace svc::test
