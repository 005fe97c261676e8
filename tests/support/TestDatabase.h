#pragma once
/// Which database a test's store uses: SQLite as the test asks (":memory:" or a file), unless the
/// environment variable MINDSET_TEST_POSTGRESQL names a PostgreSQL server ("postgresql://user@host:
/// port/db", or the path of a file holding that URI, as tests/support/throwaway-postgres.sh writes
/// it): then each call makes a fresh, empty database on that server for the test. CTest runs the
/// store's test files both ways (tests/CMakeLists.txt, label `postgresql`).

#include <string>

namespace mindset::testing {

/// The PostgreSQL server tests run against, or "" for SQLite.
std::string testPostgresqlServer();

/// True when tests run against PostgreSQL (some SQLite-only checks are skipped then).
inline bool isTestingPostgresql() { return !testPostgresqlServer().empty(); }

/// `sqliteLocation` (":memory:" by default), or the URI of a new empty PostgreSQL database.
std::string storeLocation(const std::string& sqliteLocation = ":memory:");

}  // namespace mindset::testing
