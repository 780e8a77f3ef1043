// Timestamps and durations are part of the API's vocabulary (status times, `timeout: 45m`):
// whoever imports LifeboatAPI gets them, as if they were declared here.
@_exported import TimeFormats
