// The SQLite implementation of Store (internal to lib/svc/store).
#pragma once

#include <memory>

#include <svc/store/repositories.hpp>
#include <svc/store/sqlite.hpp>
#include <svc/store/store.hpp>

namespace svc::store {

// Runs f, turning a StoreException thrown inside into its Error.
template <class F>
auto
guarded(F&& f) -> decltype(f())
{
  try {
    return f();
  } catch (const StoreException& e) {
    return e.error;
  }
}

class SqliteAccountRepository final : public AccountRepository
{
public:
  SqliteAccountRepository(Db& db, const Clock& clock) : m_db(db), m_clock(clock) {}
  Result<std::vector<domain::Account>> list(bool include_unbound) override;
  Result<domain::Account> get(const std::string& name) override;
  Result<domain::Account> get_default() override;
  Result<domain::Account> bind(const domain::Account& account, bool make_default) override;
  Status set_default(const std::string& name) override;
  Status unbind(const std::string& name, bool purge) override;
  Status set_identity(std::int64_t account_id, const std::string& platform_user_id,
                      const std::string& display_name) override;

private:
  std::vector<domain::Account> query(const std::string& where, const std::string& arg);
  std::string default_name();

  Db& m_db;
  const Clock& m_clock;
};

class SqliteStore final : public Store
{
public:
  SqliteStore(Db db, std::filesystem::path path, const Clock& clock, int migrated_from);
  AccountRepository& accounts() override { return m_accounts; }
  MessageRepository& messages() override { return m_messages; }
  ConversationRepository& conversations() override { return m_conversations; }
  OutboxRepository& outbox() override { return m_outbox; }
  TokenRepository& tokens() override { return m_tokens; }
  BudgetRepository& budgets() override { return m_budgets; }
  TeamRepository& team() override { return m_team; }
  WorkflowRepository& workflow() override { return m_workflow; }
  TemplateRepository& templates() override { return m_templates; }
  OutreachRepository& outreach() override { return m_outreach; }
  ContactRepository& contacts() override { return m_contacts; }
  TagSyncRepository& tag_sync() override { return m_tag_sync; }
  Status transaction(const std::function<Status()>& work, bool durable = true) override;
  Result<CheckReport> check() override;
  Status vacuum() override;
  int schema_version() const override;
  int migrated_from() const override { return m_migrated_from; }
  const std::filesystem::path& path() const override { return m_path; }

  Db& db() { return m_db; }

private:
  Db m_db;
  std::filesystem::path m_path;
  const Clock& m_clock;
  int m_migrated_from;
  int m_txn_depth = 0;
  SqliteAccountRepository m_accounts;
  SqliteMessageRepository m_messages;
  SqliteConversationRepository m_conversations;
  SqliteOutboxRepository m_outbox;
  SqliteTokenRepository m_tokens;
  SqliteBudgetRepository m_budgets;
  SqliteTeamRepository m_team;
  SqliteWorkflowRepository m_workflow;
  SqliteTemplateRepository m_templates;
  SqliteOutreachRepository m_outreach;
  SqliteContactRepository m_contacts;
  SqliteTagSyncRepository m_tag_sync;
};

} // namespace svc::store
