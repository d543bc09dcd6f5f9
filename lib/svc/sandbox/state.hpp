// Internal: what the route handlers share. One mutex guards the world, the logs and the tokens; the
// condition variable wakes Telegram long polls and the traffic generator (new update, or stopping).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/sandbox/faults.hpp>
#include <svc/sandbox/rng.hpp>
#include <svc/sandbox/server.hpp>
#include <svc/sandbox/world.hpp>

namespace svc::sandbox {

struct WechatToken {
  UnixTime issued = 0;
  UnixTime superseded = 0;  // 0 = the latest token
  int calls = 0;
};

constexpr UnixTime k_wechat_token_ttl_s = 7200;
constexpr UnixTime k_wechat_token_grace_s = 300;  // an old token keeps working this long after a new one

struct State {
  explicit State(Options o)
    : options(std::move(o)), clock(options.clock ? options.clock : &system_clock),
      dice(options.faults, options.seed ^ 0xfa017fa017ULL), token_rng(options.seed ^ 0x70ce5ULL),
      traffic_rng(options.seed ^ 0x7aff1cULL)
  {
  }

  Options options;
  SystemClock system_clock;
  const Clock* clock;
  std::mutex mutex;
  std::condition_variable changed;
  bool stopping = false;
  World world;
  std::vector<nlohmann::json> sent;
  std::unordered_map<std::string, WechatToken> wechat_tokens;
  std::string wechat_current;
  FaultDice dice;
  Rng token_rng;
  Rng traffic_rng;
  int port = 0;
  httplib::Server http;
  std::thread listener;
  std::thread traffic;

  UnixTime now() const { return clock->now(); }
};

} // namespace svc::sandbox
