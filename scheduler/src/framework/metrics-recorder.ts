// How the framework reports its timings without knowing about Prometheus: the scheduler passes
// an implementation (scheduler/metrics.ts) that feeds Kubernetes' histograms.
import type { Code } from './status.js';

export interface FrameworkMetrics {
  /** scheduler_framework_extension_point_duration_seconds. */
  extensionPoint(point: string, code: Code, seconds: number): void;
  /** scheduler_plugin_execution_duration_seconds (only for sampled attempts). */
  plugin(plugin: string, point: string, code: Code, seconds: number): void;
  /**
   * Whether plugin timings would be kept now: once the buffer between flushes is full they are
   * dropped, so an attempt need not time its hundreds of Filter calls for nothing.
   */
  acceptsPluginSamples(): boolean;
}

export const noMetrics: FrameworkMetrics = {
  extensionPoint: () => undefined,
  plugin: () => undefined,
  acceptsPluginSamples: () => false,
};
