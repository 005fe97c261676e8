#include "cli/Backup.h"

#include <cstdio>
#include <string>

#include "store/Backup.h"

namespace mindset::cli {

namespace {

/// "12.3 MB (12,345,678 bytes)": the rounded size to read, the exact one to compare.
std::string describeSize(std::uintmax_t bytes) {
    std::string exact = std::to_string(bytes);
    for (int at = static_cast<int>(exact.size()) - 3; at > 0; at -= 3) exact.insert(static_cast<std::size_t>(at), ",");
    char rounded[32];
    if (bytes >= 1000 * 1000) std::snprintf(rounded, sizeof rounded, "%.1f MB", static_cast<double>(bytes) / 1e6);
    else std::snprintf(rounded, sizeof rounded, "%.1f kB", static_cast<double>(bytes) / 1e3);
    return std::string(rounded) + " (" + exact + " bytes)";
}

}  // namespace

BackupOutcome backupDatabase(std::ostream& out, std::ostream& err, const std::filesystem::path& database,
                             const std::filesystem::path& destination, bool isReplacing) {
    try {
        const auto summary = store::backupDatabase(database, destination, isReplacing);
        out << "Backed up " << database.string() << " to " << summary.file.string() << "\n"
            << "  size:      " << describeSize(summary.bytes) << "\n"
            << "  responses: " << summary.responses << "\n"
            << "  releases:  " << summary.releases << "\n"
            << "  schema:    version " << summary.schemaVersion << "\n"
            << "  integrity: ok (PRAGMA integrity_check)\n"
            << "To restore it: stop `mindset serve`, then `mindset restore --from " << summary.file.string() << " --data-dir "
            << (database.parent_path().empty() ? std::string(".") : database.parent_path().string()) << "`.\n";
        return BackupOutcome::Done;
    } catch (const store::BackupError& e) {
        err << "mindset backup: " << e.what() << "\n";
        switch (e.cause()) {
            case store::BackupError::Cause::NoDatabase: return BackupOutcome::NoDatabase;
            case store::BackupError::Cause::DestinationExists:
            case store::BackupError::Cause::CannotWrite: return BackupOutcome::CannotWrite;
            case store::BackupError::Cause::CopyFailed: return BackupOutcome::CopyFailed;
        }
        return BackupOutcome::CopyFailed;
    }
}

}  // namespace mindset::cli
