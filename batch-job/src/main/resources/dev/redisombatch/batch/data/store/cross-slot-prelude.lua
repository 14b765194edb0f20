#!lua flags=allow-cross-slot-keys
-- Put before a store's write script (its line declaring DOC_KEYS, LAST_KEY, DOC_ARGV and FIELD_AT dropped: the last
-- line here declares them over this layout) so that one call can write
-- documents of several slots of one cluster master. A master refuses declared keys of several slots, so only the
-- counter is declared:
--
-- KEYS[1]                         the counter, as the script's KEYS[1]
-- ARGV[1]                         n, the number of documents
-- ARGV[2..n+1]                    their keys, the script's KEYS[2..]
-- ARGV[n+2..2n+1]                 each key's hash slot, as the client computed it (as it routes every command;
--                                 the check from the slot map below takes it on trust)
-- ARGV[2n+2..]                    the script's ARGV
--
-- Before anything is written, the master must serve every key: the script's own reads would take a refusal ("non
-- local key") for a key of another type and pass the document over. A key is served when its slot is the master's
-- and steady, or, while a slot moves, when the key is still here. So:
-- - when the master's own CLUSTER NODES line shows no slot moving to or from it, and CLUSTER INFO says the cluster is
--   ok, each key's slot is looked up in the slots that line gives it: no command per key;
-- - otherwise (a slot moving, the cluster down, CLUSTER refused), the master is asked EXISTS once per slot over that
--   slot's keys, which it refuses whenever it would refuse one of them alone (and always over keys of several slots).
-- A key not served ends the call unwritten with NOTSERVEDHERE; the client then sends the batch one call per slot.
-- The slot map stays as checked while the call runs: a script runs alone (a call of a few milliseconds, far below
-- the busy-script time after which a server handles other events meanwhile).
local NOT_SERVED = 'NOTSERVEDHERE a document of the batch is not served here'
local documents = tonumber(ARGV[1])

-- steadySlots(), ownsSlot(): dev/redisombatch/batch/redis/steady-slots.lua, put here when the script is loaded

local ranges = steadySlots()
if ranges then
  for i = documents + 2, 2 * documents + 1 do
    if not ownsSlot(ranges, tonumber(ARGV[i])) then return redis.error_reply(NOT_SERVED) end
  end
else
  local bySlot = {}
  for i = 1, documents do
    local key, slot = ARGV[i + 1], ARGV[documents + i + 1]
    local keys = bySlot[slot]
    if keys then keys[#keys + 1] = key else bySlot[slot] = {key} end
  end
  for _, keys in pairs(bySlot) do
    for from = 1, #keys, 1000 do
      if type(redis.pcall('EXISTS', unpack(keys, from, math.min(#keys, from + 999)))) == 'table' then
        return redis.error_reply(NOT_SERVED)
      end
    end
  end
end

-- The store's script reads its documents where this call has them, in place: no copy of the arguments.
local DOC_KEYS, LAST_KEY, DOC_ARGV, FIELD_AT = ARGV, documents + 1, ARGV, 2 * documents + 2
