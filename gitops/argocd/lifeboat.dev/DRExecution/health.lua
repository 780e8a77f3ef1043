-- Argo CD health of a DRExecution (docs/gitops.md). Lua 5.1, as Argo CD's gopher-lua runs it.
--   AwaitingApproval, Paused       -> Suspended (a person decides; the message says how)
--   Pending, Running, Pausing,
--   Cancelling                     -> Progressing
--   Pending with Stalled=True      -> Degraded (guard refused, plan missing or invalid)
--   Succeeded                      -> Healthy
--   Failed                         -> Degraded
--   Cancelled (on request, or a
--   gate was rejected)             -> Degraded: what Git declares did not run to the end;
--                                     a finished execution is a record, remove it from Git
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

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lifeboat operator to pick up the execution"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lifeboat operator to observe generation " .. generation
  return hs
end

local phase = obj.status.phase
local progress = ""
if obj.status.progress ~= nil and obj.status.progress.summary ~= nil then
  progress = " (" .. obj.status.progress.summary .. " resources finished)"
end
local stalled = condition("Stalled")
local succeeded = condition("Succeeded")

if phase == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = said(condition("AwaitingApproval"), "A gate waits for approval")
elseif phase == "Paused" then
  hs.status = "Suspended"
  hs.message = said(condition("Paused"), "Paused") .. progress
elseif phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = said(succeeded, "Succeeded") .. progress
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = "Failed: " .. said(succeeded, "the execution failed")
elseif phase == "Cancelled" then
  local reason = "Cancelled"
  if succeeded ~= nil and succeeded.reason ~= nil then
    reason = succeeded.reason
  end
  hs.status = "Degraded"
  hs.message = reason .. ": " .. said(succeeded, "the execution was cancelled") .. progress
elseif stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = said(stalled, "The execution cannot start without a person")
else
  hs.status = "Progressing"
  hs.message = phase .. ": " .. said(condition("Reconciling"), "in progress") .. progress
end
return hs
