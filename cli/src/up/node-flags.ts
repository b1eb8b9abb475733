// The V8 flag skiff's entry points run node with (docs/decisions/0015-small-young-generation.md):
// a young generation of 2 MB semi-spaces instead of V8's default of up to 16 MB each, which a
// component's start-up burst grows and an idle cluster then keeps resident. It has to be on
// node's command line — V8 reads it once, when the heap is made; setting it from inside a
// running process changes nothing — so the `skiff` bin's shebang, `pnpm skiff` and `pnpm start`
// each pass it, and `skiff up`'s children inherit it with the rest of its node flags.
export const SKIFF_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
