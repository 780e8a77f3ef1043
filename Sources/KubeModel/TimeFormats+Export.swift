// Timestamps are part of every object (creationTimestamp, condition transitions): whoever
// imports the model gets them too.
@_exported import TimeFormats
