// Test helper: a sandbox server on 127.0.0.1:0 with a fixed clock, and an httplib client to it.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/core/serve.hpp>
#include <svc/sandbox/server.hpp>

namespace sandbox_test {

inline constexpr svc::UnixTime k_now = 1795000000;  // 2026-11-18T09:46:40Z

struct Sandbox {
  svc::FixedClock clock{k_now};
  std::unique_ptr<svc::sandbox::Server> server;
  std::unique_ptr<httplib::Client> client;
  nlohmann::json creds;

  explicit Sandbox(svc::sandbox::Options options = {})
  {
    options.clock = &clock;
    server = std::make_unique<svc::sandbox::Server>(options);
    auto port = server->start();
    REQUIRE(port);
    client = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client->set_read_timeout(15);
    creds = server->credentials();
  }

  std::string account(const char* platform, const char* key) const
  {
    for (const auto& a : creds["accounts"]) {
      if (a["platform"] == platform) {
        return a[key].is_string() ? a[key].get<std::string>() : a[key].dump();
      }
    }
    FAIL("no account for " << platform);
    return {};
  }
  std::string weibo_token() const { return account("weibo", "token"); }
  std::string bot() const { return "/bot" + account("telegram", "token"); }

  nlohmann::json get(const std::string& path, int expect_status = 200)
  {
    auto res = client->Get(path);
    REQUIRE(res);
    INFO(path << " -> " << res->body);
    REQUIRE(res->status == expect_status);
    return nlohmann::json::parse(res->body);
  }
  nlohmann::json post_form(const std::string& path, const httplib::Params& params, int expect_status = 200)
  {
    auto res = client->Post(path, params);
    REQUIRE(res);
    INFO(path << " -> " << res->body);
    REQUIRE(res->status == expect_status);
    return nlohmann::json::parse(res->body);
  }
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body, int expect_status = 200)
  {
    auto res = client->Post(path, body.dump(), "application/json");
    REQUIRE(res);
    INFO(path << " -> " << res->body);
    REQUIRE(res->status == expect_status);
    return nlohmann::json::parse(res->body);
  }

  std::string wechat_token()
  {
    auto j = get("/cgi-bin/token?grant_type=client_credential&appid=" + account("wechat", "app_id") +
                 "&secret=" + account("wechat", "secret"));
    REQUIRE(j.contains("access_token"));
    return j["access_token"];
  }

  // /_sandbox/messages entries of one platform (and channel, if given).
  std::vector<nlohmann::json> inbound(const std::string& platform, const std::string& channel = "")
  {
    std::vector<nlohmann::json> out;
    for (const auto& m : get("/_sandbox/messages")) {
      if (m["platform"] == platform && (channel.empty() || m["channel"] == channel)) {
        out.push_back(m);
      }
    }
    return out;
  }
};

// A loopback receiver that keeps every request it gets (the pushes /_sandbox/trigger makes).
struct Receiver {
  httplib::Server http;
  std::thread thread;
  std::mutex mutex;
  std::vector<httplib::Request> requests;
  int port = 0;

  Receiver()
  {
    http.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      requests.push_back(req);
      res.set_content("success", "text/plain");
    });
    port = http.bind_to_any_port("127.0.0.1");
    thread = svc::start_accept_loop(http);
  }
  ~Receiver()
  {
    http.stop();
    thread.join();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

} // namespace sandbox_test
