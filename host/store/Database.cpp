#include "store/Database.h"

#include <regex>

#include "store/PostgresDatabase.h"
#include "store/SqliteDatabase.h"

namespace mindset::store {

DatabaseKind databaseKindOf(const std::string& location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://") ? DatabaseKind::Postgresql
                                                                                        : DatabaseKind::Sqlite;
}

std::string displayLocation(const std::string& location) {
    if (databaseKindOf(location) == DatabaseKind::Sqlite) return location;
    // postgresql://user:secret@host/db?password=secret -> postgresql://user@host/db
    static const std::regex userPassword(R"(^(postgres(ql)?://[^:/@?]*):[^@/?]*@)");
    static const std::regex passwordParameter(R"(([?&])password=[^&]*&?)");
    auto shown = std::regex_replace(location, userPassword, "$1@");
    shown = std::regex_replace(shown, passwordParameter, "$1");
    if (shown.ends_with("?") || shown.ends_with("&")) shown.pop_back();
    return shown;
}

std::unique_ptr<Database> openDatabase(const std::string& location) {
    if (databaseKindOf(location) == DatabaseKind::Postgresql) return std::make_unique<PostgresDatabase>(location);
    return std::make_unique<SqliteDatabase>(location);
}

}  // namespace mindset::store
