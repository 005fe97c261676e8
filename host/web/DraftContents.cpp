#include "web/DraftContents.h"

#include <nlohmann/json.hpp>

namespace mindset::web {

using nlohmann::json;

std::string packDraft(const DraftContents& contents) {
    json fields = json::object();
    for (const auto& [name, value] : contents.fields) fields[name].push_back(value);
    // MessagePack, the same document in binary: read back in a third of the time of JSON text,
    // and the form page reads the draft on every request (bench: issue 12).
    json document{{"code", contents.codeHash}, {"fields", fields}, {"page", contents.page}};
    if (contents.isTest) document["test"] = true;  // absent in real drafts, as in drafts saved before test runs
    const auto packed = json::to_msgpack(document);
    return {packed.begin(), packed.end()};
}

namespace {

/// Reads a draft's JSON straight into DraftContents, without building a document first: the form
/// page opens the draft on every request, and the document was most of its cost (bench: issue 12).
/// A draft is an object with a string "code", an object "fields" whose values are arrays (members
/// that are not strings skipped), an optional unsigned "page" and an optional boolean "test"; anything
/// else is not a draft.
class DraftReader final : public nlohmann::json_sax<json> {
public:
    std::optional<DraftContents> result() {
        if (!hasCode_ || !hasFields_ || isBroken_) return std::nullopt;
        return std::move(contents_);
    }

    bool null() override { return scalar(); }
    bool boolean(bool value) override {
        if (depth_ == 1 && key_ == "test") contents_.isTest = value;
        return scalar();
    }
    bool number_integer(number_integer_t) override { return scalar(); }
    bool number_unsigned(number_unsigned_t value) override {
        if (depth_ == 1 && key_ == "page" && value >= 1) contents_.page = static_cast<std::size_t>(value);
        return scalar();
    }
    bool number_float(number_float_t, const string_t&) override { return scalar(); }
    bool binary(binary_t&) override { return scalar(); }
    bool string(string_t& value) override {
        if (depth_ == 1 && key_ == "code") {
            contents_.codeHash = std::move(value);
            hasCode_ = true;
        } else if (depth_ == 3 && isInFieldValues_) {
            contents_.fields.emplace_back(field_, std::move(value));
        }
        return scalar();
    }

    bool start_object(std::size_t) override {
        if (depth_ == 1 && key_ == "fields") hasFields_ = true;
        else if (depth_ == 2 && isInFields()) isBroken_ = true;  // a field's values must be an array
        ++depth_;
        return true;
    }
    bool end_object() override {
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override {
        if (depth_ == 0) isBroken_ = true;
        if (depth_ == 2) isInFieldValues_ = isInFields();
        ++depth_;
        return true;
    }
    bool end_array() override {
        if (--depth_ == 2) isInFieldValues_ = false;
        return true;
    }
    bool key(string_t& name) override {
        if (depth_ == 1) {
            if (name == "code") hasCode_ = false;  // the last "code" counts, as in a document
            key_ = name;
        } else if (depth_ == 2 && isInFields()) {
            field_ = name;
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        isBroken_ = true;
        return false;
    }

private:
    bool isInFields() const { return key_ == "fields" && hasFields_; }
    bool scalar() {
        if (depth_ == 0) isBroken_ = true;  // the draft is an object, not a lone value
        if (depth_ == 2 && isInFields()) isBroken_ = true;  // a field's values must be an array
        return true;
    }

    DraftContents contents_{{}, {}, 1};
    std::size_t depth_ = 0;
    std::string key_;    ///< the current key of the top object
    std::string field_;  ///< the current field name inside "fields"
    bool hasCode_ = false;
    bool hasFields_ = false;
    bool isInFieldValues_ = false;
    bool isBroken_ = false;
};

}  // namespace

std::optional<DraftContents> unpackDraft(const std::string& text) {
    DraftReader reader;
    // Drafts saved before they were packed are JSON text, which starts with '{'; a packed draft
    // starts with a MessagePack map marker, never '{'.
    const auto format = text.starts_with('{') ? nlohmann::detail::input_format_t::json : nlohmann::detail::input_format_t::msgpack;
    if (!json::sax_parse(text, &reader, format)) return std::nullopt;
    return reader.result();
}

}  // namespace mindset::web
