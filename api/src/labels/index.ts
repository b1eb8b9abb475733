export {
  isQualifiedName,
  isValidLabelValue,
  validateLabelName,
  validateLabels,
} from './label-validation.js';
export {
  LabelSelectorError,
  type Labels,
  type Operator,
  type Requirement,
  newRequirement,
  validateRequirement,
} from './requirement.js';
export { Selector, everything, nothing, selectorFromSet } from './selector.js';
export { SelectorParseError, parseSelector } from './parser.js';
export {
  labelSelectorAsSelector,
  validateLabelSelector,
  validateLabelSelectorRequirement,
} from './label-selector.js';
