#include "support/TestDatabase.h"

#include <atomic>
#include <cstdlib>
#include <fstream>

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

}  // namespace mindset::testing
