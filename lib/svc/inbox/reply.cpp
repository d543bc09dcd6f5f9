#include <svc/inbox/reply.hpp>

#include <svc/inbox/guard.hpp>

namespace svc::inbox {

Result<store::OutboxItem>
prepare_reply(store::Store& store, std::int64_t conversation_id, const std::string& text, const std::string& agent)
{
  if (text.empty())
    return make_error(ErrorKind::usage, "the reply is empty").with_hint("give it with --text, --file or on stdin");
  SVC_TRY(conv, store.conversations().get(conversation_id));
  SVC_TRY(account, store.accounts().get(conv.account));
  SVC_TRY(messages, store.conversations().messages(conversation_id));
  store::OutboxItem item;
  item.account_id = account.id;
  item.account = account.name;
  item.conversation_id = conversation_id;
  if (conv.contact_id)
    item.contact_id = conv.contact_id;
  item.kind = "reply";
  item.agent = agent;
  item.message.channel = conv.channel;
  item.message.thread_key = conv.thread_key;
  item.message.to_user = conv.contact_platform_id;
  item.message.text = text;
  // Answer the newest inbound message (and, in a comment thread, its author).
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->direction == domain::Direction::in) {
      item.message.reply_to = it->platform_message_id;
      break;
    }
  }
  return item;
}

Result<std::int64_t>
record(store::Store& store, const store::OutboxItem& item, bool allow_guard)
{
  SVC_CHECK(check_outgoing(store, item.message.text, allow_guard));
  return store.outbox().record(item);
}

Result<std::int64_t>
record_reply(store::Store& store, const store::OutboxItem& item, bool force, bool allow_guard)
{
  std::int64_t id = 0;
  SVC_CHECK(store.transaction([&]() -> Status {
    SVC_CHECK(check_outgoing(store, item.message.text, allow_guard));
    if (item.conversation_id) {
      SVC_CHECK(store.workflow().require_not_claimed_by_other(*item.conversation_id, item.agent, force, "reply"));
      SVC_CHECK(store.workflow().require_unanswered_since_seen(*item.conversation_id, item.agent, force));
    }
    SVC_TRY(recorded, store.outbox().record(item));
    id = recorded;
    return {};
  }));
  return id;
}

Result<store::OutboxItem>
deliver(store::Store& store, channels::Channel& channel, std::int64_t outbox_id, bool force)
{
  SVC_CHECK(store.outbox().begin_send(outbox_id, force)); // committed before anything goes out
  SVC_TRY(item, store.outbox().get(outbox_id));
  auto sent = channel.send(item.message);
  if (!sent) {
    const Error& e = sent.error();
    SVC_CHECK(store.outbox().mark_failed(outbox_id, e.message, e.outcome_unknown));
    Error out = e;
    if (e.outcome_unknown)
      out.hint = fmt::format("the platform may have received it: check there, then `svc outbox retry {} --force` "
                             "only if it did not arrive", outbox_id);
    else if (out.hint.empty())
      out.hint = fmt::format("nothing was delivered; `svc outbox retry {}` tries again", outbox_id);
    return out;
  }
  SVC_CHECK(store.outbox().mark_sent(outbox_id, *sent));
  return store.outbox().get(outbox_id);
}

} // namespace svc::inbox
