#pragma once
/// One `mindset serve` per SQLite database. A server keeps its respondents' drafts in memory
/// (store/DraftCache.h), which is right only while no other server writes the same file; a second
/// server on the same data folder is refused at start, naming the first one's process.

#include <filesystem>
#include <stdexcept>

namespace mindset::app {

class ServeLockError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ServeLock {
public:
    /// Takes `database`'s serve lock (the file beside it, "<database>.serve-lock", creating its
    /// folder); throws ServeLockError when another process holds it or it cannot be made.
    explicit ServeLock(const std::filesystem::path& database);
    ~ServeLock();
    ServeLock(const ServeLock&) = delete;
    ServeLock& operator=(const ServeLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace mindset::app
