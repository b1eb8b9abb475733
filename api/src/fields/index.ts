export {
  FieldSelector,
  FieldSelectorError,
  type FieldRequirement,
  type Fields,
  escapeValue,
  parseFieldSelector,
  unescapeValue,
} from './selector.js';
export {
  KindFieldSelector,
  fieldSelectorForKind,
  fieldsOf,
  supportedFieldLabels,
} from './field-labels.js';
