// SimulationSource on SQLite: two reads (the messages and resolutions of conversations active in the
// window, in time order) folded into inquiries in one pass.
#include <svc/store/simulation_source.hpp>

#include <algorithm>
#include <map>
#include <string>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

struct Event {
  UnixTime at = 0;
  std::int64_t order = 0;  // message id, or resolution's audit id; ties: messages before a resolution
  enum Kind { inbound, outbound, resolved } kind = inbound;
};

class SqliteSimulationSource final : public SimulationSource
{
public:
  explicit SqliteSimulationSource(Db& db) : m_db(db) {}

  Result<std::vector<InquiryRow>> inquiries(UnixTime since, UnixTime until, std::string_view vip_tag) override
  {
    return guarded([&]() -> Result<std::vector<InquiryRow>> {
      // The conversations with an inbound message in the window, with what routing needs.
      std::map<std::int64_t, InquiryRow> conversations;
      Stmt c = m_db.prepare(
        "SELECT c.id, coalesce(-ct.person_id, c.contact_id, 0), c.channel, coalesce(g.name, ''),"
        " EXISTS (SELECT 1 FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
        "         WHERE x.contact_id = c.contact_id AND t.name = ?3)"
        " FROM conversations c LEFT JOIN contacts ct ON ct.id = c.contact_id"
        " LEFT JOIN groups g ON g.id = c.group_id"
        " WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in'"
        "               AND m.created_at >= ?1 AND m.created_at < ?2)");
      c.bind(1, since).bind(2, until).bind(3, vip_tag);
      while (c.step()) {
        InquiryRow r;
        r.conversation_id = c.col_int(0);
        r.contact = c.col_int(1);
        r.channel = c.col_text(2);
        r.group = c.col_text(3);
        r.vip = c.col_int(4) != 0;
        conversations.emplace(r.conversation_id, std::move(r));
      }
      // Every message and resolution of those conversations up to the window's end (an inquiry
      // opened before the window decides whether a message in it starts a new one).
      std::map<std::int64_t, std::vector<Event>> events;
      constexpr const char* active = "(SELECT conversation_id FROM messages WHERE direction = 'in'"
                                     " AND created_at >= ?1 AND created_at < ?2)";
      Stmt m = m_db.prepare(std::string("SELECT conversation_id, created_at, id, direction FROM messages"
                                        " WHERE created_at < ?2 AND conversation_id IN ") + active);
      m.bind(1, since).bind(2, until);
      while (m.step())
        if (conversations.count(m.col_int(0)))
          events[m.col_int(0)].push_back(
            {m.col_int(1), m.col_int(2), m.col_text(3) == "in" ? Event::inbound : Event::outbound});
      Stmt a = m_db.prepare(std::string("SELECT conversation_id, at, id FROM audit_log WHERE action = 'resolved'"
                                        " AND conversation_id IN ") + active);
      a.bind(1, since).bind(2, until);
      while (a.step())
        if (conversations.count(a.col_int(0)))
          events[a.col_int(0)].push_back({a.col_int(1), a.col_int(2), Event::resolved});

      std::vector<InquiryRow> out;
      for (auto& [id, list] : events) {
        std::stable_sort(list.begin(), list.end(), [](const Event& x, const Event& y) {
          if (x.at != y.at)
            return x.at < y.at;
          if ((x.kind == Event::resolved) != (y.kind == Event::resolved))
            return y.kind == Event::resolved;
          return x.order < y.order;
        });
        const InquiryRow& base = conversations.at(id);
        // The inquiry in progress, when is_open. (Not a std::optional: g++ 12 at -O3 reports a false
        // -Wmaybe-uninitialized on an optional of a struct with strings.)
        InquiryRow open;
        bool is_open = false;
        auto close = [&] {
          if (is_open && open.arrived_at >= since)
            out.push_back(open);
          is_open = false;
        };
        for (const Event& e : list) {
          switch (e.kind) {
          case Event::inbound:
            if (!is_open) {
              open = base;
              open.arrived_at = e.at;
              is_open = true;
            }
            break;
          case Event::outbound:
            if (is_open && !open.answered_at)
              open.answered_at = e.at;
            break;
          case Event::resolved:
            if (is_open) {
              open.resolved_at = e.at;
              close();
            }
            break;
          }
        }
        close();
      }
      std::sort(out.begin(), out.end(), [](const InquiryRow& x, const InquiryRow& y) {
        return x.arrived_at != y.arrived_at ? x.arrived_at < y.arrived_at : x.conversation_id < y.conversation_id;
      });
      return out;
    });
  }

private:
  Db& m_db;
};

} // namespace

std::unique_ptr<SimulationSource>
simulation_source(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteSimulationSource>(dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
