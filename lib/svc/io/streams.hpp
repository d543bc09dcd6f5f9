// The process's streams as commands see them: data goes to `out`, people talk (status, progress,
// warnings, errors) to `err`. Whether each is a terminal decides colour and progress display.
#pragma once

#include <iostream>
#include <string_view>

namespace svc::io {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;
  bool err_is_tty = false;
  bool color = false; // on a terminal, without NO_COLOR or --no-color
  bool quiet = false; // -q: only errors on err
  int width = 100;    // terminal columns for tables

  // A status line on stderr ("✓ Replied to #12"), muted by -q.
  void status(std::string_view line) const;
  // "warning: ..." on stderr; -q (only errors) mutes it too.
  void warn(std::string_view line) const;
};

} // namespace svc::io
