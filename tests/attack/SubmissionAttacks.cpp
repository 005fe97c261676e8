#include "attack/SubmissionAttacks.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

namespace mindset::attack {

using nlohmann::json;

namespace {

json readProfile(testing::TestSite& site, const std::string& surveyId) {
    const auto path = "/api/surveys/" + surveyId + "/profile";
    const auto reply = site.get(path);
    if (reply.status != 200) throw std::runtime_error("GET " + path + " answered " + std::to_string(reply.status));
    return json::parse(reply.body);
}

std::string scaleKeyOf(const json& scale) { return scale["instrument"].get<std::string>() + "/" + scale["scale"].get<std::string>(); }

const json* cellsOf(const json& byScale, const std::string& scaleKey) {
    for (const auto& entry : byScale)
        if (entry["scale"] == scaleKey) return &entry["cells"];
    return nullptr;
}

const json* breakdownOf(const json& profile, const std::string& question) {
    for (const auto& breakdown : profile["breakdowns"])
        if (breakdown["question"] == question) return &breakdown;
    return nullptr;
}

/// The middle response code of the survey's items (3 on a 1-5 scale), from the published item counts.
int middleCode(const json& profile) {
    int low = 1, high = 5;
    for (const auto& scale : profile["scales"])
        for (const auto& item : scale.value("items", json::array())) {
            low = high = std::stoi(item["counts"].begin().key());
            for (const auto& [code, count] : item["counts"].items()) {
                low = std::min(low, std::stoi(code));
                high = std::max(high, std::stoi(code));
            }
            return (low + high) / 2;
        }
    return (low + high) / 2;
}

bool isShown(const json& cell) { return cell.contains("n") && cell["n"].is_number(); }

/// Categories of `question` the newcomer may be in, judged from one scale's cells before and after:
/// the one shown category that grew by one, or else every category not shown both times.
std::set<std::string> candidatesOn(const json& before, const json& after) {
    std::set<std::string> grown, unclear;
    for (std::size_t c = 0; c < after.size() && c < before.size(); ++c) {
        const auto& a = before[c];
        const auto& b = after[c];
        const auto id = b["category"].get<std::string>();
        if (isShown(a) && isShown(b)) {
            if (b["n"].get<std::int64_t>() - a["n"].get<std::int64_t>() == 1) grown.insert(id);
        } else if (!b.value("empty", false)) {
            unclear.insert(id);
        }
    }
    return grown.size() == 1 ? grown : unclear;
}

void intersect(std::optional<std::set<std::string>>& known, const std::set<std::string>& more) {
    if (!known) {
        known = more;
        return;
    }
    std::set<std::string> both;
    for (const auto& id : *known)
        if (more.count(id)) both.insert(id);
    known = both;
}

}  // namespace

std::string PaddingResult::describe() const {
    std::ostringstream out;
    out << "padding " << group << ": " << (wasHidden ? "hidden" : "not hidden") << " before, " << ownResponses
        << " own responses, " << (didShow ? "shown" : "never shown") << "\n";
    for (const auto& d : derived)
        out << "  " << d.scale << ": real members " << d.members << ", mean " << d.mean << ", favorable " << d.favorable << "\n";
    return out.str();
}

PaddingResult padGroup(testing::TestSite& site, const std::string& surveyId, const std::string& question,
                       const std::string& category, int maxOwnResponses) {
    PaddingResult result;
    result.group = question + "=" + category;
    publishFigures(site, surveyId);
    const auto before = readProfile(site, surveyId);
    const auto* breakdown = breakdownOf(before, question);
    if (!breakdown) return result;
    auto cellOf = [&](const json& profile, const std::string& scaleKey) -> const json* {
        const auto* b = breakdownOf(profile, question);
        const auto* cells = b ? cellsOf((*b)["scales"], scaleKey) : nullptr;
        if (!cells) return nullptr;
        for (const auto& cell : *cells)
            if (cell["category"] == category) return &cell;
        return nullptr;
    };
    result.wasHidden = true;
    for (const auto& scale : before["scales"]) {
        if (scale.contains("hidden")) continue;
        const auto* cell = cellOf(before, scaleKeyOf(scale));
        result.wasHidden = result.wasHidden && cell && cell->contains("hidden");
    }
    if (!result.wasHidden) return result;

    // The attacker's own response: in the group, every item at the middle code (so every scale
    // scores exactly that), every other question at its first choice.
    const int middle = middleCode(before);
    FormLayout form;
    asAnotherBrowser(site, [&] { form = readForm(site, surveyId); });
    surveys::FormFields own;
    for (const auto& [field, choices] : form.demographicFields) {
        if (field != "d." + question) own.emplace_back(field, choices.front());
        else if (category == "two-or-more" && choices.size() > 1) own.emplace_back(field, choices[0]), own.emplace_back(field, choices[1]);
        else if (category != "no-answer") own.emplace_back(field, category);  // "no answer": leave it out
    }
    for (const auto& field : form.itemFields) own.emplace_back(field, std::to_string(middle));

    while (result.ownResponses < maxOwnResponses && !result.didShow) {
        int status = 0;
        asAnotherBrowser(site, [&] { status = submitThroughForm(site, surveyId, own); });
        if (status != 303) break;  // the product refused the submission
        ++result.ownResponses;
        publishFigures(site, surveyId);
        const auto after = readProfile(site, surveyId);
        for (const auto& scale : after["scales"]) {
            if (scale.contains("hidden")) continue;
            const auto* cell = cellOf(after, scaleKeyOf(scale));
            if (!cell || !isShown(*cell)) continue;
            const auto n = (*cell)["n"].get<std::int64_t>();
            const auto ownCount = static_cast<std::int64_t>(result.ownResponses);
            PaddedFigures figures{scaleKeyOf(scale), n - ownCount, 0, 0};
            const double ownSum = static_cast<double>(ownCount * middle);
            if (figures.members > 0) figures.mean = ((*cell)["mean"].get<double>() * static_cast<double>(n) - ownSum) / static_cast<double>(figures.members);
            const bool isOwnFavorable = middle >= scale["favorableAtLeast"].get<double>();
            figures.favorable = (*cell)["favorable"]["count"].get<std::int64_t>() - (isOwnFavorable ? ownCount : 0);
            result.derived.push_back(figures);
            result.didShow = true;
        }
    }
    return result;
}

std::string RefusalProbe::describe() const {
    std::ostringstream out;
    out << "open link refusals, " << group << ": " << accepted << " own responses accepted, " << (wasRefused ? "then refused" : "never refused") << "\n";
    return out.str();
}

std::vector<RefusalProbe> probeRefusals(testing::TestSite& site, const std::string& surveyId, const std::string& question,
                                        int maxOwnResponses) {
    publishFigures(site, surveyId);
    const auto profile = readProfile(site, surveyId);
    // The attacker's view: which categories the release hides, and each question's largest shown one.
    std::vector<std::string> hidden;
    std::map<std::string, std::string> largest;
    for (const auto& breakdown : profile["breakdowns"]) {
        const auto id = breakdown["question"].get<std::string>();
        std::int64_t largestN = -1;
        for (const auto& cell : breakdown["scales"][0]["cells"]) {
            if (id == question && cell.contains("hidden")) hidden.push_back(cell["category"].get<std::string>());
            if (isShown(cell) && cell["n"].get<std::int64_t>() > largestN) {
                largestN = cell["n"].get<std::int64_t>();
                largest[id] = cell["category"].get<std::string>();
            }
        }
    }
    const int middle = middleCode(profile);
    FormLayout form;
    asAnotherBrowser(site, [&] { form = readForm(site, surveyId); });
    site.trustProxies({"127.0.0.1"});  // the attacker's many addresses reach the site through a proxy

    std::vector<RefusalProbe> probes;
    static int address = 0;  // a fresh client address for every probe of the run
    for (const auto& category : hidden) {
        RefusalProbe probe{question + "=" + category};
        surveys::FormFields own;
        for (const auto& [field, choices] : form.demographicFields) {
            const auto fieldQuestion = field.substr(2);  // "d.<question>"
            const auto& choice = fieldQuestion == question ? category : largest[fieldQuestion];
            if (choice == "two-or-more" && choices.size() > 1) own.emplace_back(field, choices[0]), own.emplace_back(field, choices[1]);
            else if (!choice.empty() && choice != "no-answer") own.emplace_back(field, choice);
        }
        for (const auto& field : form.itemFields) own.emplace_back(field, std::to_string(middle));
        ++address;
        const auto clientAddress = "198.51." + std::to_string(address / 250) + "." + std::to_string(1 + address % 250);
        while (probe.accepted < maxOwnResponses && !probe.wasRefused) {
            int status = 0;
            asAnotherBrowser(site, [&] { status = submitThroughForm(site, surveyId, own, clientAddress); });
            if (status == 429) probe.wasRefused = true;
            else if (status == 303) ++probe.accepted;
            else throw std::runtime_error("an own submission into " + probe.group + " answered " + std::to_string(status));
        }
        probes.push_back(probe);
    }
    return probes;
}

std::string DifferencingResult::describe() const {
    std::ostringstream out;
    out << "differencing: " << (didPublish ? "published" : "publishing refused") << "; derived " << answers.size() << " of "
        << itemsAsked << " item answers, " << demographics.size() << " of " << questionsAsked << " demographic answers";
    for (const auto& [question, category] : demographics) out << " " << question << "=" << category;
    out << ", " << scores.size() << " scale scores\n";
    return out.str();
}

DifferencingResult differenceAroundOneSubmission(testing::TestSite& site, const std::string& surveyId,
                                                 const surveys::FormFields& victimAnswers) {
    DifferencingResult result;
    publishFigures(site, surveyId);
    const auto before = readProfile(site, surveyId);
    int status = 0;
    asAnotherBrowser(site, [&] { status = submitThroughForm(site, surveyId, victimAnswers); });
    if (status != 303) throw std::runtime_error("the victim's submission answered " + std::to_string(status));
    result.didPublish = publishFigures(site, surveyId);
    const auto after = readProfile(site, surveyId);
    result.questionsAsked = after["breakdowns"].size();

    // Item answers: the district's counts per code, before and after.
    std::vector<std::string> growingScales;
    for (std::size_t g = 0; g < after["scales"].size() && g < before["scales"].size(); ++g) {
        const auto& a = before["scales"][g];
        const auto& b = after["scales"][g];
        const auto instrumentId = b["instrument"].get<std::string>().substr(0, b["instrument"].get<std::string>().find('@'));
        result.itemsAsked += b.value("items", json::array()).size();
        if (!isShown(a) || !isShown(b)) continue;
        for (std::size_t i = 0; i < b["items"].size() && i < a["items"].size(); ++i) {
            const auto& itemBefore = a["items"][i];
            const auto& itemAfter = b["items"][i];
            std::vector<std::string> grew;
            for (const auto& [code, count] : itemAfter["counts"].items())
                if (count.get<std::int64_t>() - itemBefore["counts"].value(code, std::int64_t{0}) == 1) grew.push_back(code);
            if (itemAfter["missing"].get<std::int64_t>() - itemBefore["missing"].get<std::int64_t>() == 1) grew.push_back("");
            if (grew.size() == 1) result.answers["i." + instrumentId + "." + itemAfter["item"].get<std::string>()] = grew.front();
        }
        const auto nBefore = a["n"].get<std::int64_t>(), nAfter = b["n"].get<std::int64_t>();
        if (nAfter == nBefore + 1) {
            result.scores[scaleKeyOf(b)] = b["mean"].get<double>() * static_cast<double>(nAfter) - a["mean"].get<double>() * static_cast<double>(nBefore);
            growingScales.push_back(scaleKeyOf(b));
        }
    }

    // Demographics: which category grew, on every scale the newcomer has a score on, in the
    // one-way breakdowns and in the crossed table.
    std::map<std::string, std::optional<std::set<std::string>>> candidates;
    for (std::size_t q = 0; q < after["breakdowns"].size() && q < before["breakdowns"].size(); ++q) {
        const auto question = after["breakdowns"][q]["question"].get<std::string>();
        for (const auto& scaleKey : growingScales) {
            const auto* cellsBefore = cellsOf(before["breakdowns"][q]["scales"], scaleKey);
            const auto* cellsAfter = cellsOf(after["breakdowns"][q]["scales"], scaleKey);
            if (cellsBefore && cellsAfter) intersect(candidates[question], candidatesOn(*cellsBefore, *cellsAfter));
        }
    }
    if (after.contains("pair") && after["pair"].is_object() && before.contains("pair") && before["pair"].is_object()) {
        const auto rowQuestion = after["pair"]["rows"].get<std::string>(), columnQuestion = after["pair"]["columns"].get<std::string>();
        for (const auto& scaleKey : growingScales) {
            const auto* cellsBefore = cellsOf(before["pair"]["scales"], scaleKey);
            const auto* cellsAfter = cellsOf(after["pair"]["scales"], scaleKey);
            if (!cellsBefore || !cellsAfter) continue;
            std::set<std::string> rows, columns;
            for (const auto& cell : candidatesOn(*cellsBefore, *cellsAfter)) {
                rows.insert(cell.substr(0, cell.find('|')));
                columns.insert(cell.substr(cell.find('|') + 1));
            }
            intersect(candidates[rowQuestion], rows);
            intersect(candidates[columnQuestion], columns);
        }
    }
    for (const auto& [question, ids] : candidates)
        if (ids && ids->size() == 1) result.demographics[question] = *ids->begin();
    return result;
}

}  // namespace mindset::attack
