#include <svc/history/search_watch.hpp>

#include <set>

namespace svc::history {

namespace {

store::SearchFilter
watch_filter(const store::WatchRow& w, std::int64_t after_id)
{
  store::SearchFilter f;
  f.inbound_only = true; // what customers wrote, not the replies
  f.channels = w.channels;
  f.after_id = after_id;
  return f;
}

// Tags the senders of `matches` (each once); returns how many did not have the tag yet.
Result<std::size_t>
tag_senders(store::Store& store, const std::vector<Match>& matches, const std::string& tag, const std::string& agent)
{
  std::size_t tagged = 0;
  if (tag.empty())
    return tagged;
  std::set<std::int64_t> contacts;
  for (const auto& m : matches)
    if (m.hit.contact_id)
      contacts.insert(*m.hit.contact_id);
  for (auto id : contacts) {
    SVC_TRY(change, store.contacts().add_tags(id, {tag}, "rule", agent));
    tagged += change.changed.size();
  }
  return tagged;
}

} // namespace

Result<WatchAdded>
add_watch(store::Store& store, const WatchSpec& spec, UnixTime now, const std::string& agent)
{
  SVC_TRY(query, parse_query(spec.query));
  auto watches = store::watches(store);
  auto index = store::search_index(store);
  WatchAdded added;
  SVC_CHECK(store.transaction([&]() -> Status {
    SVC_TRY(newest, index->max_message_id());
    store::WatchRow row;
    row.name = spec.name;
    row.query = spec.query;
    row.tag = spec.tag;
    row.channels = spec.channels;
    row.last_message_id = newest; // the backfill covers everything up to here
    row.created_at = now;
    SVC_TRY(inserted, watches->add(row));
    SVC_TRY(history, text_matches(store, query, watch_filter(row, 0)));
    SVC_TRY(tagged, tag_senders(store, history, spec.tag, agent));
    added = {inserted, history.size(), tagged};
    return {};
  }));
  return added;
}

Result<std::vector<WatchStatus>>
list_watches(store::Store& store)
{
  auto watches = store::watches(store);
  SVC_TRY(all, watches->list());
  std::vector<WatchStatus> out;
  for (auto& w : all) {
    WatchStatus s;
    // A query saved by an older svc that no longer parses matches nothing rather than failing the list.
    if (auto query = parse_query(w.query)) {
      SVC_TRY(matches, text_matches(store, *query, watch_filter(w, 0)));
      s.matches = matches.size();
      for (const auto& m : matches)
        s.fresh += m.hit.id > w.last_message_id;
    }
    s.watch = std::move(w);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<WatchRun>>
run_watches(store::Store& store, const std::string& name, UnixTime now, const std::string& agent)
{
  auto watches = store::watches(store);
  auto index = store::search_index(store);
  std::vector<WatchRun> runs;
  // One transaction (BEGIN IMMEDIATE: no pull commits in between): the matches listed, the tags and
  // the new mark agree, and a run that fails half-way moves nothing.
  SVC_CHECK(store.transaction([&]() -> Status {
    runs.clear();
    std::vector<store::WatchRow> selected;
    if (name.empty()) {
      SVC_TRY(all, watches->list());
      selected = std::move(all);
    } else {
      SVC_TRY(one, watches->get(name));
      selected.push_back(std::move(one));
    }
    SVC_TRY(newest, index->max_message_id());
    for (auto& w : selected) {
      WatchRun run;
      if (auto query = parse_query(w.query)) {
        SVC_TRY(matches, text_matches(store, *query, watch_filter(w, w.last_message_id)));
        SVC_TRY(tagged, tag_senders(store, matches, w.tag, agent));
        run.matches = std::move(matches);
        run.tagged = tagged;
      }
      SVC_CHECK(watches->advance(w.id, newest, now));
      w.last_message_id = std::max(w.last_message_id, newest);
      w.last_run_at = now;
      run.watch = std::move(w);
      runs.push_back(std::move(run));
    }
    return {};
  }));
  return runs;
}

} // namespace svc::history
