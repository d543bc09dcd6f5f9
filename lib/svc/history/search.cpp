#include <svc/history/search.hpp>

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include <svc/core/time.hpp>

namespace svc::history {

namespace {

bool
has_long_term(const Query& q)
{
  for (const auto& t : q.terms) {
    std::size_t chars = 0;
    for (unsigned char c : t.text)
      chars += (c & 0xC0) != 0x80;
    if (chars >= 3)
      return true;
  }
  return false;
}

Match
make_match(const store::SearchHit& hit, const Query& query, bool by_contact)
{
  return Match{hit, by_contact, snippet(hit.text, query)};
}

} // namespace

Result<std::vector<Match>>
search(store::Store& store, const Query& query, const store::SearchFilter& filter, int limit)
{
  auto index = store::search_index(store);
  auto terms = query.texts();
  std::size_t wanted = static_cast<std::size_t>(std::max(limit, 0));
  std::vector<Match> found;
  std::unordered_set<std::int64_t> seen;
  if (wanted == 0)
    return found;
  // The index finds substrings; the query's word boundaries are checked here. Each source stops at
  // `limit` accepted matches: the best `limit` of the union are among them.
  SVC_CHECK(index->messages(terms, filter, store::SearchOrder::rank, [&](const store::SearchHit& hit) {
    if (matches_all(hit.text, query) && seen.insert(hit.id).second)
      found.push_back(make_match(hit, query, false));
    return found.size() < wanted;
  }));
  std::size_t by_text = found.size();
  SVC_CHECK(index->by_contact(terms, filter, [&](const store::SearchHit& hit) {
    if (matches_all(hit.contact_name + "\n" + hit.contact_username, query) && seen.insert(hit.id).second)
      found.push_back(make_match(hit, query, true));
    return found.size() - by_text < wanted;
  }));
  bool ranked = has_long_term(query);
  std::stable_sort(found.begin(), found.end(), [ranked](const Match& a, const Match& b) {
    if (ranked && a.hit.score != b.hit.score)
      return a.hit.score < b.hit.score;
    return a.hit.id > b.hit.id;
  });
  if (found.size() > wanted)
    found.resize(wanted);
  return found;
}

Result<std::vector<Match>>
text_matches(store::Store& store, const Query& query, const store::SearchFilter& filter)
{
  auto index = store::search_index(store);
  std::vector<Match> found;
  SVC_CHECK(index->messages(query.texts(), filter, store::SearchOrder::oldest, [&](const store::SearchHit& hit) {
    if (matches_all(hit.text, query))
      found.push_back(make_match(hit, query, false));
    return true;
  }));
  return found;
}

nlohmann::json
match_json(const Match& m)
{
  const auto& h = m.hit;
  nlohmann::json contact = nullptr;
  if (h.contact_id)
    contact = {{"id", *h.contact_id}, {"name", h.contact_name}, {"platform_user_id", h.contact_platform_id}};
  return {{"id", h.id},
          {"conversation_id", h.conversation_id},
          {"account", h.account},
          {"platform", h.platform},
          {"channel", h.channel},
          {"direction", h.direction},
          {"author", h.author},
          {"text", h.text},
          {"created_at", format_iso(h.created_at)},
          {"platform_message_id", h.platform_message_id},
          {"reply_to", h.reply_to.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.reply_to)},
          {"contact", contact},
          {"matched", m.by_contact ? "contact" : "text"},
          {"snippet", render_snippet(m.snippet, "**", "**")}};
}

void
print_match(const io::Streams& io, const Match& m, const std::string& label)
{
  const auto& h = m.hit;
  // grep's colours: the match bold red, the name of the thing bold.
  std::string_view on = io.color ? "\033[1;31m" : "", off = io.color ? "\033[0m" : "";
  std::string_view bold = io.color ? "\033[1m" : "";
  bool inbound = h.direction == "in";
  std::string who = inbound && !h.author.empty() ? h.author : h.contact_name;
  if (m.by_contact)
    who = fmt::format("{}{}{}", on, who, off);
  std::string head = label.empty() ? "" : fmt::format("{}{}{}  ", bold, label, off);
  io.out << head << fmt::format("{}#{}{}  {}  {} {}  {} {}  conversation #{}\n", bold, h.id, off,
                                format_iso(h.created_at), h.account, h.channel, inbound ? "from" : "to",
                                who.empty() ? "?" : who, h.conversation_id)
         << "    " << render_snippet(m.snippet, on, off) << '\n';
}

} // namespace svc::history
