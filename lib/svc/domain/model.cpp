#include <svc/domain/model.hpp>

namespace svc::domain {

std::string_view
to_string(Platform p)
{
  switch (p) {
  case Platform::weibo: return "weibo";
  case Platform::wechat: return "wechat";
  case Platform::telegram: return "telegram";
  }
  return "?";
}

std::string_view
to_string(ChannelKind c)
{
  switch (c) {
  case ChannelKind::dm: return "dm";
  case ChannelKind::comment: return "comment";
  case ChannelKind::mention: return "mention";
  }
  return "?";
}

std::string_view
to_string(Direction d)
{
  return d == Direction::in ? "in" : "out";
}

std::optional<Platform>
parse_platform(std::string_view s)
{
  if (s == "weibo")
    return Platform::weibo;
  if (s == "wechat")
    return Platform::wechat;
  if (s == "telegram")
    return Platform::telegram;
  return std::nullopt;
}

std::optional<ChannelKind>
parse_channel(std::string_view s)
{
  if (s == "dm")
    return ChannelKind::dm;
  if (s == "comment")
    return ChannelKind::comment;
  if (s == "mention")
    return ChannelKind::mention;
  return std::nullopt;
}

std::string
SecretRef::describe() const
{
  switch (source) {
  case Source::none: return "";
  case Source::env: return "env:" + ref;
  case Source::file: return "file:" + ref;
  case Source::value: return "stored";
  }
  return "";
}

} // namespace svc::domain
