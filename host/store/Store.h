#pragma once
/// The durable record of districts, schools, surveys and anonymous responses: embedded SQLite (WAL)
/// by default, or PostgreSQL shared by several hosts (store/Database.h; the SQL here is the same).
/// Knows nothing of plugins or HTTP: it stores what it is given, as plain values.
/// Thread-safe: one connection behind a mutex; every write is committed (SQLite: synchronous=FULL)
/// before the call returns. Submissions go through a single writer thread that commits the
/// ones waiting together (group commit), so that many respondents share one fsync.
/// No residue (docs/privacy.md; SQLite): secure_delete is on, so deleted rows are overwritten with zeros;
/// old versions of their pages stay in the write-ahead log until a checkpoint, so a group commit
/// that burned a code or deleted a draft is followed by a TRUNCATE checkpoint (once per batch; if
/// another process is reading, it is retried after the next commit instead of waiting).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/Database.h"
#include "store/DraftCache.h"

namespace mindset::store {

/// How long a readiness probe waits for a lock before it calls the database unavailable.
inline constexpr int kReadinessTimeoutMs = 1000;

/// What the store keeps of a survey definition.
struct SurveyRecord {
    std::string slug;
    std::string districtSlug;
    std::string districtName;
    std::vector<std::pair<std::string, std::string>> schools;  ///< slug, name
    std::string schoolYear;
    std::string definitionJson;
    std::string answerLayout;  ///< what each stored byte means; fixed once responses exist
    /// Each pinned instrument version ("id@version") with its fingerprint (loader/Fingerprint.h);
    /// fixed once responses exist.
    std::vector<std::pair<std::string, std::string>> instrumentFingerprints{};
};

/// A survey as stored, with how many responses it has.
struct StoredSurvey {
    std::int64_t id = 0;
    std::string definitionJson;
    std::string answerLayout;
    std::int64_t responseCount = 0;
};

/// One stored response, exactly as kept: nothing else exists about it.
struct StoredResponse {
    std::vector<std::uint8_t> demographics;
    std::vector<std::uint8_t> answers;
};

/// Thrown when a survey file would change the meaning of responses already stored.
class SurveyConflict : public StoreError {
public:
    using StoreError::StoreError;
};

/// A respondent's answers so far, kept under the hash of the token in their cookie and sealed
/// with a key derived from that token (store/DraftSeal.h): the store cannot read them.
struct Draft {
    std::string tokenHash;
    std::int64_t surveyId = 0;
    std::vector<std::uint8_t> sealed;  ///< sealDraft(token, what the web layer keeps in a draft)
};

/// A draft's resume code as the store keeps it (store/ResumeCode.h): never the code itself.
struct ResumeCodeRecord {
    std::string codeHash;                    ///< resumeCodeHash(code): how the row is found
    std::string draftTokenHash;              ///< the draft it continues
    std::vector<std::uint8_t> wrappedToken;  ///< wrapDraftToken(code, the draft's cookie token)
};

/// A comment as the store keeps it (010_comments.sql): apart from any response.
struct CommentRecord {
    std::string questionId;
    std::string groupKey;  ///< the school it may be shown under ("" for none), nothing else
    std::string text;
};

/// Everything one submission changes, in one transaction.
struct Submission {
    std::int64_t surveyId = 0;
    std::vector<std::uint8_t> demographics;
    std::vector<std::uint8_t> answers;
    std::string submissionTokenHash;  ///< recorded, so that a repeat stores nothing
    std::string codeHash;             ///< burned, if not empty
    std::string draftTokenHash;       ///< deleted, if not empty
    /// Stored in their own table, under random ids, with nothing that points at the response.
    std::vector<CommentRecord> comments{};
    /// Sent through the survey's test link: stored as a test response (apart, never counted, no
    /// code burned), so that trying a survey does not lock its questions.
    bool isTest = false;
};

/// Thrown when an import would add responses to a survey that already has some, unasked.
class ImportRefused : public StoreError {
public:
    using StoreError::StoreError;
};

enum class SubmitResult {
    Stored,            ///< committed
    AlreadySubmitted,  ///< this submission token was used before: nothing stored
    CodeUsed,          ///< the access code was used by another submission: nothing stored
    CodeUnknown,       ///< the access code was never issued for this survey: nothing stored
    CodeVoided,        ///< the access code was voided (`mindset codes void`): nothing stored
};

enum class CodeState { Unknown, Unused, Used, Voided };

/// One access code as stored (found by its hash): what the survey pages need to know of it.
struct AccessCodeRecord {
    CodeState state = CodeState::Unknown;
    std::string schoolSlug;  ///< the school it was issued for: a code's respondent works there
    std::uint32_t batch = 0;
};

/// Issued, voided and used access codes of one school.
struct CodeCount {
    std::string schoolSlug;
    std::string schoolName;
    std::int64_t issued = 0;  ///< every code ever issued, voided ones included
    std::int64_t used = 0;
    std::int64_t voided = 0;  ///< never used (a used code cannot be voided)

    /// The codes still in staff hands or already answered: the response rate's denominator.
    std::int64_t valid() const { return issued - voided; }
};

/// One `mindset codes issue` (one printed sheet or CSV file): numbered per survey.
struct CodeBatch {
    std::uint32_t number = 0;
    std::string schoolSlug;
    std::string schoolName;
    std::string issuedOn;  ///< YYYY-MM-DD; empty for codes issued before batches were kept
    std::int64_t issued = 0;
    std::int64_t used = 0;
    std::int64_t voided = 0;
};

/// One `mindset import`: numbered per survey, so that it can be listed and undone as a whole.
struct ImportBatch {
    std::uint32_t number = 0;
    std::string importedOn;      ///< YYYY-MM-DD, the day of the import (not of any answer)
    std::int64_t rowCount = 0;   ///< rows the import stored
    std::int64_t remaining = 0;  ///< of them still stored (0 once undone)
    std::int64_t released = 0;   ///< of them held by a published release: the batch can no longer be undone
};

/// What `undoImport` did.
enum class UndoImportResult {
    Removed,       ///< the batch's responses are gone
    UnknownBatch,  ///< the survey has no batch with that number: nothing changed
    AlreadyUndone, ///< the batch has no response left: nothing changed
    Released,      ///< a published release holds some of them (releases never change): nothing changed
};

/// A staff account: someone who signs in to read profiles, use the API or download exports.
/// Respondents never have one.
struct Account {
    std::int64_t id = 0;
    std::string username;
    std::string passwordHash;                 ///< crypto_pwhash_str output (Argon2id)
    std::optional<std::string> districtSlug;  ///< the account's scope; nullopt: the whole network
    std::string createdOn;                    ///< YYYY-MM-DD
    /// A school leader's school (its id in the district's survey files), within districtSlug; nullopt
    /// for district and network accounts (013_school_accounts.sql).
    std::optional<std::string> schoolSlug{};
    /// For an account that signs in through the district's OpenID Connect provider: the provider's
    /// `iss` and `sub`, the identity it stands for (015_sso_accounts.sql). Such an account has no
    /// password (passwordHash is empty). nullopt for password accounts.
    std::optional<std::string> ssoIssuer{};
    std::optional<std::string> ssoSubject{};

    /// True for a school leader's account, which reads only its own school's report.
    bool isSchoolScoped() const { return schoolSlug.has_value(); }
    /// True for an account that signs in only through single sign-on, never with a password.
    bool isSingleSignOn() const { return ssoIssuer.has_value(); }
};

/// A signed-in browser: the hash of its cookie token, whose account it is, and until when.
struct Session {
    std::string tokenHash;
    Account account;
    std::int64_t expiresAt = 0;  ///< unix seconds
};

/// A goal a district set for a scale (docs/goals.md), as stored. The store checks none of its
/// meaning (web/handlers/GoalPages.cpp validates the form against the district's surveys).
struct GoalRecord {
    std::int64_t id = 0;  ///< 0 until stored
    std::string districtSlug;
    std::string instrumentId;  ///< without version: the goal follows the scale across years
    std::string scaleId;
    std::string measure;        ///< "mean", "favorable" or "gap"
    std::string groupQuestion;  ///< empty with groupCategory empty: the whole district
    std::string groupCategory;
    double targetValue = 0;
    std::string targetYear;    ///< "YYYY-YYYY"
    std::string baselineYear;  ///< "YYYY-YYYY", or empty: the first year with a figure
    bool isRemoved = false;

    bool operator==(const GoalRecord&) const = default;
};

/// One entry of a district's goal history: who did what to which goal, and when.
struct GoalChange {
    std::int64_t id = 0;
    std::int64_t goalId = 0;
    std::string districtSlug;
    std::string username;
    std::string action;      ///< "created", "changed" or "removed"
    std::string beforeJson;  ///< the goal before the change (goalToJson); empty for "created"
    std::string afterJson;   ///< the goal after it; for "removed", as it stood when removed
    std::string changedAt;   ///< UTC, "YYYY-MM-DDTHH:MM:SSZ"
};

/// One step of a goal's action plan (016_goal_actions.sql): what will be done, who answers for it,
/// by when, and how far it is. The store checks none of its meaning (web/handlers/GoalPages.cpp
/// validates the form).
struct GoalActionRecord {
    std::int64_t id = 0;  ///< 0 until stored
    std::int64_t goalId = 0;
    std::string districtSlug;
    std::string description;
    std::string owner;   ///< a role or a name, as the district writes it
    std::string dueOn;   ///< "YYYY-MM-DD"
    std::string status;  ///< "planned", "under-way", "done" or "dropped"
    bool isRemoved = false;

    bool operator==(const GoalActionRecord&) const = default;
};

/// One entry of the history of a district's action plans, as GoalChange is for goals.
struct GoalActionChange {
    std::int64_t id = 0;
    std::int64_t actionId = 0;
    std::int64_t goalId = 0;
    std::string districtSlug;
    std::string username;
    std::string change;      ///< "created", "changed" or "removed"
    std::string beforeJson;  ///< the action before the change (goalActionToJson); empty for "created"
    std::string afterJson;   ///< the action after it; for "removed", as it stood when removed
    std::string changedAt;   ///< UTC, "YYYY-MM-DDTHH:MM:SSZ"
};

/// What updateGoal and updateGoalAction did.
enum class GoalUpdate {
    Changed,    ///< stored, with its history entry
    Unchanged,  ///< the goal already was so: nothing stored, no history entry
    NotFound,   ///< no such goal in this district, or it was removed: nothing stored
};

/// What kind of release: interim (an explicit action while the survey is open) or final (the survey closed).
enum class ReleaseKind { Interim, Final };

/// "interim" or "final", as stored.
std::string releaseKindName(ReleaseKind kind);

/// One published release of a survey, as stored (host/store/migrations/005_releases.sql).
struct ReleaseRecord {
    std::int64_t surveyId = 0;  ///< the survey's store id
    std::uint32_t number = 0;   ///< 1, 2, ... per survey
    std::string publishedOn;    ///< YYYY-MM-DD: a date, never a time
    ReleaseKind kind = ReleaseKind::Interim;
    std::int64_t responses = 0;  ///< responses with release_number <= number
    std::string suppressionPatternJson;
    std::string auditReportJson;
    std::string profileSha256;
    /// The instrument versions it was computed with: a JSON object of "id@version" -> fingerprint
    /// (loader/Fingerprint.h); "{}" for a release published before they were recorded.
    std::string instrumentFingerprintsJson = "{}";
};

/// A release about to be published: what was computed from the responses read for it.
struct NewRelease {
    std::int64_t surveyId = 0;
    std::string publishedOn;  ///< YYYY-MM-DD
    ReleaseKind kind = ReleaseKind::Interim;
    /// The responses not in any release when the profile was computed: publishing refuses with
    /// ResponsesArrived if that changed meanwhile, so that a release holds exactly what it shows.
    std::int64_t unreleasedRead = 0;
    std::string suppressionPatternJson;
    std::string auditReportJson;
    std::string profileSha256;
    std::string instrumentFingerprintsJson = "{}";  ///< as ReleaseRecord::instrumentFingerprintsJson
};

/// What publishRelease did.
enum class ReleaseResult {
    Published,         ///< stored, and the unreleased responses now belong to it
    NoResponses,       ///< the survey has no response at all: nothing to release
    NothingChanged,    ///< no response arrived since the last release (an interim release needs one)
    AlreadyFinal,      ///< the survey already has its final release: it can have no other
    ResponsesArrived,  ///< responses arrived since they were read: read them again and retry
};

/// A goal as the JSON kept in its history: {"instrument", "scale", "measure", "group": null or
/// {"question", "category"}, "target", "targetYear", "baselineYear": null or text, "removed"}.
std::string goalToJson(const GoalRecord& goal);

/// An action as its history keeps it: description, owner, dueOn, status, removed.
std::string goalActionToJson(const GoalActionRecord& action);

class Store {
public:
    /// Opens the database `location` names and applies migrations: a SQLite file (created if
    /// missing; ":memory:" for tests) or a PostgreSQL database ("postgresql://user@host:port/db",
    /// which must exist; store/Database.h).
    explicit Store(const std::string& location);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// The schema version after migrations (the number of the last migration applied).
    int schemaVersion();

    /// For /readyz: nullopt when the database file answers a trivial read (its schema version)
    /// within kReadinessTimeoutMs and that version is the one this program migrated it to;
    /// otherwise the reason in a few words, without paths. Opens a connection of its own each time,
    /// so that a probe neither waits behind a long read of the store nor misses a database file
    /// removed or replaced under the server (about 0.1 ms). Safe to call from many threads.
    std::optional<std::string> readinessProblem();

    /// Creates or updates the survey, its district and schools; returns the survey's row id.
    /// Throws SurveyConflict, changing nothing, if responses exist and the answer layout differs
    /// or a pinned instrument's fingerprint differs from the one recorded (the message says to
    /// publish a new version and declare comparableWith).
    std::int64_t saveSurvey(const SurveyRecord& survey);

    /// The survey stored under `slug`, if any.
    std::optional<StoredSurvey> findSurvey(const std::string& slug);

    /// Stores one response in its own committed transaction (imports, tests, demo data).
    void insertResponse(std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                        std::span<const std::uint8_t> answers);

    /// Stores many responses (demo data, imports), each under its own random id, in committed
    /// transactions of up to 50,000 rows; other writers may commit between them. If it throws,
    /// the batches before the failing one stay stored.
    void insertResponses(std::int64_t surveyId, std::span<const StoredResponse> responses);

    /// Stores the responses of an import in one transaction: all of them, or if anything fails
    /// none, leaving what was stored before exactly as it was. Unless `isAppending`, refuses with
    /// ImportRefused, storing nothing, when the survey already has responses, so that running an
    /// import twice does not count a year twice. Holds the store until committed (a million
    /// rows take a few seconds). Returns the survey's response count afterwards.
    /// The import is recorded as a new numbered batch dated `importedOn` (YYYY-MM-DD; today, UTC,
    /// when empty), which `undoImport` can remove again; `batchNumber`, if given, receives its number.
    std::int64_t importResponses(std::int64_t surveyId, std::span<const StoredResponse> responses, bool isAppending,
                                 const std::string& importedOn = {}, std::uint32_t* batchNumber = nullptr);
    /// The survey's import batches, in number order.
    std::vector<ImportBatch> importBatches(std::int64_t surveyId);
    /// Deletes every response of import batch `number`, in one transaction, unless the batch is
    /// unknown, already undone, or any of its responses is in a published release (then nothing
    /// changes). `batch` receives the batch as it was before.
    UndoImportResult undoImport(std::int64_t surveyId, std::uint32_t number, ImportBatch& batch);

    /// Replaces the survey's test link by one whose secret token has this hash (the token itself
    /// is never stored).
    void setTestLink(std::int64_t surveyId, const std::string& tokenHash);
    /// True when `tokenHash` is the hash of the survey's current test-link token.
    bool isTestToken(std::int64_t surveyId, const std::string& tokenHash);
    /// The survey's test responses: kept apart from its responses, so nothing else counts them.
    std::int64_t countTestResponses(std::int64_t surveyId);
    /// Deletes the survey's test responses; returns how many there were.
    std::int64_t removeTestResponses(std::int64_t surveyId);

    /// Stores a response, burns its access code, deletes its draft and records its submission
    /// token, all or nothing; returns once committed. Safe to call from many threads at once.
    SubmitResult submit(Submission submission);

    /// Adds access codes (their hashes) for one school of a survey as the survey's next batch
    /// (`issuedOn` YYYY-MM-DD, the date of printing), all or none; returns the batch number.
    /// Throws StoreError naming the school if the survey has no such school.
    std::uint32_t addAccessCodes(std::int64_t surveyId, const std::string& schoolSlug, const std::vector<std::string>& codeHashes,
                                 const std::string& issuedOn = {});
    CodeState accessCodeState(std::int64_t surveyId, const std::string& codeHash);
    /// The code with this hash in this survey, if it was ever issued for it.
    std::optional<AccessCodeRecord> findAccessCode(std::int64_t surveyId, const std::string& codeHash);
    /// Issued, voided and used codes per school of the survey's district, in school name order.
    std::vector<CodeCount> accessCodeCounts(std::int64_t surveyId);
    /// The survey's code batches, in number order.
    std::vector<CodeBatch> accessCodeBatches(std::int64_t surveyId);
    /// Voids the codes with these hashes, in one transaction: returns each one's state before (in
    /// the same order). Unused codes become voided; used and voided ones stay as they are. When any
    /// is Unknown, nothing at all is voided (a mistyped code on the list is a mistake to fix first).
    std::vector<CodeState> voidAccessCodes(std::int64_t surveyId, const std::vector<std::string>& codeHashes);
    /// Voids every unused code of batch `number`, in one transaction; returns the batch as it was
    /// before, or nullopt (voiding nothing) when the survey has no such batch.
    std::optional<CodeBatch> voidAccessCodeBatch(std::int64_t surveyId, std::uint32_t number);

    /// Keeps drafts in memory once read or written (store/DraftCache.h): only for a process that is
    /// the one writer of this database's drafts (`mindset serve` on its own SQLite file). Call it
    /// before the store is shared between threads. Throws std::logic_error for PostgreSQL.
    void keepDraftsInMemory();

    /// Stores a new draft unless the survey already has `maxDrafts` unexpired ones; false (storing
    /// nothing) when it has.
    bool createDraft(const Draft& draft, const std::string& expiresOn, std::int64_t maxDrafts);
    /// The draft, if it exists for this survey and has not expired (`today` as YYYY-MM-DD).
    std::optional<Draft> findDraft(std::int64_t surveyId, const std::string& tokenHash, const std::string& today);
    /// Replaces the draft's sealed contents.
    void saveDraft(const std::string& tokenHash, const std::vector<std::uint8_t>& sealed);
    /// The survey's drafts, expired or not.
    std::int64_t countDrafts(std::int64_t surveyId);
    /// Removes drafts whose survey has closed, then checkpoints the write-ahead log; returns how many.
    std::int64_t deleteExpiredDrafts(const std::string& today);
    /// Gives a draft a resume code, replacing the one it had (the old code stops working); false
    /// (storing nothing) when the draft does not exist. Resume codes go with their draft.
    bool setResumeCode(const ResumeCodeRecord& record);
    /// The wrapped token of the resume code with hash `codeHash`, if its draft belongs to `surveyId`
    /// and has not expired (`today` as YYYY-MM-DD); the code is deleted in the same transaction:
    /// a resume code works once. Nullopt (deleting nothing) when there is no such code.
    std::optional<std::vector<std::uint8_t>> takeResumeCode(std::int64_t surveyId, const std::string& codeHash,
                                                             const std::string& today);
    /// How many resume codes the store holds for the survey's drafts (for tests).
    std::int64_t countResumeCodes(std::int64_t surveyId);
    bool isSubmissionUsed(const std::string& submissionTokenHash);

    std::int64_t countResponses(std::int64_t surveyId);
    /// Calls `each(demographics, answers)` for every response of the survey, without copying
    /// them; the spans are valid only during the call. Holds the store while it reads.
    void forEachResponse(std::int64_t surveyId,
                         const std::function<void(std::span<const std::uint8_t>, std::span<const std::uint8_t>)>& each);
    std::vector<StoredResponse> responses(std::int64_t surveyId);

    /// Publishes a release in one transaction: re-reads the survey's unreleased responses, then
    /// inserts release N (the next number) and marks every unreleased response as belonging to it.
    /// Refuses, storing nothing, when the survey has a final release, has no response, or (for an
    /// interim release; a final one may close an unchanged population) nothing arrived since the
    /// last release. The transaction decides between concurrent callers: only one of two final
    /// releases is published. `published` is the stored release when the result is Published.
    ReleaseResult publishRelease(const NewRelease& release, ReleaseRecord* published = nullptr);
    /// The survey's releases, oldest (number 1) first.
    std::vector<ReleaseRecord> releases(std::int64_t surveyId);
    /// Release `number` of the survey, if published.
    std::optional<ReleaseRecord> findRelease(std::int64_t surveyId, std::uint32_t number);
    /// The comments of release `upTo` (release_number <= upTo, so never those no release holds
    /// yet), in the order of their random ids: an order unrelated to when they were written.
    std::vector<CommentRecord> releaseComments(std::int64_t surveyId, std::uint32_t upTo);
    /// Every comment of the survey, released or not (for tests and the operator's checks).
    std::int64_t countComments(std::int64_t surveyId);
    /// Responses of the survey that no release holds yet.
    std::int64_t countUnreleasedResponses(std::int64_t surveyId);
    /// Calls `each(demographics, answers, releaseNumber)` for every response of release `upTo`
    /// (release_number <= upTo), or, with upTo = 0, for every response of the survey, those in no
    /// release yet with releaseNumber 0. Without copies; the spans are valid only during the call.
    void forEachReleaseResponse(
        std::int64_t surveyId, std::uint32_t upTo,
        const std::function<void(std::span<const std::uint8_t>, std::span<const std::uint8_t>, std::uint32_t)>& each);

    /// Adds an account; returns its id, or nullopt (adding nothing) when the username is taken.
    std::optional<std::int64_t> createAccount(const Account& account);
    std::optional<Account> findAccountByUsername(const std::string& username);
    /// Removes the account and all its sessions; false when there was no such account.
    bool deleteAccount(const std::string& username);
    /// Every account, in username order.
    std::vector<Account> listAccounts();
    /// Replaces the account's password hash and ends all its sessions, in one transaction (a
    /// password is reset because it may be known to someone else); false when there is no such account.
    bool setAccountPassword(const std::string& username, const std::string& passwordHash);
    /// The single sign-on account of `account.ssoIssuer` and `account.ssoSubject`, made (created on
    /// account.createdOn) or brought up to date with account.username and the scope of this sign-in,
    /// in one transaction; nullopt, changing nothing, when the username belongs to another account
    /// (a password account, or another identity).
    std::optional<Account> saveSingleSignOnAccount(const Account& account);
    /// The slug of every district a survey saved so far belongs to, in slug order.
    std::vector<std::string> districtSlugs();
    /// The id of every school the surveys saved so far give for the district, in id order.
    std::vector<std::string> schoolSlugs(const std::string& districtSlug);

    /// Stores a new goal and its "created" history entry in one transaction; returns its id.
    /// `changedAt` is UTC, "YYYY-MM-DDTHH:MM:SSZ".
    std::int64_t createGoal(const GoalRecord& goal, const std::string& username, const std::string& changedAt);
    /// Replaces goal `goal.id` of `goal.districtSlug` (all but id, district and isRemoved) and adds a
    /// "changed" history entry with the goal before and after, in one transaction.
    GoalUpdate updateGoal(const GoalRecord& goal, const std::string& username, const std::string& changedAt);
    /// Marks the goal removed (its row stays for the history) and adds a "removed" entry, in one
    /// transaction; false, storing nothing, when the district has no such goal or it was removed.
    bool removeGoal(const std::string& districtSlug, std::int64_t goalId, const std::string& username,
                    const std::string& changedAt);
    /// The district's goals that are not removed, oldest first.
    std::vector<GoalRecord> goals(const std::string& districtSlug);
    /// The goal if the district has it and it is not removed.
    std::optional<GoalRecord> findGoal(const std::string& districtSlug, std::int64_t goalId);
    /// The district's goal history, newest first.
    std::vector<GoalChange> goalChanges(const std::string& districtSlug);
    /// Adds an action to the plan of goal action.goalId, with its history entry, in one
    /// transaction; nullopt, storing nothing, when the goal is not one of the district's (or removed).
    std::optional<std::int64_t> createGoalAction(const GoalActionRecord& action, const std::string& username, const std::string& changedAt);
    /// Replaces the action's description, owner, due date and status (with a history entry when
    /// anything changed); NotFound for an action not on that goal of that district, or removed.
    GoalUpdate updateGoalAction(const GoalActionRecord& action, const std::string& username, const std::string& changedAt);
    /// Removes the action from its plan (the row and its history stay); false when there is no such action.
    bool removeGoalAction(const std::string& districtSlug, std::int64_t goalId, std::int64_t actionId, const std::string& username,
                          const std::string& changedAt);
    /// The actions of the district's goals that are not removed, by goal, then due date.
    std::vector<GoalActionRecord> goalActions(const std::string& districtSlug);
    std::optional<GoalActionRecord> findGoalAction(const std::string& districtSlug, std::int64_t goalId, std::int64_t actionId);
    /// The history of the district's action plans, newest first.
    std::vector<GoalActionChange> goalActionChanges(const std::string& districtSlug);

    void createSession(const std::string& tokenHash, std::int64_t accountId, std::int64_t expiresAt);
    /// The session with its account, if it exists and expires after `now` (unix seconds).
    std::optional<Session> findSession(const std::string& tokenHash, std::int64_t now);
    void deleteSession(const std::string& tokenHash);
    /// Removes sessions that expired at or before `now`; returns how many.
    std::int64_t deleteExpiredSessions(std::int64_t now);

    /// Sign-in failures of a username, in the database so that every host sharing it honours a lock
    /// (auth::LoginThrottle decides the lock). Counts one more failure at `now` (unix seconds), from
    /// one again when the last was `forgetAfter` seconds ago or more, and returns the count. Rows of
    /// other usernames last failed `forgetAfter` ago or more and not locked are deleted.
    int countLoginFailure(const std::string& username, std::int64_t now, std::int64_t forgetAfter);
    /// Locks the username until `until` (unix seconds); never shortens a lock already there.
    void lockLogin(const std::string& username, std::int64_t until);
    /// When the username's lock ends, if it is locked at `now`.
    std::optional<std::int64_t> loginLockedUntil(const std::string& username, std::int64_t now);
    /// Forgets the username's failures (a good sign-in).
    void clearLoginFailures(const std::string& username);

private:
    void refuseChangedInstruments(std::int64_t surveyId, const SurveyRecord& survey, std::int64_t responseCount);
    void recordFingerprints(std::int64_t surveyId, const SurveyRecord& survey, bool isReplacing);

    struct PendingSubmission {
        Submission submission;
        std::promise<SubmitResult> result;
    };

    void migrate();
    /// accessCodeBatches for one batch (number > 0) or all (0), with the store's mutex held.
    std::vector<CodeBatch> accessCodeBatchesLocked(std::int64_t surveyId, std::uint32_t number);
    std::optional<GoalRecord> findGoalLocked(const std::string& districtSlug, std::int64_t goalId);
    void addGoalChange(const GoalChange& change);
    std::optional<GoalActionRecord> findGoalActionLocked(const std::string& districtSlug, std::int64_t goalId, std::int64_t actionId);
    void addGoalActionChange(const GoalActionChange& change);
    void runWriter();
    SubmitResult applySubmission(const Submission& submission);
    /// Deletes a submitted draft, with the store's mutex held.
    void deleteDraftLocked(const std::string& tokenHash);
    void insertResponseRow(std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                           std::span<const std::uint8_t> answers);
    /// Inserts a submission's comments under random ids, inside the caller's transaction.
    void insertComments(std::int64_t surveyId, const std::vector<CommentRecord>& comments);
    /// Inserts `responses` under new random ids, in id order, inside the caller's transaction.
    /// importBatchId, when not 0, is recorded on each (an import that can be undone).
    void insertInIdOrder(std::int64_t surveyId, std::span<const StoredResponse> responses, std::int64_t importBatchId = 0);
    struct NewImportBatch {
        std::int64_t id = 0;
        std::uint32_t number = 0;
    };
    /// Records the next import batch of the survey, inside the caller's transaction.
    NewImportBatch addImportBatch(std::int64_t surveyId, const std::string& importedOn, std::int64_t rowCount);
    /// Inserts under `id`, or under a new random id if that one is taken; with import batch
    /// `importBatchId` (parameter ?5) unless it is 0.
    void insertResponseRow(Query& insert, std::int64_t id, std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                           std::span<const std::uint8_t> answers, std::int64_t importBatchId = 0);

    /// The statement for `sql`, prepared on first use and kept (reused_); reset it when done (ResetOnExit).
    Query& reused(std::string_view sql);

    std::string path_;         ///< as given to the constructor
    int latestMigration_ = 0;  ///< the schema version migrate() brought the database to

    std::mutex mutex_;  ///< guards database_ and isResidueInWal_
    std::unique_ptr<DraftCache> draftCache_;  ///< null unless keepDraftsInMemory(); changed with mutex_ held
    std::unique_ptr<Database> database_;
    /// Statements prepared once, for queries on every request (parsing the SQL cost more than
    /// running it); declared after database_ so that they end before its connection does.
    std::map<std::string, Query, std::less<>> reused_;
    bool isResidueInWal_ = false;  ///< a checkpoint after a burned code or deleted draft could not finish yet

    std::mutex queueMutex_;  ///< guards queue_ and isStopping_
    std::condition_variable queueChanged_;
    std::deque<PendingSubmission> queue_;
    bool isStopping_ = false;
    std::thread writer_;
};

}  // namespace mindset::store
