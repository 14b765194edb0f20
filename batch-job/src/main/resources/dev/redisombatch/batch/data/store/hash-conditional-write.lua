-- Conditional writes of a batch of hashes, atomically per call: each document is written only if what the migration
-- read is still what Redis holds, and never when the key is gone (an HSET would bring an expired or deleted key back).
-- Blind writes (--write-mode=overwrite) go through here too, with no check: one call per batch costs the client far
-- less than a command per key, and the server no more.
--
-- KEYS[1]     the counter HASH of the run (its field ARGV[1] counts the documents written), or "" for none
-- KEYS[2..]   the documents, one per entry below, in the same order
-- ARGV[1]     the counter's field
-- then, per document:
--   header    one entry: its first byte the operation, its second the comparison, then nRead, nSet, nRemove and
--             nExpire as one digit each when all four are below 10 (a migration's usual change); otherwise the header
--             is those two bytes and the four counts follow as entries of their own. One entry instead of six per
--             document, and no tonumber(), cut this script's server CPU per key by a tenth (docs/performance.md)
--     operation   'S' set/remove fields, 'K' the same keeping the TTLs of the fields set, 'D' delete the key
--     comparison  'W' the fields read were the whole hash (its field count must match too), 'F' only those fields,
--                 'B' none: a blind write (nRead is 0); 'R' the key is first restored from the two entries that
--                 follow the header and its counts (its expiry, Unix ms or 0, and its DUMP payload: a copy
--                 converting it on the way), then written blindly (nRead is 0); 'E' written blindly if the key is
--                 there as a hash, never created (a copy's later write of a key it restored: nRead is 0)
--   nRead triples   field, '1' value | '0' '' (the field was absent when read)
--   nSet pairs      field, value
--   nRemove names   field
--   nExpire pairs   field, the expiry time the migration asks (Unix ms) | '-1' no expiry (persist)
--
-- Returns one entry per document: 1 written, 0 changed since it was read (not written), -1 gone, -2 no longer a hash,
-- 2 nothing to write (only expiry times were asked, and every field already has the one asked), or the error text
-- Redis gave for its write.
--
-- Cost: this is the server's work per document, the bound of a whole run, so the common case (fields read, all there,
-- unchanged) takes one HGET per field read and one HSET; TYPE and EXISTS are asked only when that cannot tell a
-- gone key, or another type, from a changed one.
--
-- Field TTLs: on servers with hash field expiration (Redis 7.4+), HSET of an existing field drops its TTL, so the
-- engine sends 'K' there: the expiry times of the fields about to be set are read (HPEXPIRETIME) before the HSET and
-- set again (HPEXPIREAT) after it, in this same call, so no one sees the field without its TTL. Servers without it
-- get 'S' and pay nothing. Expiry times a migration asks for (nExpire) are set after the HSET, in the same call too,
-- and over a kept TTL; they are compared first (HPEXPIRETIME), before anything is written, so a server without hash
-- field expiration refuses the document untouched, and a field that already has the one asked is not counted.
-- Where this call's parts are: the documents' keys DOC_KEYS[2..LAST_KEY] (KEYS[1] is the counter), the counter's field
-- DOC_ARGV[FIELD_AT], the documents' entries from DOC_ARGV[FIELD_AT + 1] on. cross-slot-prelude.lua, put before this
-- script, declares these four over its own layout instead, and WriteScript then drops this line.
local DOC_KEYS, LAST_KEY, DOC_ARGV, FIELD_AT = KEYS, #KEYS, ARGV, 1
local BATCH = 1000
local DELETE, KEEP_TTLS, WHOLE, BLIND, RESTORED = string.byte('DKWBR', 1, 5)
local DIGIT_ZERO = string.byte('0')

local function failed(reply)
  return type(reply) == 'table' and reply.err ~= nil
end

-- Runs cmd on key with args[from..to] in slices, since unpack() has a limit on how many values it returns.
local function sliced(cmd, key, args, from, to, step)
  local i = from
  local reply
  while i <= to do
    local last = math.min(to, i + BATCH * step - 1)
    reply = redis.pcall(cmd, key, unpack(args, i, last))
    if failed(reply) then return reply end
    i = last + 1
  end
  return reply
end

-- The expiry times (Unix ms) of the nFields fields named at args[from], args[from + 2]... that have one, as
-- { [time] = { field, ... } }; or the error Redis gave; or { expiring = true } when some of them expire in this very
-- millisecond: HGET and HDEL still find such a field, HPEXPIRETIME already says it has none (-2), and an HSET
-- would drop its TTL and keep it for good. Those are deleted, as their expiry does a moment later, so that the
-- document read again (in the same millisecond or not) is read without them.
local function expiryTimes(key, args, from, nFields)
  local byTime = {}
  local expiring = false
  local i = 0
  while i < nFields do
    local names = {}
    for f = i, math.min(nFields, i + BATCH) - 1 do names[#names + 1] = args[from + 2 * f] end
    local times = redis.pcall('HPEXPIRETIME', key, 'FIELDS', #names, unpack(names))
    if times.err then
      -- A server without hash field expiration (asked for 'K' because it would not tell its commands): no TTLs.
      -- In a script, 7.0 says 'ERR Unknown Redis command called from script'.
      if string.find(string.lower(times.err), 'unknown', 1, true) then return {} end
      return times
    end
    for f, time in ipairs(times) do
      if time > 0 then
        byTime[time] = byTime[time] or {}
        table.insert(byTime[time], names[f])
      elseif time == -2 and redis.call('HDEL', key, names[f]) == 1 then
        -- -2 for a field HDEL still finds: it expires now (a field the document adds is not there to delete).
        expiring = true
      end
    end
    i = i + #names
  end
  if expiring then return { expiring = true } end
  return byTime
end

-- The expiry asks of a document, at args[from..] in pairs, as { byTime = { [time] = { field, ... } }, persist =
-- { field, ... }, due = whether a field there has another expiry than the one asked }; or an error when the server
-- cannot tell (no hash field expiration), before anything is written.
local function expiryAsks(key, args, from, nAsks)
  local asks = { byTime = {}, persist = {}, due = false }
  local i = 0
  while i < nAsks do
    local names = {}
    for f = i, math.min(nAsks, i + BATCH) - 1 do names[#names + 1] = args[from + 2 * f] end
    local times = redis.pcall('HPEXPIRETIME', key, 'FIELDS', #names, unpack(names))
    if times.err then
      if string.find(string.lower(times.err), 'unknown', 1, true) then
        return { err = 'this Redis has no hash field expiration (HPEXPIRETIME, Redis 7.4 or later): the expiry'
            .. ' of field ' .. names[1] .. ' cannot be set or cleared; not written' }
      end
      return times
    end
    for f, current in ipairs(times) do
      local asked = tonumber(args[from + 2 * (i + f - 1) + 1])
      if asked < 0 then
        table.insert(asks.persist, names[f])
      else
        asks.byTime[asked] = asks.byTime[asked] or {}
        table.insert(asks.byTime[asked], names[f])
      end
      -- -2: no such field; an expiry of an absent field is nothing to write (one set by this document is written).
      if current ~= -2 and current ~= asked then asks.due = true end
    end
    i = i + #names
  end
  return asks
end

-- Sets the expiry times expiryTimes read again; nil, or the error Redis gave.
local function restoreExpiry(key, byTime)
  for time, fields in pairs(byTime) do
    local at = string.format('%.0f', time)
    for i = 1, #fields, BATCH do
      local last = math.min(#fields, i + BATCH - 1)
      local reply = redis.pcall('HPEXPIREAT', key, at, 'FIELDS', last - i + 1, unpack(fields, i, last))
      if reply.err then return reply end
    end
  end
  return nil
end

-- Clears the expiry of fields; nil, or the error Redis gave.
local function persist(key, fields)
  for i = 1, #fields, BATCH do
    local last = math.min(#fields, i + BATCH - 1)
    local reply = redis.pcall('HPERSIST', key, 'FIELDS', last - i + 1, unpack(fields, i, last))
    if reply.err then return reply end
  end
  return nil
end

local written = 0
local results = {}
local a = FIELD_AT + 1
for k = 2, LAST_KEY do
  local key = DOC_KEYS[k]
  local op, compare, nRead, nSet, nRemove, nExpire = string.byte(DOC_ARGV[a], 1, 6)
  if nExpire then
    nRead, nSet, nRemove, nExpire = nRead - DIGIT_ZERO, nSet - DIGIT_ZERO, nRemove - DIGIT_ZERO, nExpire - DIGIT_ZERO
    a = a + 1
  else
    nRead, nSet, nRemove = tonumber(DOC_ARGV[a + 1]), tonumber(DOC_ARGV[a + 2]), tonumber(DOC_ARGV[a + 3])
    nExpire = tonumber(DOC_ARGV[a + 4])
    a = a + 5
  end
  local deleteKey = op == DELETE
  local keepTtls = op == KEEP_TTLS
  local whole = compare == WHOLE
  local blind = compare == BLIND
  local restoreAt = nil
  if compare == RESTORED then
    blind = true
    restoreAt = a
    a = a + 2
  end
  local status = 1
  if restoreAt then
    local restored = redis.pcall('RESTORE', key, DOC_ARGV[restoreAt], DOC_ARGV[restoreAt + 1], 'REPLACE', 'ABSTTL')
    if failed(restored) then
      status = restored.err
    elseif redis.call('EXISTS', key) == 0 then
      -- Its expiry passed since it was read: not created, and the change must not create it either.
      status = -1
    end
  end
  -- Whether the key is known to exist as a hash: a field read was there, or HLEN counted some. A blind write does not
  -- care; one that must find its key there ('E', nothing read: neither blind nor whole) asks TYPE below.
  local sawOne = whole or blind
  if whole then
    local n = redis.pcall('HLEN', key)
    if type(n) == 'table' then status = -2 elseif n == 0 then status = -1 elseif n ~= nRead then status = 0 end
  end
  local i = 0
  while status == 1 and i < nRead do
    local j = a + 3 * i
    local current = redis.pcall('HGET', key, DOC_ARGV[j])
    if type(current) == 'table' then
      status = -2 -- WRONGTYPE
    elseif DOC_ARGV[j + 1] == '1' then
      if current ~= DOC_ARGV[j + 2] then status = 0 end
      sawOne = true
    elseif current then
      status = 0
    end
    i = i + 1
  end
  if status == 0 and not whole then
    -- A value read is gone: the field was removed, or the whole key was.
    if redis.call('EXISTS', key) == 0 then status = -1 end
  elseif status == 1 and not sawOne then
    -- Every field read was absent and still is: only TYPE tells a hash without them from a gone key.
    local kind = redis.call('TYPE', key)['ok']
    if kind == 'none' then status = -1 elseif kind ~= 'hash' then status = -2 end
  end
  if status == 1 then
    local s = a + 3 * nRead
    local asks = nExpire > 0 and not deleteKey and expiryAsks(key, DOC_ARGV, s + 2 * nSet + nRemove, nExpire) or nil
    if asks and asks.err then
      status = asks.err
    elseif asks and not asks.due and nSet == 0 and nRemove == 0 then
      status = 2
    elseif deleteKey then
      redis.call('DEL', key)
    else
      local reply
      local expiry = keepTtls and nSet > 0 and expiryTimes(key, DOC_ARGV, s, nSet) or nil
      if expiry and expiry.expiring then
        -- Not written: the document is read again, without the fields that expired.
        status = 0
      else
        if expiry and expiry.err then
          reply = expiry
        elseif nSet == 1 then
          reply = redis.pcall('HSET', key, DOC_ARGV[s], DOC_ARGV[s + 1])
        elseif nSet > 1 then
          reply = sliced('HSET', key, DOC_ARGV, s, s + 2 * nSet - 1, 2)
        end
        if expiry and not expiry.err then
          -- Even after a failed HSET: a slice of the fields may have been set.
          local restored = restoreExpiry(key, expiry)
          if not failed(reply) then reply = restored or reply end
        end
        if asks and not failed(reply) then
          reply = restoreExpiry(key, asks.byTime) or reply
          if not failed(reply) then reply = persist(key, asks.persist) or reply end
        end
        if nRemove > 0 and not failed(reply) then
          reply = sliced('HDEL', key, DOC_ARGV, s + 2 * nSet, s + 2 * nSet + nRemove - 1, 1)
        end
        if failed(reply) then status = reply.err end
      end
    end
  end
  if status == 1 then written = written + 1 end
  results[k - 1] = status
  a = a + 3 * nRead + 2 * nSet + nRemove + 2 * nExpire
end
if written > 0 and KEYS[1] ~= '' then
  redis.call('HINCRBY', KEYS[1], DOC_ARGV[FIELD_AT], written)
end
return results
