// `svc sandbox serve`: an HTTP server on loopback that speaks the subsets of the Weibo, WeChat
// official account and Telegram Bot APIs svc uses (same paths, parameters, paging and error
// envelopes; ../shared/design/platform-apis.md), over one world generated from a seed, with a
// traffic generator, fault injection and test hooks under /_sandbox/:
//   POST /_sandbox/inject       {platform, channel (dm|comment|mention), from, text, [from_id]}
//   GET  /_sandbox/messages     every inbound message (optional ?platform=P)
//   GET  /_sandbox/sent         every message svc sent: {platform, endpoint, to, text, fields (the
//                               request's parameters or JSON body), platform_message_id, time, fault}
//   GET  /_sandbox/people       every fan: {name, weibo_uid, openid, telegram_id}
//   GET  /_sandbox/credentials  the same JSON as credentials()
// platform_message_id: weibo = the comment or status id; wechat = "<openid>:<time>:<n>" (n = earlier
// inbound records of that openid in the same second); telegram = "<chat_id>:<message_id>".
// Faults (Options::faults) apply to platform endpoints only, never to /_sandbox/; a faulted read
// changes nothing, and a send dropped by reset_after_send is in /_sandbox/sent with
// "fault":"reset_after_send". WeChat tokens expire by expire_token_after; Weibo and Telegram tokens
// never expire. Not emulated: multipart bodies, webhooks, Weibo pushes, quotas per 48 h window.
// It is written from the API reference and the fixtures, never from svc's adapters, so an adapter
// bug cannot hide behind the same bug here. The library prints nothing; the command prints
// credentials() as its start-up line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/sandbox/faults.hpp>

namespace svc::sandbox {

struct Options {
  std::string bind = "127.0.0.1";  // loopback only: anything else is refused by start()
  int port = 0;                    // 0 = a free port
  std::uint64_t seed = 1;          // fixes the world, the credentials, the traffic and the fault dice
  double rate_per_s = 0;           // generated inbound messages per second after the start; 0 = none
  Faults faults;
  int world_size = 300;            // inbound messages in the initial world, across the platforms
  int long_poll_cap_s = 5;         // Telegram getUpdates holds a request at most this long
  // The time source for the world (messages are spread over the 3 days before the start), token
  // ages and the WeChat 48 h window. Null = the system clock. Must outlive the server.
  const Clock* clock = nullptr;
};

struct InjectRequest {
  std::string platform;  // weibo | wechat | telegram
  std::string channel;   // weibo: comment | mention | dm; wechat and telegram: dm
  std::string from;      // the sender's display name (an existing fan of that name, or a new one)
  std::string text;
  std::string from_id;   // optional: the sender's platform id (weibo uid, openid, telegram user id)
};

struct State;

class Server
{
public:
  // Builds the world (deterministic from options.seed); nothing listens until start().
  explicit Server(Options options);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, starts serving on a background thread and returns the port. Fails with usage for a
  // non-loopback bind address and with temporary when the port cannot be bound.
  Result<int> start();
  // Stops serving (waking long polls) and the traffic generator; idempotent.
  void stop();

  int port() const;
  std::string url() const;  // "http://127.0.0.1:PORT"
  // {"url":…,"accounts":[{"platform":"weibo","token","app_key","app_secret","uid","screen_name"},
  //  {"platform":"wechat","app_id","secret","callback_token"},{"platform":"telegram","token","username"}]}
  nlohmann::json credentials() const;

  // The same as POST /_sandbox/inject; returns the /_sandbox/messages entry plus "object", the
  // platform's own representation (Weibo comment or status, WeChat record, Telegram update).
  Result<nlohmann::json> inject(const InjectRequest& request);
  nlohmann::json messages() const;  // GET /_sandbox/messages
  nlohmann::json sent() const;      // GET /_sandbox/sent

private:
  std::unique_ptr<State> m_state;
};

} // namespace svc::sandbox
