// libFuzzer target: Weibo JSON -> svc::domain (lib/svc/channels/weibo/mapping, paging). The mapping
// promises never to throw on any JSON; the cursor parser takes any text.
#include <cstdint>
#include <string>

#include <svc/channels/weibo/mapping.hpp>
#include <svc/channels/weibo/paging.hpp>

using namespace svc;
using namespace svc::channels::weibo;

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)parse_time(text);
  if (auto cursor = parse_cursor(text)) {
    // A cursor that parses formats back to one that parses the same.
    auto again = parse_cursor(format_cursor(*cursor));
    if (!again || again->since != cursor->since || again->max != cursor->max || again->high != cursor->high)
      __builtin_trap();
    (void)advance(*cursor, {cursor->since + 1, cursor->since, cursor->high}, cursor->high);
  }
  auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded())
    return 0;
  (void)parse_list(body, "comments", domain::ChannelKind::comment);
  (void)parse_list(body, "statuses", domain::ChannelKind::mention);
  (void)map_user(body);
  (void)map_comment(body, domain::ChannelKind::comment);
  (void)map_status_mention(body);
  if (body.is_object())
    for (const auto& [key, value] : body.items()) {
      (void)map_comment(value, domain::ChannelKind::mention);
      (void)map_status_mention(value);
      (void)map_user(value);
    }
  return 0;
}
