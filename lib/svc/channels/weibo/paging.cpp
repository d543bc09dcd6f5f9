#include <svc/channels/weibo/paging.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <svc/channels/json_util.hpp>

namespace svc::channels::weibo {

Result<Cursor>
parse_cursor(const std::string& text)
{
  Cursor c;
  if (text.empty()) {
    return c;
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto since = detail::int_field(j, "since");
  if (!j.is_object() || !since) {
    return make_error(ErrorKind::usage, "not a Weibo stream cursor: '{}'", text);
  }
  c.since = *since;
  c.max = detail::int_field(j, "max");
  c.high = detail::int_field(j, "high").value_or(c.since);
  return c;
}

std::string
format_cursor(const Cursor& c)
{
  nlohmann::ordered_json j;
  j["since"] = c.since;
  if (c.max) {
    j["max"] = *c.max;
    j["high"] = c.high;
  }
  return j.dump();
}

Step
advance(const Cursor& current, const std::vector<std::int64_t>& ids, std::int64_t next_cursor)
{
  Step step;
  std::int64_t high = current.max ? std::max(current.high, current.since) : current.since;
  std::optional<std::int64_t> lowest;
  bool reached_since = false;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::int64_t id = ids[i];
    lowest = lowest ? std::min(*lowest, id) : id;
    if (id <= current.since) {
      reached_since = true;
      continue;
    }
    if (current.max && id > *current.max) {
      continue; // outside the window this walk still owes; already stored or owed to the next walk
    }
    step.keep.push_back(i);
    high = std::max(high, id);
  }
  bool ended = next_cursor <= 0 || ids.empty() || reached_since || next_cursor <= current.since;
  if (ended) {
    step.next.since = high;
    step.done = true;
    return step;
  }
  // Continue below both the platform's cursor and everything this page held, so that a platform
  // that repeats itself cannot keep the walk in place.
  std::int64_t next_max = next_cursor;
  if (lowest) {
    next_max = std::min(next_max, *lowest - 1);
  }
  if (current.max) {
    next_max = std::min(next_max, *current.max);
  }
  if (next_max <= current.since) {
    step.next.since = high;
    step.done = true;
    return step;
  }
  step.next.since = current.since;
  step.next.max = next_max;
  step.next.high = high;
  step.done = false;
  return step;
}

} // namespace svc::channels::weibo
