#!lua flags=allow-cross-slot-keys
-- One command on the one key of each of many hash slots, in one call to the cluster master that owns them, instead
-- of one routed command per slot (16,384 of them for every slot of a cluster). Nothing is declared: a master refuses
-- declared keys of several slots, flag or not.
--
-- ARGV[1]        the command: SET (with NX), HGET or HDEL
-- ARGV[2]        its argument: SET's value, HGET's and HDEL's field
-- ARGV[3..]      pairs: a slot, then a key of that slot
--
-- Only while this master can tell its slots steadily (steadySlots, below: the cluster ok, no slot moving to or from
-- it) does it run the command, and only on the keys of slots it owns; it returns {slot, reply, slot, reply, ...} for
-- those (a nil reply as false), and {} otherwise. The caller sends the command routed for every slot left out.
-- steadySlots(), ownsSlot(): dev/redisombatch/batch/redis/steady-slots.lua, put here when the script is loaded

local ranges = steadySlots()
if not ranges then return {} end
local command, argument = ARGV[1], ARGV[2]
local replies = {}
for i = 3, #ARGV, 2 do
  local slot = tonumber(ARGV[i])
  if ownsSlot(ranges, slot) then
    local reply
    if command == 'SET' then
      reply = redis.call('SET', ARGV[i + 1], argument, 'NX')
    elseif command == 'HGET' then
      reply = redis.call('HGET', ARGV[i + 1], argument)
    else
      reply = redis.call('HDEL', ARGV[i + 1], argument)
    end
    replies[#replies + 1] = slot
    replies[#replies + 1] = reply or false
  end
end
return replies
