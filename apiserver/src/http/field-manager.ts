// The manager a write request is recorded under in metadata.managedFields.
import { type FieldManagerRequest, managerOf } from '../fieldmanager/index.js';
import type { ResourceScope } from './scope.js';

/** An Update by the fieldManager query parameter's manager, else the User-Agent's. */
export function updateManager(scope: ResourceScope): FieldManagerRequest {
  return {
    manager: managerOf(scope.query.get('fieldManager'), scope.req.headers['user-agent']),
    operation: 'Update',
  };
}
