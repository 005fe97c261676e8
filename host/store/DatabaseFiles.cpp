#include "store/DatabaseFiles.h"

#include <fcntl.h>
#include <unistd.h>

namespace mindset::store {

namespace fs = std::filesystem;

std::string quotedPath(const fs::path& path) { return "'" + path.string() + "'"; }

fs::path withSuffix(const fs::path& path, const std::string& suffix) { return path.string() + suffix; }

fs::path folderOf(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

void syncFolder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

TemporaryCopy::~TemporaryCopy() {
    if (isKept_) return;
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(withSuffix(path_, suffix), ignored);
}

DatabaseInspection inspectDatabase(Connection& database) {
    DatabaseInspection inspection;
    auto check = database.prepare("PRAGMA integrity_check");
    while (check.step()) inspection.integrityProblems += (inspection.integrityProblems.empty() ? "" : "; ") + check.columnText(0);
    inspection.isMindset = database.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'responses'").step();
    inspection.schemaVersion = static_cast<int>(database.queryInt64("PRAGMA user_version").value_or(0));
    return inspection;
}

}  // namespace mindset::store
