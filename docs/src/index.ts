// Public entry of @skiff/docs: the helpers the controller tutorial (../tutorial) and the course
// exercises (../exercises) share.
export { installCrd, loadCrd } from './install-crd.js';
export { connect } from './connect.js';
