#include "loader/HookCheck.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace mindset::loader {

namespace {

/// Tells the parent which hook the child is about to call, so that a crash can name it. A write
/// of a few bytes to a pipe is atomic and async-signal-safe.
void announce(int fd, const char* hook) {
    const char end = '\n';
    [[maybe_unused]] auto a = ::write(fd, hook, std::strlen(hook));
    [[maybe_unused]] auto b = ::write(fd, &end, 1);
}

}  // namespace

std::vector<sdk::ItemAnswers> syntheticAnswers(const sdk::Definition& d) {
    const auto items = d.items.size();
    const int low = d.responseScale.minCode(), high = d.responseScale.maxCode();
    std::vector<sdk::ItemAnswers> all;
    for (int code = low; code <= high; ++code) all.push_back({std::vector<int>(items, code)});
    all.push_back({std::vector<int>(items, 0)});
    sdk::ItemAnswers alternating{std::vector<int>(items)};
    for (std::size_t i = 0; i < items; ++i) alternating.codes[i] = i % 2 ? high : low;
    all.push_back(alternating);
    std::uint32_t state = 2463534242u;  // xorshift32: the same answers on every run
    for (int r = 0; r < 32; ++r) {
        sdk::ItemAnswers mixed{std::vector<int>(items)};
        for (auto& code : mixed.codes) {
            state ^= state << 13, state ^= state >> 17, state ^= state << 5;
            const int pick = static_cast<int>(state % static_cast<std::uint32_t>(high - low + 2));
            code = pick == 0 ? 0 : low + pick - 1;
        }
        all.push_back(std::move(mixed));
    }
    return all;
}

namespace {

[[noreturn]] void exerciseAndExit(const sdk::Instrument& instrument, int fd) {
    // Exceptions are confined at run time; here only a crash counts, so each call's are dropped.
    try {
        announce(fd, "definition");
        const auto& d = instrument.definition();
        announce(fd, "score");
        for (const auto& answers : syntheticAnswers(d)) {
            try {
                (void)instrument.score(answers);
            } catch (...) {
            }
        }
        announce(fd, "interpret");
        const double low = d.responseScale.minCode(), high = d.responseScale.maxCode();
        for (const auto& scale : d.scales)
            for (const auto standing : {sdk::Standing::Strength, sdk::Standing::AreaForGrowth})
                for (const double mean : {low, (low + high) / 2, high})
                    for (const char* language : {"en", "es"}) {
                        try {
                            (void)instrument.interpret({scale.id, standing, mean, (mean - low) / (high - low), 100}, language);
                        } catch (...) {
                        }
                    }
    } catch (...) {
    }
    ::_exit(0);  // no atexit handlers, no static destructors of the parent's objects
}

std::string signalText(int signal) {
    const char* abbreviation = sigabbrev_np(signal);
    const char* description = sigdescr_np(signal);
    return std::string("signal ") + (abbreviation ? "SIG" + std::string(abbreviation) : std::to_string(signal)) +
           (description ? " (" + std::string(description) + ")" : "");
}

}  // namespace

std::string crashInHooks(const sdk::Instrument& instrument, std::chrono::milliseconds timeout) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return {};  // cannot check: the run-time boundary still confines exceptions
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return {};
    }
    if (child == 0) {
        ::close(fds[0]);
        // The parent's handlers (a crash reporter, a test framework) must not run in the child:
        // a crash here has to end it with the signal, for the parent to see.
        for (const int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(signal, SIG_DFL);
        exerciseAndExit(instrument, fds[1]);
    }
    ::close(fds[1]);

    std::string announced;
    int status = 0;
    bool isFinished = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!isFinished) {
        pollfd readable{fds[0], POLLIN, 0};
        if (::poll(&readable, 1, 20) > 0) {
            char buffer[256];
            const auto n = ::read(fds[0], buffer, sizeof buffer);
            if (n > 0) announced.append(buffer, static_cast<std::size_t>(n));
        }
        const auto waited = ::waitpid(child, &status, WNOHANG);
        if (waited == child || (waited < 0 && errno != EINTR)) isFinished = true;
        else if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            ::close(fds[0]);
            return "did not finish its hooks on synthetic responses within " + std::to_string(timeout.count() / 1000) +
                   " s (an endless loop?); refused so that no page waits on it";
        }
    }
    for (char buffer[256];;) {  // what the child wrote just before it ended
        const auto n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0) break;
        announced.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);

    std::string hook = "?";
    if (!announced.empty()) {
        announced.pop_back();
        hook = announced.substr(announced.rfind('\n') == std::string::npos ? 0 : announced.rfind('\n') + 1);
    }
    if (WIFSIGNALED(status))
        return "crashed with " + signalText(WTERMSIG(status)) + " in " + hook +
               "() on synthetic responses (checked in a separate process at load time); refused so that the server cannot crash "
               "on it";
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return "ended the process with exit status " + std::to_string(WEXITSTATUS(status)) + " in " + hook +
               "() on synthetic responses (checked in a separate process at load time)";
    return {};
}

}  // namespace mindset::loader
