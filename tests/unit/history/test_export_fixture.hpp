// A hand-built history for the export tests, stored through the store API as pulls and the workflow
// would store it, with known figures:
//
//   lin  (tg, telegram dm, contact tg:42 "Lin", tagged vip)
//     T+0     in   "hi, 你好"
//     T+120   out  ann
//     T+300   in   hostile text (HTML, quotes, comma, CRLF, CJK)
//     T+360   out  bob
//     T+1000  resolved by ann
//     T+2000  in   (reopens it)
//     T+2100  out  ann
//     T+3000  resolved by ann
//     -> first response 120 s, resolution 3000 s, 3 in / 3 out, 1 reopen, agents ann, bob; resolved
//   zaku (wb, weibo dm, contact wb:777 "zaku"): clock skew, the agent's answer stamped before the question
//     T+50    out  carol   (stored first: the conversation was created at T+50)
//     T+100   in
//     T+400   out  carol
//     -> first response 300 s (the T+50 answer predates the question), 1 in / 2 out; open
//   mei  (wb, weibo comment on post p1, contact wb:888 "mei")
//     T+5000  in   "multi\nline" -> no response; open
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace svc::test {

constexpr UnixTime k_t0 = 1794988800; // 2026-11-18T08:00:00Z

inline const std::string k_hostile =
  "<script>alert(\"x\")</script> & 'q', \"comma, quote\"\r\nsecond line 中文 *bold* [link](http://e.example) # | \\ ~ `x`";

struct ExportHistory {
  TempDir dir;
  std::string state = (dir / "state.db").string();
  FixedClock clock{k_t0};
  std::unique_ptr<store::Store> store;
  domain::Account tg, wb;
  std::int64_t lin = 0, zaku = 0, mei = 0;             // contact ids
  std::int64_t lin_conv = 0, zaku_conv = 0, mei_conv = 0; // conversation ids

  ExportHistory()
  {
    store::OpenOptions o;
    o.path = state;
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    tg = bind("tg", domain::Platform::telegram);
    wb = bind("wb", domain::Platform::weibo);

    write(tg, domain::ChannelKind::dm, "42", "42", "Lin", "42:1", domain::Direction::in, "", "hi, 你好", 0);
    write(tg, domain::ChannelKind::dm, "42", "42", "Lin", "42:2", domain::Direction::out, "ann", "hello", 120, "42:1");
    write(tg, domain::ChannelKind::dm, "42", "42", "Lin", "42:3", domain::Direction::in, "", k_hostile, 300);
    write(tg, domain::ChannelKind::dm, "42", "42", "Lin", "42:4", domain::Direction::out, "bob", "on it", 360);
    lin = store->contacts().find("tg", "42")->id;
    lin_conv = conversation_of(lin);
    set_status(lin_conv, "resolved", 1000);
    write(tg, domain::ChannelKind::dm, "42", "42", "Lin", "42:5", domain::Direction::in, "", "again", 2000);
    write(tg, domain::ChannelKind::dm, "42", "42", "Lin", "42:6", domain::Direction::out, "ann", "done", 2100);
    set_status(lin_conv, "resolved", 3000);
    REQUIRE(store->contacts().add_tags(lin, {"vip"}, "local", "ann").has_value());

    write(wb, domain::ChannelKind::dm, "777", "777", "zaku", "w1", domain::Direction::out, "carol", "early", 50);
    write(wb, domain::ChannelKind::dm, "777", "777", "zaku", "w2", domain::Direction::in, "", "question", 100);
    write(wb, domain::ChannelKind::dm, "777", "777", "zaku", "w3", domain::Direction::out, "carol", "answer", 400);
    zaku = store->contacts().find("wb", "777")->id;
    zaku_conv = conversation_of(zaku);

    write(wb, domain::ChannelKind::comment, "p1", "888", "mei", "c1", domain::Direction::in, "", "multi\nline", 5000);
    mei = store->contacts().find("wb", "888")->id;
    mei_conv = conversation_of(mei);
  }

  domain::Account bind(const std::string& name, domain::Platform p) { return bind_account(*store, name, p, "TOKEN"); }

  void write(const domain::Account& account, domain::ChannelKind channel, const std::string& thread,
             const std::string& uid, const std::string& name, const std::string& id, domain::Direction direction,
             const std::string& agent, const std::string& text, std::int64_t at, const std::string& reply_to = "")
  {
    clock.set(k_t0 + at);
    domain::InboundMessage m;
    m.channel = channel;
    m.direction = direction;
    m.platform_message_id = id;
    m.thread_key = thread;
    m.author.id = uid;
    m.author.name = name;
    m.agent = agent;
    m.text = text;
    m.created_at = k_t0 + at;
    m.reply_to = reply_to;
    auto stored = store->messages().ingest(account, "", {m}, "", store::Via::callback);
    REQUIRE(stored.has_value());
    REQUIRE(stored->stored == 1);
  }

  void set_status(std::int64_t conversation, const std::string& status, std::int64_t at)
  {
    clock.set(k_t0 + at);
    REQUIRE(store->workflow().set_status(conversation, status, "ann").has_value());
  }

  std::int64_t conversation_of(std::int64_t contact)
  {
    store::ConversationFilter f;
    f.status = "all";
    auto all = store->conversations().list(f);
    REQUIRE(all.has_value());
    for (const auto& c : *all)
      if (c.contact_id == contact)
        return c.id;
    FAIL("no conversation of contact " << contact);
    return 0;
  }
};

// An RFC 4180 reader, strict: records end with CRLF, a quote inside a quoted field is doubled, a
// quoted field may hold commas and line breaks. Fails the test on anything else.
inline std::vector<std::vector<std::string>>
read_csv(const std::string& text)
{
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  bool at_field_start = true;
  while (i < text.size()) {
    char c = text[i];
    if (at_field_start && c == '"') {
      ++i;
      while (true) {
        REQUIRE(i < text.size()); // an unclosed quote
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      at_field_start = false;
      REQUIRE((i == text.size() || text[i] == ',' || text[i] == '\r')); // nothing after a closing quote
      continue;
    }
    if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      at_field_start = true;
      ++i;
    } else if (c == '\r') {
      REQUIRE(i + 1 < text.size());
      REQUIRE(text[i + 1] == '\n'); // CRLF only
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      at_field_start = true;
      i += 2;
    } else {
      REQUIRE(c != '\n'); // a bare line feed outside quotes
      REQUIRE(c != '"');  // a quote inside an unquoted field
      field += c;
      at_field_start = false;
      ++i;
    }
  }
  REQUIRE(record.empty()); // the last record ended with CRLF
  REQUIRE(field.empty());
  return records;
}

} // namespace svc::test
