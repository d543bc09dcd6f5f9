// What `svc simulate --replay` and `--handle/--patience empirical` read of the history: one row per
// inquiry, read-only. An inquiry is a conversation's first inbound message, or its first inbound
// message after a resolution (a returning customer); it was answered at the first outbound message
// after it, and ended at the next resolution. Inbound messages while an inquiry is open are part of
// it; outbound messages while none is open (proactive sends) are not inquiries.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

struct InquiryRow {
  std::int64_t conversation_id = 0;
  std::int64_t contact = 0;              // the person when the contact is linked (negated), else the contact id
  std::string channel;                   // dm | comment | mention
  std::string group;                     // the conversation's group now; "" for none
  bool vip = false;                      // the contact carries the VIP tag
  UnixTime arrived_at = 0;
  std::optional<UnixTime> answered_at;   // first outbound message after it
  std::optional<UnixTime> resolved_at;   // the resolution that ended it
};

class SimulationSource
{
public:
  virtual ~SimulationSource() = default;
  // Inquiries that arrived in [since, until), by arrival time (then conversation id).
  virtual Result<std::vector<InquiryRow>> inquiries(UnixTime since, UnixTime until, std::string_view vip_tag) = 0;
};

// The source over a state file opened by open_store (the SQLite store).
std::unique_ptr<SimulationSource> simulation_source(Store& store);

} // namespace svc::store
