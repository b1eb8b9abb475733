// What every part of the cluster zone's resolution reads: the question as asked, the cluster,
// the zone's settings, and the SOA that negative answers carry.
import type { Answer, Question } from 'dns-packet';
import type { ClusterView } from '../cluster/view.js';
import type { ZoneConfig } from './resolution.js';

export interface ZoneContext {
  readonly question: Question;
  readonly view: ClusterView;
  readonly config: ZoneConfig;
  readonly soa: Answer;
}
