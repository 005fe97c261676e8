#pragma once
/// The plugin handshake.
///
/// A plugin module exports two C symbols:
///   mindset_plugin_describe()  returns a plain C descriptor; the host reads it and checks the ABI
///                              version, compiler and standard library *before* any C++ object
///                              crosses the boundary.
///   mindset_plugin_register()  called only when the descriptor matches; adds the plugin's
///                              instruments through the Registrar. Exceptions never cross it: the
///                              macro catches them and hands the host the message.
/// Plugins declare themselves with exactly one MINDSET_PLUGIN(fn), MINDSET_INSTRUMENT_FROM_JSON(json)
/// or MINDSET_INSTRUMENTS_FROM_JSON(jsonTexts) and are built with the CMake function
/// mindset_add_instrument(...).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "Instrument.h"

/// Bumped whenever a type that crosses the plugin boundary changes layout or meaning.
#define MINDSET_PLUGIN_ABI_VERSION 8u  // 2: Scale::interpretation, Instrument::interpret; 3: Definition::comparableWith; 4: Registrar::refuseInstrument; 5: Definition::introduction; 6: ResponseScale::unscoredOptions; 7: Item::tags, Definition::tagGroups, Scale::subScoreOf; 8: Scale::figures, ScaleScore::figures, Scale::customFigureOf
#define MINDSET_SDK_VERSION "0.6.0"

#define MINDSET_STRINGIFY_(x) #x
#define MINDSET_STRINGIFY(x) MINDSET_STRINGIFY_(x)

#if defined(__clang__)
#define MINDSET_COMPILER_ID "clang-" MINDSET_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define MINDSET_COMPILER_ID "gcc-" MINDSET_STRINGIFY(__GNUC__)
#else
#define MINDSET_COMPILER_ID "unknown"
#endif

#if defined(_GLIBCXX_RELEASE)
#define MINDSET_STDLIB_ID "libstdc++-" MINDSET_STRINGIFY(_GLIBCXX_RELEASE) "-cxx11abi" MINDSET_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define MINDSET_STDLIB_ID "libc++-" MINDSET_STRINGIFY(_LIBCPP_VERSION)
#else
#define MINDSET_STDLIB_ID "unknown"
#endif

#define MINDSET_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

extern "C" {
/// Plain C: readable whatever compiler built the plugin. Static storage in the plugin.
struct mindset_plugin_descriptor {
    uint32_t abi_version;      ///< MINDSET_PLUGIN_ABI_VERSION the plugin was built with
    const char* sdk_version;   ///< MINDSET_SDK_VERSION, informational
    const char* compiler_id;   ///< e.g. "gcc-12"; must equal the host's
    const char* stdlib_id;     ///< e.g. "libstdc++-12-cxx11abi1"; must equal the host's
};
}

namespace mindset::sdk {

/// The descriptor of whatever is compiling this header (the host compares plugins against it).
inline mindset_plugin_descriptor currentDescriptor() {
    return {MINDSET_PLUGIN_ABI_VERSION, MINDSET_SDK_VERSION, MINDSET_COMPILER_ID, MINDSET_STDLIB_ID};
}

/// The host's side of registration. Only valid during mindset_plugin_register.
class Registrar {
public:
    /// Adds an instrument; the host takes ownership. The host validates the definition and
    /// refuses duplicates of an id@version already loaded, reporting them against this plugin.
    virtual void addInstrument(std::unique_ptr<Instrument> instrument) = 0;
    /// Reports an instrument version the plugin could not make, e.g. a JSON definition with
    /// problems: the host refuses that version alone, with every problem ("path: reason"), and
    /// keeps the plugin's other versions. `instrument` is "id@version", or a description such as
    /// "definition 2 of 3" when the definition does not say which instrument it is.
    virtual void refuseInstrument(const std::string& instrument, const std::vector<std::string>& problems) = 0;

protected:
    ~Registrar() = default;
};

/// Signatures of the two exported symbols.
using DescribeFunction = const mindset_plugin_descriptor*();
/// Returns 0 on success; on failure writes a NUL-terminated message into `error` and returns 1.
using RegisterFunction = int(Registrar* registrar, char* error, std::size_t errorSize);

namespace detail {
/// Adds the instrument of one JSON definition, or reports it refused with every problem, so that a
/// mistake in one version does not take the plugin's other versions with it. `ordinal` and `count`
/// name a definition that does not say its id and version.
inline void addJsonInstrument(Registrar& registrar, std::string_view jsonText, std::size_t ordinal, std::size_t count) {
    try {
        registrar.addInstrument(std::make_unique<JsonInstrument>(jsonText));
    } catch (const DefinitionError& e) {
        auto key = e.instrumentKey();
        if (key.empty()) key = "definition " + std::to_string(ordinal) + " of " + std::to_string(count);
        registrar.refuseInstrument(key, e.problems());
    }
}

inline int runRegistration(void (*registerFn)(Registrar&), Registrar* registrar, char* error, std::size_t errorSize) {
    auto fail = [&](const char* message) {
        if (errorSize == 0) return 1;
        std::strncpy(error, message, errorSize - 1);
        error[errorSize - 1] = '\0';
        return 1;
    };
    try {
        registerFn(*registrar);
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown exception");
    }
}
}  // namespace detail

}  // namespace mindset::sdk

/// Declares a plugin whose `registerFn(mindset::sdk::Registrar&)` adds its instruments.
#define MINDSET_PLUGIN(registerFn)                                                                      \
    MINDSET_PLUGIN_EXPORT const mindset_plugin_descriptor* mindset_plugin_describe() {                \
        static const mindset_plugin_descriptor descriptor = ::mindset::sdk::currentDescriptor();        \
        return &descriptor;                                                                             \
    }                                                                                                   \
    MINDSET_PLUGIN_EXPORT int mindset_plugin_register(::mindset::sdk::Registrar* registrar, char* error, \
                                                      std::size_t errorSize) {                          \
        return ::mindset::sdk::detail::runRegistration(registerFn, registrar, error, errorSize);        \
    }

/// Declares a plugin with one instrument described entirely by a JSON definition string
/// (mindset_add_instrument(... DEFINITION file.json) provides it as `mindset_definition_json`).
#define MINDSET_INSTRUMENT_FROM_JSON(jsonText)                                                     \
    static void mindsetRegisterJsonInstrument(::mindset::sdk::Registrar& registrar) {            \
        ::mindset::sdk::detail::addJsonInstrument(registrar, jsonText, 1, 1);                     \
    }                                                                                             \
    MINDSET_PLUGIN(mindsetRegisterJsonInstrument)

/// Declares a plugin with several instruments, each described entirely by a JSON definition, e.g.
/// two versions of one instrument published side by side. `jsonTexts` is an array of strings:
/// mindset_add_instrument(... DEFINITION a.json b.json) provides it as `mindset_definitions_json`.
#define MINDSET_INSTRUMENTS_FROM_JSON(jsonTexts)                                                     \
    static void mindsetRegisterJsonInstruments(::mindset::sdk::Registrar& registrar) {             \
        const std::size_t count = std::size(jsonTexts);                                             \
        for (std::size_t i = 0; i < count; ++i)                                                     \
            ::mindset::sdk::detail::addJsonInstrument(registrar, jsonTexts[i], i + 1, count);       \
    }                                                                                               \
    MINDSET_PLUGIN(mindsetRegisterJsonInstruments)
