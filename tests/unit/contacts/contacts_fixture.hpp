// A state file with a Weibo, a WeChat and a Telegram account (store API only, fixed clock), and a way to
// make a customer write so that contacts and conversations exist as a pull would leave them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/temp_dir.hpp"

namespace svc::test {

struct ContactsFixture {
  TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;
  domain::Account wb, wx, tg;

  ContactsFixture()
  {
    store::OpenOptions o;
    o.path = dir / "state.db";
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    wb = bind("wb", domain::Platform::weibo);
    wx = bind("wx", domain::Platform::wechat);
    tg = bind("tg", domain::Platform::telegram);
  }

  domain::Account bind(const std::string& name, domain::Platform platform)
  {
    domain::Account a;
    a.name = name;
    a.platform = platform;
    a.token = {domain::SecretRef::Source::env, "TOKEN"};
    a.app_id = "app";
    a.secret = {domain::SecretRef::Source::env, "SECRET"};
    auto bound = store->accounts().bind(a, false);
    REQUIRE(bound.has_value());
    return *bound;
  }

  // A private message from `user` (or, with direction out, an answer to them by `agent`); returns the
  // contact id.
  std::int64_t write(const domain::Account& account, const domain::PlatformUser& user, const std::string& id,
                     const std::string& text, UnixTime at, domain::Direction direction = domain::Direction::in,
                     const std::string& agent = "")
  {
    domain::InboundMessage m;
    m.platform_message_id = id;
    m.thread_key = user.id;
    m.author = user;
    m.direction = direction;
    m.agent = agent;
    m.text = text;
    m.created_at = at;
    auto r = store->messages().ingest(account, "", {m}, "", store::Via::callback);
    REQUIRE(r.has_value());
    auto c = store->contacts().find(account.name, user.id);
    REQUIRE(c.has_value());
    return c->id;
  }

  static domain::PlatformUser user(const std::string& id, const std::string& name)
  {
    domain::PlatformUser u;
    u.id = id;
    u.name = name;
    return u;
  }

  std::int64_t count(const std::string& sql)
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "state.db").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    std::int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
  }
};

} // namespace svc::test
