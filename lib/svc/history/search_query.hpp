// What a search query means, independent of the index: the terms a user typed, whether a piece of text
// matches them, and the snippet that shows where.
//
// A query is terms separated by white space (ASCII or the ideographic space U+3000); "double quotes"
// keep a phrase together. Every term must match (AND); nothing else is syntax: OR, NOT, -, ^, :, ( and )
// are text to find. A term matches text as a case-insensitive (ASCII) substring, except at an edge that
// is a Latin letter or digit: there it must be a word boundary, so "ship" finds "ship it" but not
// "shipping", while 发货 finds 什么时候发货. A trailing * (outside quotes) after a letter or digit makes
// the term a word prefix ("ship*" finds "shipping").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::history {

struct Term {
  std::string text;        // as typed (the index folds case itself)
  bool word_start = false; // starts with a word character: must start a word
  bool word_end = false;   // ends with one (and is not a prefix): must end a word
};

struct Query {
  std::string source;
  std::vector<Term> terms;
  std::vector<std::string> texts() const; // the terms' text, for the index
};

// usage (exit 2) when the query holds no term at all.
Result<Query> parse_query(std::string_view text);

// Byte ranges [first, second) of every accepted occurrence of any term, sorted and merged.
std::vector<std::pair<std::size_t, std::size_t>> find_matches(std::string_view text, const Query& query);
// Every term occurs in `text` (at an accepted place).
bool matches_all(std::string_view text, const Query& query);

struct Segment {
  std::string text;
  bool hit = false;
};

// An excerpt of about `width` characters around the first match (the start of the text when none), on
// one line, with "…" where it was cut; the matches in it are the hit segments.
std::vector<Segment> snippet(std::string_view text, const Query& query, std::size_t width = 60);
// The snippet as plain text with each hit between `open` and `close`.
std::string render_snippet(const std::vector<Segment>& segments, std::string_view open, std::string_view close);

} // namespace svc::history
