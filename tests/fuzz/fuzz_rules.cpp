// libFuzzer target: the rules file parser (lib/svc/automation/rules_parse): any text gives rules or
// problems with line numbers, never a crash.
#include <cstdint>
#include <string>

#include <svc/automation/rules.hpp>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = svc::automation::parse_rules(text, "fuzz.toml");
  if (!parsed.problems.empty()) // its precondition: there is a problem to report
    (void)svc::automation::problems_error(parsed);
  (void)svc::automation::parse_utc_offset(text);
  (void)svc::automation::fold_ascii(text);
  return 0;
}
