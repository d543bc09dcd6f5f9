#include <svc/history/export.hpp>

#include <svc/history/export_writers.hpp>

namespace svc::history {

std::optional<ExportFormat>
parse_export_format(std::string_view s)
{
  if (s == "jsonl")
    return ExportFormat::jsonl;
  if (s == "csv")
    return ExportFormat::csv;
  if (s == "html")
    return ExportFormat::html;
  if (s == "md" || s == "markdown")
    return ExportFormat::md;
  return std::nullopt;
}

std::optional<ExportLevel>
parse_export_level(std::string_view s)
{
  if (s == "message" || s == "messages")
    return ExportLevel::message;
  if (s == "conversation" || s == "conversations")
    return ExportLevel::conversation;
  return std::nullopt;
}

Result<std::int64_t>
export_history(store::ExportSource& source, const ExportOptions& options, std::ostream& out)
{
  auto writer = make_export_writer(options, out);
  std::int64_t rows = 0;
  bool cancelled = false, failed = false;
  // After each row: the buffer to the stream when full, progress now and then, and a look at the
  // stop flag (every row: it is one load, and Ctrl-C should not wait for thousands more).
  auto after_row = [&]() {
    ++rows;
    if (!writer->drain()) {
      failed = true;
      return false;
    }
    if (options.progress && options.progress_every > 0 && rows % options.progress_every == 0)
      options.progress(rows);
    if (options.cancelled && options.cancelled()) {
      cancelled = true;
      return false;
    }
    return true;
  };

  writer->begin();
  Status read;
  if (options.level == ExportLevel::message) {
    // Transcripts group by conversation; the line formats follow the history as it happened.
    bool transcripts = options.format == ExportFormat::html || options.format == ExportFormat::md;
    read = source.messages(options.filter, transcripts ? store::MessageOrder::conversation : store::MessageOrder::time,
                           [&](const store::ExportMessage& m) {
                             writer->message(m);
                             return after_row();
                           });
  } else {
    read = source.conversations(options.filter, [&](const store::ExportConversation& c) {
      writer->conversation(c);
      return after_row();
    });
  }
  SVC_CHECK(read);
  if (cancelled)
    return make_error(ErrorKind::failed, "export interrupted after {} rows", rows);
  if (!failed)
    writer->end();
  out.flush();
  if (failed || !out)
    return make_error(ErrorKind::failed, "cannot write the export after {} rows", rows);
  if (options.progress)
    options.progress(rows);
  return rows;
}

} // namespace svc::history
