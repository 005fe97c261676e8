#include <catch2/catch.hpp>

#include "support/TestSite.h"

using namespace mindset;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSubmit = "/surveys/riverside-2026/responses";
const std::string kToken = "0123456789abcdef0123456789abcdef";

/// A one-page submission with this client's CSRF token and `submission` as its exactly-once token.
surveys::FormFields oneShot(TestSite& site, const std::string& submission = kToken) {
    auto fields = completeResponse(site.survey());
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"submission", submission}, {"lang", "en"}});
    return fields;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the one-page form renders every item as a labelled radio group", "[http]") {
    TestSite site;
    const auto page = site.get("/surveys/riverside-2026/all");
    REQUIRE(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(count(page.body, "<fieldset") == 4 + 43);
    CHECK(count(page.body, "<legend>") == 4 + 43);
    CHECK(page.contains("<legend>I believe every student at my school can reach high academic standards.</legend>"));
    CHECK(page.contains(R"(<input type="radio" name="i.equity-excellence.ee01" value="5">)"));
    CHECK(page.contains(R"(<input type="checkbox" name="d.race" value="black">)"));
    CHECK(page.contains(R"(<input type="hidden" name="csrf" value=")" + site.csrf() + "\">"));

    const auto spanish = site.get("/surveys/riverside-2026/all?lang=es");
    CHECK(spanish.contains(R"(<html lang="es">)"));
    CHECK(spanish.contains("Creo que todos los estudiantes de mi escuela pueden alcanzar"));
    CHECK(spanish.contains("Enviar mis respuestas"));
}

TEST_CASE("the landing page says what the survey is for, how long it takes and who sees what", "[http]") {
    TestSite site;
    const auto page = site.get("/surveys/riverside-2026");
    REQUIRE(page.status == 200);
    // 43 items x 10 s + 4 questions x 15 s = 490 s
    CHECK(page.contains("It takes about 9 minutes (43 statements and 4 questions about you)."));
    // An open-link survey: groups show at its higher threshold (openLinkMinGroupSize, 10), and the page promises that.
    CHECK(page.contains("Results are only shown for groups of at least 10 people"));
    CHECK(page.contains("We do not store your name, email, access code, IP address or the time you answered."));
    CHECK(page.contains(R"(hreflang="es")"));
    const auto firstToken = site.csrf();
    CHECK(page.contains(R"(name="csrf" value=")" + firstToken + "\">"));

    // The page is rendered once and shared, but each visitor's form carries their own token.
    site.cookies().clear();
    const auto secondVisitor = site.get("/surveys/riverside-2026");
    CHECK(site.csrf() != firstToken);
    CHECK(secondVisitor.contains(R"(name="csrf" value=")" + site.csrf() + "\">"));
    CHECK_FALSE(secondVisitor.contains(firstToken));

    const auto spanish = site.get("/surveys/riverside-2026?lang=es");
    CHECK(spanish.contains("Toma alrededor de 9 minutos (43 afirmaciones y 4 preguntas sobre usted)."));
    CHECK(spanish.contains("grupos de al menos 10 personas"));
}

TEST_CASE("every page carries the security headers", "[http]") {
    TestSite site;
    for (const auto* path : {"/", "/surveys/riverside-2026", "/surveys/riverside-2026/all", "/nowhere", "/static/mindset.css"}) {
        const auto reply = site.get(path);
        INFO(path);
        CHECK(reply.header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
        CHECK(reply.header("Content-Security-Policy").find("default-src 'none'") != std::string::npos);  // no script at all
        CHECK(reply.header("X-Content-Type-Options") == "nosniff");
        CHECK(reply.header("Referrer-Policy") == "no-referrer");
    }
}

TEST_CASE("a complete response is stored and acknowledged with a redirect to the thank-you page", "[http]") {
    TestSite site;
    const auto reply = site.post(kSubmit, encodeForm(oneShot(site)));
    CHECK(reply.status == 303);
    CHECK(reply.header("Location") == "/surveys/riverside-2026/thanks?lang=en");
    REQUIRE(site.storedResponses() == 1);

    const auto stored = site.store().responses(site.survey().storeId).front();
    const auto decoded = surveys::decodeResponse(site.survey(), {stored.demographics, stored.answers});
    CHECK(decoded.demographics[0] == std::vector<std::string>{"riverside-middle"});
    CHECK(decoded.demographics[1] == std::vector<std::string>{"school-leader"});
    CHECK(decoded.demographics[3] == std::vector<std::string>{"asian", "white"});
    for (std::size_t i = 0; i < decoded.answers.size(); ++i) CHECK(decoded.answers[i] == static_cast<int>(i % 5 + 1));

    const auto thanks = site.get(reply.header("Location"));
    CHECK(thanks.status == 200);
    CHECK(thanks.contains("Your answers have been submitted."));
}

TEST_CASE("submitting the same form twice stores one response", "[http]") {
    TestSite site;
    const auto body = encodeForm(oneShot(site));
    CHECK(site.post(kSubmit, body).status == 303);
    CHECK(site.post(kSubmit, body).status == 303);  // a refresh of the POST, or a double click
    CHECK(site.storedResponses() == 1);
    CHECK(site.post(kSubmit, encodeForm(oneShot(site, "ffffffffffffffffffffffffffffffff"))).status == 303);
    CHECK(site.storedResponses() == 2);
}

TEST_CASE("malformed or incomplete responses get a 4xx page naming the problem and store nothing", "[http]") {
    TestSite site;
    auto fields = oneShot(site);
    auto replaced = [&](const std::string& name, const std::string& value) {
        auto changed = fields;
        for (auto& [n, v] : changed)
            if (n == name) v = value;
        return encodeForm(changed);
    };

    SECTION("an answer out of range") {
        const auto reply = site.post(kSubmit, replaced("i.continuous-improvement.ci03", "6"));
        CHECK(reply.status == 400);
        CHECK(reply.contains("“6” is not one of the choices."));
        CHECK(reply.contains(R"(href="#q-i-continuous-improvement-ci03")"));
    }
    SECTION("an unknown item") {
        fields.emplace_back("i.equity-excellence.ee77", "3");
        const auto reply = site.post(kSubmit, encodeForm(fields));
        CHECK(reply.status == 400);
        CHECK(reply.contains("a field the survey does not ask: i.equity-excellence.ee77"));
    }
    SECTION("a missing required question, in Spanish") {
        std::erase_if(fields, [](const auto& f) { return f.first == "d.school" || f.first == "lang"; });
        fields.emplace_back("lang", "es");
        const auto reply = site.post(kSubmit, encodeForm(fields));
        CHECK(reply.status == 400);
        CHECK(reply.contains("¿Dónde trabaja la mayor parte del tiempo?</a>: Responda esta pregunta."));
        CHECK(reply.contains(R"(value="school-leader" checked>)"));  // what was answered is kept
    }
    SECTION("a single-answer field sent twice") {
        fields.emplace_back("i.equity-excellence.ee01", "2");
        CHECK(site.post(kSubmit, encodeForm(fields)).status == 400);
    }
    SECTION("a value that is not UTF-8") {
        const auto reply = site.post(kSubmit, replaced("d.role", "") + "&d.years=%C3%28");
        CHECK(reply.status == 400);
        CHECK(reply.contains("The value of field &apos;d.years&apos; is not valid UTF-8 text."));
    }
    SECTION("a body over the size limit") {
        const auto reply = site.post(kSubmit, encodeForm(fields) + "&pad=" + std::string(20 * 1024, 'x'));
        CHECK(reply.status == 413);
        CHECK(reply.contains("the limit is 16384 bytes"));
    }
    SECTION("a body that is not a form") {
        const auto reply = site.post(kSubmit, R"({"d.school":"x"})", "application/json");
        CHECK(reply.status == 415);
        CHECK(reply.contains("Expected a form"));
    }
    SECTION("broken percent-encoding") {
        CHECK(site.post(kSubmit, "d.school=%zz").status == 400);
    }
    SECTION("no CSRF token, or another one") {
        CHECK(site.post(kSubmit, replaced("csrf", "")).status == 403);
        const auto reply = site.post(kSubmit, replaced("csrf", "abababababababababababababababab"));
        CHECK(reply.status == 403);
        CHECK(reply.contains("This form has expired or came from another site."));
    }
    SECTION("no submission token") {
        const auto reply = site.post(kSubmit, replaced("submission", "not-a-token"));
        CHECK(reply.status == 400);
        CHECK(reply.contains("missing its submission token"));
    }
    SECTION("an unknown survey") {
        const auto reply = site.post("/surveys/no-such-survey/responses", encodeForm(fields));
        CHECK(reply.status == 404);
        CHECK(reply.contains("There is no survey called “no-such-survey”."));
    }
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("a survey outside its window says when it opens or closed, and refuses submissions", "[http]") {
    using namespace std::chrono;
    TestSite site({}, year_month_day{year(2026), month(8), day(31)});
    CHECK(site.get("/surveys/riverside-2026").contains("This survey opens on 2026-09-01."));
    const auto body = encodeForm(oneShot(site));

    site.setToday(year_month_day{year(2027), month(7), day(1)});
    CHECK(site.get("/surveys/riverside-2026").contains("This survey closed on 2027-06-30."));
    CHECK(site.post(kSubmit, body).status == 403);
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("unknown addresses and methods get a clear error page", "[http]") {
    TestSite site;
    CHECK(site.get("/surveys/no-such-survey").status == 404);
    CHECK(site.get("/no/such/page").status == 404);
    CHECK(site.get("/surveys/riverside-2026/pages/9").status == 404);
    const auto wrongMethod = site.send("DELETE", kSubmit, "", "");
    CHECK(wrongMethod.status == 405);
    CHECK(wrongMethod.header("Allow") == "POST");
}

TEST_CASE("an exception in a handler becomes an error page, never a dropped connection", "[http]") {
    web::Router router({
        {"GET", "/throws-std", [](const web::Request&) -> web::Response { throw std::runtime_error("secret detail"); }},
        {"GET", "/throws-other", [](const web::Request&) -> web::Response { throw 42; }},
        {"GET", "/fine", [](const web::Request&) { return web::Response::html("fine"); }},
    });
    TestSite site(std::move(router));
    for (const auto* path : {"/throws-std", "/throws-other"}) {
        const auto reply = site.get(path);
        INFO(path);
        CHECK(reply.status == 500);
        CHECK(reply.contains("The server could not complete this request. Nothing was saved."));
        CHECK_FALSE(reply.contains("secret detail"));  // internals stay in the log
    }
    CHECK(site.get("/fine").body == "fine");
}
