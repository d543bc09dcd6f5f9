// Storing pulled and pushed messages: contacts, conversations, messages and the stream's cursor.
#include <algorithm>

#include <svc/store/profile_text.hpp>
#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

SqliteMessageRepository::SqliteMessageRepository(Db& db, const Clock& clock, Store& store)
  : m_db(db),
    m_clock(clock),
    m_store(store),
    m_upsert_contact(db,
                     "INSERT INTO contacts (account_id, platform_user_id, name, username, avatar_url, gender,"
                     " location, followers, description, language, profile, first_seen_at, last_seen_at,"
                     " last_inbound_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)"
                     " ON CONFLICT (account_id, platform_user_id) DO UPDATE SET"
                     " name = coalesce(excluded.name, name), username = coalesce(excluded.username, username),"
                     " avatar_url = coalesce(excluded.avatar_url, avatar_url),"
                     " gender = coalesce(excluded.gender, gender), location = coalesce(excluded.location, location),"
                     " followers = coalesce(excluded.followers, followers),"
                     " description = coalesce(excluded.description, description),"
                     " language = coalesce(excluded.language, language),"
                     " profile = json_patch(profile, excluded.profile), last_seen_at = excluded.last_seen_at,"
                     " last_inbound_at = max(coalesce(last_inbound_at, 0), coalesce(excluded.last_inbound_at, 0))"
                     " RETURNING id"),
    m_upsert_conversation(db,
                          "INSERT INTO conversations (account_id, channel, thread_key, contact_id, created_at,"
                          " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                          " ON CONFLICT (account_id, channel, thread_key) DO UPDATE SET"
                          " contact_id = coalesce(contact_id, excluded.contact_id)"
                          " RETURNING id, status"),
    m_insert_message(db,
                     "INSERT INTO messages (account_id, conversation_id, contact_id, platform_message_id,"
                     " direction, channel, kind, author, agent, text, created_at, stored_at, reply_to, via, raw)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                     " ON CONFLICT (account_id, platform_message_id) DO NOTHING"),
    // An inbound message makes the conversation wait (from its oldest unanswered message) unless an
    // answer already came after it, reopens a resolved conversation, and
    // puts one waiting on the customer (pending) back to open.
    m_update_inbound(db,
                     "UPDATE conversations SET"
                     " last_inbound_at = max(coalesce(last_inbound_at, 0), ?2),"
                     " waiting_since = CASE WHEN ?2 >= coalesce(last_outbound_at, 0)"
                     "   THEN min(coalesce(waiting_since, ?2), ?2) ELSE waiting_since END,"
                     " status = CASE WHEN status IN ('resolved', 'pending') THEN 'open' ELSE status END,"
                     " reopen_count = reopen_count + (status = 'resolved'),"
                     " resolved_at = CASE WHEN status = 'resolved' THEN NULL ELSE resolved_at END,"
                     " updated_at = ?3 WHERE id = ?1"),
    // An outbound record (e.g. WeChat's chat history of an agent's answer) answers what waited.
    m_update_outbound(db,
                      "UPDATE conversations SET"
                      " last_outbound_at = max(coalesce(last_outbound_at, 0), ?2),"
                      " first_response_at = coalesce(first_response_at, ?2),"
                      " waiting_since = CASE WHEN waiting_since IS NOT NULL AND ?2 >= waiting_since"
                      "   AND ?2 >= coalesce(last_inbound_at, 0) THEN NULL ELSE waiting_since END,"
                      " updated_at = ?3 WHERE id = ?1"),
    m_audit(db, "INSERT INTO audit_log (at, agent, action, conversation_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)"),
    m_put_cursor(db,
                 "INSERT INTO cursors (account_id, stream, value, updated_at) VALUES (?1, ?2, ?3, ?4)"
                 " ON CONFLICT (account_id, stream) DO UPDATE SET value = excluded.value,"
                 " updated_at = excluded.updated_at"),
    m_get_cursor(db, "SELECT value FROM cursors WHERE account_id = ?1 AND stream = ?2"),
    // A platform that returns no id for a send (WeChat) later lists the same reply in its history under
    // an id of its own: that record takes over the reply svc stored (same conversation and text, sent
    // within 10 minutes) instead of becoming a second copy.
    m_adopt_outbound(db,
                     "UPDATE messages SET platform_message_id = ?4, raw = coalesce(raw, ?5) WHERE id = ("
                     " SELECT id FROM messages WHERE conversation_id = ?1 AND direction = 'out' AND text = ?2"
                     " AND platform_message_id LIKE 'svc-outbox:%' AND abs(created_at - ?3) <= 600"
                     " ORDER BY abs(created_at - ?3) LIMIT 1)"),
    // WeChat names a pushed message by MsgId and its chat-history record (pulled) by nothing at all, so
    // the adapter derives another id: the same customer message, arriving both ways, is recognised by
    // its conversation, time and text, and stored once.
    m_same_inbound(db,
                   "SELECT 1 FROM messages WHERE conversation_id = ?1 AND direction = 'in' AND created_at = ?2"
                   " AND text = ?3 AND via <> ?4 LIMIT 1")
{
}

std::int64_t
SqliteMessageRepository::upsert_contact(const domain::Account& account, const domain::PlatformUser& author,
                                        UnixTime now, PageCache& cache)
{
  std::optional<UnixTime> newest;
  if (auto it = cache.newest_inbound.find(author.id); it != cache.newest_inbound.end())
    newest = it->second;
  std::string profile = contact_profile_text(author, now);
  std::string key = std::to_string(account.id) + "/" + author.id;
  // Skipped only when it would change nothing: the same profile (so the same columns and seen_at, which
  // is `now`) and an inbound time no newer than one already applied (the row holds the max of them).
  if (now == m_upserted_at && newest) {
    if (auto done = m_upserted.find(key);
        done != m_upserted.end() && done->second.profile == profile && *newest <= done->second.last_inbound)
      return done->second.id;
  }
  Stmt& c = *m_upsert_contact;
  c.bind(1, account.id).bind(2, author.id).bind_text_or_null(3, author.name);
  c.bind_text_or_null(4, author.username).bind_text_or_null(5, author.avatar_url);
  c.bind_text_or_null(6, author.gender).bind_text_or_null(7, author.location).bind(8, author.followers);
  c.bind_text_or_null(9, author.description).bind_text_or_null(10, author.language);
  c.bind(11, profile);
  c.bind(12, now);
  c.bind(13, newest);
  c.step();
  std::int64_t id = c.col_int(0);
  c.reset();
  if (newest) {
    UnixTime applied = *newest;
    if (auto done = m_upserted.find(key); done != m_upserted.end() && now == m_upserted_at)
      applied = std::max(applied, done->second.last_inbound);
    cache.upserted.insert_or_assign(std::move(key), UpsertedContact{id, std::move(profile), applied});
  }
  return id;
}

bool
SqliteMessageRepository::ingest_one(const domain::Account& account, const domain::InboundMessage& m, Via via,
                                    UnixTime now, PageCache& cache)
{
  bool inbound = m.direction == domain::Direction::in;
  std::optional<std::int64_t> contact_id;
  if (!m.author.id.empty()) {
    if (auto known = cache.contacts.find(m.author.id); known != cache.contacts.end()) {
      contact_id = known->second;
    } else {
      // Once per author and page, with the newest inbound time of the whole page.
      contact_id = upsert_contact(account, m.author, now, cache);
      cache.contacts.emplace(m.author.id, *contact_id);
    }
  }
  std::string channel(domain::to_string(m.channel));
  std::string thread = channel + "/" + m.thread_key;
  auto cached_thread = cache.threads.find(thread);
  if (cached_thread == cache.threads.end()) {
    Stmt& conv = *m_upsert_conversation;
    conv.bind(1, account.id).bind(2, channel).bind(3, m.thread_key).bind(4, contact_id);
    conv.bind(5, m.created_at).bind(6, now);
    conv.step();
    cached_thread = cache.threads.emplace(thread, std::pair(conv.col_int(0), conv.col_text(1) == "resolved")).first;
    conv.reset();
  }
  std::int64_t conversation_id = cached_thread->second.first;
  bool was_resolved = cached_thread->second.second;

  // The raw payload as text, serialised once: most of a message's bytes.
  std::optional<std::string> raw;
  if (!m.raw.is_null())
    raw = m.raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  if (inbound && account.platform == domain::Platform::wechat) {
    Stmt& same = *m_same_inbound;
    same.bind(1, conversation_id).bind(2, m.created_at).bind(3, m.text).bind(4, via == Via::pull ? "pull" : "callback");
    bool seen = same.step();
    same.reset();
    if (seen)
      return false; // already stored through the other way in
  }
  if (!inbound) {
    Stmt& adopt = *m_adopt_outbound;
    adopt.bind(1, conversation_id).bind(2, m.text).bind(3, m.created_at).bind(4, m.platform_message_id);
    adopt.bind(5, raw);
    adopt.exec();
    if (m_db.changes() > 0)
      return false; // the reply svc sent: already stored
  }

  Stmt& msg = *m_insert_message;
  msg.bind(1, account.id).bind(2, conversation_id).bind(3, contact_id).bind(4, m.platform_message_id);
  msg.bind(5, domain::to_string(m.direction)).bind(6, channel).bind(7, m.kind);
  msg.bind_text_or_null(8, inbound ? m.author.name : m.agent).bind_text_or_null(9, m.agent).bind(10, m.text);
  msg.bind(11, m.created_at).bind(12, now).bind_text_or_null(13, m.reply_to);
  msg.bind(14, via == Via::pull ? "pull" : "callback");
  msg.bind(15, raw);
  msg.exec();
  if (m_db.changes() == 0)
    return false; // already stored: nothing else changes

  Stmt& upd = inbound ? *m_update_inbound : *m_update_outbound;
  upd.bind(1, conversation_id).bind(2, m.created_at).bind(3, now).exec();
  if (inbound)
    cached_thread->second.second = false; // reopened by this message if it was resolved
  if (inbound && was_resolved) {
    Stmt& audit = *m_audit;
    audit.bind(1, now).bind_null(2).bind(3, "reopened").bind(4, conversation_id);
    audit.bind(5, nlohmann::json{{"reason", "new inbound message"}, {"platform_message_id", m.platform_message_id}}.dump());
    audit.exec();
  }
  return true;
}

Result<IngestResult>
SqliteMessageRepository::ingest(const domain::Account& account, const std::string& stream,
                                const std::vector<domain::InboundMessage>& messages, const std::string& cursor,
                                Via via)
{
  IngestResult result;
  result.received = static_cast<int>(messages.size());
  // A pulled page is not synced on commit: lost in a power cut, it rolls back with its cursor and is
  // fetched again. A pushed message (callback) cannot be fetched again, so it is synced. A pulled page
  // that the next fetch confirms to the platform (channels::Stream::next_fetch_confirms) cannot be
  // fetched again either: pull runs this call inside a durable transaction of its own, which it joins.
  UnixTime now = 0;
  PageCache cache;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    now = m_clock.now();
    cache = PageCache();
    for (const auto& m : messages)
      if (m.direction == domain::Direction::in && !m.author.id.empty()) {
        auto [it, added] = cache.newest_inbound.emplace(m.author.id, m.created_at);
        if (!added)
          it->second = std::max(it->second, m.created_at);
      }
    for (const auto& m : messages)
      result.stored += ingest_one(account, m, via, now, cache) ? 1 : 0;
    if (!stream.empty()) {
      Stmt& c = *m_put_cursor;
      c.bind(1, account.id).bind(2, stream).bind(3, cursor).bind(4, now).exec();
    }
    return {};
  }, via == Via::callback));
  // Only upserts that committed may be skipped later: inside a caller's transaction (pull's durable one
  // for a confirming stream) this page has not committed yet and may still roll back, so it is not kept.
  if (sqlite3_get_autocommit(m_db.handle()) == 0)
    return result;
  if (now != m_upserted_at) {
    m_upserted.clear();
    m_upserted_at = now;
  }
  for (auto& [key, upserted] : cache.upserted)
    m_upserted.insert_or_assign(key, std::move(upserted));
  return result;
}

Result<std::string>
SqliteMessageRepository::cursor(std::int64_t account_id, const std::string& stream)
{
  return guarded([&]() -> Result<std::string> {
    Stmt& s = *m_get_cursor;
    s.bind(1, account_id).bind(2, stream);
    std::string value = s.step() ? s.col_text(0) : std::string();
    s.reset();
    return value;
  });
}

Result<std::optional<std::pair<std::string, UnixTime>>>
SqliteTokenRepository::get(std::int64_t account_id)
{
  return guarded([&]() -> Result<std::optional<std::pair<std::string, UnixTime>>> {
    Stmt s = m_db.prepare("SELECT token, expires_at FROM access_tokens WHERE account_id = ?1");
    s.bind(1, account_id);
    if (!s.step())
      return std::optional<std::pair<std::string, UnixTime>>();
    return std::optional(std::pair(s.col_text(0), s.col_int(1)));
  });
}

Status
SqliteTokenRepository::put(std::int64_t account_id, const std::string& token, UnixTime expires_at)
{
  return guarded([&]() -> Status {
    m_db
      .prepare("INSERT INTO access_tokens (account_id, token, expires_at) VALUES (?1, ?2, ?3)"
               " ON CONFLICT (account_id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at")
      .bind(1, account_id)
      .bind(2, token)
      .bind(3, expires_at)
      .exec();
    return {};
  });
}

Status
SqliteTokenRepository::clear(std::int64_t account_id)
{
  return guarded([&]() -> Status {
    m_db.prepare("DELETE FROM access_tokens WHERE account_id = ?1").bind(1, account_id).exec();
    return {};
  });
}

Result<std::optional<Bucket>>
SqliteBudgetRepository::get(std::int64_t account_id, const std::string& name)
{
  return guarded([&]() -> Result<std::optional<Bucket>> {
    Stmt s = m_db.prepare("SELECT tokens, updated_at FROM rate_buckets WHERE account_id = ?1 AND name = ?2");
    s.bind(1, account_id).bind(2, name);
    if (!s.step())
      return std::optional<Bucket>();
    return std::optional(Bucket{s.col_double(0), s.col_double(1)});
  });
}

Status
SqliteBudgetRepository::put(std::int64_t account_id, const std::string& name, const Bucket& bucket)
{
  return guarded([&]() -> Status {
    m_db
      .prepare("INSERT INTO rate_buckets (account_id, name, tokens, updated_at) VALUES (?1, ?2, ?3, ?4)"
               " ON CONFLICT (account_id, name) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at")
      .bind(1, account_id)
      .bind(2, name)
      .bind(3, bucket.tokens)
      .bind(4, bucket.updated_at)
      .exec();
    return {};
  });
}

} // namespace svc::store
