#include "workflow_fixture.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include "support/store_accounts.hpp"

namespace svc::test {

Floor::Floor()
{
  store::OpenOptions o;
  o.path = m_dir / "state.db";
  o.clock = &m_clock;
  auto opened = store::open_store(o);
  REQUIRE(opened.has_value());
  m_store = std::move(*opened);
  m_account = bind_account(*m_store, "tg", domain::Platform::telegram, "TOKEN");

  auto agent = [&](const std::string& name, int max, std::vector<std::string> skills, const std::string& status) {
    store::AgentRow row;
    row.name = name;
    row.max_chats = max;
    row.skills = std::move(skills);
    row.status = status;
    REQUIRE(m_store->team().add_agent(row).has_value());
  };
  agent("ann", 3, {"billing"}, "online");
  agent("ben", 5, {}, "online");
  agent("cat", 1, {"billing", "vip"}, "online");
  agent("dan", 5, {"billing"}, "offline");

  for (int n = 1; n <= 6; ++n)
    m_conversations.push_back(customer_writes(n, T - 700 + 100 * n, fmt::format("m{}", n)));
  for (int n = 7; n <= 9; ++n)
    m_conversations.push_back(customer_writes(n, T - 3000, fmt::format("m{}", n)));
  // Earlier assignments: ann took one at T-2000, ben two at T-1000.
  m_clock.set(T - 2000);
  REQUIRE(m_store->workflow().assign(conversation(7), "ann", "lead", "{}").has_value());
  m_clock.set(T - 1000);
  REQUIRE(m_store->workflow().assign(conversation(8), "ben", "lead", "{}").has_value());
  REQUIRE(m_store->workflow().assign(conversation(9), "ben", "lead", "{}").has_value());
  m_clock.set(T);
}

std::int64_t
Floor::customer_writes(int n, UnixTime at, const std::string& message_id)
{
  domain::InboundMessage m;
  m.platform_message_id = message_id;
  m.thread_key = fmt::format("{}", 100 + n);
  m.author.id = m.thread_key;
  m.author.name = fmt::format("customer {}", n);
  m.text = fmt::format("question {}", n);
  m.created_at = at;
  m.raw = {{"id", n}};
  auto r = m_store->messages().ingest(m_account, "updates", {m}, m.platform_message_id, store::Via::pull);
  REQUIRE(r.has_value());
  store::ConversationFilter all;
  all.status = "all";
  all.limit = 1000;
  auto convs = m_store->conversations().list(all);
  REQUIRE(convs.has_value());
  for (const auto& c : *convs)
    if (c.contact_platform_id == m.author.id)
      return c.id;
  FAIL("no conversation for customer " << n);
  return 0;
}

void
Floor::answered_by(int n, const std::string& agent)
{
  auto item = store::OutboxItem{};
  item.account_id = m_account.id;
  item.account = m_account.name;
  item.conversation_id = conversation(n);
  item.agent = agent;
  item.message.channel = domain::ChannelKind::dm;
  item.message.thread_key = fmt::format("{}", 100 + n);
  item.message.to_user = item.message.thread_key;
  item.message.text = "an answer";
  auto id = m_store->outbox().record(item);
  REQUIRE(id.has_value());
  REQUIRE(m_store->outbox().begin_send(*id, false).has_value());
  REQUIRE(m_store->outbox().mark_sent(*id, {fmt::format("sent-{}", *id), {}}).has_value());
}

void
Floor::writes_again(int n)
{
  customer_writes(n, m_clock.now(), fmt::format("m{}-again-{}", n, m_clock.now()));
}

// Test set-up through a second connection, as another process would write it: for rows whose commands
// arrive with the contacts work (`svc tag`, `svc contact link`).
void
Floor::sql(const std::string& statements)
{
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path().c_str(), &db) == SQLITE_OK);
  int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  INFO(statements);
  REQUIRE(rc == SQLITE_OK);
}

void
Floor::tag_contact(int n, const std::string& tag)
{
  auto conv = m_store->conversations().get(conversation(n));
  REQUIRE(conv.has_value());
  sql(fmt::format("INSERT OR IGNORE INTO tags (name, created_at) VALUES ('{0}', 0);"
                  "INSERT INTO contact_tags (contact_id, tag_id, created_at) SELECT {1}, id, 0 FROM tags WHERE name = '{0}';",
                  tag, conv->contact_id));
}

void
Floor::link(int a, int b)
{
  auto ca = m_store->conversations().get(conversation(a));
  auto cb = m_store->conversations().get(conversation(b));
  REQUIRE(ca.has_value());
  REQUIRE(cb.has_value());
  sql(fmt::format("INSERT INTO persons (id, created_at) VALUES (900, 0);"
                  "UPDATE contacts SET person_id = 900 WHERE id IN ({}, {});",
                  ca->contact_id, cb->contact_id));
}

std::string
Floor::assignee(int n)
{
  auto conv = m_store->conversations().get(conversation(n));
  REQUIRE(conv.has_value());
  return conv->assignee;
}

} // namespace svc::test
