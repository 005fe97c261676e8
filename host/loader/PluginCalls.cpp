#include "loader/PluginCalls.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include <Poco/Logger.h>

namespace mindset::loader {

namespace {

std::string demangled(const char* mangled) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : std::string(mangled);
}

}  // namespace

std::string PluginFailure::message() const {
    const auto where = surveyId.empty() ? std::string("at load time") : "on survey '" + surveyId + "'";
    return "instrument " + instrumentKey + " failed in " + hook + "() " + where + ": " + reason;
}

PluginFailure reportFailure(PluginFailure failure) {
    Poco::Logger::get("mindset.plugins").error(failure.message());
    return failure;
}

std::string currentExceptionText() {
    const auto* type = abi::__cxa_current_exception_type();
    const auto typeName = type ? demangled(type->name()) : std::string("unknown");
    try {
        throw;
    } catch (const std::exception& e) {
        return typeName + ": " + e.what();
    } catch (...) {
        return "an exception of type " + typeName + " (not a std::exception)";
    }
}

}  // namespace mindset::loader
