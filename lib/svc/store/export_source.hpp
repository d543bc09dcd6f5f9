// What `svc export` reads of the history, streamed: one SQLite statement stepped row by row, each row
// handed to a callback and forgotten, so an export of any size runs in constant memory. Read-only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

// Every filter is optional; all given ones must hold. A message's contact is the one it names (the
// customer it came from or went to), else its conversation's.
struct ExportFilter {
  std::optional<std::int64_t> account_id;
  std::optional<std::int64_t> contact_id;
  std::optional<std::string> tag;         // the contact carries this tag
  std::optional<UnixTime> since, until;   // [since, until): a message's time, a conversation's creation
  std::optional<std::string> status;      // the conversation's status: open, pending or resolved
};

// One message. The views point into SQLite's row and are valid only during the callback.
struct ExportMessage {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::string_view account, platform, direction, channel, conversation_status;
  std::string_view author; // the customer's name (in) or the agent's (out), as `svc show`; "" for none
  std::string_view text, platform_message_id, reply_to;
  UnixTime created_at = 0;
  std::optional<std::int64_t> contact_id;
  std::string_view contact_name, contact_platform_user_id;
};

// One conversation with its figures (the definitions are in docs/export.md).
struct ExportConversation {
  std::int64_t id = 0;
  std::string_view account, platform, channel, status, assignee, group;
  std::optional<std::int64_t> contact_id;
  std::string_view contact_name, contact_platform_user_id;
  std::string_view tags, agents;            // names separated by '\x1f' (tags by name, agents by first reply)
  UnixTime created_at = 0;
  std::optional<UnixTime> first_inbound_at; // the first inbound message
  std::optional<UnixTime> first_response_at; // the first outbound message at or after it
  std::optional<UnixTime> resolved_at;      // while resolved: the last resolution
  std::int64_t messages_in = 0, messages_out = 0, reopen_count = 0;
};

enum class MessageOrder {
  time,         // by time, then id: the history as it happened
  conversation, // by conversation, then time: transcripts
};

class ExportSource
{
public:
  virtual ~ExportSource() = default;
  // Calls `each` per row until it returns false (a cancelled export) or the rows run out.
  virtual Status messages(const ExportFilter& filter, MessageOrder order,
                          const std::function<bool(const ExportMessage&)>& each) = 0;
  // Conversations by creation time, then id.
  virtual Status conversations(const ExportFilter& filter,
                               const std::function<bool(const ExportConversation&)>& each) = 0;
};

// The source over a state file opened by open_store (the SQLite store).
std::unique_ptr<ExportSource> export_source(Store& store);

} // namespace svc::store
