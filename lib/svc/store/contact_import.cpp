// ContactRepository on SQLite: tag counts and the all-or-nothing import of a CSV's rows.
#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

Result<std::vector<TagCount>>
SqliteContactRepository::tag_counts()
{
  return guarded([&]() -> Result<std::vector<TagCount>> {
    Stmt s = m_db.prepare("SELECT t.name, count(x.contact_id), t.created_at FROM tags t"
                          " LEFT JOIN contact_tags x ON x.tag_id = t.id GROUP BY t.id ORDER BY t.name");
    std::vector<TagCount> out;
    while (s.step())
      out.push_back({s.col_text(0), s.col_int(1), s.col_int(2)});
    return out;
  });
}

Result<ImportReport>
SqliteContactRepository::import(const std::vector<ImportRow>& rows, bool skip_bad, const std::string& by)
{
  ImportReport report;
  bool rolled_back = false;
  auto done = m_store.transaction([&]() -> Status {
    report = {};
    for (const auto& row : rows) {
      if (!row.error.empty()) {
        report.bad.push_back({row.line, row.error});
        continue;
      }
      // The contact the row names: by id, or by account and platform user id; both must agree.
      Result<ContactRow> found = row.id ? get(*row.id) : find(row.account, row.platform_user_id);
      if (!found) {
        if (found.error().kind != ErrorKind::not_found)
          return std::move(found).error();
        report.bad.push_back({row.line, found.error().message});
        continue;
      }
      const ContactRow& c = *found;
      if (row.id && (!row.account.empty() || !row.platform_user_id.empty())
          && ((!row.account.empty() && row.account != c.account)
              || (!row.platform_user_id.empty() && row.platform_user_id != c.platform_user_id))) {
        report.bad.push_back({row.line, fmt::format("contact #{} is {}:{}, not {}:{}", c.id, c.account,
                                                    c.platform_user_id, row.account, row.platform_user_id)});
        continue;
      }
      nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array();
      if (row.tags) {
        std::set<std::string> want(row.tags->begin(), row.tags->end()), have(c.tags.begin(), c.tags.end());
        std::vector<std::string> add, drop;
        std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(add));
        std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(drop));
        if (!add.empty())
          SVC_CHECK(add_tags(c.id, add, "import", by));
        if (!drop.empty())
          SVC_CHECK(remove_tags(c.id, drop, by));
        added = add;
        removed = drop;
      }
      std::map<std::string, std::string> attributes;
      for (const auto& [key, value] : row.attributes) {
        auto old = c.attributes.find(key);
        if (value.empty() ? old != c.attributes.end() : old == c.attributes.end() || old->second != value)
          attributes[key] = value;
      }
      if (!attributes.empty())
        SVC_CHECK(set_attributes(c.id, attributes, by));
      if (added.empty() && removed.empty() && attributes.empty()) {
        ++report.unchanged;
        continue;
      }
      ++report.changed;
      SVC_CHECK(guarded([&]() -> Status {
        audit(c.id, by, "imported", {{"line", row.line}, {"tags_added", added}, {"tags_removed", removed},
                                     {"attributes", attributes}});
        return {};
      }));
    }
    if (!report.bad.empty() && !skip_bad) {
      rolled_back = true;
      return make_error(ErrorKind::usage, "bad rows: nothing imported"); // rolls the transaction back
    }
    return {};
  });
  if (!done && !rolled_back)
    return std::move(done).error();
  report.applied = !rolled_back;
  return report;
}

} // namespace svc::store
