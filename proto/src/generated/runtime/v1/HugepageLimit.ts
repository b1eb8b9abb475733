// Original file: runtime/v1/api.proto

import type { Long } from '@grpc/proto-loader';

export interface HugepageLimit {
  /**
   * E.g. "2MB", "1GB" (base 1024), as in hugetlb.<size>.limit_in_bytes.
   */
  'page_size'?: (string);
  'limit'?: (number | string | Long);
}

export interface HugepageLimit__Output {
  /**
   * E.g. "2MB", "1GB" (base 1024), as in hugetlb.<size>.limit_in_bytes.
   */
  'page_size': (string);
  'limit': (string);
}
