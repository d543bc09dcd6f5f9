// What `svc report` reads of the history (issue 8): every conversation, every message and every
// resolution or reopening, in compact rows, read-only. The KPI arithmetic is lib/svc/history/report.cpp;
// this is only the read side, in three sequential scans (no joins over messages), so that a report over
// a million messages stays well under two seconds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

struct ReportConversation {
  std::int64_t id = 0;
  std::string account;   // the account's name
  std::string channel;   // dm | comment | mention
  std::string assignee;  // the agent it is assigned to now; "" for none
};

struct ReportMessage {
  std::int64_t conversation_id = 0;
  std::int64_t id = 0;          // storage order: a higher id was stored later
  UnixTime at = 0;              // created_at: the platform's time (or this machine's, for a reply sent by svc)
  std::uint32_t agent = 0;      // outbound: index into ReportHistory::agents (0 = none recorded)
  bool inbound = false;
  bool via_outbox = false;      // sent by svc through the outbox (timestamped by this machine's clock)
  bool bot = false;             // a bot reply (agent "bot", or recorded by the bot as kind "bot")
};

struct ReportStatusEvent {
  std::int64_t conversation_id = 0;
  std::int64_t id = 0;          // audit log id
  UnixTime at = 0;
  bool resolved = false;        // false: reopened
};

struct ReportHistory {
  std::vector<ReportConversation> conversations;  // by id
  std::vector<std::string> agents;                // agents[0] == "": outbound messages without an agent
  std::vector<ReportMessage> messages;            // by id
  std::vector<ReportStatusEvent> events;          // by id
};

class ReportSource
{
public:
  virtual ~ReportSource() = default;
  // The whole history: the figures follow each inquiry to now, so answers after --until count too.
  virtual Result<ReportHistory> history() = 0;
};

// The source over a state file opened by open_store (the SQLite store).
std::unique_ptr<ReportSource> report_source(Store& store);

} // namespace svc::store
