// WorkflowRepository on SQLite: claims, assignment, transfer, status, audit log, views.
#include <nlohmann/json.hpp>

#include <svc/core/time.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

Error
no_such_conversation(std::int64_t id)
{
  return make_error(ErrorKind::not_found, "no conversation #{}", id).with_hint("`svc inbox` lists the conversations");
}

struct ClaimState {
  std::string holder;
  UnixTime expires_at = 0;
};

// The claim columns of a conversation; not_found when there is no such conversation.
Result<ClaimState>
read_claim(Db& db, std::int64_t conversation_id)
{
  Stmt s = db.prepare("SELECT coalesce(claimed_by, ''), coalesce(claim_expires_at, 0) FROM conversations WHERE id = ?1");
  s.bind(1, conversation_id);
  if (!s.step())
    return no_such_conversation(conversation_id);
  return ClaimState{s.col_text(0), s.col_int(1)};
}

Error
held_by_other(std::int64_t conversation_id, const ClaimState& c, const std::string& action)
{
  return make_error(ErrorKind::conflict, "conversation #{} is claimed by {} until {}: {} refused", conversation_id,
                    c.holder, format_iso(c.expires_at), action)
    .with_hint(fmt::format("ask {} to `svc release {}`, wait for the claim to expire, or add --force (audited)",
                           c.holder, conversation_id));
}

} // namespace

Status
SqliteWorkflowRepository::audit(std::int64_t conversation_id, const std::string& agent, const std::string& action,
                                const std::string& detail_json)
{
  return guarded([&]() -> Status {
    m_db.prepare("INSERT INTO audit_log (at, agent, action, conversation_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, m_clock.now())
      .bind_text_or_null(2, agent)
      .bind(3, action)
      .bind(4, conversation_id)
      .bind(5, detail_json.empty() ? std::string("{}") : detail_json)
      .exec();
    return {};
  });
}

Result<std::optional<Claim>>
SqliteWorkflowRepository::claim_of(std::int64_t conversation_id)
{
  return guarded([&]() -> Result<std::optional<Claim>> {
    SVC_TRY(c, read_claim(m_db, conversation_id));
    if (c.holder.empty() || c.expires_at <= m_clock.now())
      return std::optional<Claim>();
    return std::optional<Claim>(Claim{c.holder, c.expires_at});
  });
}

Result<Claim>
SqliteWorkflowRepository::claim(std::int64_t conversation_id, const std::string& agent, std::int64_t ttl_s, bool force)
{
  if (agent.empty())
    return make_error(ErrorKind::usage, "who is claiming? nobody is named")
      .with_hint("give --as NAME or set SVC_AGENT");
  if (ttl_s <= 0)
    return make_error(ErrorKind::usage, "--ttl must be positive");
  Claim claim{agent, 0};
  SVC_CHECK(m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      SVC_TRY(c, read_claim(m_db, conversation_id));
      UnixTime now = m_clock.now();
      bool held = !c.holder.empty() && c.expires_at > now;
      bool other = held && c.holder != agent;
      if (other && !force)
        return held_by_other(conversation_id, c, "claim");
      claim.expires_at = now + ttl_s;
      m_db.prepare("UPDATE conversations SET claimed_by = ?2, claim_expires_at = ?3, updated_at = ?4 WHERE id = ?1")
        .bind(1, conversation_id)
        .bind(2, agent)
        .bind(3, claim.expires_at)
        .bind(4, now)
        .exec();
      nlohmann::json detail{{"expires_at", format_iso(claim.expires_at)}};
      if (other)
        detail["forced_over"] = c.holder;
      return audit(conversation_id, agent, held && !other ? "claim renewed" : "claimed", detail.dump());
    });
  }));
  return claim;
}

Status
SqliteWorkflowRepository::release(std::int64_t conversation_id, const std::string& agent, bool force)
{
  return m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      SVC_TRY(c, read_claim(m_db, conversation_id));
      bool held = !c.holder.empty() && c.expires_at > m_clock.now();
      if (!held)
        return {};
      if (c.holder != agent && !force)
        return held_by_other(conversation_id, c, "release");
      m_db.prepare("UPDATE conversations SET claimed_by = NULL, claim_expires_at = NULL WHERE id = ?1")
        .bind(1, conversation_id)
        .exec();
      nlohmann::json detail = nlohmann::json::object();
      if (c.holder != agent)
        detail["forced_over"] = c.holder;
      return audit(conversation_id, agent, "released", detail.dump());
    });
  });
}

Status
SqliteWorkflowRepository::require_not_claimed_by_other(std::int64_t conversation_id, const std::string& agent,
                                                       bool force, const std::string& action)
{
  return guarded([&]() -> Status {
    SVC_TRY(c, read_claim(m_db, conversation_id));
    if (c.holder.empty() || c.expires_at <= m_clock.now() || c.holder == agent)
      return {};
    if (!force)
      return held_by_other(conversation_id, c, action);
    return audit(conversation_id, agent, "forced", nlohmann::json{{"action", action}, {"over_claim_of", c.holder}}.dump());
  });
}

Status
SqliteWorkflowRepository::assign(std::int64_t conversation_id, const std::string& agent, const std::string& by,
                                 const std::string& detail_json)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(target, m_store.team().agent(agent));
    return guarded([&]() -> Status {
      Stmt cur = m_db.prepare("SELECT coalesce(a.name, '') FROM conversations c LEFT JOIN agents a ON a.id = c.assignee_id"
                              " WHERE c.id = ?1");
      cur.bind(1, conversation_id);
      if (!cur.step())
        return no_such_conversation(conversation_id);
      std::string previous = cur.col_text(0);
      UnixTime now = m_clock.now();
      m_db.prepare("UPDATE conversations SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(1, conversation_id)
        .bind(2, target.id)
        .bind(3, now)
        .exec();
      m_db.prepare("UPDATE agents SET last_assigned_at = ?2 WHERE id = ?1").bind(1, target.id).bind(2, now).exec();
      auto detail = nlohmann::json::parse(detail_json.empty() ? "{}" : detail_json, nullptr, false);
      if (!detail.is_object())
        detail = nlohmann::json::object();
      detail["to"] = agent;
      if (!previous.empty())
        detail["from"] = previous;
      return audit(conversation_id, by, "assigned", detail.dump());
    });
  });
}

Status
SqliteWorkflowRepository::transfer(std::int64_t conversation_id, const std::string& group, const std::string& note,
                                   const std::string& by)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(target, m_store.team().group(group));
    return guarded([&]() -> Status {
      Stmt cur = m_db.prepare("SELECT coalesce(g.name, ''), coalesce(a.name, '') FROM conversations c"
                              " LEFT JOIN groups g ON g.id = c.group_id LEFT JOIN agents a ON a.id = c.assignee_id"
                              " WHERE c.id = ?1");
      cur.bind(1, conversation_id);
      if (!cur.step())
        return no_such_conversation(conversation_id);
      nlohmann::json detail{{"to_group", group}};
      if (!cur.col_text(0).empty())
        detail["from_group"] = cur.col_text(0);
      if (!cur.col_text(1).empty())
        detail["from_agent"] = cur.col_text(1);
      if (!note.empty())
        detail["note"] = note;
      // The hand-over: the group's queue takes it (unassigned, unclaimed) with the note for whoever picks it up.
      m_db.prepare("UPDATE conversations SET group_id = ?2, assignee_id = NULL, claimed_by = NULL,"
                   " claim_expires_at = NULL, updated_at = ?3 WHERE id = ?1")
        .bind(1, conversation_id)
        .bind(2, target.id)
        .bind(3, m_clock.now())
        .exec();
      return audit(conversation_id, by, "transferred", detail.dump());
    });
  });
}

Status
SqliteWorkflowRepository::set_status(std::int64_t conversation_id, const std::string& status, const std::string& by)
{
  if (status != "open" && status != "pending" && status != "resolved")
    return make_error(ErrorKind::usage, "unknown status '{}'", status).with_hint("use open, pending or resolved");
  return m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      Stmt cur = m_db.prepare("SELECT status FROM conversations WHERE id = ?1");
      cur.bind(1, conversation_id);
      if (!cur.step())
        return no_such_conversation(conversation_id);
      std::string previous = cur.col_text(0);
      if (previous == status)
        return {};
      UnixTime now = m_clock.now();
      if (status == "resolved") {
        // Nothing waits any more and nobody holds it; the assignee stays for the reports.
        m_db.prepare("UPDATE conversations SET status = 'resolved', resolved_at = ?2, waiting_since = NULL,"
                     " claimed_by = NULL, claim_expires_at = NULL, updated_at = ?2 WHERE id = ?1")
          .bind(1, conversation_id)
          .bind(2, now)
          .exec();
      } else {
        m_db.prepare("UPDATE conversations SET status = ?2, resolved_at = NULL,"
                     " reopen_count = reopen_count + (status = 'resolved'), updated_at = ?3 WHERE id = ?1")
          .bind(1, conversation_id)
          .bind(2, status)
          .bind(3, now)
          .exec();
      }
      std::string action = status == "resolved" ? "resolved" : previous == "resolved" ? "reopened" : "status";
      return audit(conversation_id, by, action, nlohmann::json{{"from", previous}, {"to", status}}.dump());
    });
  });
}

Result<std::vector<AuditEntry>>
SqliteWorkflowRepository::history(std::int64_t conversation_id)
{
  return guarded([&]() -> Result<std::vector<AuditEntry>> {
    SVC_CHECK(read_claim(m_db, conversation_id)); // not_found for an unknown conversation
    Stmt s = m_db.prepare("SELECT id, at, coalesce(agent, ''), action, detail FROM audit_log"
                          " WHERE conversation_id = ?1 ORDER BY at, id");
    s.bind(1, conversation_id);
    std::vector<AuditEntry> out;
    while (s.step())
      out.push_back({s.col_int(0), s.col_int(1), s.col_text(2), s.col_text(3), s.col_text(4)});
    return out;
  });
}

Status
SqliteWorkflowRepository::mark_seen(std::int64_t conversation_id, const std::string& agent)
{
  return m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      m_db.prepare("INSERT INTO conversation_views (conversation_id, agent, last_message_id, last_outbox_id, seen_at)"
                   " VALUES (?1, ?2, (SELECT coalesce(max(id), 0) FROM messages WHERE conversation_id = ?1),"
                   " (SELECT coalesce(max(id), 0) FROM outbox WHERE conversation_id = ?1), ?3)"
                   " ON CONFLICT (conversation_id, agent) DO UPDATE SET last_message_id = excluded.last_message_id,"
                   " last_outbox_id = excluded.last_outbox_id, seen_at = excluded.seen_at")
        .bind(1, conversation_id)
        .bind(2, agent)
        .bind(3, m_clock.now())
        .exec();
      return {};
    });
  });
}

Status
SqliteWorkflowRepository::require_unanswered_since_seen(std::int64_t conversation_id, const std::string& agent,
                                                        bool force)
{
  return guarded([&]() -> Status {
    SVC_CHECK(read_claim(m_db, conversation_id));
    Stmt newest = m_db.prepare("SELECT id, platform_message_id FROM messages"
                               " WHERE conversation_id = ?1 AND direction = 'in' ORDER BY created_at DESC, id DESC LIMIT 1");
    newest.bind(1, conversation_id);
    if (!newest.step())
      return {};
    std::int64_t inbound_id = newest.col_int(0);
    std::string inbound_pmid = newest.col_text(1);
    Stmt seen = m_db.prepare("SELECT last_message_id, last_outbox_id FROM conversation_views"
                             " WHERE conversation_id = ?1 AND agent = ?2");
    seen.bind(1, conversation_id).bind(2, agent);
    std::int64_t seen_message = 0, seen_outbox = 0;
    if (seen.step()) {
      seen_message = seen.col_int(0);
      seen_outbox = seen.col_int(1);
    }
    // An answer by someone else to that message that the agent has not seen: queued or sent through svc
    // (an outbox reply to that very message), or made on the platform itself and pulled (an outbound
    // message stored after it). Ids, not times: two of these often fall in the same second.
    Stmt answer = m_db.prepare(
      "SELECT coalesce(agent, ''), created_at, 'outbox #' || id FROM outbox WHERE conversation_id = ?1"
      "   AND status IN ('pending', 'sending', 'sent', 'unknown') AND coalesce(agent, '') <> ?2 AND id > ?3"
      "   AND reply_to = ?4"
      " UNION ALL SELECT coalesce(agent, ''), created_at, 'message #' || id FROM messages WHERE conversation_id = ?1"
      "   AND direction = 'out' AND via <> 'outbox' AND coalesce(agent, '') <> ?2 AND id > ?6 AND id > ?7"
      " ORDER BY 2 LIMIT 1");
    answer.bind(1, conversation_id).bind(2, agent).bind(3, seen_outbox).bind(4, inbound_pmid);
    answer.bind(6, seen_message).bind(7, inbound_id);
    if (!answer.step())
      return {};
    std::string who = answer.col_text(0).empty() ? std::string("someone on the platform") : answer.col_text(0);
    if (!force)
      return make_error(ErrorKind::conflict,
                        "conversation #{}'s newest message was already answered by {} at {} ({}) since you last looked",
                        conversation_id, who, format_iso(answer.col_int(1)), answer.col_text(2))
        .with_hint(fmt::format("`svc show {}` to read it, then reply again; or add --force to send anyway",
                               conversation_id));
    return audit(conversation_id, agent, "forced",
                 nlohmann::json{{"action", "reply"}, {"over_answer_by", who}}.dump());
  });
}

Result<RoutingFacts>
SqliteWorkflowRepository::routing_facts(std::int64_t conversation_id)
{
  return guarded([&]() -> Result<RoutingFacts> {
    Stmt s = m_db.prepare(
      "SELECT c.id, coalesce(g.name, ''), c.status, coalesce(a.name, ''), c.waiting_since, c.created_at,"
      " coalesce(c.contact_id, 0), coalesce(ct.person_id, 0)"
      " FROM conversations c LEFT JOIN groups g ON g.id = c.group_id LEFT JOIN agents a ON a.id = c.assignee_id"
      " LEFT JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = ?1");
    s.bind(1, conversation_id);
    if (!s.step())
      return no_such_conversation(conversation_id);
    RoutingFacts f;
    f.conversation_id = s.col_int(0);
    f.group = s.col_text(1);
    f.status = s.col_text(2);
    f.assignee = s.col_text(3);
    if (!s.col_null(4))
      f.waiting_since = s.col_int(4);
    f.created_at = s.col_int(5);
    std::int64_t contact = s.col_int(6), person = s.col_int(7);
    Stmt tags = m_db.prepare("SELECT t.name FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
                             " WHERE x.contact_id = ?1 ORDER BY t.name");
    tags.bind(1, contact);
    while (tags.step())
      f.contact_tags.push_back(tags.col_text(0));
    // The last agent who answered this customer on any of their linked identities.
    Stmt served = m_db.prepare(
      "SELECT m.agent FROM messages m JOIN conversations c ON c.id = m.conversation_id"
      " WHERE m.direction = 'out' AND m.agent IS NOT NULL AND m.agent <> ''"
      " AND c.contact_id IN (SELECT id FROM contacts WHERE id = ?1 OR (?2 <> 0 AND person_id = ?2))"
      " ORDER BY m.created_at DESC, m.id DESC LIMIT 1");
    served.bind(1, contact).bind(2, person);
    if (served.step())
      f.last_served_by = served.col_text(0);
    return f;
  });
}

Result<std::vector<std::int64_t>>
SqliteWorkflowRepository::unassigned()
{
  return guarded([&]() -> Result<std::vector<std::int64_t>> {
    Stmt s = m_db.prepare("SELECT id FROM conversations WHERE status = 'open' AND assignee_id IS NULL"
                          " AND waiting_since IS NOT NULL ORDER BY waiting_since, id");
    std::vector<std::int64_t> out;
    while (s.step())
      out.push_back(s.col_int(0));
    return out;
  });
}

} // namespace svc::store
