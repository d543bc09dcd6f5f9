// libFuzzer target: WeChat JSON and push XML -> svc::domain (lib/svc/channels/wechat/mapping,
// callback). The passive reply builder is CDATA-safe: whatever the content, the XML it builds parses
// back to that content.
#include <cstdint>
#include <string>

#include <svc/channels/wechat/callback.hpp>
#include <svc/channels/wechat/mapping.hpp>

using namespace svc::channels::wechat;

namespace {

// Text that survives XML as it is: no control characters (XML 1.0 forbids most, and parsers normalise
// line ends).
bool
xml_safe(const std::string& s)
{
  for (unsigned char c : s)
    if (c < 0x20)
      return false;
  return true;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)parse_callback(text);
  (void)record_message_id(text, static_cast<std::int64_t>(size), 2002, text);
  if (!text.empty() && xml_safe(text)) { // an empty Content is a different message: none
    auto reply = build_text_reply("oCustomer", "gh_account", 1795000000, text);
    // A reply has no MsgId; with one it reads as an inbound text message, whose Content must be `text`.
    reply.insert(reply.rfind("</xml>"), "<MsgId>1</MsgId>");
    auto parsed = parse_callback(reply);
    if (!parsed || parsed->text != text)
      __builtin_trap();
  }
  auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded())
    return 0;
  (void)parse_records(body);
  (void)map_user_info(body);
  if (body.is_object())
    for (const auto& [key, value] : body.items()) {
      (void)parse_records(value);
      (void)map_user_info(value);
    }
  return 0;
}
