// The one indirection between the tests and the code they grade (see ../choose.ts).
import { choose } from '../choose.js';
import * as solution from './solution/ttl-cleaner.js';
import * as starter from './starter/ttl-cleaner.js';

export const { addTtlCleaner } = choose<Pick<typeof solution, 'addTtlCleaner'>>({
  starter,
  solution,
});
