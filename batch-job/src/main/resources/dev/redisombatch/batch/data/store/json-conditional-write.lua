-- Conditional writes of a batch of JSON documents, atomically per call: each document is written only if it is still,
-- byte for byte, the document the migration read, and never when the key is gone (a JSON.SET at the root would bring
-- an expired or deleted key back). The whole document is compared, not only the paths read: a document is one value,
-- and RedisJSON has no cheap way to read several paths when some may be missing.
-- Blind writes (--write-mode=overwrite) go through here too, with no check: a path write on a gone key fails rather
-- than recreating it, but a write at the root would bring it back.
--
-- KEYS[1]     the counter HASH of the run (its field ARGV[1] counts the documents written), or "" for none
-- KEYS[2..]   the documents, one per entry below, in the same order
-- ARGV[1]     the counter's field
-- then, per document:
--   op        'S' set/remove paths, 'D' delete the key
--   compare   'E' the document must still be the one read, 'B' none: a blind write
--   expected  the document as JSON.GET key NOESCAPE . returned it when read ('' for a blind write)
--   nSet, nRemove
--   nSet pairs      legacy path, JSON text
--   nRemove paths   legacy path, in the order to remove them (later array elements first)
--
-- Returns one entry per document: 1 written, 0 changed since it was read (not written), -1 gone, -2 no longer a JSON
-- document, or the error text Redis gave for its write.
-- Where this call's parts are: the documents' keys DOC_KEYS[2..LAST_KEY] (KEYS[1] is the counter), the counter's field
-- DOC_ARGV[FIELD_AT], the documents' entries from DOC_ARGV[FIELD_AT + 1] on. cross-slot-prelude.lua, put before this
-- script, declares these four over its own layout instead, and WriteScript then drops this line.
local DOC_KEYS, LAST_KEY, DOC_ARGV, FIELD_AT = KEYS, #KEYS, ARGV, 1
local results = {}
local written = 0
local a = FIELD_AT + 1
for k = 2, LAST_KEY do
  local key = DOC_KEYS[k]
  local deleteKey = DOC_ARGV[a] == 'D'
  local blind = DOC_ARGV[a + 1] == 'B'
  local expected = DOC_ARGV[a + 2]
  local nSet, nRemove = tonumber(DOC_ARGV[a + 3]), tonumber(DOC_ARGV[a + 4])
  a = a + 5
  local status = 1
  if not blind then
    local kind = redis.call('TYPE', key)['ok']
    if kind == 'none' then
      status = -1
    elseif kind ~= 'ReJSON-RL' then
      status = -2
    elseif redis.call('JSON.GET', key, 'NOESCAPE', '.') ~= expected then
      status = 0
    end
  end
  if status == 1 and deleteKey then
    redis.call('DEL', key)
  elseif status == 1 then
    for i = 0, nSet - 1 do
      local path = DOC_ARGV[a + 2 * i]
      local reply = redis.pcall('JSON.SET', key, path, DOC_ARGV[a + 2 * i + 1])
      if type(reply) == 'table' and reply.err then
        status = reply.err
        break
      elseif not reply then
        -- RedisJSON 2.x answers nil where 1.x gives an error: the path's parent is not there.
        status = 'JSON.SET ' .. path .. ' set nothing: its parent is missing'
        break
      end
    end
    for i = 0, nRemove - 1 do
      if status ~= 1 then break end
      local reply = redis.pcall('JSON.DEL', key, DOC_ARGV[a + 2 * nSet + i])
      if type(reply) == 'table' and reply.err then status = reply.err end
    end
  end
  if status == 1 then written = written + 1 end
  results[k - 1] = status
  a = a + 2 * nSet + nRemove
end
if written > 0 and KEYS[1] ~= '' then
  redis.call('HINCRBY', KEYS[1], DOC_ARGV[FIELD_AT], written)
end
return results
