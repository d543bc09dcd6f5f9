#include <svc/config/secrets.hpp>

#include <fstream>

namespace svc::config {

Result<std::string>
resolve_secret(const domain::SecretRef& ref, const std::string& what, const Getenv& getenv)
{
  using Source = domain::SecretRef::Source;
  switch (ref.source) {
  case Source::none:
    return make_error(ErrorKind::usage, "no {} is configured", what)
      .with_hint("bind the account again with --token-env, --token-file or --token-stdin");
  case Source::env: {
    auto v = getenv(ref.ref);
    if (!v)
      return make_error(ErrorKind::usage, "the {} comes from ${}, which is not set", what, ref.ref)
        .with_hint(fmt::format("export {} before running svc (e.g. in the cron job's environment)", ref.ref));
    return *v;
  }
  case Source::file: {
    std::ifstream in(ref.ref);
    std::string line;
    if (!in || !std::getline(in, line))
      return make_error(ErrorKind::usage, "cannot read the {} from {}", what, ref.ref)
        .with_hint("check that the file exists and is readable by this user");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    if (line.empty())
      return make_error(ErrorKind::usage, "the {} file {} is empty", what, ref.ref);
    return line;
  }
  case Source::value:
    return ref.ref;
  }
  return make_error(ErrorKind::failed, "unknown secret source for {}", what);
}

} // namespace svc::config
