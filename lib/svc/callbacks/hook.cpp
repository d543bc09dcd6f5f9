#include <svc/callbacks/hook.hpp>

#include <algorithm>
#include <cctype>
#include <exception>

#include <nlohmann/json.hpp>

#include <svc/callbacks/signature.hpp>
#include <svc/callbacks/weibo_push.hpp>
#include <svc/channels/telegram/mapping.hpp>
#include <svc/channels/wechat/callback.hpp>

namespace svc::callbacks {

namespace {

HookDecision
refuse(int status, std::string note)
{
  HookDecision d;
  d.status = status;
  d.body = status == 403 ? "forbidden" : status == 405 ? "method not allowed" : "bad request";
  d.note = std::move(note);
  return d;
}

std::string
param(const HookRequest& r, const std::string& name)
{
  auto it = r.params.find(name);
  return it == r.params.end() ? std::string() : it->second;
}

std::string
missing_secret_note(domain::Platform p)
{
  switch (p) {
  case domain::Platform::wechat:
    return "no callback token bound";
  case domain::Platform::weibo:
    return "no app secret bound";
  case domain::Platform::telegram:
    return "no webhook secret bound";
  }
  return "no secret bound";
}

// WeChat and Weibo: signed query, GET handshake, POST body parsed by `parse`.
template <typename Parse>
HookDecision
decide_signed(const std::string& secret, const HookRequest& r, std::string ok_body, Parse parse)
{
  if (!signature_valid(secret, param(r, "signature"), param(r, "timestamp"), param(r, "nonce"))) {
    return refuse(403, "bad signature");
  }
  if (r.method == "GET") {
    auto echostr = r.params.find("echostr");
    if (echostr == r.params.end()) {
      return refuse(400, "handshake without echostr");
    }
    HookDecision d;
    d.body = echostr->second;
    d.note = "handshake";
    return d;
  }
  if (r.method != "POST") {
    return refuse(405, "method " + r.method);
  }
  HookDecision d;
  d.body = std::move(ok_body);
  if (!parse(d)) {
    d.status = 400;
    d.body = "bad request";
  }
  return d;
}

HookDecision
decide_wechat(const std::string& secret, const HookRequest& r)
{
  return decide_signed(secret, r, "success", [&](HookDecision& d) {
    if (param(r, "encrypt_type") == "aes") {
      d.note = "encrypted (安全模式) callbacks are not supported: set the account to 明文 mode";
      return false;
    }
    auto m = channels::wechat::parse_callback(r.body);
    if (!m) {
      d.note = m.error().message;
      return false;
    }
    d.note = m->kind;
    d.messages.push_back(std::move(*m));
    return true;
  });
}

HookDecision
decide_weibo(const std::string& secret, const HookRequest& r)
{
  return decide_signed(secret, r, "", [&](HookDecision& d) {
    auto m = map_weibo_push(r.body);
    if (!m) {
      d.note = m.error().message;
      return false;
    }
    if (!*m) {
      d.note = "ignored: unknown push type";
      return true;
    }
    d.note = (*m)->kind;
    d.messages.push_back(std::move(**m));
    return true;
  });
}

HookDecision
decide_telegram(const std::string& secret, const HookRequest& r)
{
  auto header = find_header(r.headers, k_telegram_secret_header);
  std::optional<std::string_view> value;
  if (header) {
    value = *header;
  }
  if (!telegram_secret_valid(secret, value)) {
    return refuse(403, header ? "wrong secret token" : "no secret token header");
  }
  if (r.method != "POST") {
    return refuse(405, "method " + r.method);
  }
  auto update = nlohmann::json::parse(r.body, nullptr, false);
  if (update.is_discarded() || !update.is_object()) {
    return refuse(400, "the update is not a JSON object");
  }
  auto batch = channels::telegram::parse_updates(nlohmann::json::array({update}));
  if (!batch) {
    return refuse(400, batch.error().message);
  }
  HookDecision d;
  d.messages = std::move(batch->messages);
  d.note = d.messages.empty() ? "ignored: an update without a message" : d.messages.front().kind;
  return d;
}

} // namespace

std::optional<std::string>
find_header(const HeaderList& headers, std::string_view name)
{
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return std::nullopt;
}

HookDecision
decide(const Hook& hook, const HookRequest& request)
{
  if (!hook.secret || hook.secret->empty()) {
    return refuse(403, missing_secret_note(hook.account.platform));
  }
  // The parsers catch their own library exceptions; this is the module edge all the same.
  try {
    switch (hook.account.platform) {
    case domain::Platform::wechat:
      return decide_wechat(*hook.secret, request);
    case domain::Platform::weibo:
      return decide_weibo(*hook.secret, request);
    case domain::Platform::telegram:
      return decide_telegram(*hook.secret, request);
    }
  } catch (const std::exception& e) {
    return refuse(400, std::string("unreadable callback: ") + e.what());
  }
  return refuse(400, "unknown platform");
}

} // namespace svc::callbacks
