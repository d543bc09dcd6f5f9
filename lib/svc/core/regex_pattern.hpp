// A user's regular expression (a rule's `regex`, a guard term `re:...`) checked before std::regex
// compiles it. libstdc++ reads the digits of a back-reference (\12) and of a repetition count ({2,5})
// into a long without any bound, so a long run of them overflows (undefined behaviour; fuzz_rules found
// it), and it expands a count into that many copies of the repeated part.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace svc {

// Repetition counts above this are refused ({1000} is far beyond what a text check needs).
constexpr long k_max_regex_repeat = 1000;

// What is wrong with `pattern` for std::regex, or nullopt when it may be compiled (std::regex can still
// refuse it with a regex_error: this only checks what libstdc++ does not).
std::optional<std::string> regex_pattern_problem(std::string_view pattern);

} // namespace svc
