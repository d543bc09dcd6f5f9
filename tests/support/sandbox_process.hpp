// End-to-end test support: the real `svc sandbox serve` as a background child process on loopback (port
// 0, its port read from --port-file, its credentials from the JSON line it prints on start), the test
// hooks under /_sandbox/ fetched with httplib, and a svc "installation" around one state file in a
// TempDir (the real binary, secrets passed in the environment, never argv) whose stored messages the
// test reads directly with the SQLite C API.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run_svc.hpp"
#include "support/temp_dir.hpp"

namespace svc::test {

struct SandboxOptions {
  std::uint64_t seed = 1;
  int world_size = 60;
  std::string faults; // empty: none
};

// Starts the sandbox in the constructor (throws std::runtime_error when it does not come up within
// 15 s); SIGTERM and wait in the destructor.
class SandboxProcess
{
public:
  explicit SandboxProcess(const SandboxOptions& options);
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  const std::string& url() const { return m_url; }
  int port() const { return m_port; }
  const nlohmann::json& credentials() const { return m_credentials; }
  // The credentials entry of one platform ("weibo", "wechat", "telegram").
  const nlohmann::json& account(const std::string& platform) const;

  nlohmann::json messages() const; // GET /_sandbox/messages
  nlohmann::json sent() const;     // GET /_sandbox/sent
  // POST /_sandbox/inject; returns the new /_sandbox/messages entry (throws when refused).
  nlohmann::json inject(const std::string& platform, const std::string& channel, const std::string& from,
                        const std::string& text) const;

private:
  nlohmann::json get_json(const std::string& path) const;

  TempDir m_dir;
  pid_t m_pid = -1;
  int m_port = 0;
  std::string m_url;
  nlohmann::json m_credentials;
};

// One stored message, as the state file holds it.
struct StoredMessage {
  std::int64_t id = 0;
  std::string account;
  std::string platform;
  std::string channel;
  std::string direction;
  std::string platform_message_id;
  std::string contact_platform_user_id;
  std::int64_t created_at = 0;
  std::string text;
  std::int64_t conversation_id = 0;
};

// A state file in a TempDir and the real svc binary run against it with the sandbox's secrets in the
// environment (WB_TOKEN, TG_TOKEN, WX_SECRET).
class SvcHome
{
public:
  explicit SvcHome(const SandboxProcess& sandbox);
  std::string state() const { return (m_dir / "state.db").string(); }
  std::map<std::string, std::string>& env() { return m_env; }
  const std::map<std::string, std::string>& env() const { return m_env; }

  Outcome run(const std::vector<std::string>& args) const;
  // `--format json ARGS`; REQUIREs exit 0 and parses stdout.
  nlohmann::json json(const std::vector<std::string>& args) const;

  // Binds an account to `sandbox` under the name NAME-of-platform: "wb", "wx" or "tg".
  void bind(const std::string& platform, const std::string& name, const std::string& base_url) const;
  void bind_all(const std::string& base_url) const;

  // Every stored message (read-only SQLite connection), ordered by id.
  std::vector<StoredMessage> stored() const;
  // Runs one SQL statement on the state file (test set-up only: e.g. redirect an account).
  void exec_sql(const std::string& sql) const;
  // One integer (first column of the first row) from a query.
  std::int64_t query_int(const std::string& sql) const;

private:
  TempDir m_dir;
  std::map<std::string, std::string> m_env;
};

// "exit N / stdout / stderr" for INFO().
std::string describe(const Outcome& o);

// The key under which a message is compared between the sandbox and the state file. Weibo and Telegram
// ids are the platform's own on both sides; a WeChat chat record has no id of its own (the sandbox and
// svc each derive one), so a record is (openid, time, text).
std::string sandbox_key(const nlohmann::json& entry);
std::string stored_key(const StoredMessage& m);

} // namespace svc::test
