#include <svc/contacts/csv.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <svc/contacts/names.hpp>
#include <svc/output/sink.hpp>

namespace svc::contacts {

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";
constexpr std::string_view k_attr = "attr.";

std::string
trim(const std::string& s)
{
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::string
join(const std::vector<std::string>& parts, const char* sep)
{
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : sep) + p;
  return out;
}

// Column positions of an import header.
struct Header {
  int id = -1, account = -1, platform_user_id = -1, tags = -1;
  std::vector<std::pair<int, std::string>> attributes; // position, key
  std::size_t size = 0;
};

Result<Header>
parse_header(const CsvRecord& record)
{
  Header h;
  h.size = record.fields.size();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    std::string name = trim(record.fields[i]);
    int pos = static_cast<int>(i);
    if (!seen.insert(name).second)
      return make_error(ErrorKind::usage, "line {}: column '{}' appears twice", record.line, name);
    if (name == "id") {
      h.id = pos;
    } else if (name == "account") {
      h.account = pos;
    } else if (name == "platform_user_id") {
      h.platform_user_id = pos;
    } else if (name == "tags") {
      h.tags = pos;
    } else if (name.rfind(k_attr, 0) == 0) {
      std::string key = name.substr(k_attr.size());
      auto checked = check_attribute_key(key);
      if (!checked)
        return make_error(ErrorKind::usage, "line {}: column '{}': {}", record.line, name, checked.error().message);
      h.attributes.emplace_back(pos, key);
    } else if (name != "name" && name != "platform") { // informational: platform-owned, never imported
      return make_error(ErrorKind::usage, "line {}: unknown column '{}'", record.line, name)
        .with_hint("columns: id, account, platform_user_id, name, tags, attr.KEY (as `svc contact export` writes)");
    }
  }
  if (h.id < 0 && (h.account < 0 || h.platform_user_id < 0))
    return make_error(ErrorKind::usage, "line {}: no column names the contact", record.line)
      .with_hint("give an id column, or account and platform_user_id columns");
  return h;
}

store::ImportRow
parse_row(const Header& h, const CsvRecord& record)
{
  store::ImportRow row;
  row.line = record.line;
  const auto& f = record.fields;
  if (f.size() != h.size) {
    row.error = fmt::format("{} fields where the header has {}", f.size(), h.size);
    return row;
  }
  auto at = [&](int pos) { return pos < 0 ? std::string() : trim(f[static_cast<std::size_t>(pos)]); };
  std::string id = at(h.id);
  if (!id.empty()) {
    auto ref = parse_ref(id);
    if (!ref || !ref->id) {
      row.error = fmt::format("id '{}' is not a contact id", id);
      return row;
    }
    row.id = ref->id;
  }
  row.account = at(h.account);
  row.platform_user_id = at(h.platform_user_id);
  if (!row.id && (row.account.empty() || row.platform_user_id.empty())) {
    row.error = "names no contact: give its id, or its account and platform_user_id";
    return row;
  }
  if (h.tags >= 0) {
    std::vector<std::string> tags;
    std::string text = f[static_cast<std::size_t>(h.tags)];
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find(';', start);
      std::string tag = trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (!tag.empty()) {
        if (auto ok = check_tag(tag); !ok) {
          row.error = ok.error().message;
          return row;
        }
        tags.push_back(tag);
      }
      if (end == std::string::npos)
        break;
      start = end + 1;
    }
    row.tags = std::move(tags);
  }
  for (const auto& [pos, key] : h.attributes)
    row.attributes[key] = f[static_cast<std::size_t>(pos)]; // an attribute's value is kept as written
  return row;
}

} // namespace

Result<std::vector<CsvRecord>>
read_csv(std::string_view text)
{
  if (text.substr(0, k_bom.size()) == k_bom)
    text.remove_prefix(k_bom.size());
  std::vector<CsvRecord> records;
  CsvRecord record{1, {}};
  std::string field;
  int line = 1;
  bool quoted = false, after_quote = false, empty_line = true;
  auto end_record = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    if (!empty_line)
      records.push_back(std::move(record));
    record = CsvRecord{line, {}};
    empty_line = true;
    after_quote = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        after_quote = true;
      } else {
        if (c == '\n')
          ++line;
        field += c;
      }
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
      continue; // the \n ends the record
    if (c == '\n') {
      ++line;
      end_record();
      continue;
    }
    empty_line = false;
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (after_quote) {
      return make_error(ErrorKind::usage, "line {}: text after a closing quote", line)
        .with_hint("a quoted field ends at its closing quote; write a quote inside it as \"\"");
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted)
    return make_error(ErrorKind::usage, "line {}: a quoted field is never closed", record.line);
  if (!empty_line || !field.empty())
    end_record();
  return records;
}

std::string
export_csv(std::vector<store::ContactRow> contacts, bool bom)
{
  std::sort(contacts.begin(), contacts.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::set<std::string> keys;
  for (const auto& c : contacts)
    for (const auto& [k, v] : c.attributes)
      keys.insert(k);
  std::string out(bom ? k_bom : "");
  std::vector<std::string> header = {"id", "account", "platform_user_id", "name", "tags"};
  for (const auto& k : keys)
    header.push_back(std::string(k_attr) + k);
  out += join(header, ",") + "\r\n";
  for (const auto& c : contacts) {
    std::vector<std::string> fields = {std::to_string(c.id), output::csv_field(c.account), output::csv_field(c.platform_user_id),
                                       output::csv_field(c.name), output::csv_field(join(c.tags, ";"))};
    for (const auto& k : keys) {
      auto it = c.attributes.find(k);
      fields.push_back(output::csv_field(it == c.attributes.end() ? "" : it->second));
    }
    out += join(fields, ",") + "\r\n";
  }
  return out;
}

Result<std::vector<store::ImportRow>>
parse_import(std::string_view text)
{
  SVC_TRY(records, read_csv(text));
  if (records.empty())
    return make_error(ErrorKind::usage, "the file is empty").with_hint("`svc contact export` writes the expected columns");
  SVC_TRY(header, parse_header(records.front()));
  std::vector<store::ImportRow> rows;
  for (std::size_t i = 1; i < records.size(); ++i)
    rows.push_back(parse_row(header, records[i]));
  return rows;
}

} // namespace svc::contacts
