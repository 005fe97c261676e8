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
| `CMakeLists.txt` | finds the installed SDK and builds the plugin with `mindset_add_instrument` |

Build it against the installed SDK (`cmake --install MINDSET_BUILD --component sdk --prefix ~/mindset-sdk`),
with the compiler `mindset` was built with:

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=$HOME/mindset-sdk
cmake --build build
```

The build ends with `mindset instrument check build/plugins/@NAME@.so`, which lists every problem
of every version the plugin exports as `FILE: id@version: $.items['du2'].text: reason` and fails
the build if there is one. Run it yourself at any time; `mindset instrument check definition.json`
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
        {"CMakeLists.txt", kCMakeLists}, {"plugin.cpp", kPluginCpp}, {"definition.json", kDefinitionJson}, {"README.md", kReadme}};
    for (const auto& [fileName, text] : files) writeFile(folder / fileName, filled(text, name));
    out << "Wrote " << folder.string() << "/: CMakeLists.txt, plugin.cpp, definition.json, README.md\n"
        << "Next:\n"
        << "  cmake -S " << folder.string() << " -B " << (folder / "build").string() << " -DCMAKE_PREFIX_PATH=<the SDK's install prefix>\n"
        << "  cmake --build " << (folder / "build").string() << "\n"
        << "  mindset instrument check " << (folder / "build" / "plugins" / (name + ".so")).string() << "\n";
}

}  // namespace mindset::cli
