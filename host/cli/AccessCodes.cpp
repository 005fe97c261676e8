#include "cli/AccessCodes.h"

#include <cstdio>
#include <stdexcept>

#include "store/Tokens.h"

namespace mindset::cli {

void issueAccessCodes(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey,
                      const std::string& schoolId, int count, const std::string& baseUrl) {
    const surveys::School* school = nullptr;
    for (const auto& s : survey.schools)
        if (s.id == schoolId) school = &s;
    if (!school) {
        std::string known;
        for (const auto& s : survey.schools) known += (known.empty() ? "" : ", ") + s.id;
        throw std::invalid_argument("survey '" + survey.id + "' has no school '" + schoolId + "' (its schools: " + known + ")");
    }
    if (count < 1 || count > 10000) throw std::invalid_argument("--count expects 1 to 10000, got " + std::to_string(count));

    std::vector<std::string> codes, hashes;
    for (int i = 0; i < count; ++i) {
        codes.push_back(store::newAccessCode());
        hashes.push_back(store::sha256Hex(store::normalizeAccessCode(codes.back())));
    }
    store.addAccessCodes(survey.storeId, schoolId, hashes);  // all or none

    // Slips are cut apart and handed out one by one, so each carries everything in both languages:
    // whose survey, the code, and the link that carries the code (?code=) for those who scan or type it.
    auto base = baseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const auto link = base + "/surveys/" + survey.id + "?code=";
    const std::string cutLine(78, '-');
    // A school name given in both languages ("Central office / Oficina central") is printed in both.
    const auto& name = school->name;
    const auto sheetName = name.in("es") != name.in("en") ? name.in("en") + " / " + name.in("es") : name.in("en");
    out << count << " access codes for " << name.in("en") << " (" << survey.id << "), one slip each: cut along the lines.\n";
    for (const auto& code : codes) {
        out << cutLine << "\n"
            << survey.title.in("en");
        if (survey.offersLanguage("es") && survey.title.in("es") != survey.title.in("en")) out << " / " << survey.title.in("es");
        out << "\n"
            << sheetName << " · " << survey.districtName << " · " << survey.schoolYear << "\n"
            << "Your code / Su código:  " << code << "\n"
            << "Open / Abra:  " << link << code << "\n"
            << "The link fills in your code. The code works once and is not stored with your answers.\n"
            << "El enlace escribe su código. El código funciona una sola vez y no se guarda con sus respuestas.\n";
    }
    out << cutLine << "\n"
        << count << " codes issued for " << name.in("en") << ". Keep no other copy of this list.\n";
}

void printAccessCodeStatus(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey) {
    out << "Access codes for " << survey.id << " (" << survey.districtName << ", " << survey.schoolYear << ")\n";
    std::int64_t issued = 0, used = 0;
    char line[256];
    std::snprintf(line, sizeof line, "  %-32s %8s %8s %9s\n", "school", "issued", "used", "rate");
    out << line;
    auto rate = [](std::int64_t u, std::int64_t i) { return i == 0 ? std::string("-") : std::to_string(100 * u / i) + "%"; };
    for (const auto& count : store.accessCodeCounts(survey.storeId)) {
        std::snprintf(line, sizeof line, "  %-32s %8lld %8lld %9s\n", count.schoolName.c_str(),
                      static_cast<long long>(count.issued), static_cast<long long>(count.used), rate(count.used, count.issued).c_str());
        out << line;
        issued += count.issued;
        used += count.used;
    }
    std::snprintf(line, sizeof line, "  %-32s %8lld %8lld %9s\n", "all schools", static_cast<long long>(issued),
                  static_cast<long long>(used), rate(used, issued).c_str());
    out << line;
}

}  // namespace mindset::cli
