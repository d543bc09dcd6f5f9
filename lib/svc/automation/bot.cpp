// A placeholder, replaced by the knowledge-base bot.
#include <svc/automation/bot.hpp>

namespace svc::automation {

Result<BotOutcome>
run_bot(store::Store&, std::int64_t, bool)
{
  return BotOutcome{};
}

} // namespace svc::automation
