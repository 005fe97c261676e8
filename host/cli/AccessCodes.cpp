#include "cli/AccessCodes.h"

#include <cstdio>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

#include "analytics/Csv.h"
#include "store/Tokens.h"

namespace mindset::cli {

namespace {

/// A school name given in both languages ("Central office / Oficina central") is printed in both.
std::string bilingual(const sdk::LocalizedText& text) {
    return text.in("es") != text.in("en") ? text.in("en") + " / " + text.in("es") : text.in("en");
}

/// The survey's title, in Spanish too when the survey offers Spanish and has a Spanish title.
std::string titleInLanguages(const surveys::SurveyDefinition& survey) {
    const auto& title = survey.title;
    return survey.offersLanguage("es") && title.in("es") != title.in("en") ? title.in("en") + " / " + title.in("es") : title.in("en");
}

std::string percentOf(std::int64_t part, std::int64_t whole) {
    return whole == 0 ? std::string("-") : std::to_string(100 * part / whole) + "%";
}

}  // namespace

IssuedCodes issueAccessCodes(store::Store& store, const surveys::SurveyDefinition& survey, const std::string& schoolId,
                             int count, const std::string& baseUrl, const std::string& issuedOn) {
    const surveys::School* school = nullptr;
    for (const auto& s : survey.schools)
        if (s.id == schoolId) school = &s;
    if (!school) {
        std::string known;
        for (const auto& s : survey.schools) known += (known.empty() ? "" : ", ") + s.id;
        throw std::invalid_argument("survey '" + survey.id + "' has no school '" + schoolId + "' (its schools: " + known + ")");
    }
    if (count < 1 || count > 10000) throw std::invalid_argument("--count expects 1 to 10000, got " + std::to_string(count));

    IssuedCodes issued{&survey, school, 0, {}, {}};
    std::vector<std::string> hashes;
    for (int i = 0; i < count; ++i) {
        issued.codes.push_back(store::newAccessCode());
        hashes.push_back(store::sha256Hex(store::normalizeAccessCode(issued.codes.back())));
    }
    issued.batch = store.addAccessCodes(survey.storeId, schoolId, hashes, issuedOn);  // all or none

    issued.link = codeLinkBase(survey, baseUrl);
    return issued;
}

std::string codeLinkBase(const surveys::SurveyDefinition& survey, const std::string& baseUrl) {
    auto base = baseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/surveys/" + survey.id + "?code=";
}

void printCodeSheet(std::ostream& out, const IssuedCodes& issued) {
    const auto& survey = *issued.survey;
    const auto& name = issued.school->name;
    const auto count = issued.codes.size();
    // Slips are cut apart and handed out one by one, so each carries everything in both languages:
    // whose survey, the code, and the link that carries the code (?code=) for those who scan or type it.
    const std::string cutLine(78, '-');
    out << count << " access codes for " << name.in("en") << " (" << survey.id << ", batch " << issued.batch
        << "), one slip each: cut along the lines.\n";
    for (const auto& code : issued.codes) {
        out << cutLine << "\n"
            << titleInLanguages(survey) << "\n"
            << bilingual(name) << " · " << survey.districtName << " · " << survey.schoolYear << "\n"
            << "Your code / Su código:  " << code << "\n"
            << "Open / Abra:  " << issued.link << code << "\n"
            << "The link fills in your code. The code works once and is not stored with your answers.\n"
            << "El enlace escribe su código. El código funciona una sola vez y no se guarda con sus respuestas.\n";
    }
    out << cutLine << "\n"
        << count << " codes issued for " << name.in("en") << " as batch " << issued.batch
        << ". Keep no other copy of this list; if it is lost: mindset codes void --survey " << survey.id << " --batch "
        << issued.batch << "\n";
}

void writeCodeCsv(std::ostream& out, const IssuedCodes& issued) {
    const auto& survey = *issued.survey;
    // Column names are plain words a mail-merge field can take as they are (no spaces).
    out << "code,link,school,school_es,school_id,survey,title,title_es,district,school_year,batch\r\n";
    for (const auto& code : issued.codes) {
        std::string record;
        for (const auto& field : {code, issued.link + code, issued.school->name.in("en"), issued.school->name.in("es"),
                                  issued.school->id, survey.id, survey.title.in("en"), survey.title.in("es"),
                                  survey.districtName, survey.schoolYear, std::to_string(issued.batch)}) {
            if (!record.empty()) record += ',';
            analytics::appendCsvField(record, field);
        }
        out << record << "\r\n";
    }
}

report::CodeSlipSheet codeSlipSheet(const IssuedCodes& issued) {
    const auto& survey = *issued.survey;
    const auto& school = issued.school->name;
    const auto batch = std::to_string(issued.batch);
    report::CodeSlipSheet sheet;
    sheet.documentTitle = "Access codes for " + school.in("en") + " (" + survey.id + ", batch " + batch + ")";
    sheet.title = titleInLanguages(survey);
    sheet.subtitle = bilingual(school) + " · " + survey.districtName + " · " + survey.schoolYear;
    sheet.codeLabel = "Your code / Su código";
    // The address without the code, short enough to type; the QR code carries the code as well.
    const std::string open = "Open / Abra:  ";
    sheet.address = open + issued.link.substr(0, issued.link.rfind('?'));
    sheet.addressBoldFrom = open.size();
    sheet.instructions = {
        "Scan the square with a phone's camera, or open the address and type your code. The code works once and is not "
        "stored with your answers.",
        "Escanee el cuadrado con la cámara de un teléfono, o abra la dirección y escriba su código. El código funciona una "
        "sola vez y no se guarda con sus respuestas."};
    sheet.footer = school.in("en") + " · " + survey.id + " batch " + batch + " · page {{page}} of {{pages}} · The only copy of "
                   "these codes; if lost: mindset codes void --survey " + survey.id + " --batch " + batch;
    for (const auto& code : issued.codes) sheet.slips.push_back({code, issued.link + code});
    return sheet;
}

bool createPrivateFile(const std::filesystem::path& file) {
    // O_EXCL: never opens an existing file; 0600 from creation, not narrowed afterwards.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

void issueAccessCodes(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey,
                      const std::string& schoolId, int count, const std::string& baseUrl) {
    printCodeSheet(out, issueAccessCodes(store, survey, schoolId, count, baseUrl, {}));
}

bool voidAccessCodes(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                     const std::vector<std::string>& codes) {
    std::vector<std::string> hashes;
    for (const auto& typed : codes) {
        const auto code = store::normalizeAccessCode(typed);
        // Not a code at all: hashed as typed, it is unknown and refuses the list below.
        hashes.push_back(store::sha256Hex(code.empty() ? "not a code: " + typed : code));
    }
    const auto before = store.voidAccessCodes(survey.storeId, hashes);
    std::size_t unknown = 0;
    for (std::size_t i = 0; i < codes.size(); ++i)
        if (before[i] == store::CodeState::Unknown) {
            err << "mindset codes void: '" << codes[i] << "' is not a code of survey '" << survey.id << "'\n";
            ++unknown;
        }
    if (unknown > 0) {
        err << "Nothing was voided: check the code" << (unknown == 1 ? "" : "s") << " above and run the command again.\n";
        return false;
    }
    std::size_t voided = 0;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        out << "  " << codes[i] << ": ";
        switch (before[i]) {
            case store::CodeState::Unused: out << "voided\n"; ++voided; break;
            case store::CodeState::Voided: out << "was already voided\n"; break;
            case store::CodeState::Used:
                out << "already used, so not voided (its answers stay: nothing links them to the code)\n";
                break;
            case store::CodeState::Unknown: break;
        }
    }
    out << voided << " code" << (voided == 1 ? "" : "s") << " voided in " << survey.id
        << ": the survey refuses them and response rates no longer count them.\n";
    return true;
}

bool voidAccessCodeBatch(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                         std::uint32_t number) {
    const auto batch = store.voidAccessCodeBatch(survey.storeId, number);
    if (!batch) {
        const auto batches = store.accessCodeBatches(survey.storeId);
        err << "mindset codes void: survey '" << survey.id << "' has no batch " << number;
        if (batches.empty()) err << "; no codes were issued for it yet\n";
        else err << "; its batches are 1 to " << batches.back().number << " (`mindset codes status --survey " << survey.id
                 << "` lists them)\n";
        return false;
    }
    const auto voidedNow = batch->issued - batch->used - batch->voided;
    out << "Batch " << batch->number << " of " << survey.id << " (" << batch->issued << " codes for " << batch->schoolName;
    if (!batch->issuedOn.empty()) out << ", issued " << batch->issuedOn;
    out << "): " << voidedNow << " voided now";
    if (batch->voided > 0) out << ", " << batch->voided << " voided before";
    if (batch->used > 0) out << ", " << batch->used << " already used and kept (their answers stay)";
    out << ".\nThe survey refuses the voided codes and response rates no longer count them.\n";
    return true;
}

void printAccessCodeStatus(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey) {
    out << "Access codes for " << survey.id << " (" << survey.districtName << ", " << survey.schoolYear << ")\n";
    store::CodeCount all;
    char line[256];
    std::snprintf(line, sizeof line, "  %-32s %8s %8s %8s %8s %6s\n", "school", "issued", "voided", "valid", "used", "rate");
    out << line;
    auto print = [&](const std::string& label, const store::CodeCount& count) {
        std::snprintf(line, sizeof line, "  %-32s %8lld %8lld %8lld %8lld %6s\n", label.c_str(), static_cast<long long>(count.issued),
                      static_cast<long long>(count.voided), static_cast<long long>(count.valid()),
                      static_cast<long long>(count.used), percentOf(count.used, count.valid()).c_str());
        out << line;
    };
    for (const auto& count : store.accessCodeCounts(survey.storeId)) {
        print(count.schoolName, count);
        all.issued += count.issued;
        all.voided += count.voided;
        all.used += count.used;
    }
    print("all schools", all);
    out << "  (rate: used of valid codes; voided codes, on lost or replaced sheets, are not counted)\n";

    const auto batches = store.accessCodeBatches(survey.storeId);
    if (batches.empty()) return;
    out << "Batches (void a lost one with `mindset codes void --survey " << survey.id << " --batch N`):\n";
    for (const auto& batch : batches) {
        std::snprintf(line, sizeof line, "  %4u  %-32s %-10s %6lld issued, %6lld voided, %6lld used\n", batch.number,
                      batch.schoolName.c_str(), batch.issuedOn.empty() ? "-" : batch.issuedOn.c_str(),
                      static_cast<long long>(batch.issued), static_cast<long long>(batch.voided), static_cast<long long>(batch.used));
        out << line;
    }
}

}  // namespace mindset::cli
