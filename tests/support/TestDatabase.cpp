#include "support/TestDatabase.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "store/Database.h"

namespace mindset::testing {

std::string testPostgresqlServer() {
    static const std::string server = [] {
        const char* value = std::getenv("MINDSET_TEST_POSTGRESQL");
        std::string text = value ? value : "";
        if (text.empty() || store::databaseKindOf(text) == store::DatabaseKind::Postgresql) return text;
        std::ifstream file(text);  // a file the throwaway server's script wrote
        std::string uri;
        std::getline(file, uri);
        if (uri.empty()) throw std::runtime_error("MINDSET_TEST_POSTGRESQL: '" + text + "' holds no postgresql:// URI (is the throwaway server started?)");
        return uri;
    }();
    return server;
}

std::string storeLocation(const std::string& sqliteLocation) {
    const auto server = testPostgresqlServer();
    if (server.empty()) return sqliteLocation;
    static std::atomic<int> made{0};
    const auto name = "mindset_test_" + std::to_string(getpid()) + "_" + std::to_string(++made);
    store::openDatabase(server)->exec("CREATE DATABASE " + name);
    // The server's URI ends with its maintenance database ("/postgres"); the test's replaces it.
    const auto query = server.find('?');
    const auto path = server.rfind('/', query);
    return server.substr(0, path + 1) + name + (query == std::string::npos ? "" : server.substr(query));
}

void checkIdsRevealNoOrder(const std::vector<std::int64_t>& idsInStorageOrder, std::size_t count) {
    REQUIRE(idsInStorageOrder.size() == count);
    std::int64_t consecutive = 0;
    for (std::size_t i = 1; i < idsInStorageOrder.size(); ++i) consecutive += (idsInStorageOrder[i] - idsInStorageOrder[i - 1] == 1);
    CHECK(consecutive == 0);
    CHECK(*std::min_element(idsInStorageOrder.begin(), idsInStorageOrder.end()) > 1000000);
}

}  // namespace mindset::testing
