// Original file: runtime/v1/api.proto


export interface MetricDescriptor {
  /**
   * Unique; Metric.name refers to it.
   */
  'name'?: (string);
  'help'?: (string);
  /**
   * Kept in the same order as Metric.label_values.
   */
  'label_keys'?: (string)[];
}

export interface MetricDescriptor__Output {
  /**
   * Unique; Metric.name refers to it.
   */
  'name': (string);
  'help': (string);
  /**
   * Kept in the same order as Metric.label_values.
   */
  'label_keys': (string)[];
}
