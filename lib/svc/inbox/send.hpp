// `svc send`: proactive messages from one account to some of its contacts, each through the platform's
// own send API (the channel's send() of a private message without reply_to: Weibo fans-service
// messages/reply, WeChat message/custom/send, Telegram sendMessage).
//
// A run is resumable. Its key (given, or derived from the account, the targets and the message) marks
// one outbox row per contact, recorded before the message goes out. Running the same command again
// sends only to the contacts the run has not reached: a row that was sent, or whose outcome is unknown
// (the connection broke after the request went out), is skipped and reported, never sent again; a row
// the platform refused (failed) or never tried (pending) is tried again. Contacts outside the
// platform's window (send_window.hpp) are reported and not attempted.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <svc/channels/channel.hpp>
#include <svc/store/store.hpp>

namespace svc::inbox {

struct SendRequest {
  domain::Account account;
  std::vector<std::string> to;   // svc contact ids, platform user ids, or ACCOUNT:PLATFORM_USER_ID
  std::string tag;               // or: every contact of the account with this tag
  std::string text;              // the message, or
  std::string template_name;     // a template, rendered for each contact
  std::vector<std::string> vars; // --var KEY=VALUE for the template
  std::string agent;             // --as, for {agent} and the outbox
  std::string run_key;           // "" derives one
  bool allow_guard = false;      // --allow-guard: send texts the brand guard bans
};

enum class SendStatus { would_send, sent, skipped, failed, unknown };
std::string_view to_string(SendStatus status);

struct SendTarget {
  store::OutreachContact contact;
  std::string text;                      // what they get ("" when skipped before rendering)
  SendStatus status = SendStatus::would_send;
  std::string reason;                    // why skipped, failed or unknown
  std::optional<std::int64_t> outbox_id; // the run's row for this contact, once there is one
  std::optional<Error> error;            // failed or unknown: the platform's error
};

struct SendPlan {
  domain::Account account;
  std::string run_key;
  std::string agent;
  std::vector<SendTarget> targets;
  bool interrupted = false; // set by execute_send when it stopped before the end
};

// The checks that need no state file: one of --to/--tag, one of --text/--template, --var only with a
// template (usage, exit 2).
Status check_send_request(const SendRequest& request);

// Whom the request reaches and with what, and who is skipped and why (already sent in this run, outcome
// unknown, outside the platform's window, a template variable the contact lacks). Records nothing.
// Errors: usage (exit 2) for a bad request or template, not_found (exit 3) for an unknown contact, tag
// or template; failed (exit 1) when the brand guard bans a text it would send (unless allow_guard), so
// a run is refused before anything is recorded.
Result<SendPlan> plan_send(store::Store& store, const SendRequest& request, UnixTime now);

// The run key svc derives when none is given: the same account, targets and message give the same
// key (the order of --to and --var does not matter); anything else another.
std::string derive_run_key(const SendRequest& request, const std::vector<std::int64_t>& contact_ids);

struct SendHooks {
  double rate_per_second = 0;                     // 0: as fast as the platform takes them
  std::function<double()> now;                    // a monotonic clock in seconds (pacing)
  std::function<bool(double seconds)> wait;       // sleeps; false when interrupted (Ctrl-C)
  std::function<bool()> cancelled;                // true once interrupted
  std::function<void(const SendTarget&)> done;    // after each attempt (progress, errors)
};

// Sends to the plan's would_send targets one by one, paced, each recorded in the outbox before it goes
// out, and updates each target's status. A refusal of one message (a platform error about that
// customer) does not stop the run; an authentication or temporary failure does, leaving the rest
// unattempted (skipped, resumable). Only a state-file error is returned.
Status execute_send(store::Store& store, channels::Channel& channel, SendPlan& plan, const SendHooks& hooks);

struct SendSummary {
  int would_send = 0, sent = 0, skipped = 0, failed = 0, unknown = 0;
};
SendSummary summarize(const SendPlan& plan);

// The command's result: ok when every target was sent or skipped by rule; partial (exit 8) when some
// failed (or the run was interrupted) and some were sent; the first failure's kind when none was sent.
Status send_outcome(const SendPlan& plan);

} // namespace svc::inbox
