// WeChat push callbacks (明文 mode, platform-apis.md §2.7): the XML WeChat POSTs to svc listen,
// parsed into an inbound message, and the passive text reply svc may answer with. Pure functions;
// signature checking belongs to the listener.
#pragma once

#include <string>
#include <string_view>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::channels::wechat {

// <xml><ToUserName/><FromUserName/><CreateTime/><MsgType/>…</xml> -> a dm from FromUserName:
// kind = MsgType (text, image, voice, video, shortvideo, location, link, event); text = Content,
// or Recognition for voice, or "[image]"-style placeholders, or "EVENT[ EVENTKEY]" for events;
// platform_message_id = MsgId, or for events (which have none) FROM:CREATETIME:EVENT, the key
// WeChat's docs give for deduplicating events. raw = every child element as a JSON string field.
// Malformed XML or a missing FromUserName/CreateTime/MsgType is a usage error.
Result<domain::InboundMessage> parse_callback(std::string_view xml);

// The passive reply body (reply_text.xml shape): To = the customer's openid, From = the account's
// original id (the inbound ToUserName). CDATA-safe for any content.
std::string build_text_reply(const std::string& to_user, const std::string& from_user,
                             UnixTime created_at, const std::string& content);

} // namespace svc::channels::wechat
