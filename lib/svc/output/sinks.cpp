#include <svc/output/sink.hpp>

#include <algorithm>

#include <svc/io/display_width.hpp>

namespace svc::output {

namespace {

class JsonSink final : public Sink
{
public:
  explicit JsonSink(const io::Streams& io) : m_io(io) {}
  void row(const nlohmann::json& object) override
  {
    m_io.out << (m_count++ == 0 ? "[" : ",") << (m_io.out_is_tty ? "\n" : "");
    std::string text = dump_json(object, m_io.out_is_tty);
    if (m_io.out_is_tty) { // indent the pretty object inside the array
      std::string indented = "  ";
      for (char c : text) {
        indented += c;
        if (c == '\n')
          indented += "  ";
      }
      text = std::move(indented);
    }
    m_io.out << text;
  }
  void end() override { m_io.out << (m_count == 0 ? "[" : (m_io.out_is_tty ? "\n" : "")) << "]\n" << std::flush; }

private:
  const io::Streams& m_io;
  std::size_t m_count = 0;
};

class JsonlSink final : public Sink
{
public:
  explicit JsonlSink(const io::Streams& io) : m_io(io) {}
  void row(const nlohmann::json& object) override { m_io.out << dump_json(object, false) << '\n'; }
  void end() override { m_io.out << std::flush; }

private:
  const io::Streams& m_io;
};

class CsvSink final : public Sink
{
public:
  CsvSink(const io::Streams& io, std::vector<Column> columns) : m_io(io), m_columns(std::move(columns))
  {
    std::string line;
    for (const auto& c : m_columns)
      line += (line.empty() ? "" : ",") + csv_field(c.key);
    m_io.out << line << "\r\n";
  }
  void row(const nlohmann::json& object) override
  {
    std::string line;
    for (std::size_t i = 0; i < m_columns.size(); ++i)
      line += (i ? "," : "") + csv_field(cell_text(lookup(object, m_columns[i].key)));
    m_io.out << line << "\r\n";
  }
  void end() override { m_io.out << std::flush; }

private:
  const io::Streams& m_io;
  std::vector<Column> m_columns;
};

// One line per cell: newlines and tabs inside a value would break the alignment.
std::string
flatten(std::string s)
{
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return s;
}

class TableSink final : public Sink
{
public:
  TableSink(const io::Streams& io, std::vector<Column> columns) : m_io(io), m_columns(std::move(columns)) {}
  void row(const nlohmann::json& object) override
  {
    std::vector<std::string> cells;
    for (const auto& c : m_columns)
      cells.push_back(flatten(cell_text(lookup(object, c.key))));
    m_rows.push_back(std::move(cells));
  }
  void end() override
  {
    if (m_rows.empty()) {
      m_io.status("(none)");
      return;
    }
    std::vector<std::size_t> widths(m_columns.size());
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
      widths[i] = io::display_width(m_columns[i].header);
      for (const auto& r : m_rows)
        widths[i] = std::max(widths[i], io::display_width(r[i]));
    }
    if (m_io.out_is_tty)
      fit_to_terminal(widths);
    print_line(headers(), widths, true);
    for (const auto& r : m_rows)
      print_line(r, widths, false);
    m_io.out << std::flush;
  }

private:
  std::vector<std::string> headers() const
  {
    std::vector<std::string> h;
    for (const auto& c : m_columns)
      h.push_back(c.header);
    return h;
  }

  // Shrinks the widest columns until the table fits the terminal (never below 8 columns each).
  void fit_to_terminal(std::vector<std::size_t>& widths) const
  {
    auto total = [&] {
      std::size_t sum = widths.empty() ? 0 : 2 * (widths.size() - 1);
      for (auto w : widths)
        sum += w;
      return sum;
    };
    const auto limit = static_cast<std::size_t>(std::max(m_io.width, 20));
    while (total() > limit) {
      auto widest = std::max_element(widths.begin(), widths.end());
      if (*widest <= 8)
        break;
      --*widest;
    }
  }

  void print_line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths, bool header) const
  {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string text = io::truncate_to_width(cells[i], widths[i]);
      bool last = i + 1 == cells.size();
      std::size_t pad = last ? 0 : widths[i] - io::display_width(text) + 2;
      if (header && m_io.color)
        line += "\033[1m" + text + "\033[0m";
      else
        line += text;
      line.append(pad, ' ');
    }
    m_io.out << line << '\n';
  }

  const io::Streams& m_io;
  std::vector<Column> m_columns;
  std::vector<std::vector<std::string>> m_rows;
};

} // namespace

std::unique_ptr<Sink>
make_sink(Format format, const io::Streams& io, std::vector<Column> columns)
{
  switch (format) {
  case Format::json: return std::make_unique<JsonSink>(io);
  case Format::jsonl: return std::make_unique<JsonlSink>(io);
  case Format::csv: return std::make_unique<CsvSink>(io, std::move(columns));
  case Format::table: break;
  }
  return std::make_unique<TableSink>(io, std::move(columns));
}

void
print_object(Format format, const io::Streams& io, const nlohmann::json& object,
             const std::vector<Column>& columns)
{
  switch (format) {
  case Format::json: io.out << dump_json(object, io.out_is_tty) << '\n'; return;
  case Format::jsonl: io.out << dump_json(object, false) << '\n'; return;
  case Format::csv: {
    auto sink = make_sink(format, io, columns);
    sink->row(object);
    sink->end();
    return;
  }
  case Format::table: break;
  }
  std::size_t width = 0;
  for (const auto& c : columns)
    width = std::max(width, io::display_width(c.header));
  for (const auto& c : columns) {
    std::string label = c.header + ":";
    label.append(width + 2 - io::display_width(c.header) - 1 + 1, ' ');
    io.out << (io.color ? "\033[1m" + label + "\033[0m" : label) << cell_text(lookup(object, c.key)) << '\n';
  }
}

std::string
csv_field(const std::string& s)
{
  if (s.find_first_of(",\"\r\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + '"';
}

} // namespace svc::output
