-- Argo CD health of a DRPlan (docs/gitops.md). Lua 5.1, as Argo CD's gopher-lua runs it.
--   not yet observed, or an older generation observed  -> Progressing
--   Valid=False                                        -> Degraded (the plan is invalid)
--   Ready=True                                         -> Healthy
--   Ready=False                                        -> Degraded (the readiness preflight found
--                                                         resources that would not fail over)
--   Ready=Unknown or absent                            -> Progressing (not checked yet)
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function said(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lifeboat operator to validate the plan"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lifeboat operator to observe generation " .. generation
  return hs
end

local valid = condition("Valid")
local ready = condition("Ready")
if valid ~= nil and valid.status == "False" then
  hs.status = "Degraded"
  hs.message = "Invalid: " .. said(valid, "the plan is not valid")
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = said(ready, "Ready")
elseif ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = "Not ready: " .. said(ready, "the readiness preflight failed")
else
  hs.status = "Progressing"
  hs.message = said(ready, "Readiness not checked yet")
end
return hs
