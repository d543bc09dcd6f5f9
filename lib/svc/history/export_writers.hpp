// One writer per export format and level: rows in, text out through a buffer that is handed to the
// stream in large pieces (one write per 64 KiB, not one per field).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include <svc/history/export.hpp>

namespace svc::history {

class ExportWriter
{
public:
  explicit ExportWriter(std::ostream& out) : m_out(out) {}
  virtual ~ExportWriter() = default;
  ExportWriter(const ExportWriter&) = delete;
  ExportWriter& operator=(const ExportWriter&) = delete;

  virtual void begin() {}
  virtual void message(const store::ExportMessage&) {}
  virtual void conversation(const store::ExportConversation&) {}
  // Writes what closes the document, and everything still buffered.
  virtual void end() { flush(); }

  // Hands the buffer to the stream once it is large; false when the stream failed.
  bool drain()
  {
    if (m_buf.size() >= k_chunk)
      flush();
    return static_cast<bool>(m_out);
  }
  void flush()
  {
    m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
    m_buf.clear();
  }

protected:
  static constexpr std::size_t k_chunk = 64 * 1024;
  std::string m_buf;
  std::ostream& m_out;
};

std::unique_ptr<ExportWriter> make_export_writer(const ExportOptions& options, std::ostream& out);

} // namespace svc::history
