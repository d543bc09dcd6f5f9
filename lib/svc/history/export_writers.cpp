#include <svc/history/export_writers.hpp>

#include <algorithm>
#include <iterator>

#include <svc/core/time.hpp>
#include <svc/history/export_text.hpp>

namespace svc::history {

namespace {

using store::ExportConversation;
using store::ExportMessage;

// ISO 8601 times, formatted through format_iso once per day and by arithmetic within it: a million
// rows span few days.
class IsoTimes
{
public:
  void append(std::string& out, UnixTime t)
  {
    UnixTime day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    if (day != m_day || m_date.empty()) {
      m_day = day;
      m_date = format_iso(day * 86400).substr(0, 11); // "2026-11-22T"
    }
    auto s = static_cast<int>(t - day * 86400);
    char hms[9] = {char('0' + s / 36000), char('0' + s / 3600 % 10), ':', char('0' + s % 3600 / 600),
                   char('0' + s % 3600 / 60 % 10), ':', char('0' + s % 60 / 10), char('0' + s % 10), 'Z'};
    out += m_date;
    out.append(hms, sizeof hms);
  }
  std::string text(UnixTime t)
  {
    std::string out;
    append(out, t);
    return out;
  }

private:
  UnixTime m_day = 0;
  std::string m_date;
};

// Tags and agents come as names separated by U+001F.
template <class F>
void
each_name(std::string_view joined, F f)
{
  while (!joined.empty()) {
    auto at = joined.find('\x1f');
    f(joined.substr(0, at));
    if (at == std::string_view::npos)
      break;
    joined.remove_prefix(at + 1);
  }
}

std::string
joined_names(std::string_view joined, std::string_view separator)
{
  std::string out;
  each_name(joined, [&](std::string_view name) {
    if (!out.empty())
      out += separator;
    out += name;
  });
  return out;
}

std::optional<std::int64_t>
resolution_s(const ExportConversation& c)
{
  if (!c.resolved_at)
    return std::nullopt;
  return std::max<std::int64_t>(0, *c.resolved_at - c.first_inbound_at.value_or(c.created_at));
}

std::optional<std::int64_t>
first_response_s(const ExportConversation& c)
{
  if (!c.first_response_at || !c.first_inbound_at)
    return std::nullopt;
  return *c.first_response_at - *c.first_inbound_at;
}

// ---- JSON lines -------------------------------------------------------------------------------------

class JsonWriter : public ExportWriter
{
protected:
  using ExportWriter::ExportWriter;

  void key(std::string_view k)
  {
    m_buf += m_first ? "\"" : ",\"";
    m_buf += k;
    m_buf += "\":";
    m_first = false;
  }
  void open()
  {
    m_buf += '{';
    m_first = true;
  }
  void field(std::string_view k, std::string_view v)
  {
    key(k);
    append_json_string(m_buf, v);
  }
  void field_or_null(std::string_view k, std::string_view v)
  {
    key(k);
    if (v.empty())
      m_buf += "null";
    else
      append_json_string(m_buf, v);
  }
  void field(std::string_view k, std::int64_t v)
  {
    key(k);
    append_int(m_buf, v);
  }
  void field(std::string_view k, std::optional<std::int64_t> v)
  {
    key(k);
    if (v)
      append_int(m_buf, *v);
    else
      m_buf += "null";
  }
  void time(std::string_view k, std::optional<UnixTime> t)
  {
    key(k);
    if (!t) {
      m_buf += "null";
      return;
    }
    m_buf += '"';
    m_times.append(m_buf, *t);
    m_buf += '"';
  }
  void names(std::string_view k, std::string_view joined)
  {
    key(k);
    m_buf += '[';
    bool first = true;
    each_name(joined, [&](std::string_view name) {
      if (!first)
        m_buf += ',';
      first = false;
      append_json_string(m_buf, name);
    });
    m_buf += ']';
  }
  void contact(std::optional<std::int64_t> id, std::string_view name, std::string_view platform_user_id)
  {
    key("contact");
    bool outer = m_first;
    open();
    field("id", id);
    field_or_null("name", name);
    field_or_null("platform_user_id", platform_user_id);
    m_buf += '}';
    m_first = outer;
  }

  bool m_first = true;
  IsoTimes m_times;
};

// The fields of a `svc show` message, then account, platform, conversation_id and contact.
class JsonlMessages final : public JsonWriter
{
public:
  using JsonWriter::JsonWriter;
  void message(const ExportMessage& m) override
  {
    open();
    field("id", m.id);
    field("direction", m.direction);
    field("channel", m.channel);
    field_or_null("author", m.author);
    field("text", m.text);
    time("created_at", m.created_at);
    field_or_null("platform_message_id", m.platform_message_id);
    field_or_null("reply_to", m.reply_to);
    field("account", m.account);
    field("platform", m.platform);
    field("conversation_id", m.conversation_id);
    contact(m.contact_id, m.contact_name, m.contact_platform_user_id);
    m_buf += "}\n";
  }
};

class JsonlConversations final : public JsonWriter
{
public:
  using JsonWriter::JsonWriter;
  void conversation(const ExportConversation& c) override
  {
    open();
    field("id", c.id);
    field("account", c.account);
    field("platform", c.platform);
    field("channel", c.channel);
    contact(c.contact_id, c.contact_name, c.contact_platform_user_id);
    field("status", c.status);
    field_or_null("assignee", c.assignee);
    field_or_null("group", c.group);
    names("tags", c.tags);
    names("agents", c.agents);
    time("created_at", c.created_at);
    time("first_inbound_at", c.first_inbound_at);
    time("first_response_at", c.first_response_at);
    field("first_response_s", first_response_s(c));
    time("resolved_at", c.resolved_at);
    field("resolution_s", resolution_s(c));
    field("messages_in", c.messages_in);
    field("messages_out", c.messages_out);
    field("reopen_count", c.reopen_count);
    m_buf += "}\n";
  }
};

// ---- CSV (RFC 4180: CRLF, a header of the JSON field names, nested ones dotted) ----------------------

class CsvWriter : public ExportWriter
{
public:
  CsvWriter(std::ostream& out, bool bom, std::string_view header) : ExportWriter(out), m_bom(bom), m_header(header) {}
  void begin() override
  {
    if (m_bom)
      m_buf += "\xEF\xBB\xBF";
    m_buf += m_header;
    m_buf += "\r\n";
  }

protected:
  void text(std::string_view v)
  {
    sep();
    append_csv(m_buf, v);
  }
  void number(std::optional<std::int64_t> v)
  {
    sep();
    if (v)
      append_int(m_buf, *v);
  }
  void time(std::optional<UnixTime> t)
  {
    sep();
    if (t)
      m_times.append(m_buf, *t);
  }
  void end_row()
  {
    m_buf += "\r\n";
    m_first = true;
  }

private:
  void sep()
  {
    if (!m_first)
      m_buf += ',';
    m_first = false;
  }
  bool m_bom;
  std::string_view m_header;
  bool m_first = true;
  IsoTimes m_times;
};

class CsvMessages final : public CsvWriter
{
public:
  CsvMessages(std::ostream& out, bool bom)
    : CsvWriter(out, bom,
                "id,direction,channel,author,text,created_at,platform_message_id,reply_to,account,platform,"
                "conversation_id,contact.id,contact.name,contact.platform_user_id")
  {
  }
  void message(const ExportMessage& m) override
  {
    number(m.id);
    text(m.direction);
    text(m.channel);
    text(m.author);
    text(m.text);
    time(m.created_at);
    text(m.platform_message_id);
    text(m.reply_to);
    text(m.account);
    text(m.platform);
    number(m.conversation_id);
    number(m.contact_id);
    text(m.contact_name);
    text(m.contact_platform_user_id);
    end_row();
  }
};

class CsvConversations final : public CsvWriter
{
public:
  CsvConversations(std::ostream& out, bool bom)
    : CsvWriter(out, bom,
                "id,account,platform,channel,contact.id,contact.name,contact.platform_user_id,status,assignee,"
                "group,tags,agents,created_at,first_inbound_at,first_response_at,first_response_s,resolved_at,"
                "resolution_s,messages_in,messages_out,reopen_count")
  {
  }
  void conversation(const ExportConversation& c) override
  {
    number(c.id);
    text(c.account);
    text(c.platform);
    text(c.channel);
    number(c.contact_id);
    text(c.contact_name);
    text(c.contact_platform_user_id);
    text(c.status);
    text(c.assignee);
    text(c.group);
    text(joined_names(c.tags, ";")); // as `svc contact export` joins tags
    text(joined_names(c.agents, ";"));
    time(c.created_at);
    time(c.first_inbound_at);
    time(c.first_response_at);
    number(first_response_s(c));
    time(c.resolved_at);
    number(resolution_s(c));
    number(c.messages_in);
    number(c.messages_out);
    number(c.reopen_count);
    end_row();
  }
};

// ---- HTML: one self-contained page; no script, no external resource (the CSP forbids any). Void
// elements are self-closed, so the page is also well-formed XML that any XML parser can read back. ---

constexpr std::string_view k_html_head = R"(<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>svc export</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1d2329; background: #fafbfc; }
h1 { font-size: 1.4rem; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 0.5rem 1.2rem 1rem; margin: 1.5rem 0; }
h2 { font-size: 1.1rem; margin-bottom: 0.2rem; }
.meta { color: #5f6b7a; font-size: 0.85rem; margin-top: 0; }
.msg { margin: 0.7rem 0; padding: 0.45rem 0.75rem; border-radius: 8px; max-width: 85%; }
.in { background: #eef1f4; }
.out { background: #dcefff; margin-left: auto; }
.who { font-weight: 600; font-size: 0.85rem; }
time { color: #5f6b7a; font-size: 0.8rem; margin-left: 0.5rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 0.15rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; background: #fff; }
th, td { border: 1px solid #dde1e6; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
</style>
</head>
<body>
)";

class HtmlWriter : public ExportWriter
{
public:
  using ExportWriter::ExportWriter;
  void begin() override { m_buf += k_html_head; }

protected:
  void html(std::string_view s) { append_html(m_buf, s); }
  IsoTimes m_times;
};

// A transcript per conversation, in time order.
class HtmlMessages final : public HtmlWriter
{
public:
  using HtmlWriter::HtmlWriter;
  void begin() override
  {
    HtmlWriter::begin();
    m_buf += "<h1>Conversations</h1>\n";
  }
  void message(const ExportMessage& m) override
  {
    if (!m_open || m.conversation_id != m_conversation) {
      close_section();
      m_open = true;
      m_conversation = m.conversation_id;
      m_buf += "<section id=\"c";
      append_int(m_buf, m.conversation_id);
      m_buf += "\">\n<h2>#";
      append_int(m_buf, m.conversation_id);
      m_buf += " · ";
      html(m.contact_name.empty() ? m.contact_platform_user_id : m.contact_name);
      m_buf += "</h2>\n<p class=\"meta\">";
      html(m.account);
      m_buf += " (";
      html(m.platform);
      m_buf += ") · ";
      html(m.channel);
      m_buf += " · ";
      html(m.conversation_status);
      if (!m.contact_platform_user_id.empty()) {
        m_buf += " · user ";
        html(m.contact_platform_user_id);
      }
      m_buf += "</p>\n";
    }
    bool in = m.direction == "in";
    m_buf += in ? "<div class=\"msg in\"" : "<div class=\"msg out\"";
    m_buf += " id=\"m";
    append_int(m_buf, m.id);
    m_buf += "\"><div class=\"who\">";
    if (m.author.empty())
      m_buf += in ? "customer" : "agent";
    else
      html(m.author);
    m_buf += "<time datetime=\"";
    std::size_t at = m_buf.size();
    m_times.append(m_buf, m.created_at);
    std::string stamp = m_buf.substr(at);
    m_buf += "\">";
    m_buf += stamp;
    m_buf += "</time></div><div class=\"text\">";
    html(m.text);
    m_buf += "</div></div>\n";
  }
  void end() override
  {
    close_section();
    if (!m_open)
      m_buf += "<p class=\"meta\">No messages.</p>\n";
    m_buf += "</body>\n</html>\n";
    flush();
  }

private:
  void close_section()
  {
    if (m_open)
      m_buf += "</section>\n";
  }
  bool m_open = false;
  std::int64_t m_conversation = 0;
};

const char* const k_conversation_headers[] = {"#", "account", "channel", "contact", "status", "assignee", "tags",
                                              "agents", "created", "first response", "resolution", "in", "out",
                                              "reopened"};

// The figures of each conversation, shared by the HTML and Markdown tables.
struct ConversationCells {
  std::string cells[14];
  ConversationCells(const ExportConversation& c, IsoTimes& times)
  {
    cells[0] = std::to_string(c.id);
    cells[1] = std::string(c.account) + " (" + std::string(c.platform) + ")";
    cells[2] = std::string(c.channel);
    cells[3] = std::string(c.contact_name.empty() ? c.contact_platform_user_id : c.contact_name);
    cells[4] = std::string(c.status);
    cells[5] = std::string(c.assignee);
    cells[6] = joined_names(c.tags, ", ");
    cells[7] = joined_names(c.agents, ", ");
    cells[8] = times.text(c.created_at);
    if (auto s = first_response_s(c))
      cells[9] = format_elapsed(*s);
    if (auto s = resolution_s(c))
      cells[10] = format_elapsed(*s);
    cells[11] = std::to_string(c.messages_in);
    cells[12] = std::to_string(c.messages_out);
    cells[13] = std::to_string(c.reopen_count);
  }
};

class HtmlConversations final : public HtmlWriter
{
public:
  using HtmlWriter::HtmlWriter;
  void begin() override
  {
    HtmlWriter::begin();
    m_buf += "<h1>Conversations</h1>\n<table>\n<tr>";
    for (const char* h : k_conversation_headers) {
      m_buf += "<th>";
      m_buf += h;
      m_buf += "</th>";
    }
    m_buf += "</tr>\n";
  }
  void conversation(const ExportConversation& c) override
  {
    ConversationCells row(c, m_times);
    m_buf += "<tr>";
    for (const auto& cell : row.cells) {
      m_buf += "<td>";
      html(cell);
      m_buf += "</td>";
    }
    m_buf += "</tr>\n";
  }
  void end() override
  {
    m_buf += "</table>\n</body>\n</html>\n";
    flush();
  }
};

// ---- Markdown ----------------------------------------------------------------------------------------

class MdMessages final : public ExportWriter
{
public:
  using ExportWriter::ExportWriter;
  void begin() override { m_buf += "# Conversations\n\n"; }
  void message(const ExportMessage& m) override
  {
    if (!m_open || m.conversation_id != m_conversation) {
      m_open = true;
      m_conversation = m.conversation_id;
      m_buf += "## Conversation #";
      append_int(m_buf, m.conversation_id);
      m_buf += " · ";
      append_markdown(m_buf, m.contact_name.empty() ? m.contact_platform_user_id : m.contact_name);
      m_buf += "\n\n";
      append_markdown(m_buf, m.account);
      m_buf += " (";
      append_markdown(m_buf, m.platform);
      m_buf += ") · ";
      append_markdown(m_buf, m.channel);
      m_buf += " · ";
      append_markdown(m_buf, m.conversation_status);
      m_buf += "\n\n";
    }
    m_buf += "**";
    if (m.author.empty())
      m_buf += m.direction == "in" ? "customer" : "agent";
    else
      append_markdown(m_buf, one_line(m.author));
    m_buf += "** (";
    m_buf += m.direction == "in" ? "in" : "out";
    m_buf += ") · ";
    m_times.append(m_buf, m.created_at);
    m_buf += "\n\n";
    // Each line of the text quoted, so nothing in it can end the quote or start a heading.
    std::string_view text = m.text;
    do {
      auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
      m_buf += line.empty() ? ">" : "> ";
      append_markdown(m_buf, line);
      m_buf += '\n';
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (nl == std::string_view::npos)
        break;
    } while (true);
    m_buf += '\n';
  }

private:
  static std::string one_line(std::string_view s)
  {
    std::string out(s);
    for (char& c : out)
      if (c == '\n' || c == '\r')
        c = ' ';
    return out;
  }
  bool m_open = false;
  std::int64_t m_conversation = 0;
  IsoTimes m_times;
};

class MdConversations final : public ExportWriter
{
public:
  using ExportWriter::ExportWriter;
  void begin() override
  {
    m_buf += "|";
    for (const char* h : k_conversation_headers) {
      m_buf += ' ';
      m_buf += h;
      m_buf += " |";
    }
    m_buf += "\n|";
    for (std::size_t i = 0; i < std::size(k_conversation_headers); ++i)
      m_buf += " --- |";
    m_buf += '\n';
  }
  void conversation(const ExportConversation& c) override
  {
    ConversationCells row(c, m_times);
    m_buf += "|";
    for (auto& cell : row.cells) {
      for (char& ch : cell)
        if (ch == '\n' || ch == '\r')
          ch = ' ';
      m_buf += ' ';
      append_markdown(m_buf, cell);
      m_buf += " |";
    }
    m_buf += '\n';
  }

private:
  IsoTimes m_times;
};

} // namespace

std::unique_ptr<ExportWriter>
make_export_writer(const ExportOptions& o, std::ostream& out)
{
  bool messages = o.level == ExportLevel::message;
  switch (o.format) {
  case ExportFormat::jsonl:
    if (messages)
      return std::make_unique<JsonlMessages>(out);
    return std::make_unique<JsonlConversations>(out);
  case ExportFormat::csv:
    if (messages)
      return std::make_unique<CsvMessages>(out, o.bom);
    return std::make_unique<CsvConversations>(out, o.bom);
  case ExportFormat::html:
    if (messages)
      return std::make_unique<HtmlMessages>(out);
    return std::make_unique<HtmlConversations>(out);
  case ExportFormat::md:
    if (messages)
      return std::make_unique<MdMessages>(out);
    return std::make_unique<MdConversations>(out);
  }
  return nullptr;
}

} // namespace svc::history
