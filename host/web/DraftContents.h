#pragma once
/// What a respondent's draft holds, and its stored form (a JSON document packed as MessagePack;
/// drafts saved before were JSON text, and are still read). It is sealed with the respondent's
/// cookie token before it reaches the store (store/DraftSeal.h): the server cannot read it without
/// the browser.

#include <cstddef>
#include <optional>
#include <string>

#include "surveys/ResponseEncoding.h"

namespace mindset::web {

/// A draft's contents: the hash of the access code it was started with (so that the hash is never
/// in clear next to the answers), the answers so far, and the page to continue on.
struct DraftContents {
    std::string codeHash;
    surveys::FormFields fields;
    /// The page of the flow the respondent was sent to after their last save (1-based): where
    /// "Continue where you left off" takes them.
    std::size_t page = 1;
    /// Started from the survey's test link: submitted as a test response (kept apart, counted in
    /// nothing), and its pages open before the survey does.
    bool isTest = false;
};

/// The packed document that is sealed into the store.
std::string packDraft(const DraftContents& contents);

/// The contents of a stored draft (packed, or JSON text as drafts were first saved), or nullopt
/// when it is not one. A draft saved before the page
/// was kept continues on page 1.
std::optional<DraftContents> unpackDraft(const std::string& text);

}  // namespace mindset::web
