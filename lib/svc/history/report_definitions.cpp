#include <svc/history/report_definitions.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include <svc/core/time.hpp>

namespace svc::history {

namespace {

constexpr std::string_view k_preamble =
  "Window: from --since (default: the start of the history) to --until (default: now), in UTC. A message "
  "counts in it by its time (created_at), an inquiry by its arrival, a turn by its start. What became of an "
  "inquiry is followed up to now: an answer or resolution after --until still counts for it.\n"
  "Inquiry (the unit of the time figures, the same as `svc simulate --replay`): a conversation's first inbound "
  "message, or its first inbound message after the conversation was resolved (a returning customer). It is "
  "answered by the first outbound message after it (an agent's or the bot's, sent through svc or on the "
  "platform and pulled), and ends at the next resolution (svc resolve). Further customer messages while it is "
  "open belong to it. A conversation that comes back after a resolution counts once in conversations but once "
  "per return in inquiries. An outbound message while no inquiry is open (a proactive send, an agent writing "
  "to a resolved conversation) counts in outbound only: it answers nothing and reopens nothing.\n"
  "Turn: inside an inquiry, from the customer's first message not yet answered to the next outbound message.\n"
  "First response is measured from the inquiry's first inbound message (its creation), not from a bot's "
  "hand-over: time a customer spends with the bot counts against the team. A bot reply is a response (it is "
  "what the customer saw); bot_answered and deflected tell the bot's share apart.\n"
  "Clock skew: customers' messages carry the platform's clock, replies sent by svc this machine's clock. A "
  "reply sent through svc is placed after every message svc had stored before sending it (those are what it "
  "answered), so a reply stamped before its question counts as an answer after 0 s, never as a negative time "
  "or a missed inquiry. Every time is clamped at 0 s.\n"
  "Statistics: median and p90 are nearest-rank (an observed value: the smallest with at least 50% or 90% of "
  "the samples at or below it); means are rounded to 0.1 s and shares to 4 decimals; a figure without samples is null (- in tables). "
  "Shares are 0..1 in JSON and CSV, percentages in tables. Durations are seconds in JSON and CSV.\n"
  "Groups: --by account or channel: the conversation's. --by day: the UTC day of the message, of the "
  "inquiry's arrival, or of the turn's start. --by agent: an outbound message and an answered turn go to the "
  "agent who sent the reply ((unknown) when the platform did not say who); an inquiry and its inbound "
  "messages go to the agent of its first response or, unanswered, to the conversation's assignee now ((none) "
  "when unassigned). The last row (group null; TOTAL in tables) counts everything once.";

constexpr std::array k_definitions = {
  FigureDefinition{"by", "text", "What the rows are grouped by: account, channel, agent or day (--by)."},
  FigureDefinition{"group", "text",
                   "The row's account name, channel (dm, comment, mention), agent, or UTC day (YYYY-MM-DD); null "
                   "in the last row, the total over all groups."},
  FigureDefinition{"inbound", "count", "Customers' messages (direction in) created in the window."},
  FigureDefinition{"outbound", "count",
                   "Outbound messages created in the window: agents' and the bot's replies, proactive sends, and "
                   "replies made on the platform itself and pulled."},
  FigureDefinition{"bot_replies", "count",
                   "Outbound messages in the window sent by the bot (agent \"bot\"; outbox kind \"bot\")."},
  FigureDefinition{"conversations", "count",
                   "Conversations with at least one message (in or out) in the window, once per group."},
  FigureDefinition{"inquiries", "count", "Inquiries that arrived in the window."},
  FigureDefinition{"answered", "count", "Inquiries of the window answered by now (they have a first response)."},
  FigureDefinition{"first_response_median_s", "seconds",
                   "First response time, median: from an inquiry's first inbound message to the first outbound "
                   "message after it, over the window's answered inquiries."},
  FigureDefinition{"first_response_p90_s", "seconds", "First response time, 90th percentile (as above)."},
  FigureDefinition{"first_response_mean_s", "seconds", "First response time, mean (as above)."},
  FigureDefinition{"replies", "count", "Turns that started in the window and were answered by now."},
  FigureDefinition{"reply_median_s", "seconds",
                   "Reply time, median: from the customer's first unanswered message of a turn to the next "
                   "outbound message, over every answered turn that started in the window (an inquiry's first "
                   "turn, whose reply time is its first response time, and every follow-up turn)."},
  FigureDefinition{"reply_p90_s", "seconds", "Reply time, 90th percentile (as above)."},
  FigureDefinition{"reply_mean_s", "seconds", "Reply time, mean (as above)."},
  FigureDefinition{"sla_s", "seconds", "The service-level target: --sla (default 5m)."},
  FigureDefinition{"sla_met", "count", "Inquiries of the window whose first response took at most sla_s."},
  FigureDefinition{"sla_rate", "share",
                   "sla_met / decided inquiries. Decided: answered (in time or late), or abandoned. An inquiry "
                   "still unanswered now but younger than sla_s can still make it: it is left out."},
  FigureDefinition{"abandoned", "count",
                   "Inquiries of the window that were never answered: resolved without any outbound message "
                   "after them, or still unanswered now, more than sla_s after they arrived. An inquiry answered "
                   "late is not abandoned; it counts against sla_rate."},
  FigureDefinition{"abandon_rate", "share", "abandoned / decided inquiries (as for sla_rate)."},
  FigureDefinition{"resolved", "count", "Inquiries of the window ended by a resolution by now."},
  FigureDefinition{"resolution_rate", "share", "resolved / inquiries."},
  FigureDefinition{"resolution_median_s", "seconds",
                   "Resolution time, median: from an inquiry's first inbound message to the resolution that "
                   "ended it, over the window's resolved inquiries."},
  FigureDefinition{"resolution_p90_s", "seconds", "Resolution time, 90th percentile (as above)."},
  FigureDefinition{"resolution_mean_s", "seconds", "Resolution time, mean (as above)."},
  FigureDefinition{"backlog", "count",
                   "Now, whatever the window: conversations not resolved whose customer's latest turn is still "
                   "unanswered. Grouped by the conversation's account or channel, its assignee now (--by agent), "
                   "or the day its wait began (--by day)."},
  FigureDefinition{"bot_answered", "count",
                   "Inquiries of the window answered by the bot alone: at least one bot reply and no outbound "
                   "message from anyone else while it was open."},
  FigureDefinition{"deflected", "count",
                   "bot_answered inquiries the customer did not come back from: no inbound message and no "
                   "reopening of the conversation within --deflection-window (default 24h) after the bot's last "
                   "reply."},
  FigureDefinition{"deflection_rate", "share",
                   "deflected / inquiries of the window, leaving out bot_answered ones whose deflection window is "
                   "still running."},
};

// Greedy word wrap with a hanging indent.
void
wrap(std::ostringstream& out, std::string_view text, std::size_t width, std::string_view indent)
{
  std::size_t col = 0;
  while (!text.empty()) {
    std::size_t sp = text.find(' ');
    std::string_view word = text.substr(0, sp);
    text = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
    if (col == 0) {
      out << indent << word;
      col = indent.size() + word.size();
    } else if (col + 1 + word.size() > width) {
      out << '\n' << indent << word;
      col = indent.size() + word.size();
    } else {
      out << ' ' << word;
      col += 1 + word.size();
    }
  }
  out << '\n';
}

nlohmann::json
opt(const std::optional<std::int64_t>& v)
{
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json
opt(const std::optional<double>& v, double scale)
{
  return v ? nlohmann::json(std::round(*v * scale) / scale) : nlohmann::json(nullptr);
}

} // namespace

std::span<const FigureDefinition>
report_definitions()
{
  return k_definitions;
}

std::string_view
report_preamble()
{
  return k_preamble;
}

std::string
report_definitions_text(std::size_t width)
{
  std::ostringstream out;
  std::string_view rest = k_preamble;
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    wrap(out, rest.substr(0, nl), width, "");
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  out << "\nFigures (JSON field, unit):\n";
  for (const auto& d : k_definitions) {
    out << "  " << d.name << " (" << d.unit << ")\n";
    wrap(out, d.definition, width, "      ");
  }
  return out.str();
}

std::string
human_seconds(const std::optional<std::int64_t>& seconds)
{
  if (!seconds)
    return "-";
  std::int64_t s = std::max<std::int64_t>(0, *seconds);
  if (s < 3600 && s >= 60)
    return fmt::format("{}m {:02}s", s / 60, s % 60);
  return format_elapsed(s);
}

std::string
human_share(const std::optional<double>& share)
{
  if (!share)
    return "-";
  return fmt::format("{:.1f}%", *share * 100);
}

nlohmann::json
report_row_json(const ReportRow& row, const ReportOptions& options)
{
  nlohmann::json j = nlohmann::json::object();
  j["by"] = to_string(options.by);
  j["group"] = row.group ? nlohmann::json(*row.group) : nlohmann::json(nullptr);
  j["inbound"] = row.inbound;
  j["outbound"] = row.outbound;
  j["bot_replies"] = row.bot_replies;
  j["conversations"] = row.conversations;
  j["inquiries"] = row.inquiries;
  j["answered"] = row.first_response.count;
  j["first_response_median_s"] = opt(row.first_response.median);
  j["first_response_p90_s"] = opt(row.first_response.p90);
  j["first_response_mean_s"] = opt(row.first_response.mean, 10);
  j["replies"] = row.reply.count;
  j["reply_median_s"] = opt(row.reply.median);
  j["reply_p90_s"] = opt(row.reply.p90);
  j["reply_mean_s"] = opt(row.reply.mean, 10);
  j["sla_s"] = options.sla_s;
  j["sla_met"] = row.sla_met;
  j["sla_rate"] = opt(row.sla_rate, 10000);
  j["abandoned"] = row.abandoned;
  j["abandon_rate"] = opt(row.abandon_rate, 10000);
  j["resolved"] = row.resolved;
  j["resolution_rate"] = opt(row.resolution_rate, 10000);
  j["resolution_median_s"] = opt(row.resolution.median);
  j["resolution_p90_s"] = opt(row.resolution.p90);
  j["resolution_mean_s"] = opt(row.resolution.mean, 10);
  j["backlog"] = row.backlog;
  j["bot_answered"] = row.bot_answered;
  j["deflected"] = row.deflected;
  j["deflection_rate"] = opt(row.deflection_rate, 10000);
  return j;
}

} // namespace svc::history
