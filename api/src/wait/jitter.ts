// apimachinery's wait.Jitter: a duration plus up to `maxFactor` of itself at random, so that many
// clients that failed at the same instant (an apiserver restart) do not retry at the same instants.

/** A number in [0, 1), like Math.random; tests pass a constant. */
export type Random = () => number;

/**
 * `ms` plus a random share of up to `maxFactor × ms`. A factor of 0 or less means 1.0, as
 * apimachinery's Jitter does.
 */
export function jitter(ms: number, maxFactor: number, random: Random = Math.random): number {
  const factor = maxFactor > 0 ? maxFactor : 1.0;
  return ms + random() * factor * ms;
}
