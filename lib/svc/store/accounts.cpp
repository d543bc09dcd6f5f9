// AccountRepository on SQLite.
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

using domain::SecretRef;

constexpr const char* k_columns =
  "id, name, platform, base_url, token_source, token_ref, app_id, secret_source, secret_ref, "
  "callback_source, callback_ref, webhook_source, webhook_ref, platform_user_id, display_name, "
  "created_at, unbound_at, request_rate";

std::string_view
source_name(SecretRef::Source s)
{
  switch (s) {
  case SecretRef::Source::none: return "none";
  case SecretRef::Source::env: return "env";
  case SecretRef::Source::file: return "file";
  case SecretRef::Source::value: return "value";
  }
  return "none";
}

SecretRef
read_secret(const Stmt& s, int source_col, int ref_col)
{
  std::string source = s.col_text(source_col);
  SecretRef ref;
  ref.ref = s.col_text(ref_col);
  if (source == "env")
    ref.source = SecretRef::Source::env;
  else if (source == "file")
    ref.source = SecretRef::Source::file;
  else if (source == "value")
    ref.source = SecretRef::Source::value;
  return ref;
}

Error
no_such_account(const std::string& name)
{
  return make_error(ErrorKind::not_found, "no account named '{}'", name)
    .with_hint("`svc account list` shows the bound accounts");
}

} // namespace

std::string
SqliteAccountRepository::default_name()
{
  Stmt s = m_db.prepare("SELECT value FROM settings WHERE key = 'default_account'");
  return s.step() ? s.col_text(0) : std::string();
}

std::vector<domain::Account>
SqliteAccountRepository::query(const std::string& where, const std::string& arg)
{
  Stmt s = m_db.prepare(std::string("SELECT ") + k_columns + " FROM accounts " + where
                        + " ORDER BY name, id");
  if (!arg.empty())
    s.bind(1, arg);
  std::string def = default_name();
  std::vector<domain::Account> out;
  while (s.step()) {
    domain::Account a;
    a.id = s.col_int(0);
    a.name = s.col_text(1);
    a.platform = domain::parse_platform(s.col_text(2)).value_or(domain::Platform::telegram);
    a.base_url = s.col_text(3);
    a.token = read_secret(s, 4, 5);
    a.app_id = s.col_text(6);
    a.secret = read_secret(s, 7, 8);
    a.callback_token = read_secret(s, 9, 10);
    a.webhook_secret = read_secret(s, 11, 12);
    a.platform_user_id = s.col_text(13);
    a.display_name = s.col_text(14);
    a.created_at = s.col_int(15);
    a.is_default = s.col_null(16) && a.name == def;
    if (!s.col_null(17))
      a.request_rate = s.col_double(17);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<domain::Account>>
SqliteAccountRepository::list(bool include_unbound)
{
  return guarded([&]() -> Result<std::vector<domain::Account>> {
    return query(include_unbound ? "" : "WHERE unbound_at IS NULL", "");
  });
}

Result<domain::Account>
SqliteAccountRepository::get(const std::string& name)
{
  return guarded([&]() -> Result<domain::Account> {
    auto found = query("WHERE unbound_at IS NULL AND name = ?1", name);
    if (found.empty())
      return no_such_account(name);
    return found.front();
  });
}

Result<domain::Account>
SqliteAccountRepository::get_default()
{
  return guarded([&]() -> Result<domain::Account> {
    std::string def = default_name();
    if (!def.empty()) {
      auto found = query("WHERE unbound_at IS NULL AND name = ?1", def);
      if (!found.empty())
        return found.front();
    }
    auto all = query("WHERE unbound_at IS NULL", "");
    if (all.size() == 1)
      return all.front();
    if (all.empty())
      return make_error(ErrorKind::not_found, "no account is bound")
        .with_hint("bind one with `svc account bind PLATFORM NAME --token-env VAR`");
    return make_error(ErrorKind::usage, "several accounts are bound and none is the default")
      .with_hint("name one with --account NAME, or set a default with `svc account use NAME`");
  });
}

Result<domain::Account>
SqliteAccountRepository::bind(const domain::Account& a, bool make_default)
{
  return guarded([&]() -> Result<domain::Account> {
    if (!query("WHERE unbound_at IS NULL AND name = ?1", a.name).empty())
      return make_error(ErrorKind::usage, "an account named '{}' is already bound", a.name)
        .with_hint(fmt::format("choose another name, or `svc account unbind {}` first", a.name));
    Stmt s = m_db.prepare(
      "INSERT INTO accounts (name, platform, base_url, token_source, token_ref, app_id, secret_source,"
      " secret_ref, callback_source, callback_ref, webhook_source, webhook_ref, created_at, request_rate)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    s.bind(1, a.name).bind(2, domain::to_string(a.platform)).bind_text_or_null(3, a.base_url);
    s.bind(4, source_name(a.token.source)).bind_text_or_null(5, a.token.ref);
    s.bind_text_or_null(6, a.app_id);
    s.bind(7, source_name(a.secret.source)).bind_text_or_null(8, a.secret.ref);
    s.bind(9, source_name(a.callback_token.source)).bind_text_or_null(10, a.callback_token.ref);
    s.bind(11, source_name(a.webhook_secret.source)).bind_text_or_null(12, a.webhook_secret.ref);
    s.bind(13, m_clock.now()).bind(14, a.request_rate);
    s.exec();
    if (make_default) {
      Stmt d = m_db.prepare("INSERT INTO settings (key, value) VALUES ('default_account', ?1)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      d.bind(1, a.name).exec();
    }
    return query("WHERE unbound_at IS NULL AND name = ?1", a.name).front();
  });
}

Status
SqliteAccountRepository::set_default(const std::string& name)
{
  return guarded([&]() -> Status {
    if (query("WHERE unbound_at IS NULL AND name = ?1", name).empty())
      return no_such_account(name);
    Stmt d = m_db.prepare("INSERT INTO settings (key, value) VALUES ('default_account', ?1)"
                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    d.bind(1, name).exec();
    return {};
  });
}

Status
SqliteAccountRepository::unbind(const std::string& name, bool purge)
{
  return guarded([&]() -> Status {
    auto found = query("WHERE unbound_at IS NULL AND name = ?1", name);
    if (found.empty())
      return no_such_account(name);
    std::int64_t id = found.front().id;
    if (purge) {
      // Foreign keys cascade to cursors, contacts, conversations, messages, outbox.
      m_db.prepare("DELETE FROM accounts WHERE id = ?1").bind(1, id).exec();
    } else {
      // Secrets go; history, contacts and conversations stay with the account id.
      m_db
        .prepare("UPDATE accounts SET unbound_at = ?2, token_source = 'none', token_ref = NULL,"
                 " secret_source = 'none', secret_ref = NULL, callback_source = 'none',"
                 " callback_ref = NULL, webhook_source = 'none', webhook_ref = NULL WHERE id = ?1")
        .bind(1, id)
        .bind(2, m_clock.now())
        .exec();
      m_db.prepare("DELETE FROM access_tokens WHERE account_id = ?1").bind(1, id).exec();
    }
    m_db.prepare("DELETE FROM settings WHERE key = 'default_account' AND value = ?1").bind(1, name).exec();
    return {};
  });
}

Status
SqliteAccountRepository::set_identity(std::int64_t account_id, const std::string& platform_user_id,
                                      const std::string& display_name)
{
  return guarded([&]() -> Status {
    m_db.prepare("UPDATE accounts SET platform_user_id = ?2, display_name = ?3 WHERE id = ?1")
      .bind(1, account_id)
      .bind_text_or_null(2, platform_user_id)
      .bind_text_or_null(3, display_name)
      .exec();
    return {};
  });
}

} // namespace svc::store
