// The Content-Types of PATCH requests and which of them a resource accepts.

export const jsonPatchType = 'application/json-patch+json';
export const mergePatchType = 'application/merge-patch+json';
export const strategicMergePatchType = 'application/strategic-merge-patch+json';

export type PatchType =
  typeof jsonPatchType | typeof mergePatchType | typeof strategicMergePatchType;

/** The media type of a Content-Type header, without parameters such as `; charset=utf-8`. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
