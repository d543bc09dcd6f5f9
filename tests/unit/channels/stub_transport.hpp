// Test doubles for the channels tests: a scripted Transport that returns queued replies in order and
// records every request (gh httpmock-style: a reply left unused fails the test), an in-memory
// TokenCache, and fixture loading.
#pragma once

#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <svc/channels/channel.hpp>
#include <svc/http/transport.hpp>

namespace svc::test {

inline std::string
fixture(const std::string& relative)
{
  // A path, not string concatenation: g++ 12 at -O2 reports a false -Warray-bounds on
  // std::string(LITERAL) + "/" + ... (GCC bug 105651).
  std::ifstream in(std::filesystem::path(SVC_FIXTURES_DIR) / relative, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ScriptedTransport final : public http::Transport
{
public:
  ~ScriptedTransport() override { CHECK(m_queue.empty()); }

  ScriptedTransport& reply(int status, std::string body)
  {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    m_queue.emplace_back(std::move(r));
    return *this;
  }
  ScriptedTransport& fail(Error e)
  {
    m_queue.emplace_back(std::move(e));
    return *this;
  }

  Result<http::Response> send(const http::Request& request) override
  {
    requests.push_back(request);
    if (m_queue.empty()) {
      FAIL("unexpected request: " << request.url);
    }
    auto next = std::move(m_queue.front());
    m_queue.pop_front();
    if (next.has_value()) {
      return std::move(*next);
    }
    return std::move(next).error();
  }

  std::size_t pending() const { return m_queue.size(); }

  std::vector<http::Request> requests;

private:
  std::deque<Result<http::Response>> m_queue;
};

class MemoryTokenCache final : public channels::TokenCache
{
public:
  std::optional<std::pair<std::string, UnixTime>> get() override { return value; }
  void put(const std::string& token, UnixTime expires_at) override
  {
    value = std::make_pair(token, expires_at);
    ++puts;
  }
  void clear() override
  {
    value.reset();
    ++clears;
  }

  std::optional<std::pair<std::string, UnixTime>> value;
  int puts = 0;
  int clears = 0;
};

// The query string of a URL ("" when none).
inline std::string
query_of(const std::string& url)
{
  auto q = url.find('?');
  return q == std::string::npos ? "" : url.substr(q + 1);
}

inline std::string
path_of(const std::string& url)
{
  auto scheme = url.find("://");
  auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  auto q = url.find('?');
  return url.substr(start, q == std::string::npos ? std::string::npos : q - start);
}

// An HTTP response with a status and a body, as a scripted transport returns it.
inline http::Response
response(int status, std::string body)
{
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// A real adapter (through make_channel) over a ScriptedTransport, an in-memory token cache and a fixed
// clock, for an account at `base_url`: the client flows run without any network.
struct ChannelFixture {
  ScriptedTransport transport;
  MemoryTokenCache tokens;
  FixedClock clock;
  domain::Account account;
  channels::Credentials creds;

  ChannelFixture(domain::Platform platform, std::string name, std::string base_url, channels::Credentials credentials,
                 UnixTime now)
    : clock(now), creds(std::move(credentials))
  {
    account.name = std::move(name);
    account.platform = platform;
    account.base_url = std::move(base_url);
  }
  std::unique_ptr<channels::Channel> channel()
  {
    auto ch = channels::make_channel(account, creds, transport, tokens, clock);
    REQUIRE(ch);
    return std::move(*ch);
  }
};

// The WeChat official account of the channel tests: "oa", appid wxAPP, secret S3C, at k_now. With a
// cached token a test's script starts at the call it is about; without one, at cgi-bin/token.
struct WeChatFixture : ChannelFixture {
  static constexpr UnixTime k_now = 1400600000;

  explicit WeChatFixture(bool token_cached)
    : ChannelFixture(domain::Platform::wechat, "oa", "http://127.0.0.1:9", {"", "", "S3C"}, k_now)
  {
    account.app_id = "wxAPP";
    if (token_cached)
      tokens.value = std::make_pair(std::string("T"), k_now + 7000);
  }
};

} // namespace svc::test
