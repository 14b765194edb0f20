-- Conditional writes of a batch of hashes, atomically per call: each document is written only if what the migration
-- read is still what Redis holds, and never when the key is gone (an HSET would bring an expired or deleted key back).
--
-- KEYS[1]     the counter HASH of the run (its field ARGV[1] counts the documents written), or "" for none
-- KEYS[2..]   the documents, one per entry below, in the same order
-- ARGV[1]     the counter's field
-- then, per document:
--   op        'S' set/remove fields, 'D' delete the key
--   compare   'W' the fields read were the whole hash (its field count must match too), 'F' only those fields
--   nRead, nSet, nRemove
--   nRead triples   field, '1' value | '0' '' (the field was absent when read)
--   nSet pairs      field, value
--   nRemove names   field
--
-- Returns one entry per document: 1 written, 0 changed since it was read (not written), -1 gone, -2 no longer a hash,
-- or the error text Redis gave for its write.
local BATCH = 1000

-- Runs cmd on key with args[from..to] in slices, since unpack() has a limit on how many values it returns.
local function sliced(cmd, key, args, from, to, step)
  local i = from
  while i <= to do
    local last = math.min(to, i + BATCH * step - 1)
    local reply = redis.pcall(cmd, key, unpack(args, i, last))
    if type(reply) == 'table' and reply.err then return reply end
    i = last + 1
  end
  return nil
end

local results = {}
local written = 0
local a = 2
for k = 2, #KEYS do
  local key = KEYS[k]
  local deleteKey = ARGV[a] == 'D'
  local whole = ARGV[a + 1] == 'W'
  local nRead, nSet, nRemove = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  a = a + 5
  local status = 1
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'none' then
    status = -1
  elseif kind ~= 'hash' then
    status = -2
  else
    if whole and redis.call('HLEN', key) ~= nRead then
      status = 0
    end
    local i = 0
    while status == 1 and i < nRead do
      local field, present, expected = ARGV[a + 3 * i], ARGV[a + 3 * i + 1] == '1', ARGV[a + 3 * i + 2]
      local current = redis.call('HGET', key, field)
      if (present and current ~= expected) or (not present and current) then
        status = 0
      end
      i = i + 1
    end
    if status == 1 then
      local s = a + 3 * nRead
      local failed = nil
      if deleteKey then
        redis.call('DEL', key)
      else
        if nSet > 0 then failed = sliced('HSET', key, ARGV, s, s + 2 * nSet - 1, 2) end
        if not failed and nRemove > 0 then
          failed = sliced('HDEL', key, ARGV, s + 2 * nSet, s + 2 * nSet + nRemove - 1, 1)
        end
      end
      if failed then status = failed.err end
    end
  end
  if status == 1 then written = written + 1 end
  results[k - 1] = status
  a = a + 3 * nRead + 2 * nSet + nRemove
end
if written > 0 and KEYS[1] ~= '' then
  redis.call('HINCRBY', KEYS[1], ARGV[1], written)
end
return results
