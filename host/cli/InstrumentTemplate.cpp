#include "cli/InstrumentTemplate.h"

#include <fstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <mindset/sdk.h>

namespace mindset::cli {

namespace {

// Every file is text with @NAME@ (the instrument id) and @SDK@ (the SDK's major.minor) in it.
constexpr std::string_view kCMakeLists = R"template(# The instrument @NAME@, built outside the Mindset source tree against an installed SDK.
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=$HOME/mindset-sdk
#   cmake --build build          (runs `mindset instrument check` on the built plugin)
#   ctest --test-dir build       (runs scoring_test.cpp on the built plugin)
#   mindset plugins --plugins build/plugins
cmake_minimum_required(VERSION 3.25)
project(@NAME@ VERSION 1.0.0 LANGUAGES CXX)

find_package(MindsetSDK @SDK@ REQUIRED)

# Builds build/plugins/@NAME@.so with definition.json embedded in it. When the SDK finds the
# `mindset` program, every build ends with `mindset instrument check`: a definition with a problem
# fails the build, naming the version and the item.
mindset_add_instrument(@NAME@
  SOURCES plugin.cpp
  DEFINITION definition.json
  OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)

# scoring_test.cpp loads the built plugin as the host does and scores answers whose scores were
# worked out by hand: `ctest --test-dir build`. Plain C++ and the SDK; no test framework needed.
enable_testing()
add_executable(@NAME@-scoring-test scoring_test.cpp)
target_link_libraries(@NAME@-scoring-test PRIVATE MindsetSDK::sdk ${CMAKE_DL_LIBS})
add_dependencies(@NAME@-scoring-test @NAME@)
add_test(NAME @NAME@-scoring COMMAND @NAME@-scoring-test $<TARGET_FILE:@NAME@>)
)template";

constexpr std::string_view kScoringTest = R"template(// Scores of @NAME@ worked out by hand, checked against the built plugin: `ctest --test-dir build`
// after `cmake --build build`. The test loads build/plugins/@NAME@.so exactly as the host does, so
// it checks custom C++ scoring too. When you change the items, keys or scoring, change the cases.
#include <dlfcn.h>

#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mindset/sdk.h>

namespace {

using mindset::sdk::Instrument;

// Collects what the plugin registers, as the host's loader does.
class Registrations final : public mindset::sdk::Registrar {
public:
    std::vector<std::unique_ptr<Instrument>> instruments;
    void addInstrument(std::unique_ptr<Instrument> instrument) override { instruments.push_back(std::move(instrument)); }
    void refuseInstrument(const std::string& instrument, const std::vector<std::string>& problems) override {
        std::cerr << "refused " << instrument << ":\n";
        for (const auto& problem : problems) std::cerr << "  " << problem << "\n";
    }
};

int failures = 0;

void check(bool isTrue, const std::string& what) {
    if (isTrue) return;
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
}

// One response, given as item id -> answer code; items not named are skipped (code 0).
mindset::sdk::ItemAnswers answersOf(const Instrument& instrument, const std::map<std::string, int>& codes) {
    const auto& items = instrument.definition().items;
    mindset::sdk::ItemAnswers answers{std::vector<int>(items.size(), 0)};
    for (const auto& [itemId, code] : codes) {
        bool found = false;
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].id == itemId) answers.codes[i] = code, found = true;
        check(found, "the definition has an item '" + itemId + "'");
    }
    return answers;
}

// The score of one scale, or nothing when the scale has no score for this response.
std::optional<double> scoreOf(const Instrument& instrument, const std::map<std::string, int>& codes, const std::string& scaleId) {
    for (const auto& score : instrument.score(answersOf(instrument, codes)))
        if (score.scaleId == scaleId) return score.value;
    check(false, "score() returns a score for scale '" + scaleId + "'");
    return std::nullopt;
}

bool near(std::optional<double> value, double expected) { return value && std::abs(*value - expected) < 1e-9; }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " PLUGIN.so\n";
        return 2;
    }
    void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);  // never closed: its instruments live until exit
    if (!library) {
        std::cerr << "cannot load " << argv[1] << ": " << dlerror() << "\n";
        return 1;
    }
    auto* registerPlugin = reinterpret_cast<mindset::sdk::RegisterFunction*>(dlsym(library, "mindset_plugin_register"));
    if (!registerPlugin) {
        std::cerr << argv[1] << " has no mindset_plugin_register: is it built with mindset_add_instrument?\n";
        return 1;
    }
    Registrations registrations;
    char error[1024] = "";
    if (registerPlugin(&registrations, error, sizeof error) != 0) {
        std::cerr << "registration failed: " << error << "\n";
        return 1;
    }
    const Instrument* instrument = nullptr;
    for (const auto& registered : registrations.instruments)
        if (registered->definition().id == "@NAME@" && registered->definition().version == "1.0.0") instrument = registered.get();
    if (!instrument) {
        std::cerr << "the plugin registers no @NAME@@1.0.0\n";
        return 1;
    }

    // data-use is the mean of du1, du2 and du3 after keying; du3 is reverse-keyed on 1..4, so an
    // answer c counts as 1 + 4 - c: here (4 + 3 + (5 - 1)) / 3 = 11 / 3.
    check(near(scoreOf(*instrument, {{"du1", 4}, {"du2", 3}, {"du3", 1}}, "data-use"), 11.0 / 3),
          "data-use is the mean of keyed answers, du3 reversed");
    // minAnswered is 2: one answer is no score, two are.
    check(!scoreOf(*instrument, {{"du1", 4}}, "data-use"), "data-use has no score with one answer");
    check(near(scoreOf(*instrument, {{"du1", 2}, {"du2", 4}}, "data-use"), 3.0), "data-use scores two answers");
    // family-engagement: (2 + 3 + 4) / 3 = 3; nothing answered in data-use leaves it without a score.
    check(near(scoreOf(*instrument, {{"fe1", 2}, {"fe2", 3}, {"fe3", 4}}, "family-engagement"), 3.0),
          "family-engagement is the mean of its answers");
    check(!scoreOf(*instrument, {{"fe1", 2}, {"fe2", 3}, {"fe3", 4}}, "data-use"), "an unanswered scale has no score");

    if (failures > 0) return 1;
    std::cout << "@NAME@@1.0.0 scoring: all checks passed\n";
    return 0;
}
)template";

constexpr std::string_view kPluginCpp = R"template(// The instrument @NAME@: its behaviour is entirely in definition.json, embedded at build time.
// Write C++ here only for custom scoring (docs/writing-an-instrument.md, "Custom C++").
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENT_FROM_JSON(mindset_definition_json)
)template";

constexpr std::string_view kDefinitionJson = R"template({
  "id": "@NAME@",
  "version": "1.0.0",
  "title": {"en": "@NAME@ (draft)", "es": "@NAME@ (borrador)"},
  "description": {
    "en": "A district self-assessment of how far two practices are implemented. Replace this text with what the instrument measures.",
    "es": "Una autoevaluación del distrito sobre el grado de implementación de dos prácticas. Sustituya este texto por lo que mide el instrumento."
  },
  "introduction": {
    "en": "The next statements are about how your district plans and uses data. Replace this text with what the questions are about, never with the answer you hope for.",
    "es": "Las siguientes afirmaciones tratan sobre cómo su distrito planifica y usa los datos. Sustituya este texto por el tema de las preguntas, nunca por la respuesta que espera."
  },
  "citation": "Replace with the instrument's source and licence.",
  "responseScale": {
    "id": "implementation-4",
    "options": [
      {"code": 1, "label": {"en": "Not started", "es": "No iniciado"}},
      {"code": 2, "label": {"en": "Beginning", "es": "Inicial"}},
      {"code": 3, "label": {"en": "Developing", "es": "En desarrollo"}},
      {"code": 4, "label": {"en": "Established", "es": "Consolidado"}}
    ]
  },
  "scales": [
    {
      "id": "data-use",
      "title": {"en": "Data use", "es": "Uso de datos"},
      "description": {
        "en": "Data disaggregated by race is reviewed and used in decisions.",
        "es": "Los datos desglosados por raza se revisan y se usan en las decisiones."
      },
      "favorableAtLeast": 3,
      "minAnswered": 2,
      "interpretation": {
        "strength": {
          "en": "Staff see disaggregated data reviewed and used in decisions.",
          "es": "El personal ve que los datos desglosados se revisan y se usan en las decisiones."
        },
        "growth": {
          "en": "Disaggregated data is not yet part of how decisions are made.",
          "es": "Los datos desglosados todavía no forman parte de la toma de decisiones."
        },
        "practices": [
          {
            "en": "Review one disaggregated measure at every leadership meeting.",
            "es": "Revisar un indicador desglosado en cada reunión del equipo directivo."
          }
        ]
      }
    },
    {
      "id": "family-engagement",
      "title": {"en": "Family engagement", "es": "Participación de las familias"},
      "description": {
        "en": "Families of colour help shape school decisions.",
        "es": "Las familias de color contribuyen a las decisiones de la escuela."
      },
      "favorableAtLeast": 3,
      "minAnswered": 2
    }
  ],
  "items": [
    {"id": "du1", "scale": "data-use",
     "text": {"en": "Our team reviews student data disaggregated by race.", "es": "Nuestro equipo revisa los datos del alumnado desglosados por raza."}},
    {"id": "du2", "scale": "data-use",
     "text": {"en": "Decisions about resources cite disaggregated data.", "es": "Las decisiones sobre recursos citan datos desglosados."}},
    {"id": "du3", "scale": "data-use", "reverseKeyed": true,
     "text": {"en": "Data is collected but rarely discussed.", "es": "Los datos se recogen, pero rara vez se comentan."}},
    {"id": "fe1", "scale": "family-engagement",
     "text": {"en": "Families of colour are invited to help set school goals.", "es": "Se invita a las familias de color a fijar las metas de la escuela."}},
    {"id": "fe2", "scale": "family-engagement",
     "text": {"en": "We meet families in the languages they speak.", "es": "Nos reunimos con las familias en los idiomas que hablan."}},
    {"id": "fe3", "scale": "family-engagement",
     "text": {"en": "Family feedback changes what the school does.", "es": "Las opiniones de las familias cambian lo que hace la escuela."}}
  ]
}
)template";

constexpr std::string_view kReadme = R"template(# @NAME@

An instrument plugin for Mindset, written by `mindset instrument new @NAME@`. Every text is in
English and Spanish; a text missing in either language is an error, so that a Spanish page never
shows English.

| file | what it is |
|---|---|
| `definition.json` | the instrument: a 4-point implementation scale, two scales, six items, interpretation texts |
| `plugin.cpp` | the plugin's entry point; it registers the definition |
| `CMakeLists.txt` | finds the installed SDK, builds the plugin with `mindset_add_instrument` and its test |
| `scoring_test.cpp` | scores worked out by hand, checked against the built plugin by `ctest` |

Build it against the installed SDK (`cmake --install MINDSET_BUILD --component sdk --prefix ~/mindset-sdk`),
with the compiler `mindset` was built with:

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=$HOME/mindset-sdk
cmake --build build
ctest --test-dir build --output-on-failure
```

The build ends with `mindset instrument check build/plugins/@NAME@.so`, which lists every problem
of every version the plugin exports as `FILE: id@version: $.items['du2'].text: reason` and fails
the build if there is one. `ctest` then loads the built plugin and checks the scores in
`scoring_test.cpp`; change its cases whenever you change the items, keys or scoring. Run the check yourself at any time; `mindset instrument check definition.json`
checks the JSON alone, without building.

Then try it: `mindset plugins --plugins build/plugins` lists `@NAME@@1.0.0`; pin it in a survey
file as `"@NAME@@1.0.0"` and start `mindset serve --plugins build/plugins`.

Once a survey has responses under 1.0.0, never change its items, texts, keys or options: publish
1.1.0 beside it (a second DEFINITION file and MINDSET_INSTRUMENTS_FROM_JSON) and declare
`comparableWith`. See docs/writing-an-instrument.md in the Mindset source tree.
)template";

std::string filled(std::string_view text, const std::string& name) {
    std::string sdkVersion = MINDSET_SDK_VERSION;
    sdkVersion = sdkVersion.substr(0, sdkVersion.rfind('.'));  // find_package asks for MAJOR.MINOR
    std::string result(text);
    const std::pair<std::string, std::string> values[] = {{"@NAME@", name}, {"@SDK@", sdkVersion}};
    for (const auto& [placeholder, value] : values) {
        for (auto at = result.find(placeholder); at != std::string::npos; at = result.find(placeholder, at + value.size()))
            result.replace(at, placeholder.size(), value);
    }
    return result;
}

void writeFile(const std::filesystem::path& file, const std::string& content) {
    std::ofstream out(file, std::ios::binary);
    out << content;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

void writeInstrumentTemplate(std::ostream& out, const std::string& name, const std::filesystem::path& parent) {
    if (!sdk::detail::isIdentifier(name))
        throw std::invalid_argument("expected an instrument id (lowercase letters, digits, - or _, 1-64 characters), got '" +
                                    name + "'");
    const auto folder = parent / name;
    if (std::filesystem::exists(folder))
        throw std::runtime_error(folder.string() + " already exists; nothing was written (choose another name or --out DIR)");
    std::filesystem::create_directories(folder);
    const std::pair<const char*, std::string_view> files[] = {
        {"CMakeLists.txt", kCMakeLists}, {"plugin.cpp", kPluginCpp}, {"definition.json", kDefinitionJson},
        {"scoring_test.cpp", kScoringTest}, {"README.md", kReadme}};
    for (const auto& [fileName, text] : files) writeFile(folder / fileName, filled(text, name));
    out << "Wrote " << folder.string() << "/: CMakeLists.txt, plugin.cpp, definition.json, scoring_test.cpp, README.md\n"
        << "Next:\n"
        << "  cmake -S " << folder.string() << " -B " << (folder / "build").string() << " -DCMAKE_PREFIX_PATH=<the SDK's install prefix>\n"
        << "  cmake --build " << (folder / "build").string() << "\n"
        << "  ctest --test-dir " << (folder / "build").string() << " --output-on-failure\n"
        << "  mindset plugins --plugins " << (folder / "build" / "plugins").string() << "\n";
}

}  // namespace mindset::cli
