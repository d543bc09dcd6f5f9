// The one place that honours --format. Commands hand rows (JSON objects with cli.md's stable snake_case
// field names) to a Sink and never choose a format themselves.
//   table  aligned columns for people: header, CJK-aware widths, truncated to the terminal, colour on a TTY
//   json   one array (pretty on a TTY), streamed element by element
//   jsonl  one object per line, streamed
//   csv    RFC 4180: header of field names, CRLF line ends, quoted when needed, streamed
// Table and CSV show the columns given; JSON formats write whole objects. A column key may be a dotted
// path into the object ("contact.name"); arrays render as "a, b", objects as JSON.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/io/streams.hpp>
#include <svc/output/format.hpp>

namespace svc::output {

struct Column {
  std::string key;    // field name or dotted path
  std::string header; // table heading
};

class Sink
{
public:
  virtual ~Sink() = default;
  virtual void row(const nlohmann::json& object) = 0;
  // Finishes the output (closing "]" for json; the whole table). An empty listing prints "[]" in
  // json, nothing in jsonl, the header in csv, and a note on stderr for tables.
  virtual void end() = 0;
};

std::unique_ptr<Sink> make_sink(Format format, const io::Streams& io, std::vector<Column> columns);

// A single object (e.g. `svc show`): json/jsonl print the object; table prints "key: value" lines of
// the given columns; csv prints a header and one row.
void print_object(Format format, const io::Streams& io, const nlohmann::json& object,
                  const std::vector<Column>& columns);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);
// Renders a JSON value as table/CSV cell text.
std::string cell_text(const nlohmann::json& value);
// Looks up a dotted path; null when absent.
const nlohmann::json& lookup(const nlohmann::json& object, const std::string& dotted);
// JSON text that never throws on invalid UTF-8 from a platform (replaced with U+FFFD).
std::string dump_json(const nlohmann::json& value, bool pretty);

} // namespace svc::output
