// The state file behind repository interfaces. All SQL lives in lib/svc/store; commands and other lib
// modules see only these interfaces, so a PostgreSQL backend can be added later as another
// implementation of Store without touching them.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>
#include <svc/store/contacts.hpp>
#include <svc/store/outreach.hpp>
#include <svc/store/tag_sync.hpp>
#include <svc/store/team.hpp>
#include <svc/store/templates.hpp>
#include <svc/store/workflow.hpp>

namespace svc::store {

class AccountRepository
{
public:
  virtual ~AccountRepository() = default;
  // Bound accounts (unbound ones too with include_unbound), ordered by name.
  virtual Result<std::vector<domain::Account>> list(bool include_unbound = false) = 0;
  // A bound account by name: not_found (exit 3) with a hint listing how to see the names.
  virtual Result<domain::Account> get(const std::string& name) = 0;
  // The default account (`svc account use`), or the only bound account; not_found when neither.
  virtual Result<domain::Account> get_default() = 0;
  virtual Result<domain::Account> bind(const domain::Account& account, bool make_default) = 0;
  virtual Status set_default(const std::string& name) = 0;
  // Keeps messages and conversations (the account is marked unbound and its secrets are dropped)
  // unless purge, which deletes the account and everything that belongs to it.
  virtual Status unbind(const std::string& name, bool purge) = 0;
  virtual Status set_identity(std::int64_t account_id, const std::string& platform_user_id,
                              const std::string& display_name) = 0;
};

// The result of storing one pulled (or pushed) page.
struct IngestResult {
  int received = 0;   // messages in the page
  int stored = 0;     // new ones (the rest were already there)
};

enum class Via { pull, callback };

class MessageRepository
{
public:
  virtual ~MessageRepository() = default;
  // Stores a page and the cursor that covers it atomically: contacts created or refreshed,
  // conversations created, reopened or updated, messages inserted once (unique per account and
  // platform message id). An empty `stream` stores no cursor (callbacks).
  virtual Result<IngestResult> ingest(const domain::Account& account, const std::string& stream,
                                      const std::vector<domain::InboundMessage>& messages,
                                      const std::string& cursor, Via via) = 0;
  // "" when the stream was never pulled.
  virtual Result<std::string> cursor(std::int64_t account_id, const std::string& stream) = 0;
};

struct ConversationFilter {
  std::string status = "open";  // open | pending | resolved | all ("open" lists open and pending)
  std::optional<std::int64_t> account_id;
  std::optional<domain::ChannelKind> channel;
  std::string assignee;         // "" any, "none" unassigned, else an agent name
  std::string tag;
  std::string group;
  int limit = 100;
};

struct MessageRow {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  domain::Direction direction = domain::Direction::in;
  domain::ChannelKind channel = domain::ChannelKind::dm;
  std::string author, agent, text, platform_message_id, reply_to, kind, raw;
  UnixTime created_at = 0;
};

struct ConversationRow {
  std::int64_t id = 0;
  std::string account;
  domain::Platform platform = domain::Platform::telegram;
  domain::ChannelKind channel = domain::ChannelKind::dm;
  std::string thread_key;
  std::int64_t contact_id = 0;
  std::string contact_name, contact_platform_id;
  std::string status, assignee, group;
  std::vector<std::string> tags;
  std::optional<UnixTime> waiting_since;
  UnixTime created_at = 0, updated_at = 0;
  std::optional<MessageRow> last_message;
};

class ConversationRepository
{
public:
  virtual ~ConversationRepository() = default;
  // Oldest waiting first, then the rest by last activity.
  virtual Result<std::vector<ConversationRow>> list(const ConversationFilter& filter) = 0;
  virtual Result<ConversationRow> get(std::int64_t id) = 0; // not_found (exit 3)
  virtual Result<std::vector<MessageRow>> messages(std::int64_t conversation_id) = 0;
};

// One outgoing text. Status moves pending -> sending -> sent | failed | unknown, or to cancelled.
struct OutboxItem {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string account;
  std::optional<std::int64_t> conversation_id;
  std::optional<std::int64_t> contact_id;
  std::string kind = "reply";
  std::string run_key; // kind 'send': the resumable run it belongs to (one row per contact)
  domain::Outgoing message;
  std::string agent;
  std::string status = "pending";
  int attempts = 0;
  std::string last_error;
  std::string platform_message_id;
  UnixTime created_at = 0, updated_at = 0;
  std::optional<UnixTime> sent_at;
};

class OutboxRepository
{
public:
  virtual ~OutboxRepository() = default;
  virtual Result<std::int64_t> record(const OutboxItem& item) = 0;
  virtual Result<OutboxItem> get(std::int64_t id) = 0;
  virtual Result<std::vector<OutboxItem>> list(const std::string& status) = 0; // "" = all
  // Marks the row as being sent (committed before the request goes out). Fails with conflict when it
  // is not in a state that may be sent: sent, cancelled, or (without force) sending/unknown.
  virtual Status begin_send(std::int64_t id, bool force) = 0;
  // Records success: the row, the outbound message in its conversation, and the conversation's
  // response times, in one transaction.
  virtual Status mark_sent(std::int64_t id, const domain::SendResult& result) = 0;
  virtual Status mark_failed(std::int64_t id, const std::string& error, bool outcome_unknown) = 0;
  virtual Status cancel(std::int64_t id) = 0;
};

class TokenRepository
{
public:
  virtual ~TokenRepository() = default;
  virtual Result<std::optional<std::pair<std::string, UnixTime>>> get(std::int64_t account_id) = 0;
  virtual Status put(std::int64_t account_id, const std::string& token, UnixTime expires_at) = 0;
  virtual Status clear(std::int64_t account_id) = 0;
};

// Token buckets of per-account request budgets (the arithmetic is the caller's).
struct Bucket {
  double tokens = 0;
  double updated_at = 0;
};

class BudgetRepository
{
public:
  virtual ~BudgetRepository() = default;
  virtual Result<std::optional<Bucket>> get(std::int64_t account_id, const std::string& name) = 0;
  virtual Status put(std::int64_t account_id, const std::string& name, const Bucket& bucket) = 0;
};

struct CheckReport {
  std::string integrity;     // "ok" or SQLite's first complaint
  int schema_version = 0;
  int known_version = 0;
  std::map<std::string, std::int64_t> counts; // table -> rows
  std::string journal_mode;
};

class Store
{
public:
  virtual ~Store() = default;
  virtual AccountRepository& accounts() = 0;
  virtual MessageRepository& messages() = 0;
  virtual ConversationRepository& conversations() = 0;
  virtual OutboxRepository& outbox() = 0;
  virtual TokenRepository& tokens() = 0;
  virtual BudgetRepository& budgets() = 0;
  virtual TeamRepository& team() = 0;
  virtual WorkflowRepository& workflow() = 0;
  virtual TemplateRepository& templates() = 0;
  virtual OutreachRepository& outreach() = 0;
  virtual ContactRepository& contacts() = 0;
  virtual TagSyncRepository& tag_sync() = 0;
  // Runs `work` in one write transaction taken up front (BEGIN IMMEDIATE): all of it commits, or none
  // of it when `work` returns an error. Waits for other writers up to the busy timeout (exit 7 past it).
  // `durable` (the default) syncs the commit to disk before returning; false lets a power cut lose the
  // commit (never corrupt the file): for work that is simply redone when lost, like a pulled page
  // together with its cursor, or a request budget.
  virtual Status transaction(const std::function<Status()>& work, bool durable = true) = 0;
  virtual Result<CheckReport> check() = 0;
  virtual Status vacuum() = 0;
  virtual int schema_version() const = 0;
  virtual int migrated_from() const = 0; // the version found on open (before any migration)
  virtual const std::filesystem::path& path() const = 0;
};

struct OpenOptions {
  std::filesystem::path path;
  bool create_if_missing = true;
  std::chrono::milliseconds busy_timeout{10000};
  const Clock* clock = nullptr; // required
};

// Opens (creating with mode 0600 in a 0700 directory when missing), identifies, and migrates the state
// file. Refuses (exit 7, file untouched) a file that is not an svc state file, is corrupt, or was
// written by a newer svc.
Result<std::unique_ptr<Store>> open_store(const OpenOptions& options);

int known_schema_version();

} // namespace svc::store
