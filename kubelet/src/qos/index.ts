export { podQOSClass, type QOSClass } from './qos-class.js';
export {
  BEST_EFFORT_OOM_SCORE_ADJ,
  GUARANTEED_OOM_SCORE_ADJ,
  containerOomScoreAdj,
} from './oom-score.js';
