-- wrk script: signed-in people post distinct comments, as fast as the server takes them.
--
--   wrk -t1 -c16 -d8s -s bench/post_comments.lua URL -- PEOPLE_FILE RUN_ID
--
-- PEOPLE_FILE has one "session-cookie<TAB>csrf-token" line a person; requests take the
-- people in turn. Every request carries its own idempotency key and its own text, so the
-- duplicate checks accept each one. At the end it prints "answers: 303=N other=M", which
-- bench/load.py compares with what the database stored.

-- Globals, so that done() can read each thread's counts through thread:get().
people = {}
sent = 0
answered_303 = 0
answered_other = 0
run_id = "run"
thread_number = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  for line in io.lines(args[1]) do
    local cookie, token = line:match("^([^\t]+)\t([^\t]+)$")
    if cookie then
      table.insert(people, { cookie = cookie, token = token })
    end
  end
  run_id = args[2] or run_id
end

local function escape(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  sent = sent + 1
  local person = people[(sent % #people) + 1]
  local body = "csrf_token=" .. escape(person.token)
    .. "&idempotency_key=" .. escape(run_id .. "-" .. thread_number .. "-" .. sent)
    .. "&stance=proposes&publication=type"
    .. "&body=" .. escape("Slodzes komentārs " .. run_id .. " " .. thread_number .. " " .. sent .. ": ierosinu precizēt ā č ž")
  return wrk.format("POST", wrk.path, {
    ["Cookie"] = "session=" .. person.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  if status == 303 then
    answered_303 = answered_303 + 1
  else
    answered_other = answered_other + 1
  end
end

function done(summary, latency, requests)
  local ok, other = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("answered_303")
    other = other + thread:get("answered_other")
  end
  io.write(string.format("answers: 303=%d other=%d\n", ok, other))
end
