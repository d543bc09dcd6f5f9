// The ceiling for `svc pull`'s storage: plain batched SQLite inserts of the rows a pull stored.
//
//   plain_insert --from PULLED.db --to FRESH.db [--batch weibo=200,telegram=100,wechat=10000]
//                [--durable telegram] [--synchronous off]
//
// Reads every message a pull stored in PULLED.db (and the contacts and conversations they reference)
// into memory, untimed. Then opens FRESH.db through svc::store::open_store, so the schema, indexes,
// triggers and pragmas (WAL, synchronous=FULL, foreign_keys=ON) are exactly svc's, copies the accounts
// rows (untimed; the foreign keys need them), and times this: per account, in pull order, batches of
// that platform's page size, each batch one BEGIN IMMEDIATE ... COMMIT holding the contacts and
// conversations first referenced by the batch followed by its messages, all with one prepared
// INSERT per table and every column copied as stored. That is what a pull commits per page, minus the
// upserts, the conversation updates, the HTTP and the JSON: the best any ingest of these rows into
// this schema with these commits can do.
//
// Commits are synced like the pull's: a page of a platform named in --durable (default telegram, whose
// next getUpdates confirms the page: channels::Stream::next_fetch_confirms) commits with
// synchronous=FULL (an fsync), any other page with synchronous=NORMAL (WAL: no fsync), as
// SqliteStore::transaction(work, false) does. --synchronous off commits every page with no fsync at all
// (not what svc does: this machine's CPU ceiling for these rows).
//
// Prints one JSON line: {"messages":N,"contacts":N,"conversations":N,"commits":N,"seconds":S,"cpu_seconds":C}
// (C: user + system CPU of the timed part).
// Exit 1 with a message on stderr on any SQLite error; exit 2 on bad arguments.
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/store/sqlite_store.hpp>
#include <svc/store/store.hpp>

namespace {

// One column value as SQLite returned it.
struct Value {
  int type = SQLITE_NULL;
  std::int64_t i = 0;
  double d = 0;
  std::string s;
};

using Row = std::vector<Value>;

struct Table {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

[[noreturn]] void
die(sqlite3* db, const std::string& what)
{
  std::fprintf(stderr, "plain_insert: %s: %s\n", what.c_str(), db ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

void
check(sqlite3* db, int rc, const std::string& what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    die(db, what);
}

Table
read_table(sqlite3* db, const std::string& sql)
{
  sqlite3_stmt* st = nullptr;
  check(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), sql);
  Table t;
  int n = sqlite3_column_count(st);
  for (int c = 0; c < n; ++c)
    t.columns.emplace_back(sqlite3_column_name(st, c));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    Row row(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) {
      Value& v = row[static_cast<std::size_t>(c)];
      v.type = sqlite3_column_type(st, c);
      if (v.type == SQLITE_INTEGER)
        v.i = sqlite3_column_int64(st, c);
      else if (v.type == SQLITE_FLOAT)
        v.d = sqlite3_column_double(st, c);
      else if (v.type != SQLITE_NULL)
        v.s.assign(static_cast<const char*>(sqlite3_column_blob(st, c)),
                   static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
    }
    t.rows.push_back(std::move(row));
  }
  check(db, rc, sql);
  sqlite3_finalize(st);
  return t;
}

std::string
insert_sql(const std::string& table, const Table& t)
{
  std::string cols, params;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    cols += (c ? ", " : "") + t.columns[c];
    params += (c ? ", ?" : "?") + std::to_string(c + 1);
  }
  return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ")";
}

void
insert_row(sqlite3* db, sqlite3_stmt* st, const Row& row)
{
  for (std::size_t c = 0; c < row.size(); ++c) {
    const Value& v = row[c];
    int i = static_cast<int>(c + 1);
    if (v.type == SQLITE_INTEGER)
      sqlite3_bind_int64(st, i, v.i);
    else if (v.type == SQLITE_FLOAT)
      sqlite3_bind_double(st, i, v.d);
    else if (v.type == SQLITE_TEXT)
      sqlite3_bind_text(st, i, v.s.data(), static_cast<int>(v.s.size()), SQLITE_STATIC);
    else if (v.type == SQLITE_BLOB)
      sqlite3_bind_blob(st, i, v.s.data(), static_cast<int>(v.s.size()), SQLITE_STATIC);
    else
      sqlite3_bind_null(st, i);
  }
  if (sqlite3_step(st) != SQLITE_DONE)
    die(db, "insert");
  sqlite3_reset(st);
}

std::size_t
column(const Table& t, const char* name)
{
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c] == name)
      return c;
  std::fprintf(stderr, "plain_insert: no column %s\n", name);
  std::exit(1);
}

// "weibo=200,telegram=100,wechat=10000" or one number for every platform.
std::map<std::string, int>
parse_batches(const std::string& spec)
{
  std::map<std::string, int> out;
  if (spec.find('=') == std::string::npos) {
    int n = std::atoi(spec.c_str());
    for (const char* p : {"weibo", "telegram", "wechat"})
      out[p] = n;
    return out;
  }
  std::size_t pos = 0;
  while (pos < spec.size()) {
    std::size_t end = spec.find(',', pos);
    if (end == std::string::npos)
      end = spec.size();
    std::string item = spec.substr(pos, end - pos);
    std::size_t eq = item.find('=');
    if (eq != std::string::npos)
      out[item.substr(0, eq)] = std::atoi(item.c_str() + eq + 1);
    pos = end + 1;
  }
  return out;
}

// User + system CPU seconds of this process so far (the machine may be shared: wall time alone says little).
double
cpu_seconds()
{
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int
main(int argc, char** argv)
{
  std::string from, to, batch_spec = "weibo=200,telegram=100,wechat=10000", durable_spec = "telegram";
  bool sync_off = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--from")
      from = argv[i + 1];
    else if (a == "--to")
      to = argv[i + 1];
    else if (a == "--batch")
      batch_spec = argv[i + 1];
    else if (a == "--durable")
      durable_spec = argv[i + 1];
    else if (a == "--synchronous") {
      if (std::strcmp(argv[i + 1], "off") != 0) {
        std::fprintf(stderr, "plain_insert: --synchronous takes only 'off'\n");
        return 2;
      }
      sync_off = true;
    }
  }
  if (from.empty() || to.empty()) {
    std::fprintf(stderr, "usage: plain_insert --from PULLED.db --to FRESH.db [--batch weibo=200,...]\n");
    return 2;
  }
  auto batches = parse_batches(batch_spec);

  // Untimed: everything the pull stored, in memory.
  sqlite3* src = nullptr;
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    die(src, "open " + from);
  Table accounts = read_table(src, "SELECT * FROM accounts ORDER BY id");
  Table contacts = read_table(src, "SELECT * FROM contacts ORDER BY id");
  Table conversations = read_table(src, "SELECT * FROM conversations ORDER BY id");
  Table messages = read_table(src, "SELECT * FROM messages ORDER BY id");
  Table platforms = read_table(src, "SELECT id, platform FROM accounts");
  sqlite3_close(src);

  std::map<std::int64_t, std::size_t> contact_row, conversation_row;
  for (std::size_t r = 0; r < contacts.rows.size(); ++r)
    contact_row[contacts.rows[r][0].i] = r;
  for (std::size_t r = 0; r < conversations.rows.size(); ++r)
    conversation_row[conversations.rows[r][0].i] = r;
  std::map<std::int64_t, int> batch_of_account;
  std::map<std::int64_t, bool> durable_account;
  std::string durable_list = "," + durable_spec + ",";
  for (const auto& row : platforms.rows) {
    batch_of_account[row[0].i] = std::max(1, batches.count(row[1].s) ? batches[row[1].s] : 100);
    durable_account[row[0].i] = durable_list.find("," + row[1].s + ",") != std::string::npos;
  }
  std::size_t m_account = column(messages, "account_id");
  std::size_t m_contact = column(messages, "contact_id");
  std::size_t m_conversation = column(messages, "conversation_id");
  std::size_t v_contact = column(conversations, "contact_id");

  // Messages per account in pull (id) order, so batches never mix accounts, like pages.
  std::map<std::int64_t, std::vector<std::size_t>> by_account;
  for (std::size_t r = 0; r < messages.rows.size(); ++r)
    by_account[messages.rows[r][m_account].i].push_back(r);

  svc::SystemClock clock;
  svc::store::OpenOptions options;
  options.path = to;
  options.clock = &clock;
  auto store = svc::store::open_store(options);
  if (!store) {
    std::fprintf(stderr, "plain_insert: %s\n", store.error().message.c_str());
    return 1;
  }
  auto* sqlite_store = dynamic_cast<svc::store::SqliteStore*>(store->get());
  if (!sqlite_store) {
    std::fprintf(stderr, "plain_insert: not an SQLite store\n");
    return 1;
  }
  sqlite3* db = sqlite_store->db().handle();

  auto prepare = [&](const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    check(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), sql);
    return st;
  };
  auto exec = [&](const char* sql) { check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql); };

  sqlite3_stmt* ins_account = prepare(insert_sql("accounts", accounts));
  exec("BEGIN IMMEDIATE");
  for (const auto& row : accounts.rows)
    insert_row(db, ins_account, row);
  exec("COMMIT");
  sqlite3_finalize(ins_account);

  sqlite3_stmt* ins_contact = prepare(insert_sql("contacts", contacts));
  sqlite3_stmt* ins_conversation = prepare(insert_sql("conversations", conversations));
  sqlite3_stmt* ins_message = prepare(insert_sql("messages", messages));
  std::set<std::int64_t> have_contact, have_conversation;
  std::size_t n_contacts = 0, n_conversations = 0, n_messages = 0, commits = 0;
  auto need_contact = [&](const Value& id) {
    if (id.type != SQLITE_INTEGER || !have_contact.insert(id.i).second)
      return;
    insert_row(db, ins_contact, contacts.rows[contact_row.at(id.i)]);
    ++n_contacts;
  };

  double cpu_start = cpu_seconds();
  auto start = std::chrono::steady_clock::now();
  for (const auto& [account, rows] : by_account) {
    std::size_t batch = static_cast<std::size_t>(batch_of_account[account]);
    // Set once per account (pages never mix accounts); svc sets it per transaction.
    exec(sync_off ? "PRAGMA synchronous = OFF"
                  : durable_account[account] ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    for (std::size_t b = 0; b < rows.size(); b += batch) {
      exec("BEGIN IMMEDIATE");
      for (std::size_t k = b; k < std::min(rows.size(), b + batch); ++k) {
        const Row& m = messages.rows[rows[k]];
        need_contact(m[m_contact]);
        std::int64_t conv = m[m_conversation].i;
        if (have_conversation.insert(conv).second) {
          const Row& c = conversations.rows[conversation_row.at(conv)];
          need_contact(c[v_contact]);
          insert_row(db, ins_conversation, c);
          ++n_conversations;
        }
        insert_row(db, ins_message, m);
        ++n_messages;
      }
      exec("COMMIT");
      ++commits;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = cpu_seconds() - cpu_start;
  exec("PRAGMA synchronous = FULL");
  sqlite3_finalize(ins_contact);
  sqlite3_finalize(ins_conversation);
  sqlite3_finalize(ins_message);

  std::printf("{\"messages\":%zu,\"contacts\":%zu,\"conversations\":%zu,\"commits\":%zu,\"seconds\":%.6f,"
              "\"cpu_seconds\":%.6f}\n",
              n_messages, n_contacts, n_conversations, commits, seconds, cpu);
  return 0;
}
