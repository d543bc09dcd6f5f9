// Shared by the reliability suites (crash, concurrency, faults, bad input, security): svc processes
// killed with SIGKILL at seeded random moments, the checks every suite ends with (the state file passes
// `svc db check`, the sandbox's messages are stored exactly once, nothing was delivered twice), and a
// fingerprint of a state file's contents to prove that a refused command changed nothing.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/sandbox_process.hpp"
#include "support/spawn.hpp"
#include "support/temp_dir.hpp"

namespace svc::test::reliability {

// The suites' random seed: SVC_RELIABILITY_SEED when set (to replay a failure), else a fixed one, so a
// CI failure is reproducible. Each test mixes in its own salt.
std::uint64_t suite_seed(std::uint64_t salt);

// One svc process in the background, ended by SIGKILL (as a crash or power cut would end it).
class Victim
{
public:
  Victim(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);
  ~Victim();
  Victim(const Victim&) = delete;
  Victim& operator=(const Victim&) = delete;

  bool running();
  // SIGKILL now; true when the process was still running (the kill landed mid-way).
  bool kill_now();
  // Waits for a normal exit; its code.
  int wait();
  std::string out() const { return read_file(m_dir / "stdout"); }
  std::string err() const { return read_file(m_dir / "stderr"); }

private:
  TempDir m_dir;
  pid_t m_pid = -1;
  int m_code = -1;
};

// Runs svc ARGS and kills it after `delay` unless it ended before; true when the kill landed.
bool run_and_kill(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                  std::chrono::milliseconds delay);

// Wall time of one uninterrupted run (the scale for the kill delays); REQUIREs `expected_code`.
std::chrono::milliseconds timed_run(const SvcHome& home, const std::vector<std::string>& args, int expected_code = 0);

// A uniform delay in [0, scale] (at least 1 ms of range).
std::chrono::milliseconds random_delay(std::mt19937_64& rng, std::chrono::milliseconds scale);

// The sandbox's messages that `svc pull` can fetch (Weibo private messages come only by push), and the
// inbound messages stored, as comparable keys.
std::multiset<std::string> pullable_keys(const nlohmann::json& sandbox_messages);
std::multiset<std::string> inbound_keys(const std::vector<StoredMessage>& stored);

// `svc pull` until a run exits 0 and brings nothing new (at most `rounds`); every exit code on the way
// must be one a cron job understands (0, 5 temporary, 8 partial). Returns the runs it took, or rounds+1.
int pull_until_quiet(const SvcHome& home, int rounds);

// REQUIREs `svc db check` to exit 0 with integrity "ok"; returns its counts.
nlohmann::json require_db_check(const SvcHome& home);

// How many times the sandbox received each text (GET /_sandbox/sent).
std::map<std::string, int> sent_texts(const SandboxProcess& sandbox);

// A fingerprint of every row of every table of a state file (read through SQLite, so a checkpoint that
// moves pages between the WAL and the main file does not count as a change), and the raw bytes of the
// file and its WAL. Either differs when anything was written (the content one ignores rate_buckets,
// the request budget that every HTTP request spends).
std::string content_fingerprint(const std::string& state);
std::string bytes_fingerprint(const std::string& state);

// Telegram customers who each wrote once (new names), pulled; their conversation ids.
std::vector<std::int64_t> telegram_customers(const SandboxProcess& sandbox, const SvcHome& home,
                                             const std::string& prefix, int n);

} // namespace svc::test::reliability
