#include "web/handlers/SurveyPages.h"

#include <cstdio>
#include <map>

#include <Poco/URI.h>

#include "surveys/ResponseEncoding.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;
using surveys::SurveyDefinition;

namespace {

std::string formatDate(std::chrono::year_month_day day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    return text;
}

/// Replaces each {{name}} in an interface string with its value (the result is escaped later).
std::string fill(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [name, value] : values) {
        const auto marker = "{{" + name + "}}";
        for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
            text.replace(at, marker.size(), value);
    }
    return text;
}

std::string encode(const std::string& text) {
    std::string encoded;
    Poco::URI::encode(text, "&=?#/+", encoded);
    return encoded;
}

const SurveyDefinition& findSurvey(const Site& site, const Request& request) {
    const auto& id = request.pathParams.at("survey");
    if (const auto* survey = site.catalog.find(id)) return *survey;
    throw HttpError(404, fill(messages(interfaceLanguage(request.queryValue("lang")))["unknownSurvey"], {{"id", id}}));
}

/// The language to show a survey in: the one asked for if the survey offers it, else its first.
std::string surveyLanguage(const SurveyDefinition& survey, const std::string& requested) {
    return survey.offersLanguage(requested) ? requested : survey.languages.front();
}

json languageLinks(const SurveyDefinition& survey, const std::string& current, const std::string& path) {
    json links = json::array();
    if (survey.languages.size() < 2) return links;
    for (const auto& language : survey.languages)
        links.push_back({{"code", language},
                         {"label", messages(language)["languageName"]},
                         {"href", path + "?lang=" + language},
                         {"current", language == current}});
    return links;
}

json baseView(const SurveyDefinition& survey, const std::string& language, const std::string& title) {
    return {{"lang", language},
            {"title", title},
            {"survey",
             {{"id", survey.id},
              {"title", survey.title.in(language)},
              {"introduction", survey.introduction.byLanguage.empty() ? "" : survey.introduction.in(language)},
              {"districtName", survey.districtName},
              {"schoolYear", survey.schoolYear}}}};
}

std::string problemMessage(const surveys::FieldProblem& problem, const json& t) {
    switch (problem.kind) {
        case surveys::ProblemKind::Missing: return t["problemMissing"];
        case surveys::ProblemKind::UnknownField: return fill(t["problemUnknownField"], {{"field", problem.field}});
        case surveys::ProblemKind::DuplicateField: return t["problemDuplicateField"];
        case surveys::ProblemKind::InvalidChoice: return fill(t["problemInvalidChoice"], {{"value", problem.value}});
        case surveys::ProblemKind::PreferNotToSayWithOthers: return t["problemPreferNotToSayWithOthers"];
    }
    return t["problemMissing"];
}

/// HTML ids cannot hold the '.' of field names comfortably in CSS selectors; use '-'.
std::string anchorFor(std::string name) {
    for (auto& c : name)
        if (c == '.') c = '-';
    return "q-" + name;
}

/// The survey form, with what was submitted (if anything) checked again and problems shown.
Response formPage(const SurveyDefinition& survey, const std::string& language, const surveys::FormFields& submitted,
                  const std::vector<surveys::FieldProblem>& problems) {
    const auto& t = messages(language);
    auto view = baseView(survey, language, survey.title.in(language));
    view["action"] = "/surveys/" + survey.id + "/responses";
    view["languageLinks"] = languageLinks(survey, language, "/surveys/" + survey.id);
    view["anonymityText"] = fill(t["anonymityText"], {{"min", std::to_string(survey.minGroupSize)}});

    auto isChecked = [&](const std::string& name, const std::string& value) {
        for (const auto& [n, v] : submitted)
            if (n == name && v == value) return true;
        return false;
    };
    std::map<std::string, std::string> errorByField;
    for (const auto& problem : problems) errorByField.emplace(problem.field, problemMessage(problem, t));
    std::map<std::string, std::string> labelByField;

    json demographics = json::array();
    for (const auto& question : survey.demographics) {
        const auto name = surveys::demographicFieldName(question);
        labelByField[name] = question.label.in(language);
        json choices = json::array();
        for (const auto& choice : question.choices)
            choices.push_back({{"name", name},
                               {"value", choice.id},
                               {"label", choice.label.in(language)},
                               {"inputType", question.isMultiple ? "checkbox" : "radio"},
                               {"checked", isChecked(name, choice.id)}});
        demographics.push_back({{"anchor", anchorFor(name)},
                                {"legend", question.label.in(language)},
                                {"hint", question.hint.byLanguage.empty() ? "" : question.hint.in(language)},
                                {"required", question.isRequired},
                                {"error", errorByField.count(name) ? errorByField[name] : ""},
                                {"choices", choices}});
    }
    view["demographics"] = demographics;

    json instruments = json::array();
    for (const auto& instrument : survey.instruments) {
        const auto& definition = instrument.definition();
        json items = json::array();
        for (const auto& item : definition.items) {
            const auto name = surveys::itemFieldName(instrument, item);
            labelByField[name] = item.text.in(language);
            json options = json::array();
            for (const auto& option : definition.responseScale.options)
                options.push_back({{"name", name},
                                   {"value", std::to_string(option.code)},
                                   {"label", option.label.in(language)},
                                   {"checked", isChecked(name, std::to_string(option.code))}});
            items.push_back({{"anchor", anchorFor(name)},
                             {"legend", item.text.in(language)},
                             {"error", errorByField.count(name) ? errorByField[name] : ""},
                             {"options", options}});
        }
        instruments.push_back({{"anchor", "instrument-" + definition.id},
                               {"title", definition.title.in(language)},
                               {"description", definition.description.in(language)},
                               {"items", items}});
    }
    view["instruments"] = instruments;

    json problemList = json::array();
    for (const auto& problem : problems) {
        const bool isAsked = labelByField.count(problem.field) > 0;
        problemList.push_back({{"anchor", isAsked ? anchorFor(problem.field) : ""},
                               {"label", isAsked ? labelByField[problem.field] : ""},
                               {"message", problemMessage(problem, t)}});
    }
    view["problems"] = problemList;
    return Response::html(renderPage("survey", view), problems.empty() ? 200 : 400);
}

Response closedPage(const SurveyDefinition& survey, const std::string& language, int status) {
    const auto& t = messages(language);
    auto view = baseView(survey, language, t["closedTitle"]);
    view["heading"] = t["closedTitle"];
    view["message"] = fill(t["closedText"], {{"opens", formatDate(survey.opens)}, {"closes", formatDate(survey.closes)}});
    return Response::html(renderPage("message", view), status);
}

}  // namespace

Response home(const Site& site, const Request& request) {
    const auto language = interfaceLanguage(request.queryValue("lang"));
    json surveys = json::array();
    for (const auto& survey : site.catalog.surveys) {
        if (!survey.isOpenOn(site.today())) continue;
        const auto surveyLanguageCode = surveyLanguage(survey, language);
        surveys.push_back({{"href", "/surveys/" + encode(survey.id) + "?lang=" + surveyLanguageCode},
                           {"title", survey.title.in(surveyLanguageCode)},
                           {"districtName", survey.districtName},
                           {"schoolYear", survey.schoolYear}});
    }
    json links = json::array();
    for (auto code : kInterfaceLanguages)
        links.push_back({{"code", code}, {"label", messages(code)["languageName"]}, {"href", "/?lang=" + std::string(code)},
                         {"current", code == language}});
    return Response::html(renderPage("home", {{"lang", language}, {"title", messages(language)["homeTitle"]},
                                              {"surveys", surveys}, {"languageLinks", links}}));
}

Response surveyForm(const Site& site, const Request& request) {
    const auto& survey = findSurvey(site, request);
    const auto language = surveyLanguage(survey, request.queryValue("lang"));
    if (!survey.isOpenOn(site.today())) return closedPage(survey, language, 200);
    return formPage(survey, language, {}, {});
}

Response submitResponse(const Site& site, const Request& request) {
    const auto& survey = findSurvey(site, request);
    const auto fields = request.readForm();
    std::string requestedLanguage;
    for (const auto& [name, value] : fields)
        if (name == "lang") requestedLanguage = value;
    const auto language = surveyLanguage(survey, requestedLanguage);
    if (!survey.isOpenOn(site.today())) return closedPage(survey, language, 403);

    const auto check = surveys::checkResponse(survey, fields, {"lang"});
    if (!check.isValid()) return formPage(survey, language, fields, check.problems);
    site.store.insertResponse(survey.storeId, check.response.demographics, check.response.answers);
    return Response::redirect("/surveys/" + encode(survey.id) + "/thanks?lang=" + language);
}

Response thanks(const Site& site, const Request& request) {
    const auto& survey = findSurvey(site, request);
    const auto language = surveyLanguage(survey, request.queryValue("lang"));
    return Response::html(renderPage("thanks", baseView(survey, language, messages(language)["thanksTitle"])));
}

}  // namespace mindset::web::handlers
