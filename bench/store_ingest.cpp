// svc's own store ingest alone, with no HTTP and no platform JSON: the share of `svc pull` that
// lib/svc/store/messages.cpp (SqliteMessageRepository::ingest) costs.
//
//   store_ingest --from PULLED.db --to FRESH.db [--batch weibo=200,telegram=100,wechat=10000]
//                [--durable telegram]
//
// Rebuilds, untimed, the domain::InboundMessage values a pull handed to the store from what it stored
// in PULLED.db (thread key, author profile columns, text, times, reply_to, raw parsed back to JSON;
// the profile's platform-specific `extra` fields are not rebuilt). Opens FRESH.db with open_store,
// copies the accounts rows (untimed), then times Store::messages().ingest() per account, in pull
// order, one call (one transaction, as a pull page) per batch of the platform's page size. A page of a
// platform named in --durable (default telegram: channels::Stream::next_fetch_confirms) runs inside a
// durable Store::transaction, as lib/svc/inbox/pull.cpp does; other pages commit unsynced.
//
// Prints one JSON line: {"messages":N,"stored":N,"commits":N,"seconds":S,"cpu_seconds":C} (C: user +
// system CPU of the timed part).
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/store/sqlite_store.hpp>
#include <svc/store/store.hpp>

namespace {

[[noreturn]] void
die(const std::string& what)
{
  std::fprintf(stderr, "store_ingest: %s\n", what.c_str());
  std::exit(1);
}

std::string
text(sqlite3_stmt* st, int c)
{
  const unsigned char* p = sqlite3_column_text(st, c);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st, c)))
           : std::string();
}

int
batch_for(const std::string& spec, const std::string& platform)
{
  if (spec.find('=') == std::string::npos)
    return std::max(1, std::atoi(spec.c_str()));
  auto at = spec.find(platform + "=");
  return at == std::string::npos ? 100 : std::max(1, std::atoi(spec.c_str() + at + platform.size() + 1));
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
  }
  if (from.empty() || to.empty()) {
    std::fprintf(stderr, "usage: store_ingest --from PULLED.db --to FRESH.db [--batch weibo=200,...]\n");
    return 2;
  }

  sqlite3* src = nullptr;
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    die("cannot open " + from);
  std::map<std::int64_t, std::vector<svc::domain::InboundMessage>> by_account;
  {
    sqlite3_stmt* st = nullptr;
    const char* sql =
      "SELECT m.account_id, m.channel, m.direction, m.platform_message_id, v.thread_key, c.platform_user_id,"
      " c.name, c.username, c.avatar_url, c.gender, c.location, c.followers, c.description, c.language,"
      " m.agent, m.kind, m.text, m.created_at, m.reply_to, m.raw"
      " FROM messages m JOIN conversations v ON v.id = m.conversation_id"
      " LEFT JOIN contacts c ON c.id = m.contact_id ORDER BY m.id";
    if (sqlite3_prepare_v2(src, sql, -1, &st, nullptr) != SQLITE_OK)
      die(sqlite3_errmsg(src));
    while (sqlite3_step(st) == SQLITE_ROW) {
      svc::domain::InboundMessage m;
      m.channel = svc::domain::parse_channel(text(st, 1)).value_or(svc::domain::ChannelKind::dm);
      m.direction = text(st, 2) == "out" ? svc::domain::Direction::out : svc::domain::Direction::in;
      m.platform_message_id = text(st, 3);
      m.thread_key = text(st, 4);
      m.author.id = text(st, 5);
      m.author.name = text(st, 6);
      m.author.username = text(st, 7);
      m.author.avatar_url = text(st, 8);
      m.author.gender = text(st, 9);
      m.author.location = text(st, 10);
      if (sqlite3_column_type(st, 11) != SQLITE_NULL)
        m.author.followers = sqlite3_column_int64(st, 11);
      m.author.description = text(st, 12);
      m.author.language = text(st, 13);
      m.agent = text(st, 14);
      m.kind = text(st, 15);
      m.text = text(st, 16);
      m.created_at = sqlite3_column_int64(st, 17);
      m.reply_to = text(st, 18);
      if (sqlite3_column_type(st, 19) != SQLITE_NULL)
        m.raw = nlohmann::json::parse(text(st, 19), nullptr, false);
      by_account[sqlite3_column_int64(st, 0)].push_back(std::move(m));
    }
    sqlite3_finalize(st);
  }

  svc::SystemClock clock;
  svc::store::OpenOptions options;
  options.path = to;
  options.clock = &clock;
  auto store = svc::store::open_store(options);
  if (!store)
    die(store.error().message);
  auto* sqlite_store = dynamic_cast<svc::store::SqliteStore*>(store->get());
  if (!sqlite_store)
    die("not an SQLite store");
  {
    // The accounts rows as they are (ids, names, platforms), so that foreign keys hold.
    sqlite3* db = sqlite_store->db().handle();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(src, "SELECT id, name, platform, created_at FROM accounts ORDER BY id", -1, &st,
                           nullptr) != SQLITE_OK)
      die(sqlite3_errmsg(src));
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string sql = "INSERT INTO accounts (id, name, platform, created_at) VALUES (" +
                        std::to_string(sqlite3_column_int64(st, 0)) + ", '" + text(st, 1) + "', '" + text(st, 2) +
                        "', " + std::to_string(sqlite3_column_int64(st, 3)) + ")";
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(src);
  auto accounts = (*store)->accounts().list(true);
  if (!accounts)
    die(accounts.error().message);

  // Pages cut up front (untimed), so the timed loop is the ingest calls alone.
  std::vector<std::pair<const svc::domain::Account*, std::vector<svc::domain::InboundMessage>>> pages;
  for (const auto& account : *accounts) {
    auto& all = by_account[account.id];
    auto batch = static_cast<std::size_t>(batch_for(batch_spec, std::string(svc::domain::to_string(account.platform))));
    for (std::size_t b = 0; b < all.size(); b += batch)
      pages.emplace_back(&account, std::vector<svc::domain::InboundMessage>(
                                     std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(b)),
                                     std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(
                                                                             std::min(all.size(), b + batch)))));
  }

  std::size_t messages = 0, commits = 0;
  int stored = 0;
  double cpu_start = cpu_seconds();
  auto start = std::chrono::steady_clock::now();
  std::string durable_list = "," + durable_spec + ",";
  for (const auto& [account, page] : pages) {
    svc::store::IngestResult r;
    auto ingest = [&]() -> svc::Status {
      SVC_TRY(one, (*store)->messages().ingest(*account, "bench", page, std::to_string(commits), svc::store::Via::pull));
      r = one;
      return {};
    };
    bool durable = durable_list.find("," + std::string(svc::domain::to_string(account->platform)) + ",") !=
                   std::string::npos;
    auto done = durable ? (*store)->transaction(ingest, true) : ingest();
    if (!done)
      die(done.error().message);
    stored += r.stored;
    messages += page.size();
    ++commits;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = cpu_seconds() - cpu_start;
  std::printf("{\"messages\":%zu,\"stored\":%d,\"commits\":%zu,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n", messages,
              stored, commits, seconds, cpu);
  return 0;
}
