export { EventRecorder, type EventRecorderOptions } from './event-recorder.js';
export { type CorrelationOptions } from './correlator.js';
export { type EventSourceInfo, type EventType } from './make-event.js';
