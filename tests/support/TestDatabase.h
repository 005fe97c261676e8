#pragma once
/// Which database a test's store uses: SQLite as the test asks (":memory:" or a file), unless the
/// environment variable MINDSET_TEST_POSTGRESQL names a PostgreSQL server ("postgresql://user@host:
/// port/db", or the path of a file holding that URI, as tests/support/throwaway-postgres.sh writes
/// it): then each call makes a fresh, empty database on that server for the test. CTest runs the
/// store's test files both ways (tests/CMakeLists.txt, label `postgresql`).

#include <cstdint>
#include <string>
#include <vector>

namespace mindset::testing {

/// The PostgreSQL server tests run against, or "" for SQLite.
std::string testPostgresqlServer();

/// True when tests run against PostgreSQL (some SQLite-only checks are skipped then).
inline bool isTestingPostgresql() { return !testPostgresqlServer().empty(); }

/// `sqliteLocation` (":memory:" by default), or the URI of a new empty PostgreSQL database.
std::string storeLocation(const std::string& sqliteLocation = ":memory:");

/// Checks (Catch CHECKs) that response ids, read in the order the rows were stored, are `count`
/// random numbers: no two consecutive, none small, so their order says nothing about submission.
void checkIdsRevealNoOrder(const std::vector<std::int64_t>& idsInStorageOrder, std::size_t count);

}  // namespace mindset::testing
