// libFuzzer target: Telegram Bot API JSON -> svc::domain (lib/svc/channels/telegram/mapping).
#include <cstdint>
#include <string>

#include <svc/channels/telegram/mapping.hpp>

using namespace svc::channels::telegram;

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)message_id_of(text);
  (void)build_send(text, text, message_id_of(text));
  auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded())
    return 0;
  (void)map_user(body);
  (void)map_message(body);
  (void)map_edited_message(body);
  // A getUpdates reply: the whole envelope, and its result.
  (void)parse_updates(body);
  if (body.is_object() && body.contains("result"))
    (void)parse_updates(body["result"]);
  if (body.is_object())
    for (const auto& [key, value] : body.items()) {
      (void)map_message(value);
      (void)map_edited_message(value);
    }
  return 0;
}
