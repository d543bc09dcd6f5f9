// `svc export`: the history streamed out as JSON lines, CSV, an HTML page or Markdown, one message
// (or one conversation) at a time, so that memory stays flat whatever the size of the history.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string_view>

#include <svc/core/result.hpp>
#include <svc/store/export_source.hpp>

namespace svc::history {

enum class ExportFormat { jsonl, csv, html, md };
enum class ExportLevel { message, conversation };

std::optional<ExportFormat> parse_export_format(std::string_view s);
std::optional<ExportLevel> parse_export_level(std::string_view s);

struct ExportOptions {
  ExportFormat format = ExportFormat::jsonl;
  ExportLevel level = ExportLevel::message;
  bool bom = false; // csv: a UTF-8 byte order mark first, for spreadsheets
  store::ExportFilter filter;
  // Called every `progress_every` rows with the count so far (a progress line on a terminal).
  std::function<void(std::int64_t rows)> progress;
  std::int64_t progress_every = 10000;
  // Polled between rows; true stops the export with an error (Ctrl-C while writing -o FILE).
  std::function<bool()> cancelled;
};

// Writes the whole export to `out`; returns the number of rows (messages or conversations). A write
// error on `out` or a cancellation is an error: the caller throws away what was written.
Result<std::int64_t> export_history(store::ExportSource& source, const ExportOptions& options, std::ostream& out);

} // namespace svc::history
