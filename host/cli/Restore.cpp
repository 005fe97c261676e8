#include "cli/Restore.h"

#include "store/Restore.h"

namespace mindset::cli {

RestoreOutcome restoreDatabase(std::ostream& out, std::ostream& err, const std::filesystem::path& backup,
                               const std::filesystem::path& database) {
    try {
        const auto summary = store::restoreDatabase(backup, database);
        out << "Restored " << backup.string() << " to " << database.string() << "\n"
            << "  responses: " << summary.responses << "\n"
            << "  releases:  " << summary.releases << "\n"
            << "  schema:    version " << summary.schemaVersion;
        if (summary.schemaVersion < store::newestSchemaVersion())
            out << " (this Mindset runs " << store::newestSchemaVersion() << ": `mindset serve` migrates it when it starts)";
        out << "\n  integrity: ok (PRAGMA integrity_check)\n";
        if (summary.keptAside)
            out << "The database it replaced is kept as " << summary.keptAside->string()
                << "; delete it once the restored one serves as it should.\n";
        out << "Everything after the backup was made is gone: responses, releases, accounts and goals changed since. "
               "Start `mindset serve` again.\n";
        return RestoreOutcome::Done;
    } catch (const store::RestoreError& e) {
        err << "mindset restore: " << e.what() << "\n";
        switch (e.cause()) {
            case store::RestoreError::Cause::NoBackup: return RestoreOutcome::NoBackup;
            case store::RestoreError::Cause::NotABackup:
            case store::RestoreError::Cause::NewerSchema: return RestoreOutcome::NotABackup;
            case store::RestoreError::Cause::InUse: return RestoreOutcome::InUse;
            case store::RestoreError::Cause::CannotWrite: return RestoreOutcome::CannotWrite;
        }
        return RestoreOutcome::CannotWrite;
    }
}

}  // namespace mindset::cli
