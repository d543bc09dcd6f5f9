// The Weibo fans service push body (platform-apis.md §1.10) -> an inbound private message. Pure.
//   {"type":"text","receiver_id":1902538057,"sender_id":2489518277,
//    "created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"...","data":{}}
// Weibo gives pushes no message id and tells receivers to deduplicate on sender_id + created_at, so
// platform_message_id = "dm:<sender_id>:<created_at as unix seconds>"; events get
// "dm:<sender_id>:<unix>:event:<subtype>" so a follow and a text in the same second both survive.
// channel dm, thread_key = author.id = sender_id. Kinds: text, location (type position), voice,
// image, event (text "SUBTYPE[ KEY]", as WeChat events), mention.
#pragma once

#include <optional>
#include <string_view>

#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::callbacks {

// nullopt for a well-formed push of a type svc does not know (Weibo: "ignore unknown types");
// a usage error for a body that is not a JSON object or lacks type, sender_id or a readable
// created_at.
Result<std::optional<domain::InboundMessage>> map_weibo_push(std::string_view body);

} // namespace svc::callbacks
