#include <catch2/catch.hpp>

#include "web/Router.h"

using namespace mindset::web;

namespace {

Handler named(const std::string& name) {
    return [name](const Request&) { return Response::html(name); };
}

Router sampleRouter() {
    return Router({{"GET", "/", named("home")},
                   {"GET", "/surveys/{survey}", named("survey")},
                   {"POST", "/surveys/{survey}/start", named("start")},
                   {"GET", "/surveys/{survey}/pages/{page}", named("page")},
                   {"POST", "/surveys/{survey}/pages/{page}", named("save")},
                   {"GET", "/surveys/riverside/special", named("literal")}});
}

std::string routeName(const Router::Match& match) {
    if (!match.route) return "";
    return match.route->pattern + " " + match.route->method;
}

}  // namespace

TEST_CASE("The router matches whole segments and names each parameter", "[unit][router]") {
    const auto router = sampleRouter();

    const auto page = router.match("GET", "/surveys/riverside-2026/pages/2");
    CHECK(routeName(page) == "/surveys/{survey}/pages/{page} GET");
    CHECK(page.params == std::map<std::string, std::string>{{"survey", "riverside-2026"}, {"page", "2"}});

    CHECK(routeName(router.match("POST", "/surveys/riverside-2026/pages/2")) == "/surveys/{survey}/pages/{page} POST");
    CHECK(router.match("GET", "/").route != nullptr);
    CHECK(router.match("GET", "/surveys/x").params == std::map<std::string, std::string>{{"survey", "x"}});

    CHECK(routeName(router.match("GET", "/surveys/riverside/special")) == "/surveys/riverside/special GET");

    SECTION("a path with fewer, more or empty segments fits no route") {
        for (const auto* path : {"/surveys", "/surveys/", "/surveys/x/pages", "/surveys/x/pages/2/3", "/surveys//pages/2",
                                 "/surveys/x/pages/", "//", "/nowhere", ""}) {
            INFO(path);
            const auto match = router.match("GET", path);
            CHECK(match.route == nullptr);
            CHECK_FALSE(match.isPathKnown);
        }
    }
    SECTION("a path known under another method lists the methods it accepts (405)") {
        const auto match = router.match("DELETE", "/surveys/x/pages/2");
        CHECK(match.route == nullptr);
        CHECK(match.isPathKnown);
        CHECK(match.allowedMethods == std::vector<std::string>{"GET", "POST"});
        CHECK(router.match("GET", "/surveys/x/start").allowedMethods == std::vector<std::string>{"POST"});
    }
    SECTION("HEAD is answered by the GET route") {
        CHECK(routeName(router.match("HEAD", "/surveys/x")) == "/surveys/{survey} GET");
        CHECK(router.match("HEAD", "/surveys/x/start").route == nullptr);
    }
}

TEST_CASE("A cookie is read from its header by exact name, trimmed and unquoted", "[unit][cookies]") {
    const std::string header = "mindset_csrf=abc123; mindset_draft_riverside-2026=\"0f0f\" ;  other = x y ;flag; empty=";
    CHECK(cookieValue(header, "mindset_csrf") == "abc123");
    CHECK(cookieValue(header, "mindset_draft_riverside-2026") == "0f0f");
    CHECK(cookieValue(header, "other") == "x y");
    CHECK(cookieValue(header, "empty") == "");
    CHECK_FALSE(cookieValue(header, "flag").has_value());
    CHECK_FALSE(cookieValue(header, "MINDSET_CSRF").has_value());
    CHECK_FALSE(cookieValue(header, "mindset").has_value());
    CHECK_FALSE(cookieValue("", "mindset_csrf").has_value());
    // The first of two cookies with one name wins, as browsers send the most specific path first.
    CHECK(cookieValue("a=1; a=2", "a") == "1");
}
