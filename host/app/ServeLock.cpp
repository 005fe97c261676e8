#include "app/ServeLock.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace mindset::app {

ServeLock::ServeLock(const std::filesystem::path& database) {
    auto file = database;
    file += ".serve-lock";
    std::error_code error;
    std::filesystem::create_directories(file.parent_path().empty() ? "." : file.parent_path(), error);
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw ServeLockError("cannot open " + file.string() + ": " + std::strerror(errno));
    // flock, not fcntl: SQLite's own fcntl locks on the database never meet it, and it goes with
    // the process however that ends.
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int cause = errno;
        char pid[32] = {};
        const auto n = ::pread(fd_, pid, sizeof pid - 1, 0);
        ::close(fd_);
        fd_ = -1;
        if (cause != EWOULDBLOCK) throw ServeLockError("cannot lock " + file.string() + ": " + std::strerror(cause));
        const std::string who = n > 0 ? "another `mindset serve` (process " + std::string(pid, static_cast<std::size_t>(n)) + ")"
                                      : "another `mindset serve`";
        throw ServeLockError(who + " already serves " + database.string() +
                             ": two servers on one SQLite file would each trust their own copy of the drafts. Stop that one, "
                             "give this one another --data-dir, or share a PostgreSQL database (--database) between several.");
    }
    // The process id only makes a refused second server's message clearer: not writing it is no failure.
    const auto pid = std::to_string(::getpid());
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) return;
}

ServeLock::~ServeLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace mindset::app
