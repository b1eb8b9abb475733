export { Quantity, parseQuantity } from './quantity.js';
export { QuantityParseError, type QuantityFormat } from './parse.js';
