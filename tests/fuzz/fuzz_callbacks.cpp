// libFuzzer target: what svc listen does with a push callback (lib/svc/callbacks/hook, weibo_push):
// the body is signed correctly, so the fuzzer reaches the parsers behind the signature check; the
// decision is always a status listen can answer with.
#include <cstdint>
#include <string>

#include <svc/callbacks/hook.hpp>
#include <svc/callbacks/signature.hpp>
#include <svc/callbacks/weibo_push.hpp>
#include <svc/core/sha1.hpp>

using namespace svc;
using namespace svc::callbacks;

namespace {

const std::string k_secret = "fuzz-secret-token";

HookDecision
post(domain::Platform platform, const std::string& body, const std::string& query_extra)
{
  Hook hook;
  hook.account.name = "shop";
  hook.account.platform = platform;
  hook.secret = k_secret;
  HookRequest request;
  request.method = "POST";
  request.path = "/hook/shop";
  request.body = body;
  // WeChat and Weibo sign (timestamp, nonce) with the secret; Telegram sends the secret in a header.
  std::string timestamp = "1795000000", nonce = "42";
  request.params = {{"timestamp", timestamp}, {"nonce", nonce},
                    {"signature", sorted_sha1_signature({k_secret, timestamp, nonce})}};
  request.query = "timestamp=" + timestamp + "&nonce=" + nonce + "&signature=" + request.params["signature"] + query_extra;
  request.headers = {{std::string(k_telegram_secret_header), k_secret}, {"Content-Type", "application/json"}};
  return decide(hook, request);
}

void
check(const HookDecision& d)
{
  if (d.status != 200 && d.status != 400 && d.status != 403)
    __builtin_trap();
  if (d.status != 200 && !d.messages.empty()) // nothing is stored from a refused callback
    __builtin_trap();
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string body(reinterpret_cast<const char*>(data), size);
  (void)map_weibo_push(body);
  for (auto platform : {domain::Platform::wechat, domain::Platform::weibo, domain::Platform::telegram})
    check(post(platform, body, ""));
  // The body as a query string too (GET handshakes read echostr from it).
  Hook hook;
  hook.account.platform = domain::Platform::wechat;
  hook.secret = k_secret;
  HookRequest get;
  get.method = "GET";
  get.path = "/hook/shop";
  get.query = body;
  get.params = {{"echostr", body}, {"signature", body}, {"timestamp", body}, {"nonce", body}};
  check(decide(hook, get));
  return 0;
}
