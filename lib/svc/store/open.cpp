// Opening the state file: create it safely, recognise it, refuse what is not ours or is newer, and
// migrate. Nothing here writes to a file before it is known to be an svc state file of a version this
// svc understands.
#include <svc/store/sqlite_store.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

#include <svc/store/migrations.hpp>

namespace svc::store {

namespace {

namespace fs = std::filesystem;

Error
not_svc_file(const fs::path& path, std::string_view why)
{
  return make_error(ErrorKind::state, "{} is not an svc state file ({})", path.string(), why)
    .with_hint("point --state (or SVC_STATE) at an svc state file, or at a new path to create one");
}

// Creates missing parent directories with mode 0700.
Status
make_private_dirs(const fs::path& dir)
{
  if (dir.empty() || fs::exists(dir))
    return {};
  SVC_CHECK(make_private_dirs(dir.parent_path()));
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return make_error(ErrorKind::state, "cannot create {}: {}", dir.string(), std::strerror(errno));
  return {};
}

Status
create_private_file(const fs::path& path)
{
  SVC_CHECK(make_private_dirs(path.parent_path()));
  int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) // another svc created it first: fine, it will be identified below
      return {};
    return make_error(ErrorKind::state, "cannot create {}: {}", path.string(), std::strerror(errno));
  }
  ::close(fd);
  return {};
}

// What the first bytes say, before SQLite touches the file.
Status
check_header(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorKind::state, "cannot read {}: {}", path.string(), std::strerror(errno))
      .with_hint("check the file's owner and permissions");
  char header[16] = {};
  in.read(header, sizeof header);
  auto got = in.gcount();
  if (got == 0)
    return {}; // empty: a file we (or another svc) just created
  if (got < 16 || std::memcmp(header, "SQLite format 3", 16) != 0)
    return not_svc_file(path, "not an SQLite database");
  return {};
}

int
pragma_int(Db& db, const char* pragma)
{
  Stmt s = db.prepare(std::string("PRAGMA ") + pragma);
  return s.step() ? static_cast<int>(s.col_int(0)) : 0;
}

// Identifies the file; returns its schema version.
Result<int>
identify(Db& db, const fs::path& path)
{
  // One read snapshot: another svc may be creating the schema at this very moment, and separate reads
  // could see its tables without its application_id.
  Stmt s = db.prepare("SELECT (SELECT application_id FROM pragma_application_id),"
                      " (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)");
  s.step();
  int app_id = static_cast<int>(s.col_int(0));
  int version = static_cast<int>(s.col_int(1));
  std::int64_t objects = s.col_int(2);
  s.reset();
  if (app_id == 0) {
    if (objects != 0 || version != 0)
      return not_svc_file(path, "an SQLite database of another program");
  } else if (app_id != k_application_id) {
    return not_svc_file(path, fmt::format("application_id {:#x}", static_cast<unsigned>(app_id)));
  }
  if (version > known_schema_version())
    return make_error(ErrorKind::state, "{} was written by a newer svc (schema {}, this svc knows {})",
                      path.string(), version, known_schema_version())
      .with_hint("upgrade svc; the file was left untouched");
  return version;
}

// Applies each pending migration in its own transaction. Concurrent openers serialise on BEGIN
// IMMEDIATE and re-read the version inside, so each migration runs exactly once.
void
migrate(Db& db)
{
  auto all = migrations();
  for (;;) {
    Txn txn(db);
    int version = pragma_int(db, "user_version");
    if (version >= static_cast<int>(all.size()))
      return;
    if (version == 0)
      db.exec(fmt::format("PRAGMA application_id = {}", k_application_id));
    db.exec(all[static_cast<std::size_t>(version)]);
    db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
    txn.commit();
  }
}

} // namespace

Result<std::unique_ptr<Store>>
open_store(const OpenOptions& options)
{
  const fs::path& path = options.path;
  std::error_code ec;
  bool existed = fs::exists(path, ec);
  if (existed && !fs::is_regular_file(path, ec))
    return not_svc_file(path, "not a regular file");
  if (!existed) {
    if (!options.create_if_missing)
      return make_error(ErrorKind::not_found, "no state file at {}", path.string())
        .with_hint("bind an account first (`svc account bind ...`), or point --state elsewhere");
    SVC_CHECK(create_private_file(path));
  }
  SVC_CHECK(check_header(path));

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    return sqlite_error(raw, rc, "open");
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  sqlite3_extended_result_codes(raw, 1);

  return guarded([&]() -> Result<std::unique_ptr<Store>> {
    SVC_TRY(version, identify(db, path));
    // Only now, with the file known to be ours, do we change anything in it.
    struct stat st{};
    if (existed && stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
      chmod(path.c_str(), st.st_mode & 0700); // it holds tokens: others must not read it
    db.exec("PRAGMA synchronous = FULL"); // a recorded reply must survive a power cut
    db.exec("PRAGMA foreign_keys = ON");
    // A pulled page touches contacts, conversations and four indexes: with SQLite's default 2 MB cache
    // their pages are evicted and rewritten within one commit.
    db.exec("PRAGMA cache_size = -32768");
    // Switching to WAL and migrating need locks that SQLite sometimes refuses at once, without waiting
    // on the busy handler (while another process is doing the same on a new file): try again until the
    // busy timeout.
    auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
    for (;;) {
      try {
        db.exec("PRAGMA journal_mode = WAL");
        if (version < known_schema_version()) // readers never queue for the write lock
          migrate(db);
        break;
      } catch (const StoreException& e) {
        if (!e.busy || std::chrono::steady_clock::now() >= deadline)
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    return std::unique_ptr<Store>(new SqliteStore(std::move(db), path, *options.clock, version));
  });
}

} // namespace svc::store
