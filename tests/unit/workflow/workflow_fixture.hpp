// A real state file with a roster and a waiting backlog, for the assignment tests: agents ann, ben, cat
// and dan, conversations c1..c6 waiting from T-600 to T-100 (oldest first), and ben (2 chats, last assigned
// T-1000) and ann (1 chat, T-2000) already holding conversations.
#pragma once

#include <catch2/catch.hpp>

#include <memory>

#include <svc/store/store.hpp>

#include "support/temp_dir.hpp"

namespace svc::test {

class Floor
{
public:
  static constexpr UnixTime T = 1795000000;

  Floor();
  store::Store& store() { return *m_store; }
  FixedClock& clock() { return m_clock; }
  std::string path() const { return (m_dir / "state.db").string(); }

  // The conversation of customer `n` (1..6 are the backlog, 7..9 the pre-assigned ones).
  std::int64_t conversation(int n) const { return m_conversations.at(static_cast<std::size_t>(n - 1)); }
  // An answer by `agent` in conversation `n`, sent through the outbox.
  void answered_by(int n, const std::string& agent);
  void tag_contact(int n, const std::string& tag);
  // Customer `n` writes again (at the current time).
  void writes_again(int n);
  // Customers `a` and `b` are one person (as `svc contact link` records it).
  void link(int a, int b);
  // Who holds conversation `n` now ("" for nobody).
  std::string assignee(int n);

private:
  std::int64_t customer_writes(int n, UnixTime at, const std::string& message_id);
  void sql(const std::string& statements);

  TempDir m_dir;
  FixedClock m_clock{T};
  std::unique_ptr<store::Store> m_store;
  domain::Account m_account;
  std::vector<std::int64_t> m_conversations;
};

} // namespace svc::test
