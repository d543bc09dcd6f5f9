// The stable JSON of conversations and messages (cli.md: inbox and show fields).
#pragma once

#include <nlohmann/json.hpp>

#include <svc/store/store.hpp>

namespace svc::commands {

nlohmann::json conversation_json(const store::ConversationRow& row);
nlohmann::json message_json(const store::MessageRow& m);

} // namespace svc::commands
