-- The slot ranges this master owns, steadily, as { {first, last}, ... }; nil when that cannot be told that way.
local function steadySlots()
  local info = redis.pcall('CLUSTER', 'INFO')
  if type(info) ~= 'string' or not string.find(info, 'cluster_state:ok', 1, true) then return nil end
  local nodes = redis.pcall('CLUSTER', 'NODES')
  if type(nodes) ~= 'string' then return nil end
  for line in string.gmatch(nodes, '[^\r\n]+') do
    local fields = {}
    for field in string.gmatch(line, '%S+') do fields[#fields + 1] = field end
    local flags = ',' .. (fields[3] or '') .. ','
    if string.find(flags, ',myself,', 1, true) then
      -- A slot moving shows as [slot->-node] or [slot-<-node] on this line only.
      if not string.find(flags, ',master,', 1, true) or string.find(line, '[', 1, true) then return nil end
      local ranges = {}
      for f = 9, #fields do
        local first, last = string.match(fields[f], '^(%d+)%-(%d+)$')
        if not first then
          first = string.match(fields[f], '^(%d+)$')
          last = first
        end
        if not first then return nil end
        ranges[#ranges + 1] = {tonumber(first), tonumber(last)}
      end
      return ranges
    end
  end
  return nil
end

-- Whether slot is in one of the ranges steadySlots() returned; the first range first: a master usually owns one.
local function ownsSlot(ranges, slot)
  for r = 1, #ranges do
    if slot >= ranges[r][1] and slot <= ranges[r][2] then return true end
  end
  return false
end
