#include <catch2/catch.hpp>

#include "web/PageCache.h"

using mindset::web::PageCache;

TEST_CASE("The page cache renders once and fills each visitor's token and checked choices", "[unit][page-cache]") {
    PageCache cache;
    int renders = 0;
    const std::string placeholder = PageCache::kTokenPlaceholder;
    auto render = [&](const std::string& token) {
        ++renders;
        return "<input name=csrf value=" + token + "><input name=i.a value=1" + PageCache::checkedSlot("i.a", "1") +
               "><input name=i.a value=2" + PageCache::checkedSlot("i.a", "2") + "><input name=i.b value=1" +
               PageCache::checkedSlot("i.b", "1") + "><a href=?t=" + token + ">";
    };

    CHECK(cache.page("p", "TOKEN1", render, {"i.a=2"}) ==
          "<input name=csrf value=TOKEN1><input name=i.a value=1><input name=i.a value=2 checked><input name=i.b value=1><a href=?t=TOKEN1>");
    CHECK(cache.page("p", "TOKEN2", render, {"i.b=1", "i.a=1", "i.c=9"}) ==
          "<input name=csrf value=TOKEN2><input name=i.a value=1 checked><input name=i.a value=2><input name=i.b value=1 checked><a href=?t=TOKEN2>");
    CHECK(cache.page("p", "TOKEN3", render) ==
          "<input name=csrf value=TOKEN3><input name=i.a value=1><input name=i.a value=2><input name=i.b value=1><a href=?t=TOKEN3>");
    CHECK(renders == 1);

    // Another key is rendered on its own; a slot start without its end is left as it is.
    const auto broken = cache.page("q", "T", [](const std::string& token) { return "a\x1e" "b " + token; });
    CHECK(broken == "a\x1e" "b T");
    CHECK(renders == 1);
}
