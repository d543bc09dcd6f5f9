// The brand guard: every outgoing text (reply, send, the bot, rules) is checked against the guard list
// before it is recorded in the outbox, by check_outgoing and nothing else.
//
// A plain term matches case-insensitively (ASCII letters) as a word: where the term begins or ends with
// an ASCII letter or digit, the text must not continue with one there ("cheap" matches "Cheap!" but not
// "cheaper"); terms in other scripts (Chinese) match anywhere. `re:PATTERN` is an ECMAScript regular
// expression, case-insensitive, searched anywhere in the text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/store/guard_terms.hpp>

namespace svc::store {
class Store;
}

namespace svc::inbox {

// A term as given on the command line: plain words are lowercased; `re:PATTERN` must compile. usage
// (exit 2) for an empty term or a bad pattern.
Result<store::GuardTerm> parse_guard_term(std::string_view spelled);

// The first term (in list order) that `text` matches, or nullopt.
std::optional<std::string> guard_match(const std::vector<store::GuardTerm>& terms, std::string_view text);

// THE check before an outgoing text is recorded: failed (exit 1) naming the matching term, with a hint
// to rephrase or pass --allow-guard, unless allow_guard.
Status check_outgoing(store::Store& store, std::string_view text, bool allow_guard);

} // namespace svc::inbox
