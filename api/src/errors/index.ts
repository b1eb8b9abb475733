// Kubernetes API errors, once (apimachinery's pkg/api/errors): the ApiError that carries a
// metav1.Status, builders for the server (`apiErrors.notFound(...)`), reading a Status from a
// response for the client, and the reason predicates both sides branch on.
export { ApiError, makeStatus, type ErrorStatus, type FailureParts } from './api-error.js';
export * as apiErrors from './builders.js';
export {
  qualifiedKind,
  qualifiedResource,
  type GroupKind,
  type GroupResource,
} from './group-resource.js';
export { apiErrorFromResponse, isStatus, parseStatus, reasonForCode } from './response.js';
export {
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotAcceptable,
  isNotFound,
  isRequestEntityTooLarge,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  isUnsupportedMediaType,
  reasonForError,
  statusFromError,
} from './predicates.js';
export { errorMessage } from './error-message.js';
