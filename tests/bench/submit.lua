-- wrk script: every request is a new, valid response to the demo survey.
--
--   POST /surveys/<survey>/responses   (the path comes from the URL given to wrk)
--   Content-Type: application/x-www-form-urlencoded
--   Cookie: mindset_csrf=<C>
--   csrf=<C>&submission=<32 random hex>&lang=en&d.school=..&d.role=..&d.years=..&d.race=..[&d.race=..]
--   &i.<instrument>.<item>=<code> for every item of the survey
--
-- The fields come from the Lua file named by MINDSET_BENCH_FIELDS (written by
-- submission_fields.py). For a survey with access codes, MINDSET_BENCH_CODES names a file of
-- "CODE SCHOOL" lines (one unused code each) and MINDSET_BENCH_THREADS wrk's thread count: each
-- thread sends its own share of the codes, one per request, with the code's school; a thread that
-- runs out sends no code (refused, and counted as such). A stored response is answered 303; anything else is counted per status,
-- and done() prints the counts, which wrk's own summary would hide (it counts only >= 400).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local fieldsFile = os.getenv("MINDSET_BENCH_FIELDS")
assert(fieldsFile, "set MINDSET_BENCH_FIELDS to the Lua file written by submission_fields.py")
local fields = dofile(fieldsFile)

-- Double-submit cookie CSRF: any fixed value, the same in the cookie and the form.
local csrf = "5f0c1e2d3b4a69788796a5b4c3d2e1f0"
local headers = {
   ["Content-Type"] = "application/x-www-form-urlencoded",
   ["Cookie"] = "mindset_csrf=" .. csrf,
}

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("index", #threads)
end

-- This thread's codes: every line whose number modulo the thread count is the thread's index.
local function loadCodes()
   local file = os.getenv("MINDSET_BENCH_CODES")
   if not file then return nil end
   local threadCount = tonumber(os.getenv("MINDSET_BENCH_THREADS") or "1")
   local mine, line = {}, 0
   for text in io.lines(file) do
      local code, school = text:match("^(%S+)%s+(%S+)$")
      if code then
         if line % threadCount == index - 1 then mine[#mine + 1] = { code = code, school = school } end
         line = line + 1
      end
   end
   return mine
end

function init(args)
   codes = loadCodes()
   nextCode = 1
   -- Each thread gets its own seed from /dev/urandom, so no two threads repeat a submission id.
   local seed = os.time() + index * 104729
   local urandom = io.open("/dev/urandom", "rb")
   if urandom then
      local b = urandom:read(4)
      urandom:close()
      seed = b:byte(1) + b:byte(2) * 256 + b:byte(3) * 65536 + (b:byte(4) % 128) * 16777216
   end
   math.randomseed(seed)
   sent = 0
   stored = 0      -- 303 replies
   statuses = {}   -- status -> count, for every reply that is not 303
   firstProblem = nil
end

local hexDigits = "0123456789abcdef"

local function randomHex(length)
   local out = {}
   for i = 1, length do
      local d = math.random(1, 16)
      out[i] = hexDigits:sub(d, d)
   end
   return table.concat(out)
end

local function pick(list)
   return list[math.random(1, #list)]
end

function request()
   sent = sent + 1
   local parts = { "csrf=" .. csrf, "submission=" .. randomHex(32), "lang=en" }
   local school = nil
   if codes and codes[nextCode] then
      parts[#parts + 1] = "code=" .. codes[nextCode].code
      school = codes[nextCode].school
      nextCode = nextCode + 1
   end
   for _, question in ipairs(fields.demographics) do
      local first = pick(question.choices)
      if school and question.name == "d.school" then first = school end
      parts[#parts + 1] = question.name .. "=" .. first
      if question.multiple and math.random(1, 2) == 2 then
         local second = pick(question.choices)
         if second ~= first then parts[#parts + 1] = question.name .. "=" .. second end
      end
   end
   for _, name in ipairs(fields.items) do
      parts[#parts + 1] = name .. "=" .. pick(fields.codes)
   end
   return wrk.format("POST", nil, headers, table.concat(parts, "&"))
end

-- What the server said, as text: its problem list if it re-rendered the form, else the page text.
local function describe(status, body)
   local text = body:match('<section class="problems".-</section>') or body:match("<main.-</main>") or body
   text = text:gsub("<[^>]*>", " "):gsub("&[#%w]+;", "'"):gsub("%s+", " ")
   return status .. ": " .. text:sub(1, 300)
end

function response(status, responseHeaders, body)
   if status == 303 then
      stored = stored + 1
      return
   end
   statuses[status] = (statuses[status] or 0) + 1
   if not firstProblem then firstProblem = describe(status, body) end
end

function done(summary, latency, requests)
   local sentTotal, storedTotal, otherTotal, byStatus, problem = 0, 0, 0, {}, nil
   for _, thread in ipairs(threads) do
      sentTotal = sentTotal + thread:get("sent")
      storedTotal = storedTotal + thread:get("stored")
      for status, count in pairs(thread:get("statuses")) do
         byStatus[status] = (byStatus[status] or 0) + count
         otherTotal = otherTotal + count
      end
      problem = problem or thread:get("firstProblem")
   end
   local listed = {}
   for status, count in pairs(byStatus) do listed[#listed + 1] = status .. "x" .. count end
   table.sort(listed)
   io.write(benchSummaryLine(summary, latency), "\n")
   io.write(string.format("SUBMIT sent=%d got303=%d non303=%d statuses=%s\n", sentTotal, storedTotal, otherTotal,
                          #listed > 0 and table.concat(listed, ",") or "none"))
   if problem then io.write("SUBMIT first non-303 reply: ", problem, "\n") end
end
