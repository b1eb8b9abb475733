// The one indirection between the tests and the code they grade (see ../choose.ts).
import { choose } from '../choose.js';
import * as solution from './solution/bucket-controller.js';
import * as starter from './starter/bucket-controller.js';

export const { addBucketController } = choose<typeof solution>({ starter, solution });
