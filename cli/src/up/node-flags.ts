// The flags skiff's entry points run node with (docs/decisions/0015-small-young-generation.md,
// 0022-young-generation-of-8-mb.md):
// - a young generation of at most 8 MB semi-spaces instead of V8's default of up to 16 MB each,
//   which a component's start-up burst grows and an idle cluster then keeps resident; 2 MB kept
//   the scheduler and the apiserver copying what would have died young (a quarter of their CPU
//   per pod in the scheduler benchmark), and an idle `skiff up` holds the same at 8;
// - one V8 worker thread instead of node's 4: each worker that compiles or marks in the
//   background keeps a malloc arena of its own resident (2–4 MB each in an idle `skiff up`), and
//   on the 2-core machines skiff targets a fourth helper has no core to run on anyway.
// They have to be on node's command line — V8 reads them once, when the heap and the platform
// are made; setting them from inside a running process changes nothing — so the `skiff` bin's
// shebang, `pnpm skiff` and `pnpm start` each pass them, and `skiff up`'s children inherit them
// with the rest of its node flags.
export const SKIFF_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--v8-pool-size=1'];
