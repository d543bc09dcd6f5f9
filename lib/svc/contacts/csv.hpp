// The contact CSV of `svc contact export` and `svc contact import`: columns id, account,
// platform_user_id, name, tags (';'-separated) and one attr.KEY column per attribute. RFC 4180 (CRLF line
// ends, quoted when needed); the reader also takes LF line ends and a UTF-8 byte order mark.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/store/store.hpp>

namespace svc::contacts {

struct CsvRecord {
  int line = 0; // where the record starts (a quoted field may span lines)
  std::vector<std::string> fields;
};

// Every record, blank lines skipped; usage error naming the line of a malformed quote.
Result<std::vector<CsvRecord>> read_csv(std::string_view text);

// The export file of `contacts`, by id; with bom, a UTF-8 byte order mark first (for Excel).
std::string export_csv(std::vector<store::ContactRow> contacts, bool bom);

// The rows of an import file. A bad header (line 1) is an error; a bad row is returned with its error
// set, so that every bad line can be reported at once.
Result<std::vector<store::ImportRow>> parse_import(std::string_view text);

} // namespace svc::contacts
